package dev.drydock.api.apply;

import static dev.drydock.api.apply.FieldSetTest.json;
import static dev.drydock.api.apply.TypedTest.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The field manager's rules, as kube's documentation of server-side apply states them (ownership, conflicts,
 * release, the interplay with updates) and as apimachinery's field manager records them.
 */
class FieldManagerTest {

    static final Instant T0 = Instant.parse("2025-01-02T03:04:05.678Z");
    static final Instant T1 = T0.plusSeconds(60);
    static final Resource CONFIG_MAPS = new Resource("", "v1", "configmaps", "ConfigMap", true);

    final FieldManager deployments = FieldManager.of(Resource.DEPLOYMENTS, null, true);
    final FieldManager configMaps = FieldManager.of(CONFIG_MAPS, null, false);

    static ObjectNode deployment(String extraSpec) {
        return obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'ns'},"
                + "'spec':{" + extraSpec + "}}");
    }

    /** The managers of an object: manager/operation/subresource, in the order kube writes them. */
    static List<String> managers(JsonNode obj) {
        List<String> out = new ArrayList<>();
        obj.path("metadata").path("managedFields").forEach(e -> out.add(e.path("manager").asText() + "/"
                + e.path("operation").asText() + (e.has("subresource") ? "/" + e.get("subresource").asText() : "")));
        return out;
    }

    static JsonNode fieldsOf(JsonNode obj, String manager) {
        for (JsonNode e : obj.path("metadata").path("managedFields")) {
            if (e.path("manager").asText().equals(manager)) {
                return e.get("fieldsV1");
            }
        }
        return null;
    }

    @Test
    void anApplyThatCreatesOwnsWhatItAppliesInKubesEntryFormat() {
        // the example of kube's documentation of server-side apply
        ObjectNode config = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'test-cm',"
                + "'namespace':'default','labels':{'test-label':'test'}},'data':{'key':'some value'}}");

        ObjectNode created = configMaps.apply(null, config, "kubectl", false, null, T0);

        assertThat(created.at("/metadata/managedFields")).isEqualTo(json("[{'manager':'kubectl','operation':'Apply',"
                + "'apiVersion':'v1','time':'2025-01-02T03:04:05Z','fieldsType':'FieldsV1','fieldsV1':{'f:data':"
                + "{'f:key':{}},'f:metadata':{'f:labels':{'f:test-label':{}}}}}]"));
        assertThat(created.get("data")).isEqualTo(json("{'key':'some value'}"));
    }

    @Test
    void aCreateIsAnUpdateOfEveryFieldItSets() {
        ObjectNode cm = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':{'a':'1'}},"
                + "'data':{'k':'v'}}");

        configMaps.update(null, cm, "kubectl-create", null, T0);

        assertThat(cm.at("/metadata/managedFields")).isEqualTo(json("[{'manager':'kubectl-create','operation':"
                + "'Update','apiVersion':'v1','time':'2025-01-02T03:04:05Z','fieldsType':'FieldsV1','fieldsV1':"
                + "{'f:data':{'.':{},'f:k':{}},'f:metadata':{'f:labels':{'.':{},'f:a':{}}}}}]"));
    }

    @Test
    void aFieldAnotherApplierOwnsConflictsUnlessTheApplyIsForced() {
        ObjectNode live = deployments.apply(null, deployment("'replicas':3"), "ci", false, null, T0);

        ApiException conflict = catchThrowableOfType(ApiException.class,
                () -> deployments.apply(live, deployment("'replicas':5"), "ops", false, null, T1));

        assertThat(conflict.code()).isEqualTo(409);
        assertThat(conflict.status().get("reason").asText()).isEqualTo("Conflict");
        assertThat(conflict.getMessage())
                .isEqualTo("Apply failed with 1 conflict: conflict with \"ci\": .spec.replicas");
        assertThat(conflict.status().at("/details/causes")).isEqualTo(json("[{'reason':'FieldManagerConflict',"
                + "'message':'conflict with \\'ci\\'','field':'.spec.replicas'}]"));

        ObjectNode forced = deployments.apply(live, deployment("'replicas':5"), "ops", true, null, T1);
        assertThat(forced.at("/spec/replicas").asInt()).isEqualTo(5);
        assertThat(managers(forced)).containsExactly("ops/Apply");
        assertThat(fieldsOf(forced, "ops")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
    }

    @Test
    void appliersThatSetTheSameValueShareTheField() {
        ObjectNode live = deployments.apply(null, deployment("'replicas':3"), "a", false, null, T0);

        ObjectNode shared = deployments.apply(live, deployment("'replicas':3,'paused':true"), "b", false, null, T1);

        assertThat(managers(shared)).containsExactly("a/Apply", "b/Apply");
        assertThat(fieldsOf(shared, "a")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
        assertThat(fieldsOf(shared, "b")).isEqualTo(json("{'f:spec':{'f:paused':{},'f:replicas':{}}}"));
    }

    @Test
    void aFieldTheApplierNoLongerAppliesIsRemovedUnlessAnotherManagerOwnsIt() {
        ObjectNode live = configMaps.apply(null, obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':"
                + "'c'},'data':{'a':'1','b':'2','c':'3'}}"), "one", false, null, T0);
        live = configMaps.apply(live, obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},"
                + "'data':{'c':'3'}}"), "two", false, null, T0);

        ObjectNode after = configMaps.apply(live, obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':"
                + "{'name':'c'},'data':{'a':'1'}}"), "one", false, null, T1);

        assertThat(after.get("data")).as("b released and gone; c kept for its other owner")
                .isEqualTo(json("{'a':'1','c':'3'}"));
        assertThat(fieldsOf(after, "one")).isEqualTo(json("{'f:data':{'f:a':{}}}"));
        assertThat(fieldsOf(after, "two")).isEqualTo(json("{'f:data':{'f:c':{}}}"));
    }

    @Test
    void anUpdateTakesAnAppliedFieldWithoutConflictAndTheApplierThenConflictsWithIt() {
        ObjectNode live = deployments.apply(null, deployment("'replicas':3,'paused':true"), "ci", false, null, T0);
        ObjectNode edited = live.deepCopy();
        ((ObjectNode) edited.get("spec")).put("replicas", 4);

        deployments.update(live, edited, "kubectl-edit", null, T1);

        assertThat(managers(edited)).containsExactly("ci/Apply", "kubectl-edit/Update");
        assertThat(fieldsOf(edited, "ci")).isEqualTo(json("{'f:spec':{'f:paused':{}}}"));
        assertThat(fieldsOf(edited, "kubectl-edit")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
        assertThat(edited.at("/metadata/managedFields/1/time").asText()).isEqualTo("2025-01-02T03:05:05Z");
        ApiException conflict = catchThrowableOfType(ApiException.class, () -> deployments.apply(edited,
                deployment("'replicas':3,'paused':true"), "ci", false, null, T1));
        assertThat(conflict.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with \"kubectl-edit\" "
                + "using apps/v1: .spec.replicas");
    }

    @Test
    void conflictsWithSeveralFieldsAndManagersAreGroupedByManager() {
        ObjectNode live = deployments.apply(null, deployment("'replicas':3,'paused':true"), "a", false, null, T0);
        live = deployments.apply(live, deployment("'minReadySeconds':5"), "b", false, null, T0);

        ApiException conflict = catchThrowableOfType(ApiException.class, () -> deployments.apply(
                deployments.apply(null, deployment("'replicas':3,'paused':true"), "a", false, null, T0), deployment(
                        "'replicas':1,'paused':false"), "c", false, null, T1));
        assertThat(conflict.getMessage()).isEqualTo("Apply failed with 2 conflicts: conflicts with \"a\":\n"
                + "- .spec.paused\n- .spec.replicas");

        ObjectNode both = live;
        ApiException two = catchThrowableOfType(ApiException.class, () -> deployments.apply(both,
                deployment("'replicas':1,'minReadySeconds':1"), "c", false, null, T1));
        assertThat(two.getMessage()).isEqualTo("Apply failed with 2 conflicts: conflicts with \"a\":\n"
                + "- .spec.replicas\nconflicts with \"b\":\n- .spec.minReadySeconds");
        assertThat(two.status().at("/details/causes")).hasSize(2);
    }

    @Test
    void managedFieldsAClientSendsReplaceTheStoredOnesAndAnEmptyListForgetsThemAll() {
        ObjectNode live = configMaps.apply(null, obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':"
                + "'c'},'data':{'a':'1'}}"), "one", false, null, T0);
        ObjectNode reset = live.deepCopy();
        ((ObjectNode) reset.get("metadata")).putArray("managedFields");

        configMaps.update(live, reset, "kubectl", null, T1);

        assertThat(reset.at("/metadata").has("managedFields")).isFalse();
        ObjectNode changed = reset.deepCopy();
        ((ObjectNode) changed.get("data")).put("b", "2");
        configMaps.update(reset, changed, "kubectl", null, T1);
        assertThat(changed.at("/metadata").has("managedFields")).as("an object without any is not tracked")
                .isFalse();

        ObjectNode applied = configMaps.apply(changed, obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':"
                + "{'name':'c'},'data':{'a':'1'}}"), "one", false, null, T1);
        assertThat(managers(applied)).containsExactly("one/Apply", "before-first-apply/Update");
        assertThat(fieldsOf(applied, "before-first-apply")).as("what it applied with the same value is shared")
                .isEqualTo(json("{'f:data':{'.':{},'f:a':{},'f:b':{}}}"));
        assertThat(fieldsOf(applied, "one")).isEqualTo(json("{'f:data':{'f:a':{}}}"));
    }

    @Test
    void moreThanTenUpdateManagersAreMergedIntoAncientChanges() {
        ObjectNode obj = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{}}");
        configMaps.update(null, obj, "creator", null, T0);
        for (int i = 0; i < 11; i++) {
            ObjectNode next = obj.deepCopy();
            ((ObjectNode) next.get("data")).put("k" + i, "v");
            configMaps.update(obj, next, "m" + i, null, T0.plusSeconds(i + 1));
            obj = next;
        }

        List<String> names = managers(obj);
        assertThat(names).hasSize(10).contains("ancient-changes/Update").doesNotContain("creator/Update",
                "m0/Update");
        assertThat(fieldsOf(obj, "ancient-changes")).as("the oldest three: the creator's, m0's and m1's")
                .isEqualTo(json("{'f:data':{'.':{},'f:k0':{},'f:k1':{}}}"));
    }

    @Test
    void theStatusIsOwnedThroughItsSubresourceOnly() {
        ObjectNode live = deployments.apply(null, obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':"
                + "{'name':'web'},'spec':{'replicas':1},'status':{'replicas':7}}"), "ci", false, null, T0);
        assertThat(fieldsOf(live, "ci")).as("status is not owned through the main resource")
                .isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));

        ObjectNode status = deployments.apply(live, obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':"
                + "{'name':'web'},'status':{'replicas':2}}"), "controller", false, "status", T1);

        assertThat(managers(status)).containsExactly("ci/Apply", "controller/Apply/status");
        assertThat(fieldsOf(status, "controller")).isEqualTo(json("{'f:status':{'f:replicas':{}}}"));
    }

    @Test
    void kubectlsFirstServerSideApplyTakesWhatItsLastClientSideApplySetWithoutConflict() {
        // client-side apply: a create and a strategic merge patch, recorded as kubectl-client-side-apply updates
        ObjectNode config = deployment("'replicas':3");
        ObjectNode live = config.deepCopy();
        Json.with(live, "metadata", "annotations").put(FieldManager.LAST_APPLIED, Json.string(config));
        deployments.update(null, live, "kubectl-client-side-apply", null, T0);

        ObjectNode upgraded = deployments.apply(live, deployment("'replicas':4"), "kubectl", false, null, T1);

        assertThat(upgraded.at("/spec/replicas").asInt()).isEqualTo(4);
        assertThat(fieldsOf(upgraded, "kubectl")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
        assertThat(Json.parseTrusted(upgraded.at("/metadata/annotations").get(FieldManager.LAST_APPLIED).asText()
                .getBytes()).at("/spec/replicas").asInt()).as("the annotation follows").isEqualTo(4);
        ApiException other = catchThrowableOfType(ApiException.class,
                () -> deployments.apply(live, deployment("'replicas':4"), "someone", false, null, T1));
        assertThat(other.code()).as("only kubectl's apply takes them").isEqualTo(409);
    }

    @Test
    void aConfigurationOfAnotherKindOrWithManagedFieldsIsRefused() {
        ApiException otherKind = catchThrowableOfType(ApiException.class, () -> deployments.apply(null,
                obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'x'}}"), "m", false, null, T0));
        assertThat(otherKind.code()).isEqualTo(400);
        assertThat(otherKind.getMessage()).isEqualTo("invalid object type: /v1, Kind=ConfigMap");

        ApiException noKind = catchThrowableOfType(ApiException.class, () -> deployments.apply(null, obj("{}"), "m",
                false, null, T0));
        assertThat(noKind.getMessage()).isEqualTo("invalid object type: /, Kind=");

        ObjectNode withManagedFields = deployment("");
        Json.with(withManagedFields, "metadata").putArray("managedFields");
        ApiException managed = catchThrowableOfType(ApiException.class, () -> deployments.apply(null,
                withManagedFields, "m", false, null, T0));
        assertThat(managed.getMessage()).isEqualTo("metadata.managedFields must be nil");

        ApiException unknown = catchThrowableOfType(ApiException.class, () -> deployments.apply(null,
                deployment("'replicass':1"), "m", false, null, T0));
        assertThat(unknown.code()).as("kube 1.32 answers a configuration its schema refuses with a 500")
                .isEqualTo(500);
        assertThat(unknown.getMessage()).isEqualTo("failed to create typed patch object (ns/web; apps/v1, "
                + "Kind=Deployment): .spec.replicass: field not declared in schema");
    }

    @Test
    void theManagerFromTheUserAgentIsItsFirstWord() {
        assertThat(FieldManager.managerFromUserAgent("kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9"))
                .isEqualTo("kubectl");
        assertThat(FieldManager.managerFromUserAgent("fabric8-kubernetes-client/7.9.0")).isEqualTo(
                "fabric8-kubernetes-client");
        assertThat(FieldManager.managerFromUserAgent("a\u0007b")).isEqualTo("ab");
        assertThat(FieldManager.managerFromUserAgent("x".repeat(200))).hasSize(128);
        assertThat(FieldManager.managerFromUserAgent(null)).isEmpty();
    }
}

package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.kinds.AppsV1Kinds;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** apps/v1 StatefulSet, DaemonSet and ControllerRevision, and the selector rules every apps/v1 workload shares. */
class AppsV1KindsTest extends KindTestSupport {

    static final Resource STATEFULSETS = Resource.STATEFULSETS;
    static final Resource DAEMONSETS = AppsV1Kinds.DAEMONSETS;
    static final Resource REVISIONS = AppsV1Kinds.CONTROLLERREVISIONS;

    static ObjectNode statefulSet(String name) {
        return json("{'apiVersion':'apps/v1','kind':'StatefulSet','metadata':{'name':'" + name + "'},'spec':{"
                + "'serviceName':'" + name + "','selector':{'matchLabels':{'app':'" + name + "'}},'template':{"
                + "'metadata':{'labels':{'app':'" + name + "'}},'spec':{'containers':[{'name':'db','image':'redis:7'}]}},"
                + "'volumeClaimTemplates':[{'metadata':{'name':'data'},'spec':{'accessModes':['ReadWriteOnce'],"
                + "'resources':{'requests':{'storage':'1Gi'}}}}]}}");
    }

    static ObjectNode daemonSet(String name) {
        return json("{'apiVersion':'apps/v1','kind':'DaemonSet','metadata':{'name':'" + name + "'},'spec':{"
                + "'selector':{'matchLabels':{'app':'" + name + "'}},'template':{'metadata':{'labels':{'app':'"
                + name + "'}},'spec':{'containers':[{'name':'agent','image':'fluentd:1'}]}}}}");
    }

    // ---- StatefulSet

    @Test
    void aStatefulSetGetsKubesAppsV1DefaultsAndAnEmptyStatus() {
        ObjectNode sts = client.create(STATEFULSETS, NS, statefulSet("db"));

        JsonNode spec = sts.path("spec");
        assertThat(spec.path("replicas").asInt()).isEqualTo(1);
        assertThat(spec.path("podManagementPolicy").asText()).isEqualTo("OrderedReady");
        assertThat(spec.path("updateStrategy")).isEqualTo(json("{'type':'RollingUpdate','rollingUpdate':"
                + "{'partition':0}}"));
        assertThat(spec.path("revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(spec.path("persistentVolumeClaimRetentionPolicy")).isEqualTo(json("{'whenDeleted':'Retain',"
                + "'whenScaled':'Retain'}"));
        assertThat(spec.path("template").path("spec").path("restartPolicy").asText()).isEqualTo("Always");
        assertThat(spec.path("template").path("spec").path("containers").get(0).path("imagePullPolicy").asText())
                .isEqualTo("IfNotPresent");
        JsonNode claim = spec.path("volumeClaimTemplates").get(0);
        assertThat(claim.path("spec").path("volumeMode").asText()).isEqualTo("Filesystem");
        assertThat(claim.path("status").path("phase").asText()).isEqualTo("Pending");
        assertThat(sts.path("metadata").path("generation").asLong()).isEqualTo(1);
        // Go writes StatefulSetStatus' replicas and availableReplicas even at zero (no omitempty).
        assertThat(sts.path("status")).isEqualTo(json("{'replicas':0,'availableReplicas':0}"));
        assertThat(client.get(STATEFULSETS, NS, "db")).isEqualTo(sts);
    }

    @Test
    void aStatefulSetIsListedUpdatedPatchedAndDeleted() {
        client.create(STATEFULSETS, NS, statefulSet("a"));
        client.create(STATEFULSETS, NS, statefulSet("b"));
        assertThat(names(list(STATEFULSETS, NS, Map.of()))).containsExactly("a", "b");
        assertThat(selectedNames(STATEFULSETS, "metadata.name=b")).containsExactly("b");

        ObjectNode updated = client.modify(STATEFULSETS, NS, "a", s -> Json.with(s, "spec").put("replicas", 3));
        assertThat(updated.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(updated.path("metadata").path("generation").asLong()).isEqualTo(2);

        ObjectNode patched = mergePatch(STATEFULSETS, "a", "{'spec':{'template':{'spec':{'containers':"
                + "[{'name':'db','image':'redis:8'}]}}}}");
        assertThat(patched.path("spec").path("template").path("spec").path("containers").get(0).path("image")
                .asText()).isEqualTo("redis:8");
        assertThat(patched.path("metadata").path("generation").asLong()).isEqualTo(3);

        client.delete(STATEFULSETS, NS, "a");
        assertThat(names(list(STATEFULSETS, NS, Map.of()))).containsExactly("b");
    }

    @Test
    void aStatefulSetSpecMayChangeOnlyInTheFieldsKubeLetsChange() {
        client.create(STATEFULSETS, NS, statefulSet("db"));

        ApiException e = failure(() -> mergePatch(STATEFULSETS, "db", "{'spec':{'serviceName':'other'}}"));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).isEqualTo("StatefulSet.apps \"db\" is invalid: spec: Forbidden: updates to "
                + "statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
                + "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
        ApiException selector = failure(() -> mergePatch(STATEFULSETS, "db", "{'spec':{'selector':{'matchLabels':"
                + "{'tier':'x'}},'template':{'metadata':{'labels':{'tier':'x'}}}}}"));
        assertThat(causeFields(selector)).containsExactly("spec");
        mergePatch(STATEFULSETS, "db", "{'spec':{'replicas':2,'minReadySeconds':5,'updateStrategy':"
                + "{'rollingUpdate':{'partition':1}}}}");
        assertThat(client.get(STATEFULSETS, NS, "db").path("spec").path("updateStrategy").path("rollingUpdate")
                .path("partition").asInt()).isEqualTo(1);
    }

    @Test
    void aStatefulSetNeedsASelectorMatchingItsTemplateAndALabelName() {
        ObjectNode noSelector = statefulSet("db");
        ((ObjectNode) noSelector.get("spec")).remove("selector");
        ApiException missing = failure(() -> client.create(STATEFULSETS, NS, noSelector));
        assertThat(missing.getMessage()).contains("spec.selector: Required value");

        ObjectNode mismatch = statefulSet("db");
        Json.with(mismatch, "spec", "template", "metadata", "labels").put("app", "other");
        ApiException e = failure(() -> client.create(STATEFULSETS, NS, mismatch));
        assertThat(e.getMessage()).isEqualTo("StatefulSet.apps \"db\" is invalid: spec.template.metadata.labels: "
                + "Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`");

        ApiException name = failure(() -> client.create(STATEFULSETS, NS, statefulSet("db.v1")));
        assertThat(name.getMessage()).contains("metadata.name: Invalid value: \"db.v1\": a lowercase RFC 1123 "
                + "label must consist of");

        ObjectNode never = statefulSet("db");
        Json.with(never, "spec", "template", "spec").put("restartPolicy", "Never");
        assertThat(failure(() -> client.create(STATEFULSETS, NS, never)).getMessage()).contains(
                "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"");
    }

    @Test
    void aStatefulSetIsScaledThroughItsScaleSubresourceAndWritesItsStatusThroughStatus() {
        client.create(STATEFULSETS, NS, statefulSet("db"));

        ApiResponse scale = call(ApiRequest.Verb.PATCH, STATEFULSETS, NS, "db", "scale", Map.of(),
                json("{'spec':{'replicas':3}}"), "application/merge-patch+json");

        assertThat(scale.code()).isEqualTo(200);
        assertThat(scale.body().path("kind").asText()).isEqualTo("Scale");
        assertThat(scale.body().path("status").path("selector").asText()).isEqualTo("app=db");
        assertThat(client.get(STATEFULSETS, NS, "db").path("spec").path("replicas").asInt()).isEqualTo(3);

        patchStatus(STATEFULSETS, "db", "{'status':{'replicas':3,'readyReplicas':2}}");
        ObjectNode withStatus = mergePatch(STATEFULSETS, "db", "{'status':{'replicas':9},'spec':{'replicas':4}}");
        assertThat(withStatus.path("status").path("replicas").asInt()).as("the main resource keeps the status")
                .isEqualTo(3);
        assertThat(withStatus.path("spec").path("replicas").asInt()).isEqualTo(4);
    }

    // ---- DaemonSet

    @Test
    void aDaemonSetGetsKubesDefaults() {
        ObjectNode ds = client.create(DAEMONSETS, NS, daemonSet("logs"));

        assertThat(ds.path("spec").path("updateStrategy")).isEqualTo(json("{'type':'RollingUpdate','rollingUpdate':"
                + "{'maxUnavailable':1,'maxSurge':0}}"));
        assertThat(ds.path("spec").path("revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(ds.path("spec").path("template").path("spec").path("dnsPolicy").asText())
                .isEqualTo("ClusterFirst");
        assertThat(ds.path("metadata").path("generation").asLong()).isEqualTo(1);
        assertThat(ds.path("status")).isEqualTo(json("{'currentNumberScheduled':0,'numberMisscheduled':0,"
                + "'desiredNumberScheduled':0,'numberReady':0}"));
        assertThat(client.get(DAEMONSETS, NS, "logs")).isEqualTo(ds);
    }

    @Test
    void aDaemonSetIsUpdatedPatchedListedAndDeleted() {
        client.create(DAEMONSETS, NS, daemonSet("logs"));
        client.create(DAEMONSETS, NS, daemonSet("metrics"));

        ObjectNode patched = mergePatch(DAEMONSETS, "logs", "{'spec':{'updateStrategy':{'type':'OnDelete',"
                + "'rollingUpdate':null}}}");
        assertThat(patched.path("spec").path("updateStrategy")).isEqualTo(json("{'type':'OnDelete'}"));
        ObjectNode updated = client.modify(DAEMONSETS, NS, "logs", d -> Json.with(d, "spec")
                .put("minReadySeconds", 10));
        assertThat(updated.path("metadata").path("generation").asLong()).isEqualTo(3);
        assertThat(names(list(DAEMONSETS, NS, Map.of()))).containsExactly("logs", "metrics");

        client.delete(DAEMONSETS, NS, "metrics");
        assertThat(client.find(DAEMONSETS, NS, "metrics")).isNull();
    }

    @Test
    void aDaemonSetsRollingUpdateMaySurgeOrBeUnavailableButNotBoth() {
        ObjectNode both = daemonSet("logs");
        Json.with(both, "spec", "updateStrategy", "rollingUpdate").put("maxSurge", 1);

        ApiException e = failure(() -> client.create(DAEMONSETS, NS, both));

        assertThat(e.getMessage()).isEqualTo("DaemonSet.apps \"logs\" is invalid: "
                + "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, "
                + "StrVal:\"\"}: may not be set when maxUnavailable is non-zero");
        ObjectNode percent = daemonSet("logs");
        Json.with(percent, "spec", "updateStrategy", "rollingUpdate").put("maxUnavailable", "150%");
        assertThat(failure(() -> client.create(DAEMONSETS, NS, percent)).getMessage()).contains(
                "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, "
                        + "IntVal:0, StrVal:\"150%\"}: must not be greater than 100%");
    }

    @Test
    void aDaemonSetWithoutASelectorDoesNotMatchItsTemplate() {
        ObjectNode ds = daemonSet("logs");
        ((ObjectNode) ds.get("spec")).remove("selector");

        ApiException e = failure(() -> client.create(DAEMONSETS, NS, ds));

        assertThat(causeFields(e)).containsExactly("spec.template.metadata.labels");
    }

    // ---- selector immutability, for every apps/v1 workload

    @Test
    void theSelectorOfDeploymentsReplicaSetsAndDaemonSetsIsImmutable() {
        client.create(DEPLOYMENTS, NS, TestObjects.deployment("web").build());
        client.create(DAEMONSETS, NS, daemonSet("logs"));
        ObjectNode rs = TestObjects.deployment("cache").build();
        rs.put("kind", "ReplicaSet");
        client.create(Resource.REPLICASETS, NS, rs);
        String change = "{'spec':{'selector':{'matchLabels':{'app':'web','tier':'x'}},'template':{'metadata':"
                + "{'labels':{'tier':'x','app':'web'}}}}}";

        ApiException deployment = failure(() -> mergePatch(DEPLOYMENTS, "web", change));
        ApiException daemonSet = failure(() -> mergePatch(DAEMONSETS, "logs", change.replace("web", "logs")));
        ApiException replicaSet = failure(() -> mergePatch(Resource.REPLICASETS, "cache",
                change.replace("web", "cache")));

        assertThat(deployment.getMessage()).isEqualTo("Deployment.apps \"web\" is invalid: spec.selector: Invalid "
                + "value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"tier\":\"x\"}, "
                + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
        assertThat(daemonSet.getMessage()).endsWith("field is immutable");
        assertThat(replicaSet.getMessage()).endsWith("field is immutable");
        assertThat(causeFields(replicaSet)).containsExactly("spec.selector");
        assertThat(client.get(DEPLOYMENTS, NS, "web").path("spec").path("selector").path("matchLabels").size())
                .isEqualTo(1);
    }

    @Test
    void replicaSetsCanBeSelectedByTheirStatusReplicas() {
        ObjectNode rs = TestObjects.deployment("cache").build();
        rs.put("kind", "ReplicaSet");
        client.create(Resource.REPLICASETS, NS, rs);
        patchStatus(Resource.REPLICASETS, "cache", "{'status':{'replicas':2}}");

        assertThat(selectedNames(Resource.REPLICASETS, "status.replicas=2")).containsExactly("cache");
        assertThat(selectedNames(Resource.REPLICASETS, "status.replicas=0")).isEmpty();
    }

    // ---- ControllerRevision

    @Test
    void aControllerRevisionsDataIsRequiredAndImmutableButItIsOtherwiseAPlainObject() {
        ObjectNode revision = json("{'apiVersion':'apps/v1','kind':'ControllerRevision','metadata':{'name':'db-1',"
                + "'labels':{'app':'db'}},'data':{'spec':{'template':{'x':1}}},'revision':1}");
        ObjectNode created = client.create(REVISIONS, NS, revision);
        assertThat(created.path("data")).isEqualTo(revision.path("data"));
        assertThat(created.has("status")).isFalse();

        ApiException immutable = failure(() -> mergePatch(REVISIONS, "db-1", "{'data':{'spec':{'template':"
                + "{'x':2}}}}"));
        assertThat(immutable.getMessage()).startsWith("ControllerRevision.apps \"db-1\" is invalid: data: Invalid "
                + "value: ").endsWith(": field is immutable");
        assertThat(mergePatch(REVISIONS, "db-1", "{'metadata':{'labels':{'x':'y'}},'revision':2}")
                .path("revision").asInt()).isEqualTo(2);

        ObjectNode noData = json("{'metadata':{'name':'db-2'},'revision':-1}");
        ApiException e = failure(() -> client.create(REVISIONS, NS, noData));
        assertThat(e.getMessage()).isEqualTo("ControllerRevision.apps \"db-2\" is invalid: [data: Required value: "
                + "data is mandatory, revision: Invalid value: -1: must be greater than or equal to 0]");

        client.delete(REVISIONS, NS, "db-1");
        assertThat(names(list(REVISIONS, NS, Map.of()))).isEmpty();
    }

    // ---- discovery

    @Test
    void discoveryListsTheAppsKindsWithKubesNamesCategoriesAndSubresources() {
        JsonNode sts = discovered("statefulsets", STATEFULSETS);
        assertThat(texts(sts.path("shortNames"))).containsExactly("sts");
        assertThat(texts(sts.path("categories"))).containsExactly("all");
        assertThat(discovered("statefulsets/scale", STATEFULSETS).path("kind").asText()).isEqualTo("Scale");
        assertThat(discovered("statefulsets/status", STATEFULSETS).path("kind").asText()).isEqualTo("StatefulSet");
        JsonNode ds = discovered("daemonsets", DAEMONSETS);
        assertThat(texts(ds.path("shortNames"))).containsExactly("ds");
        assertThat(texts(ds.path("categories"))).containsExactly("all");
        discovered("daemonsets/status", DAEMONSETS);
        JsonNode revisions = discovered("controllerrevisions", REVISIONS);
        assertThat(revisions.has("shortNames")).isFalse();
        assertThat(revisions.has("categories")).isFalse();
        ObjectNode apps = new Discovery(KindRegistry.builtIn()).resources("apps", "v1");
        assertThat(apps.path("resources").findValuesAsText("name")).contains("deployments/scale",
                "replicasets/scale", "statefulsets/scale").doesNotContain("daemonsets/scale");
    }
}

package dev.drydock.api;

import static dev.drydock.api.TestObjects.deployment;
import static dev.drydock.api.TestObjects.namespace;
import static dev.drydock.api.TestObjects.node;
import static dev.drydock.api.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Create, read, update and delete through the API server, with kube-apiserver's semantics and errors. */
class ApiServerCrudTest extends ApiServerTestSupport {

    // ---- create and get

    @Test
    void createSetsUidCreationTimestampNamespaceAndAResourceVersionThatIsTheStoreRevision() {
        ApiResponse r = call(ApiRequest.Verb.CREATE, PODS, NS, null, null, null, pod("web").build(), null);

        assertThat(r.code()).isEqualTo(201);
        JsonNode created = r.body();
        assertThat(Json.uid(created)).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        Instant ts = Instant.parse(Json.text(created, "metadata", "creationTimestamp"));
        assertThat(ts).isBetween(Instant.now().minus(Duration.ofMinutes(1)), Instant.now().plusSeconds(1));
        assertThat(Json.namespace(created)).isEqualTo(NS);
        assertThat(rv(created)).isEqualTo(store.revision());
        assertThat(Json.text(created, "status", "phase")).isEqualTo("Pending");
        assertThat(client.get(PODS, NS, "web")).isEqualTo(created);
    }

    @Test
    void everyObjectGetsItsOwnVersion4Uid() {
        Set<String> uids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            String uid = Json.uid(createPod(pod("p" + i)));
            assertThat(UUID.fromString(uid).version()).isEqualTo(4);
            assertThat(UUID.fromString(uid).variant()).isEqualTo(2);
            uids.add(uid);
        }

        assertThat(uids).hasSize(20);
    }

    @Test
    void createDefaultsThePodSpecAsKubeDoes() {
        ObjectNode created = createPod(pod("web"));

        JsonNode spec = created.path("spec");
        assertThat(spec.path("restartPolicy").asText()).isEqualTo("Always");
        assertThat(spec.path("schedulerName").asText()).isEqualTo("default-scheduler");
        assertThat(spec.path("terminationGracePeriodSeconds").asInt()).isEqualTo(30);
        assertThat(spec.path("containers").get(0).path("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(created.path("status").path("qosClass").asText()).isEqualTo("BestEffort");
    }

    @Test
    void generateNameAppendsFiveRandomCharacters() {
        ObjectNode a = createPod(pod(null).generateName("web-"));
        ObjectNode b = createPod(pod(null).generateName("web-"));

        assertThat(Json.name(a)).matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(Json.name(b)).matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}").isNotEqualTo(Json.name(a));
        assertThat(client.get(PODS, NS, Json.name(a))).isEqualTo(a);
    }

    @Test
    void createWithoutNameOrGenerateNameIsInvalid() {
        ApiException e = failure(() -> createPod(pod(null)));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.status().path("details").path("causes").get(0).path("field").asText())
                .isEqualTo("metadata.name");
        assertThat(e.getMessage()).contains("metadata.name: Required value: name or generateName is required");
    }

    @Test
    void createOfAnExistingNameIsAlreadyExists() {
        createPod(pod("web"));

        ApiException e = failure(() -> createPod(pod("web")));

        assertThat(e.code()).isEqualTo(409);
        assertThat(e.reason()).isEqualTo("AlreadyExists");
        assertThat(e.getMessage()).isEqualTo("pods \"web\" already exists");
        assertThat(e.status().path("details").path("name").asText()).isEqualTo("web");
        assertThat(e.status().path("details").path("kind").asText()).isEqualTo("pods");
    }

    @Test
    void getOfAMissingObjectIsNotFound() {
        ApiException e = failure(() -> client.get(PODS, NS, "x"));

        assertThat(e.code()).isEqualTo(404);
        assertThat(e.reason()).isEqualTo("NotFound");
        assertThat(e.getMessage()).isEqualTo("pods \"x\" not found");
        assertThat(e.status().path("kind").asText()).isEqualTo("Status");
        assertThat(e.status().path("status").asText()).isEqualTo("Failure");
        assertThat(client.find(PODS, NS, "x")).isNull();
    }

    @Test
    void createInAMissingNamespaceIsNotFound() {
        ApiException e = failure(() -> client.create(PODS, "nope", pod("web").build()));

        assertThat(e.code()).isEqualTo(404);
        assertThat(e.getMessage()).isEqualTo("namespaces \"nope\" not found");
    }

    @Test
    void aNameThatIsNotADns1123SubdomainIsInvalidWithACauseForMetadataName() {
        ApiException e = failure(() -> createPod(pod("Bad_Name")));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.reason()).isEqualTo("Invalid");
        assertThat(e.getMessage()).startsWith("Pod \"Bad_Name\" is invalid: metadata.name: Invalid value: "
                + "\"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters");
        JsonNode details = e.status().path("details");
        assertThat(details.path("name").asText()).isEqualTo("Bad_Name");
        assertThat(details.path("kind").asText()).isEqualTo("Pod");
        JsonNode cause = details.path("causes").get(0);
        assertThat(cause.path("field").asText()).isEqualTo("metadata.name");
        assertThat(cause.path("reason").asText()).isEqualTo("FieldValueInvalid");
        assertThat(cause.path("message").asText()).startsWith("Invalid value: \"Bad_Name\": a lowercase RFC 1123");
        assertThat(client.find(PODS, NS, "Bad_Name")).isNull();
    }

    @Test
    void aNamespaceNameMustBeADns1123Label() {
        createPod(pod("a.b"));

        ApiException e = failure(() -> client.create(NAMESPACES, null, namespace("a.b").build()));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).contains("metadata.name: Invalid value: \"a.b\": a lowercase RFC 1123 label");
    }

    @Test
    void aNameLongerThan253CharactersIsInvalid() {
        ApiException e = failure(() -> createPod(pod("a".repeat(254))));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).contains("must be no more than 253 characters");
    }

    @Test
    void aBadLabelIsInvalid() {
        ApiException e = failure(() -> createPod(pod("web").labels("app", "not valid!")));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.status().path("details").path("causes").get(0).path("field").asText())
                .isEqualTo("metadata.labels");
    }

    @Test
    void aPodWithoutContainersIsInvalid() {
        ApiException e = failure(() -> createPod(pod("web").set("spec", Json.object())));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).isEqualTo("Pod \"web\" is invalid: spec.containers: Required value");
    }

    @Test
    void aDeploymentWhoseSelectorDoesNotMatchItsTemplateLabelsIsInvalid() {
        ObjectNode d = deployment("web").build();
        Json.with(d, "spec", "template", "metadata", "labels").put("app", "other");

        ApiException e = failure(() -> client.create(DEPLOYMENTS, NS, d));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).startsWith("Deployment.apps \"web\" is invalid: ")
                .contains("spec.template.metadata.labels: Invalid value: ")
                .endsWith("`selector` does not match template `labels`");
        assertThat(e.status().path("details").path("causes").get(0).path("field").asText())
                .isEqualTo("spec.template.metadata.labels");
        assertThat(e.status().path("details").path("group").asText()).isEqualTo("apps");
    }

    @Test
    void aDeploymentWhoseSelectorHasAnInExpressionWithoutValuesIsInvalid() {
        ObjectNode d = deployment("web").build();
        Json.with(d, "spec", "selector").putArray("matchExpressions").addObject().put("key", "app")
                .put("operator", "In").putArray("values");

        ApiException e = failure(() -> client.create(DEPLOYMENTS, NS, d));

        assertThat(e.code()).isEqualTo(422);
        // kube's ValidateLabelSelector, then LabelSelectorAsSelector failing on the same expression
        assertThat(e.getMessage()).contains("spec.selector.matchExpressions[0].values: Required value: must be "
                + "specified when `operator` is 'In' or 'NotIn'").contains("invalid label selector");
    }

    @Test
    void aDeploymentIsDefaultedAsKubeDoes() {
        ObjectNode d = client.create(DEPLOYMENTS, NS, deployment("web").build());

        JsonNode spec = d.path("spec");
        assertThat(spec.path("strategy").path("type").asText()).isEqualTo("RollingUpdate");
        assertThat(spec.path("strategy").path("rollingUpdate").path("maxSurge").asText()).isEqualTo("25%");
        assertThat(spec.path("revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(spec.path("progressDeadlineSeconds").asInt()).isEqualTo(600);
        assertThat(d.path("metadata").path("generation").asLong()).isEqualTo(1);
    }

    @Test
    void createIgnoresTheStatusAClientSends() {
        ObjectNode d = deployment("web").build();
        Json.with(d, "status").put("replicas", 5).put("readyReplicas", 5);
        ObjectNode p = pod("web").build();
        Json.with(p, "status").put("phase", "Running");

        ObjectNode createdDeployment = client.create(DEPLOYMENTS, NS, d);
        ObjectNode createdPod = client.create(PODS, NS, p);

        assertThat(createdDeployment.path("status")).isEqualTo(Json.object());
        assertThat(Json.text(createdPod, "status", "phase")).isEqualTo("Pending");
    }

    @Test
    void dryRunValidatesAndDefaultsButStoresNothing() {
        long before = store.revision();

        ApiResponse r = call(ApiRequest.Verb.CREATE, PODS, NS, null, null, Map.of("dryRun", "All"),
                pod("web").build(), null);

        assertThat(r.code()).isEqualTo(201);
        assertThat(r.body().path("spec").path("restartPolicy").asText()).isEqualTo("Always");
        assertThat(store.revision()).isEqualTo(before);
        assertThat(client.find(PODS, NS, "web")).isNull();
    }

    // ---- update

    @Test
    void updateWithAStaleResourceVersionIsAConflict() {
        ObjectNode v1 = createPod(pod("web"));
        ObjectNode v2 = v1.deepCopy();
        Json.with(v2, "metadata", "labels").put("app", "web");
        client.update(PODS, v2);
        Json.with(v1, "metadata", "labels").put("app", "stale");

        ApiException e = failure(() -> client.update(PODS, v1));

        assertThat(e.code()).isEqualTo(409);
        assertThat(e.reason()).isEqualTo("Conflict");
        assertThat(e.getMessage()).isEqualTo("Operation cannot be fulfilled on pods \"web\": the object has been "
                + "modified; please apply your changes to the latest version and try again");
        assertThat(client.get(PODS, NS, "web").path("metadata").path("labels").path("app").asText())
                .isEqualTo("web");
    }

    @Test
    void aConflictOnAnAppsKindNamesTheQualifiedResource() {
        ObjectNode v1 = client.create(DEPLOYMENTS, NS, deployment("web").build());
        Json.with(v1, "metadata").put("resourceVersion", "1");

        ApiException e = failure(() -> client.update(DEPLOYMENTS, v1));

        assertThat(e.getMessage()).startsWith("Operation cannot be fulfilled on deployments.apps \"web\"");
    }

    @Test
    void updateWithoutAResourceVersionOverwritesUnconditionally() {
        ObjectNode created = createPod(pod("web"));
        ObjectNode change = created.deepCopy();
        Json.with(change, "metadata").remove("resourceVersion");
        Json.with(change, "metadata", "labels").put("app", "web");

        ObjectNode updated = client.update(PODS, change);

        assertThat(rv(updated)).isGreaterThan(rv(created)).isEqualTo(store.revision());
        assertThat(updated.path("metadata").path("labels").path("app").asText()).isEqualTo("web");
    }

    @Test
    void updateWithResourceVersionZeroIsUnconditionalToo() {
        ObjectNode created = createPod(pod("web"));
        client.mergePatch(PODS, NS, "web", null, labelsPatch("app", "web"));
        Json.with(created, "metadata").put("resourceVersion", "0");
        Json.with(created, "metadata", "labels").put("app", "db");

        ObjectNode updated = client.update(PODS, created);

        assertThat(Json.text(updated, "metadata", "labels", "app")).isEqualTo("db");
    }

    @Test
    void updateKeepsWhatTheServerOwns() {
        ObjectNode created = createPod(pod("web"));
        ObjectNode change = created.deepCopy();
        Json.with(change, "metadata").put("uid", "forged").put("creationTimestamp", "2000-01-01T00:00:00Z");
        Json.with(change, "metadata", "labels").put("app", "web");

        ObjectNode updated = client.update(PODS, change);

        assertThat(Json.uid(updated)).isEqualTo(Json.uid(created));
        assertThat(Json.text(updated, "metadata", "creationTimestamp"))
                .isEqualTo(Json.text(created, "metadata", "creationTimestamp"));
    }

    @Test
    void updateOfAMissingObjectIsNotFound() {
        ApiException e = failure(() -> client.update(PODS, pod("ghost").set("metadata.namespace", NS).build()));

        assertThat(e.code()).isEqualTo(404);
        assertThat(e.getMessage()).isEqualTo("pods \"ghost\" not found");
    }

    @Test
    void updateWhoseBodyNamesAnotherObjectIsBadRequest() {
        createPod(pod("web"));
        ObjectNode body = client.get(PODS, NS, "web");

        ApiResponse r = call(ApiRequest.Verb.UPDATE, PODS, NS, "other", null, null, body, null);

        assertThat(r.code()).isEqualTo(400);
        assertThat(r.body().path("message").asText())
                .isEqualTo("the name of the object (web) does not match the name on the URL (other)");
    }

    @Test
    void anUpdateThatChangesNothingWritesNothing() {
        ObjectNode created = createPod(pod("web"));
        long before = store.revision();

        ObjectNode same = client.update(PODS, created);

        assertThat(store.revision()).isEqualTo(before);
        assertThat(rv(same)).isEqualTo(rv(created));
    }

    @Test
    void anUpdateThatOnlyReordersFieldsWritesNothing() {
        ObjectNode created = createPod(pod("web").labels("app", "web", "tier", "fe"));
        long before = store.revision();

        ObjectNode reordered = reversed(created);
        ObjectNode same = client.update(PODS, reordered);

        assertThat(store.revision()).isEqualTo(before);
        assertThat(rv(same)).isEqualTo(rv(created));
    }

    @Test
    void aStatusUpdateWhoseNumbersAreBuiltAsLongsWritesNothing() {
        ObjectNode d = client.create(DEPLOYMENTS, NS, deployment("web").build());
        Json.with(d, "status").put("replicas", 3).put("observedGeneration", 1);
        ObjectNode stored = client.updateStatus(DEPLOYMENTS, d);
        long before = store.revision();

        // The stored object parses back with IntNodes; a controller builds its status with LongNodes.
        ObjectNode rebuilt = stored.deepCopy();
        Json.with(rebuilt, "status").put("replicas", 3L).put("observedGeneration", 1L);
        ObjectNode same = client.updateStatus(DEPLOYMENTS, rebuilt);

        assertThat(store.revision()).isEqualTo(before);
        assertThat(rv(same)).isEqualTo(rv(stored));
    }

    @Test
    void aSpecRebuiltWithLongsOrEmptyListsKeepsItsGeneration() {
        ObjectNode d = client.create(DEPLOYMENTS, NS, deployment("web").build());
        long replicas = d.path("spec").path("replicas").asLong();
        Json.with(d, "spec").put("replicas", replicas).putArray("unknownEmptyList");

        ObjectNode updated = client.update(DEPLOYMENTS, d);

        assertThat(generation(updated)).isEqualTo(1);
    }

    @Test
    void generationCountsSpecChangesOnly() {
        ObjectNode d = client.create(DEPLOYMENTS, NS, deployment("web").build());
        assertThat(generation(d)).isEqualTo(1);

        Json.with(d, "metadata", "labels").put("team", "a");
        d = client.update(DEPLOYMENTS, d);
        assertThat(generation(d)).isEqualTo(1);

        Json.with(d, "spec").put("replicas", 5);
        d = client.update(DEPLOYMENTS, d);
        assertThat(generation(d)).isEqualTo(2);

        Json.with(d, "status").put("replicas", 5).put("observedGeneration", 2);
        d = client.updateStatus(DEPLOYMENTS, d);
        assertThat(generation(d)).isEqualTo(2);
        assertThat(d.path("status").path("replicas").asInt()).isEqualTo(5);

        Json.with(d, "metadata").put("generation", 99);
        d = client.update(DEPLOYMENTS, d);
        assertThat(generation(d)).isEqualTo(2);
    }

    @Test
    void aStatusUpdateDoesNotChangeTheSpec() {
        ObjectNode p = createPod(pod("web"));
        Json.with(p, "status").put("phase", "Running");
        Json.with(p, "spec").put("activeDeadlineSeconds", 5);
        Json.with(p, "metadata", "labels").put("app", "web");

        ObjectNode updated = client.updateStatus(PODS, p);

        assertThat(Json.text(updated, "status", "phase")).isEqualTo("Running");
        assertThat(updated.path("spec").has("activeDeadlineSeconds")).isFalse();
        assertThat(client.get(PODS, NS, "web")).isEqualTo(updated);
    }

    @Test
    void aMainUpdateKeepsTheStatus() {
        ObjectNode p = createPod(pod("web"));
        Json.with(p, "status").put("phase", "Running");
        p = client.updateStatus(PODS, p);
        Json.with(p, "status").put("phase", "Failed");
        Json.with(p, "metadata", "labels").put("app", "web");

        ObjectNode updated = client.update(PODS, p);

        assertThat(Json.text(updated, "status", "phase")).isEqualTo("Running");
        assertThat(Json.text(updated, "metadata", "labels", "app")).isEqualTo("web");
    }

    @Test
    void aStatusUpdateWithAStaleResourceVersionIsAConflict() {
        ObjectNode p = createPod(pod("web"));
        Json.with(p, "status").put("phase", "Running");
        client.updateStatus(PODS, p.deepCopy());

        ApiException e = failure(() -> client.updateStatus(PODS, p));

        assertThat(e.code()).isEqualTo(409);
    }

    // ---- delete and finalizers

    @Test
    void deleteRemovesTheObject() {
        createPod(pod("web"));

        client.delete(PODS, NS, "web");

        assertThat(client.find(PODS, NS, "web")).isNull();
        assertThat(failure(() -> client.delete(PODS, NS, "web")).code()).isEqualTo(404);
    }

    @Test
    void deleteAnswersTheObjectWithTheResourceVersionOfTheDelete() {
        createPod(pod("web"));

        ApiResponse r = call(ApiRequest.Verb.DELETE, PODS, NS, "web", null, null, null, null);

        assertThat(r.code()).isEqualTo(200);
        assertThat(Json.name(r.body())).isEqualTo("web");
        assertThat(rv(r.body())).isEqualTo(store.revision());
    }

    @Test
    void deleteOfADeploymentAnswersAStatusOfSuccessNamingItAsKubeDoes() {
        ObjectNode created = client.create(DEPLOYMENTS, NS, deployment("web").build());

        ApiResponse r = call(ApiRequest.Verb.DELETE, DEPLOYMENTS, NS, "web", null, null, null, null);

        assertThat(r.code()).isEqualTo(200);
        assertThat(r.body().path("kind").asText()).isEqualTo("Status");
        assertThat(r.body().path("status").asText()).isEqualTo("Success");
        assertThat(r.body().path("details")).isEqualTo(Json.object().put("name", "web").put("group", "apps")
                .put("kind", "deployments").put("uid", Json.uid(created)));
        assertThat(client.find(DEPLOYMENTS, NS, "web")).isNull();
    }

    @Test
    void deleteOfADeploymentThatFinalizersHoldAnswersTheObject() {
        client.create(DEPLOYMENTS, NS, deployment("web").finalizers("example.com/hold").build());

        ApiResponse r = call(ApiRequest.Verb.DELETE, DEPLOYMENTS, NS, "web", null, null, null, null);

        assertThat(r.code()).isEqualTo(200);
        assertThat(r.body().path("kind").asText()).isEqualTo("Deployment");
        assertThat(Json.isDeleting(r.body())).isTrue();
    }

    @Test
    void deletingAnObjectWithFinalizersMarksItAndKeepsIt() {
        createPod(pod("web").finalizers("example.com/hold"));

        client.delete(PODS, NS, "web");

        ObjectNode p = client.get(PODS, NS, "web");
        Instant ts = Instant.parse(Json.text(p, "metadata", "deletionTimestamp"));
        assertThat(ts).isBefore(Instant.now().plusSeconds(1));
        assertThat(p.path("metadata").path("finalizers")).hasSize(1);
    }

    @Test
    void removingTheLastFinalizerOfADeletedObjectDeletesIt() {
        createPod(pod("web").finalizers("example.com/a", "example.com/b"));
        client.delete(PODS, NS, "web");
        ObjectNode p = client.get(PODS, NS, "web");

        Json.with(p, "metadata").putArray("finalizers").add("example.com/b");
        p = client.update(PODS, p);
        assertThat(client.find(PODS, NS, "web")).isNotNull();
        Json.with(p, "metadata").remove("finalizers");
        client.update(PODS, p);

        assertThat(client.find(PODS, NS, "web")).isNull();
    }

    @Test
    void noFinalizerCanBeAddedToAnObjectBeingDeleted() {
        createPod(pod("web").finalizers("example.com/hold"));
        client.delete(PODS, NS, "web");
        ObjectNode p = client.get(PODS, NS, "web");
        Json.with(p, "metadata").putArray("finalizers").add("example.com/hold").add("example.com/b")
                .add("example.com/a");

        ApiException e = failure(() -> client.update(PODS, p));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).isEqualTo("Pod \"web\" is invalid: metadata.finalizers: Forbidden: no new "
                + "finalizers can be added if the object is being deleted, found new finalizers "
                + "[]string{\"example.com/a\", \"example.com/b\"}");
        assertThat(client.get(PODS, NS, "web").path("metadata").path("finalizers")).hasSize(1);
    }

    @Test
    void anUpdateCannotClearTheDeletionTimestamp() {
        createPod(pod("web").finalizers("example.com/hold"));
        client.delete(PODS, NS, "web");
        ObjectNode p = client.get(PODS, NS, "web");
        String deletion = Json.text(p, "metadata", "deletionTimestamp");

        Json.with(p, "metadata").remove("deletionTimestamp");
        Json.with(p, "metadata", "labels").put("app", "web");
        ObjectNode updated = client.update(PODS, p);

        assertThat(Json.text(updated, "metadata", "deletionTimestamp")).isEqualTo(deletion);
    }

    // ---- namespaces and nodes

    @Test
    void aNamespaceStartsActiveWithTheKubernetesFinalizer() {
        ObjectNode ns = client.create(NAMESPACES, null, namespace("team-a").build());

        assertThat(Json.text(ns, "status", "phase")).isEqualTo("Active");
        assertThat(ns.path("spec").path("finalizers").get(0).asText()).isEqualTo("kubernetes");
        assertThat(ns.path("metadata").has("namespace")).isFalse();
        assertThat(names(list(NAMESPACES, null, Map.of()))).containsExactly("default", "team-a");
    }

    @Test
    void deletingANamespaceMakesItTerminatingAndForbidsNewContent() {
        client.create(NAMESPACES, null, namespace("team-a").build());

        client.delete(NAMESPACES, null, "team-a");

        ObjectNode ns = client.get(NAMESPACES, null, "team-a");
        assertThat(Json.text(ns, "status", "phase")).isEqualTo("Terminating");
        assertThat(Json.isDeleting(ns)).isTrue();
        ApiException e = failure(() -> client.create(PODS, "team-a", pod("web").build()));
        assertThat(e.code()).isEqualTo(403);
        assertThat(e.reason()).isEqualTo("Forbidden");
        assertThat(e.getMessage()).isEqualTo("pods \"web\" is forbidden: unable to create new content in namespace "
                + "team-a because it is being terminated");
    }

    @Test
    void nodesAreClusterScoped() {
        ObjectNode created = client.create(NODES, null, node("n1").set("metadata.namespace", "default").build());

        assertThat(created.path("metadata").has("namespace")).isFalse();
        assertThat(client.get(NODES, null, "n1")).isEqualTo(created);
        ObjectNode n = created.deepCopy();
        Json.with(n, "spec").put("unschedulable", true);
        assertThat(client.update(NODES, n).path("spec").path("unschedulable").asBoolean()).isTrue();
        assertThat(names(list(NODES, null, Map.of()))).containsExactly("n1");
        client.delete(NODES, null, "n1");
        assertThat(client.find(NODES, null, "n1")).isNull();
    }

    @Test
    void aClusterScopedKindAskedForInANamespaceIsNotFound() {
        client.create(NODES, null, node("n1").build());

        ApiResponse r = call(ApiRequest.Verb.GET, NODES, NS, "n1", null, null, null, null);

        assertThat(r.code()).isEqualTo(404);
    }

    @Test
    void deploymentsCanBeCreatedReadUpdatedAndDeleted() {
        ObjectNode d = client.create(DEPLOYMENTS, NS, deployment("web").build());
        assertThat(d.path("apiVersion").asText()).isEqualTo("apps/v1");

        Json.with(d, "spec").put("replicas", 3);
        ObjectNode updated = client.update(DEPLOYMENTS, d);
        assertThat(client.get(DEPLOYMENTS, NS, "web").path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(rv(updated)).isGreaterThan(rv(d));

        client.delete(DEPLOYMENTS, NS, "web");
        assertThat(client.find(DEPLOYMENTS, NS, "web")).isNull();
    }

    // ---- binding

    @Test
    void aBindingSetsTheNodeAndThePodScheduledCondition() {
        createPod(pod("web"));

        client.bind(NS, "web", "n1");

        ObjectNode p = client.get(PODS, NS, "web");
        assertThat(Json.text(p, "spec", "nodeName")).isEqualTo("n1");
        Set<String> scheduled = new HashSet<>();
        p.path("status").path("conditions").forEach(c -> {
            if (c.path("type").asText().equals("PodScheduled")) {
                scheduled.add(c.path("status").asText());
            }
        });
        assertThat(scheduled).containsExactly("True");
    }

    @Test
    void aSecondBindingIsAConflict() {
        createPod(pod("web"));
        client.bind(NS, "web", "n1");

        ApiException e = failure(() -> client.bind(NS, "web", "n2"));

        assertThat(e.code()).isEqualTo(409);
        assertThat(e.reason()).isEqualTo("Conflict");
        assertThat(e.getMessage()).isEqualTo("Operation cannot be fulfilled on pods/binding \"web\": pod web is "
                + "already assigned to node \"n1\"");
        assertThat(Json.text(client.get(PODS, NS, "web"), "spec", "nodeName")).isEqualTo("n1");
    }

    @Test
    void bindingAPodBeingDeletedIsAConflict() {
        createPod(pod("web").finalizers("example.com/hold"));
        client.delete(PODS, NS, "web");

        ApiException e = failure(() -> client.bind(NS, "web", "n1"));

        assertThat(e.code()).isEqualTo(409);
        assertThat(e.getMessage()).isEqualTo("Operation cannot be fulfilled on pods/binding \"web\": pod web is "
                + "being deleted, cannot be assigned to a host");
        assertThat(client.get(PODS, NS, "web").path("spec").has("nodeName")).isFalse();
    }

    @Test
    void bindingAMissingPodIsNotFound() {
        assertThat(failure(() -> client.bind(NS, "ghost", "n1")).code()).isEqualTo(404);
    }

    // ---- patch

    @Test
    void aMergePatchSetsAndRemovesFields() {
        createPod(pod("web").labels("app", "web", "tier", "fe"));
        ObjectNode patch = Json.object();
        Json.with(patch, "metadata", "labels").put("tier", "be").putNull("app");

        ObjectNode patched = client.mergePatch(PODS, NS, "web", null, patch);

        assertThat(patched.path("metadata").path("labels")).isEqualTo(Json.object().put("tier", "be"));
        assertThat(client.get(PODS, NS, "web")).isEqualTo(patched);
    }

    @Test
    void aMergePatchOfTheStatusSubresourceDoesNotChangeTheSpec() {
        createPod(pod("web"));
        ObjectNode patch = Json.object();
        Json.with(patch, "status").put("phase", "Running");
        Json.with(patch, "spec").put("activeDeadlineSeconds", 5);

        ObjectNode patched = client.mergePatch(PODS, NS, "web", "status", patch);

        assertThat(Json.text(patched, "status", "phase")).isEqualTo("Running");
        assertThat(patched.path("spec").has("activeDeadlineSeconds")).isFalse();
    }

    @Test
    void aJsonPatchAppliesItsOperationsInOrder() throws Exception {
        createPod(pod("web").labels("app", "web"));
        JsonNode patch = Json.MAPPER.readTree("""
                [{"op": "test", "path": "/metadata/labels/app", "value": "web"},
                 {"op": "add", "path": "/metadata/labels/tier", "value": "fe"},
                 {"op": "remove", "path": "/metadata/labels/app"},
                 {"op": "replace", "path": "/spec/containers/0/image", "value": "nginx:1.28"},
                 {"op": "add", "path": "/spec/containers/-", "value": {"name": "side", "image": "busybox:1"}}]
                """);

        ApiResponse r = call(ApiRequest.Verb.PATCH, PODS, NS, "web", null, null, patch,
                "application/json-patch+json");

        assertThat(r.code()).isEqualTo(200);
        assertThat(r.body().path("metadata").path("labels")).isEqualTo(Json.object().put("tier", "fe"));
        assertThat(r.body().path("spec").path("containers").get(0).path("image").asText()).isEqualTo("nginx:1.28");
        assertThat(r.body().path("spec").path("containers").get(1).path("name").asText()).isEqualTo("side");
    }

    @Test
    void aJsonPatchWhoseTestFailsChangesNothing() throws Exception {
        ObjectNode created = createPod(pod("web").labels("app", "web"));
        JsonNode patch = Json.MAPPER.readTree("""
                [{"op": "add", "path": "/metadata/labels/tier", "value": "fe"},
                 {"op": "test", "path": "/metadata/labels/app", "value": "db"}]
                """);

        ApiResponse r = call(ApiRequest.Verb.PATCH, PODS, NS, "web", null, null, patch,
                "application/json-patch+json");

        assertThat(r.code()).isEqualTo(422);
        assertThat(client.get(PODS, NS, "web")).isEqualTo(created);
    }

    @Test
    void aPatchCarryingAStaleResourceVersionIsAConflict() {
        ObjectNode created = createPod(pod("web"));
        client.mergePatch(PODS, NS, "web", null, labelsPatch("app", "web"));
        ObjectNode patch = labelsPatch("app", "db");
        Json.with(patch, "metadata").put("resourceVersion", Json.resourceVersion(created));

        ApiException e = failure(() -> client.mergePatch(PODS, NS, "web", null, patch));

        assertThat(e.code()).isEqualTo(409);
    }

    @Test
    void aStrategicMergePatchMergesContainersByNameAndKeepsTheOthers() throws Exception {
        TestObjects.Builder p = pod("web");
        ((com.fasterxml.jackson.databind.node.ArrayNode) p.obj.path("spec").path("containers")).addObject()
                .put("name", "sidecar").put("image", "busybox");
        createPod(p);
        ObjectNode patch = (ObjectNode) Json.parse(("{\"metadata\":{\"labels\":{\"a\":\"b\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"busybox:2\"}]}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));

        ApiResponse r = call(ApiRequest.Verb.PATCH, PODS, NS, "web", null, null, patch,
                "application/strategic-merge-patch+json");

        assertThat(r.code()).isEqualTo(200);
        ObjectNode now = client.get(PODS, NS, "web");
        assertThat(Json.text(now, "metadata", "labels", "a")).isEqualTo("b");
        assertThat(now.path("spec").path("containers")).hasSize(2);
        assertThat(now.path("spec").path("containers").get(0).path("image").asText()).isNotEqualTo("busybox:2");
        assertThat(now.path("spec").path("containers").get(1).path("image").asText()).isEqualTo("busybox:2");
    }

    @Test
    void aPatchTypeKubeDoesNotTakeIsUnsupportedMediaTypeNamingThoseItTakes() {
        createPod(pod("web"));

        // CBOR apply is behind a feature gate kube 1.32 leaves off
        ApiResponse r = call(ApiRequest.Verb.PATCH, PODS, NS, "web", null, null, labelsPatch("a", "b"),
                "application/apply-patch+cbor");

        assertThat(r.code()).isEqualTo(415);
        assertThat(r.body().path("message").asText()).isEqualTo("the body of the request was in an unknown format - "
                + "accepted media types include: application/json-patch+json, application/merge-patch+json, "
                + "application/strategic-merge-patch+json, application/apply-patch+yaml");
    }

    @Test
    void aPatchThatBreaksValidationIsInvalidAndChangesNothing() {
        ObjectNode created = createPod(pod("web"));

        ApiException e = failure(() -> client.mergePatch(PODS, NS, "web", null, labelsPatch("app", "no spaces")));

        assertThat(e.code()).isEqualTo(422);
        assertThat(client.get(PODS, NS, "web")).isEqualTo(created);
    }

    private static ObjectNode labelsPatch(String key, String value) {
        ObjectNode patch = Json.object();
        Json.with(patch, "metadata", "labels").put(key, value);
        return patch;
    }

    /** A copy of the object with the fields of every object in reverse order. */
    private static ObjectNode reversed(ObjectNode obj) {
        ObjectNode out = Json.object();
        List<String> fields = new ArrayList<>();
        obj.fieldNames().forEachRemaining(fields::add);
        Collections.reverse(fields);
        for (String f : fields) {
            JsonNode v = obj.get(f);
            out.set(f, v instanceof ObjectNode o ? reversed(o) : v.deepCopy());
        }
        return out;
    }

    private static long generation(JsonNode obj) {
        return obj.path("metadata").path("generation").asLong();
    }
}

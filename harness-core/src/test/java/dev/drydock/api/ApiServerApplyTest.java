package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.drydock.api.kinds.CoreV1Kinds;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Server-side apply and managedFields through the API server, in process. */
class ApiServerApplyTest extends ApiServerTestSupport {

    static final Resource CONFIG_MAPS = CoreV1Kinds.CONFIG_MAPS;
    static final String APPLY = "application/apply-patch+yaml";

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web}
            spec:
              replicas: %d
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.27
            """;

    ApiResponse apply(Resource r, String name, String subresource, String body, String... params) {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            p.put(params[i], params[i + 1]);
        }
        return call(ApiRequest.Verb.PATCH, r, NS, name, subresource, p, TextNode.valueOf(body), APPLY);
    }

    static String configMap(String data) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\"},\"data\":{" + data
                + "}}";
    }

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

    static JsonNode json(String text) {
        try {
            return Json.parse(text.getBytes());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void anApplyCreatesAMissingObjectWith201AndOwnsWhatItApplied() {
        ApiResponse r = apply(DEPLOYMENTS, "web", null, DEPLOYMENT.formatted(2), "fieldManager", "ci");

        assertThat(r.code()).isEqualTo(201);
        ObjectNode stored = client.get(DEPLOYMENTS, NS, "web");
        assertThat(stored.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(stored.at("/spec/strategy/type").asText()).as("defaulted, as a create is").isEqualTo(
                "RollingUpdate");
        JsonNode entry = stored.at("/metadata/managedFields/0");
        assertThat(entry.path("manager").asText()).isEqualTo("ci");
        assertThat(entry.path("operation").asText()).isEqualTo("Apply");
        assertThat(entry.path("apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(entry.path("fieldsType").asText()).isEqualTo("FieldsV1");
        assertThat(entry.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(entry.get("fieldsV1")).isEqualTo(json("""
                {"f:metadata": {"f:labels": {"f:app": {}}},
                 "f:spec": {"f:replicas": {}, "f:selector": {}, "f:template": {"f:metadata": {"f:labels": {"f:app": {}}},
                   "f:spec": {"f:containers": {"k:{\\"name\\":\\"nginx\\"}": {".": {}, "f:image": {}, "f:name": {}}}}}}}
                """));
    }

    @Test
    void anApplyUpdatesWith200AndAFieldItNoLongerAppliesIsRemoved() {
        apply(CONFIG_MAPS, "cm", null, configMap("\"a\":\"1\",\"b\":\"2\""), "fieldManager", "ci");

        ApiResponse r = apply(CONFIG_MAPS, "cm", null, configMap("\"a\":\"1\""), "fieldManager", "ci");

        assertThat(r.code()).isEqualTo(200);
        assertThat(client.get(CONFIG_MAPS, NS, "cm").get("data")).isEqualTo(json("{\"a\":\"1\"}"));
    }

    @Test
    void aConflictIsKubes409AndForceTakesTheField() {
        apply(DEPLOYMENTS, "web", null, DEPLOYMENT.formatted(2), "fieldManager", "ci");

        ApiResponse conflict = apply(DEPLOYMENTS, "web", null, DEPLOYMENT.formatted(5), "fieldManager", "ops");

        assertThat(conflict.code()).isEqualTo(409);
        assertThat(conflict.body()).isEqualTo(json("""
                {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                 "message": "Apply failed with 1 conflict: conflict with \\"ci\\": .spec.replicas",
                 "reason": "Conflict",
                 "details": {"causes": [{"reason": "FieldManagerConflict", "message": "conflict with \\"ci\\"",
                                         "field": ".spec.replicas"}]},
                 "code": 409}
                """));
        assertThat(client.get(DEPLOYMENTS, NS, "web").at("/spec/replicas").asInt()).isEqualTo(2);

        ApiResponse forced = apply(DEPLOYMENTS, "web", null, DEPLOYMENT.formatted(5), "fieldManager", "ops",
                "force", "true");

        assertThat(forced.code()).isEqualTo(200);
        assertThat(forced.body().at("/spec/replicas").asInt()).isEqualTo(5);
        assertThat(fieldsOf(forced.body(), "ops").at("/f:spec").has("f:replicas")).isTrue();
        assertThat(fieldsOf(forced.body(), "ci").at("/f:spec").has("f:replicas")).isFalse();
    }

    @Test
    void twoManagersShareAnObjectAndEachReleasesOnlyItsOwnFields() {
        apply(CONFIG_MAPS, "cm", null, configMap("\"a\":\"1\",\"shared\":\"s\""), "fieldManager", "one");
        apply(CONFIG_MAPS, "cm", null, configMap("\"b\":\"2\",\"shared\":\"s\""), "fieldManager", "two");

        apply(CONFIG_MAPS, "cm", null, configMap("\"a\":\"1\""), "fieldManager", "one");

        ObjectNode cm = client.get(CONFIG_MAPS, NS, "cm");
        assertThat(cm.get("data")).as("shared is still owned by two").isEqualTo(json("""
                {"a": "1", "shared": "s", "b": "2"}"""));
        assertThat(managers(cm)).containsExactly("one/Apply", "two/Apply");

        apply(CONFIG_MAPS, "cm", null, configMap("\"b\":\"2\""), "fieldManager", "two");
        assertThat(client.get(CONFIG_MAPS, NS, "cm").get("data")).isEqualTo(json("{\"a\":\"1\",\"b\":\"2\"}"));
    }

    @Test
    void everyWriteIsRecordedUnderItsManagerOrItsUserAgentsFirstWord() {
        ObjectNode cm = (ObjectNode) json(configMap("\"a\":\"1\""));
        ApiResponse created = api.call(new ApiRequest(ApiRequest.Verb.CREATE, CONFIG_MAPS, NS, null, null, Map.of(),
                cm, null, "fabric8-kubernetes-client/7.9.0"));
        assertThat(managers(created.body())).containsExactly("fabric8-kubernetes-client/Update");
        assertThat(fieldsOf(created.body(), "fabric8-kubernetes-client")).isEqualTo(json("""
                {"f:data": {".": {}, "f:a": {}}}"""));

        ApiResponse patched = call(ApiRequest.Verb.PATCH, CONFIG_MAPS, NS, "cm", null,
                Map.of("fieldManager", "kubectl-edit"), json("{\"data\":{\"a\":\"2\",\"b\":\"3\"}}"),
                "application/merge-patch+json");

        assertThat(managers(patched.body())).containsExactly("fabric8-kubernetes-client/Update",
                "kubectl-edit/Update");
        assertThat(fieldsOf(patched.body(), "kubectl-edit")).isEqualTo(json("""
                {"f:data": {"f:a": {}, "f:b": {}}}"""));
        assertThat(fieldsOf(patched.body(), "fabric8-kubernetes-client")).as("the map it made, not its entries")
                .isEqualTo(json("""
                {"f:data": {}}"""));

        ApiResponse unknown = call(ApiRequest.Verb.PATCH, CONFIG_MAPS, NS, "cm", null, Map.of(),
                json("{\"data\":{\"c\":\"4\"}}"), "application/merge-patch+json");
        assertThat(managers(unknown.body())).as("no manager and no User-Agent: kube's \"unknown\"")
                .contains("unknown/Update");
    }

    @Test
    void anUpdateTakesAnAppliedFieldWithoutConflictAndTheApplierThenConflicts() {
        apply(DEPLOYMENTS, "web", null, DEPLOYMENT.formatted(2), "fieldManager", "ci");
        ObjectNode edited = client.get(DEPLOYMENTS, NS, "web");
        ((ObjectNode) edited.get("spec")).put("replicas", 7);

        ApiResponse updated = call(ApiRequest.Verb.UPDATE, DEPLOYMENTS, NS, "web", null,
                Map.of("fieldManager", "kubectl-edit"), edited, null);

        assertThat(updated.code()).isEqualTo(200);
        assertThat(managers(updated.body())).containsExactly("ci/Apply", "kubectl-edit/Update");
        ApiResponse again = apply(DEPLOYMENTS, "web", null, DEPLOYMENT.formatted(2), "fieldManager", "ci");
        assertThat(again.code()).isEqualTo(409);
        assertThat(again.body().path("message").asText()).isEqualTo("Apply failed with 1 conflict: conflict with "
                + "\"kubectl-edit\" using apps/v1: .spec.replicas");
    }

    @Test
    void anApplyToTheStatusSubresourceChangesAndOwnsOnlyTheStatus() {
        apply(DEPLOYMENTS, "web", null, DEPLOYMENT.formatted(2), "fieldManager", "ci");

        ApiResponse r = apply(DEPLOYMENTS, "web", "status", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {replicas: 9}
                status: {observedGeneration: 1, replicas: 2}
                """, "fieldManager", "my-controller");

        assertThat(r.code()).isEqualTo(200);
        assertThat(r.body().at("/status/replicas").asInt()).isEqualTo(2);
        assertThat(r.body().at("/spec/replicas").asInt()).as("the spec is not the status's to change").isEqualTo(2);
        assertThat(managers(r.body())).containsExactly("ci/Apply", "my-controller/Apply/status");
        assertThat(fieldsOf(r.body(), "my-controller")).isEqualTo(json("""
                {"f:status": {"f:observedGeneration": {}, "f:replicas": {}}}"""));
        assertThat(apply(DEPLOYMENTS, "missing", "status", DEPLOYMENT.formatted(1).replace("name: web",
                "name: missing"), "fieldManager", "x").code()).as("a status apply does not create").isEqualTo(404);
    }

    @Test
    void aDryRunApplyStoresNothing() {
        ApiResponse r = apply(CONFIG_MAPS, "cm", null, configMap("\"a\":\"1\""), "fieldManager", "ci", "dryRun",
                "All");

        assertThat(r.code()).isEqualTo(201);
        assertThat(r.body().at("/data/a").asText()).isEqualTo("1");
        assertThat(client.find(CONFIG_MAPS, NS, "cm")).isNull();
    }

    @Test
    void anUpdateWithAnEmptyManagedFieldsListStripsThem() {
        apply(CONFIG_MAPS, "cm", null, configMap("\"a\":\"1\""), "fieldManager", "ci");
        ObjectNode cm = client.get(CONFIG_MAPS, NS, "cm");
        ((ObjectNode) cm.get("metadata")).putArray("managedFields");

        ObjectNode updated = client.update(CONFIG_MAPS, cm);

        assertThat(updated.path("metadata").has("managedFields")).isFalse();
    }

    @Test
    void aJsonPatchIntoAManagedFieldsEntryIsStored() {
        apply(CONFIG_MAPS, "cm", null, configMap("\"a\":\"1\""), "fieldManager", "ci");

        ApiResponse r = call(ApiRequest.Verb.PATCH, CONFIG_MAPS, NS, "cm", null, Map.of(), json("""
                [{"op": "replace", "path": "/metadata/managedFields/0/manager", "value": "renamed"}]"""),
                "application/json-patch+json");

        assertThat(r.code()).isEqualTo(200);
        assertThat(managers(client.get(CONFIG_MAPS, NS, "cm"))).containsExactly("renamed/Apply");
    }

    @Test
    void aClientSideApplyKeepsWorkingAndKubectlsServerSideApplyTakesItOver() {
        String lastApplied = configMap("\"a\":\"1\"");
        ObjectNode cm = (ObjectNode) json(lastApplied);
        Json.with(cm, "metadata", "annotations").put("kubectl.kubernetes.io/last-applied-configuration",
                lastApplied);
        call(ApiRequest.Verb.CREATE, CONFIG_MAPS, NS, null, null, Map.of("fieldManager",
                "kubectl-client-side-apply"), cm, null);
        ApiResponse csa = call(ApiRequest.Verb.PATCH, CONFIG_MAPS, NS, "cm", null, Map.of("fieldManager",
                "kubectl-client-side-apply"), json("""
                {"data": {"a": "2"}, "metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration":
                  "{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"ConfigMap\\",\\"metadata\\":{\\"name\\":\\"cm\\"},\\"data\\":{\\"a\\":\\"2\\"}}"}}}
                """), "application/strategic-merge-patch+json");
        assertThat(csa.code()).isEqualTo(200);
        assertThat(managers(csa.body())).containsExactly("kubectl-client-side-apply/Update");

        ApiResponse ssa = apply(CONFIG_MAPS, "cm", null, configMap("\"a\":\"3\""), "fieldManager", "kubectl");

        assertThat(ssa.code()).as("no conflict with what its client-side applies set").isEqualTo(200);
        assertThat(ssa.body().at("/data/a").asText()).isEqualTo("3");
        assertThat(ssa.body().at("/metadata/annotations").path("kubectl.kubernetes.io/last-applied-configuration")
                .asText()).contains("\"a\":\"3\"");
    }

    @Test
    void aCustomResourceMergesByItsListTypes() {
        client.create(CustomResourceDefinitionTest.CRDS, null, (ObjectNode) json("""
                {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                 "metadata": {"name": "routes.example.com"},
                 "spec": {"group": "example.com", "scope": "Namespaced",
                   "names": {"plural": "routes", "kind": "Route"},
                   "versions": [{"name": "v1", "served": true, "storage": true,
                     "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                       "spec": {"type": "object", "properties": {
                         "backends": {"type": "array", "x-kubernetes-list-type": "map",
                           "x-kubernetes-list-map-keys": ["name"],
                           "items": {"type": "object", "required": ["name"], "properties": {
                             "name": {"type": "string"}, "weight": {"type": "integer"}}}}}}}}}}]}}
                """));
        Resource routes = new Resource("example.com", "v1", "routes", "Route", true);
        String route = """
                {"apiVersion": "example.com/v1", "kind": "Route", "metadata": {"name": "r"},
                 "spec": {"backends": [{"name": "%s", "weight": %d}]}}""";

        assertThat(apply(routes, "r", null, route.formatted("blue", 1), "fieldManager", "one").code())
                .isEqualTo(201);
        assertThat(apply(routes, "r", null, route.formatted("green", 2), "fieldManager", "two").code())
                .isEqualTo(200);

        assertThat(client.get(routes, NS, "r").at("/spec/backends")).isEqualTo(json("""
                [{"name": "blue", "weight": 1}, {"name": "green", "weight": 2}]"""));
    }

    @Test
    void badApplyBodiesAndOptionsGetKubesAnswers() {
        assertThat(apply(CONFIG_MAPS, "cm", null, "[1, 2]", "fieldManager", "m").body().path("message").asText())
                .isEqualTo("error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot "
                        + "unmarshal array into Go value of type map[string]interface {}");
        ApiResponse yaml = apply(CONFIG_MAPS, "cm", null, "data: [unclosed", "fieldManager", "m");
        assertThat(yaml.code()).isEqualTo(400);
        assertThat(yaml.body().path("message").asText()).startsWith("error decoding YAML: ");

        ApiResponse otherKind = apply(CONFIG_MAPS, "cm", null, DEPLOYMENT.formatted(1), "fieldManager", "m");
        assertThat(otherKind.code()).isEqualTo(400);
        assertThat(otherKind.body().path("message").asText())
                .isEqualTo("invalid object type: apps/v1, Kind=Deployment");

        ApiResponse noManager = apply(CONFIG_MAPS, "cm", null, configMap(""));
        assertThat(noManager.code()).isEqualTo(422);
        assertThat(noManager.body().path("message").asText()).isEqualTo("PatchOptions.meta.k8s.io \"\" is invalid: "
                + "fieldManager: Required value: is required for apply patch");

        ApiResponse tooLong = apply(CONFIG_MAPS, "cm", null, configMap(""), "fieldManager", "m".repeat(129));
        assertThat(tooLong.code()).isEqualTo(422);
        assertThat(tooLong.body().path("message").asText()).isEqualTo("PatchOptions.meta.k8s.io \"\" is invalid: "
                + "fieldManager: Too long: may not be more than 128 bytes");
        ApiResponse createTooLong = call(ApiRequest.Verb.CREATE, CONFIG_MAPS, NS, null, null,
                Map.of("fieldManager", "m".repeat(129)), json(configMap("")), null);
        assertThat(createTooLong.body().path("message").asText()).startsWith("CreateOptions.meta.k8s.io");

        client.create(CONFIG_MAPS, NS, (ObjectNode) json(configMap("")));
        ApiResponse force = call(ApiRequest.Verb.PATCH, CONFIG_MAPS, NS, "cm", null, Map.of("force", "true"),
                json("{}"), "application/merge-patch+json");
        assertThat(force.code()).isEqualTo(422);
        assertThat(force.body().path("message").asText()).isEqualTo("PatchOptions.meta.k8s.io \"\" is invalid: "
                + "force: Forbidden: may not be specified for non-apply patch");

        ApiResponse otherName = apply(CONFIG_MAPS, "cm", null, configMap("").replace("\"cm\"", "\"other\""),
                "fieldManager", "m");
        assertThat(otherName.code()).isEqualTo(400);
        assertThat(otherName.body().path("message").asText()).isEqualTo("the name of the object (other) does not "
                + "match the name on the URL (cm)");

        ApiResponse unknownField = apply(CONFIG_MAPS, "cm", null, configMap("").replace("\"data\"", "\"dta\""),
                "fieldManager", "m");
        assertThat(unknownField.code()).as("as kube 1.32 answers it").isEqualTo(500);
        assertThat(unknownField.body().path("message").asText()).isEqualTo("failed to create typed patch object "
                + "(/cm; /v1, Kind=ConfigMap): .dta: field not declared in schema");
    }
}

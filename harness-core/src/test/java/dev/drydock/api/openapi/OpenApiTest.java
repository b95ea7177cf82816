package dev.drydock.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The OpenAPI documents kubectl reads: the v3 index, one document per group version, v2; custom resources too. */
class OpenApiTest {

    private static final String PROTOBUF_V2 = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    private final List<ServedKind> served = new CopyOnWriteArrayList<>(List.of(
            ServedKind.builtIn("", "v1", "Namespace", "namespaces", false, Set.of("status")),
            ServedKind.builtIn("", "v1", "Pod", "pods", true, Set.of("status", "binding")),
            ServedKind.builtIn("apps", "v1", "Deployment", "deployments", true, Set.of("status", "scale")),
            ServedKind.builtIn("coordination.k8s.io", "v1", "Lease", "leases", true, Set.of())));
    private final OpenApi openApi = new OpenApi(() -> served);

    private static final ServedKind CRON_TAB = ServedKind.custom("stable.example.com", "v1", "CronTab", "CronTabList",
            "crontabs", true, Set.of("status"), Json.parseTrusted("""
                    {"type": "object", "description": "A cron tab.", "properties": {"spec": {"type": "object",
                     "properties": {"cronSpec": {"type": "string", "description": "When to run."},
                                    "replicas": {"type": "integer", "nullable": true}}}}}
                    """.getBytes(StandardCharsets.UTF_8)));

    private static JsonNode json(String s) {
        return Json.parseTrusted(s.getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode get(String path) throws IOException {
        OpenApi.Reply r = openApi.serve(path, null, "application/json", null);
        assertThat(r.status()).as(path).isEqualTo(200);
        assertThat(r.headers()).containsEntry("Content-Type", "application/json");
        return Json.parse(r.body());
    }

    private JsonNode index() throws IOException {
        return get("/openapi/v3").path("paths");
    }

    /** The document an index entry points at, fetched as kubectl does: by its server-relative URL. */
    private JsonNode document(String gv) throws IOException {
        String url = index().path(gv).path("serverRelativeURL").asText();
        int q = url.indexOf('?');
        OpenApi.Reply r = openApi.serve(url.substring(0, q), url.substring(q + 1), "application/json", null);
        assertThat(r.status()).isEqualTo(200);
        return Json.parse(r.body());
    }

    @Test
    void theIndexListsEachServedGroupVersionWithTheHashOfItsDocument() throws Exception {
        JsonNode paths = index();

        assertThat(paths.fieldNames()).toIterable()
                .containsExactly("api/v1", "apis/apps/v1", "apis/coordination.k8s.io/v1");
        for (String gv : List.of("api/v1", "apis/apps/v1", "apis/coordination.k8s.io/v1")) {
            String url = paths.path(gv).path("serverRelativeURL").asText();
            assertThat(url).matches("/openapi/v3/" + gv.replace(".", "\\.") + "\\?hash=[0-9A-F]{128}");
            OpenApi.Reply doc = openApi.serve("/openapi/v3/" + gv, null, null, null);
            String sha512 = HexFormat.of().withUpperCase().formatHex(
                    MessageDigest.getInstance("SHA-512").digest(doc.body()));
            assertThat(url).endsWith("?hash=" + sha512);
            assertThat(doc.headers()).containsEntry("ETag", "\"" + sha512 + "\"");
        }
    }

    @Test
    void aGroupVersionDocumentHoldsTheServedKindsOnlyWithKubesSchemas() throws Exception {
        JsonNode apps = document("apis/apps/v1");

        assertThat(apps.path("openapi").asText()).isEqualTo("3.0.0");
        JsonNode schemas = apps.path("components").path("schemas");
        JsonNode deployment = schemas.path("io.k8s.api.apps.v1.Deployment");
        assertThat(deployment.path("x-kubernetes-group-version-kind").get(0))
                .isEqualTo(json("{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}"));
        assertThat(schemas.path("io.k8s.api.apps.v1.DeploymentSpec").path("properties").path("replicas")
                .path("description").asText()).startsWith("Number of desired pods.");
        assertThat(schemas.has("io.k8s.api.core.v1.PodSpec")).as("reached through the pod template").isTrue();
        assertThat(schemas.has("io.k8s.api.apps.v1.StatefulSet")).as("not served").isFalse();
        assertThat(apps.path("paths").fieldNames()).toIterable()
                .contains("/apis/apps/v1/namespaces/{namespace}/deployments",
                        "/apis/apps/v1/namespaces/{namespace}/deployments/{name}",
                        "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale",
                        "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status",
                        "/apis/apps/v1/deployments")
                .noneMatch(p -> p.contains("statefulsets") || p.contains("replicasets"));

        JsonNode core = document("api/v1");
        assertThat(core.path("components").path("schemas").has("io.k8s.api.core.v1.Pod")).isTrue();
        assertThat(core.path("components").path("schemas").has("io.k8s.api.core.v1.ConfigMap")).isFalse();
        assertThat(core.path("paths").has("/api/v1/namespaces/{namespace}/pods/{name}/binding")).isTrue();
        assertThat(core.path("paths").has("/api/v1/namespaces/{name}")).isTrue();
    }

    /** kubectl decides that the server validates fields itself from this, and skips its own validation. */
    @Test
    void everyPatchOperationNamesItsKindAndTakesFieldValidation() throws Exception {
        JsonNode patch = document("apis/apps/v1").path("paths")
                .path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}").path("patch");

        assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText()).isEqualTo("Deployment");
        assertThat(patch.path("x-kubernetes-action").asText()).isEqualTo("patch");
        assertThat(patch.path("parameters").findValuesAsText("name")).contains("fieldValidation");
        assertThat(patch.path("parameters").findValuesAsText("in")).containsOnly("query");
        assertThat(patch.path("requestBody").path("content").fieldNames()).toIterable()
                .contains("application/strategic-merge-patch+json", "application/merge-patch+json");
        assertThat(patch.path("operationId").asText()).isEqualTo("patchAppsV1NamespacedDeployment");
        assertThat(document("apis/apps/v1").path("paths")
                .path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale").path("patch")
                .path("x-kubernetes-group-version-kind").path("kind").asText()).isEqualTo("Scale");
    }

    @Test
    void aCustomResourceAppearsWhenServedAndDisappearsWhenNot() throws Exception {
        assertThat(index().has("apis/stable.example.com/v1")).isFalse();
        String appsBefore = index().path("apis/apps/v1").path("serverRelativeURL").asText();

        served.add(CRON_TAB);
        JsonNode doc = document("apis/stable.example.com/v1");

        JsonNode schema = doc.path("components").path("schemas").path("com.example.stable.v1.CronTab");
        assertThat(schema.path("x-kubernetes-group-version-kind").get(0).path("kind").asText()).isEqualTo("CronTab");
        assertThat(schema.path("properties").path("spec").path("properties").path("cronSpec").path("description")
                .asText()).isEqualTo("When to run.");
        assertThat(schema.path("properties").path("metadata").path("allOf").get(0).path("$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        assertThat(doc.path("components").path("schemas").has("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"))
                .isTrue();
        assertThat(doc.path("components").path("schemas").path("com.example.stable.v1.CronTabList")
                .path("properties").path("items").path("items").path("$ref").asText())
                .isEqualTo("#/components/schemas/com.example.stable.v1.CronTab");
        JsonNode patch = doc.path("paths").path("/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}")
                .path("patch");
        assertThat(patch.path("parameters").findValuesAsText("name")).contains("fieldValidation");
        assertThat(patch.path("requestBody").path("content").has("application/merge-patch+json")).isTrue();
        assertThat(patch.path("requestBody").path("content").has("application/strategic-merge-patch+json"))
                .as("kubectl apply must compute a JSON merge patch for a custom resource").isFalse();
        assertThat(index().path("apis/apps/v1").path("serverRelativeURL").asText())
                .as("documents of other group versions do not change").isEqualTo(appsBefore);

        served.remove(CRON_TAB);
        assertThat(index().has("apis/stable.example.com/v1")).isFalse();
        assertThat(openApi.serve("/openapi/v3/apis/stable.example.com/v1", null, null, null).status())
                .isEqualTo(404);
    }

    @Test
    void aDocumentAskedWithAnOldHashIsRedirectedAndWithItsHashIsImmutable() throws Exception {
        String url = index().path("api/v1").path("serverRelativeURL").asText();
        String hash = url.substring(url.indexOf("hash=") + 5);

        OpenApi.Reply current = openApi.serve("/openapi/v3/api/v1", "hash=" + hash, "application/json", null);
        assertThat(current.status()).isEqualTo(200);
        assertThat(current.headers()).containsEntry("Cache-Control", "public, immutable").containsKey("Expires");

        OpenApi.Reply old = openApi.serve("/openapi/v3/api/v1", "hash=0123", "application/json", null);
        assertThat(old.status()).isEqualTo(301);
        assertThat(old.headers()).containsEntry("Location", url);

        OpenApi.Reply unchanged = openApi.serve("/openapi/v3/api/v1", null, null, "\"" + hash + "\"");
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
    }

    @Test
    void theV3DocumentsInProtobufAloneAreNotAcceptable() {
        assertThat(openApi.serve("/openapi/v3/api/v1", null,
                "application/com.github.proto-openapi.spec.v3@v1.0+protobuf", null).status()).isEqualTo(406);
        assertThat(openApi.serve("/openapi/v2", null, "text/html", null).status()).isEqualTo(406);
        assertThat(openApi.serve("/openapi/v4", null, null, null).status()).isEqualTo(404);
    }

    /** kubectl reads the v2 protobuf when the v3 documents do not answer; kubectl checks its operations too. */
    @Test
    void theV2DocumentInProtobufCarriesTheOperationsKindsAndParameters() {
        OpenApi.Reply r = openApi.serve("/openapi/v2", null, PROTOBUF_V2, null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("Content-Type",
                "application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
        assertThat(openApi.serve("/openapi/v2", null, PROTOBUF_V2 + ", application/json", null).headers())
                .containsEntry("Content-Type", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
        assertThat(openApi.serve("/openapi/v2", null, "application/json, " + PROTOBUF_V2, null).headers())
                .containsEntry("Content-Type", "application/json");

        Proto doc = Proto.of(r.body());
        assertThat(doc.string(1)).isEqualTo("2.0");
        Proto patch = doc.message(8).messages(2).stream()          // Paths.path: NamedPathItem
                .filter(p -> p.string(1).equals("/apis/apps/v1/namespaces/{namespace}/deployments/{name}"))
                .findFirst().orElseThrow().message(2).message(8);  // PathItem.patch
        assertThat(patch.string(5)).isEqualTo("patchAppsV1NamespacedDeployment");
        assertThat(patch.strings(7)).contains("application/strategic-merge-patch+json");
        Proto gvk = patch.messages(13).stream().filter(e -> e.string(1).equals("x-kubernetes-group-version-kind"))
                .findFirst().orElseThrow();
        assertThat(Json.parseTrusted(gvk.message(2).string(2).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(json("{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}"));
        assertThat(patch.messages(8).stream().map(p -> p.message(1))   // ParametersItem.parameter
                .filter(p -> !p.messages(2).isEmpty())                      // Parameter.non_body_parameter
                .map(p -> p.message(2).message(3).string(4)))               // query_parameter_sub_schema.name
                .contains("fieldValidation", "force");
        assertThat(patch.messages(8).stream().map(p -> p.message(1)).filter(p -> !p.messages(1).isEmpty())
                .map(p -> p.message(1).string(2))).containsExactly("body");
        Proto replicas = doc.message(9).messages(1).stream()       // Definitions: NamedSchema
                .filter(d -> d.string(1).equals("io.k8s.api.apps.v1.DeploymentSpec")).findFirst().orElseThrow()
                .message(2).message(25).messages(1).stream()       // Schema.properties: NamedSchema
                .filter(p -> p.string(1).equals("replicas")).findFirst().orElseThrow().message(2);
        assertThat(replicas.message(22).strings(1)).containsExactly("integer");
        assertThat(replicas.string(2)).isEqualTo("int32");
        assertThat(replicas.string(4)).startsWith("Number of desired pods.");
    }

    @Test
    void theV2DocumentSaysWhatSwaggerCanSay() throws Exception {
        served.add(CRON_TAB);
        OpenApi.Reply r = openApi.serve("/openapi/v2", null, null, null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode v2 = Json.parse(r.body());

        assertThat(v2.path("swagger").asText()).isEqualTo("2.0");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("#/components/")
                .doesNotContain("\"allOf\"").doesNotContain("\"nullable\"");
        JsonNode definitions = v2.path("definitions");
        assertThat(definitions.path("io.k8s.api.apps.v1.DeploymentSpec").path("properties").path("template")
                .path("$ref").asText()).isEqualTo("#/definitions/io.k8s.api.core.v1.PodTemplateSpec");
        assertThat(definitions.path("io.k8s.apimachinery.pkg.util.intstr.IntOrString").path("type").asText())
                .isEqualTo("string");
        assertThat(definitions.path("com.example.stable.v1.CronTab").path("properties").path("spec")
                .path("properties").path("replicas").has("type")).as("nullable: no type in v2").isFalse();
        JsonNode patch = v2.path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}")
                .path("patch");
        List<String> consumes = new ArrayList<>();
        patch.path("consumes").forEach(c -> consumes.add(c.asText()));
        assertThat(consumes).contains("application/strategic-merge-patch+json");
        assertThat(patch.path("parameters").findValuesAsText("name")).contains("body", "fieldValidation");
        assertThat(v2.path("paths").has("/apis/stable.example.com/v1/namespaces/{namespace}/crontabs")).isTrue();
    }

    @Test
    void aCustomResourceThatKeepsUnknownFieldsIsABareObjectInV2() {
        ObjectNode preserve = Json.object().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
        ServedKind any = ServedKind.custom("example.com", "v1", "Thing", "ThingList", "things", false, Set.of(),
                preserve);
        JsonNode v3 = CustomSchemas.kind(any);
        JsonNode v2 = V2Schemas.convert(v3);

        assertThat(v3.path("properties").has("metadata")).isTrue();
        assertThat(v2.has("properties")).isFalse();
        assertThat(v2.path("type").asText()).isEqualTo("object");
        assertThat(v2.path("x-kubernetes-group-version-kind").get(0).path("group").asText()).isEqualTo("example.com");
    }
}

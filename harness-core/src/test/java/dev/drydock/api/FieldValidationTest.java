package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.kinds.CoreV1Kinds;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** kube's fieldValidation: unknown fields dropped, with a warning (Warn), silently (Ignore) or refused (Strict). */
class FieldValidationTest extends ApiServerTestSupport {

    static JsonNode parse(String json) {
        return Json.parseTrusted(json.getBytes(StandardCharsets.UTF_8));
    }

    ApiResponse create(Resource r, JsonNode body, String mode) {
        return call(ApiRequest.Verb.CREATE, r, NS, null, null, mode == null ? Map.of()
                : Map.of("fieldValidation", mode), body, null);
    }

    static JsonNode deployment(String name) {
        return parse("""
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "%s"},
                 "spec": {"replicass": 2, "selector": {"matchLabels": {"app": "a"}},
                  "template": {"metadata": {"labels": {"app": "a"}},
                   "spec": {"containers": [{"name": "c", "image": "busybox", "imagee": "typo"}]}}}}
                """.formatted(name));
    }

    @Test
    void warnDropsUnknownFieldsOfABuiltInKindAndSaysSo() {
        ApiResponse r = create(Resource.DEPLOYMENTS, deployment("warned"), null);

        assertThat(r.code()).isEqualTo(201);
        assertThat(r.warnings()).containsExactly("unknown field \"spec.replicass\"",
                "unknown field \"spec.template.spec.containers[0].imagee\"");
        ObjectNode stored = client.get(Resource.DEPLOYMENTS, NS, "warned");
        assertThat(stored.path("spec").has("replicass")).isFalse();
        assertThat(stored.at("/spec/template/spec/containers/0").has("imagee")).isFalse();
        assertThat(stored.at("/spec/replicas").asInt()).as("defaulted, as the typo was dropped").isEqualTo(1);
    }

    @Test
    void ignoreDropsThemSilently() {
        ApiResponse r = create(Resource.DEPLOYMENTS, deployment("ignored"), "Ignore");
        assertThat(r.code()).isEqualTo(201);
        assertThat(r.warnings()).isEmpty();
        assertThat(client.get(Resource.DEPLOYMENTS, NS, "ignored").path("spec").has("replicass")).isFalse();
    }

    @Test
    void strictRefusesThemWithKubesStrictDecodingError() {
        ApiResponse r = create(Resource.DEPLOYMENTS, deployment("strict"), "Strict");

        assertThat(r.code()).isEqualTo(400);
        assertThat(r.body().path("message").asText()).isEqualTo("Deployment in version \"v1\" cannot be handled as "
                + "a Deployment: strict decoding error: unknown field \"spec.replicass\", unknown field "
                + "\"spec.template.spec.containers[0].imagee\"");
        assertThat(client.find(Resource.DEPLOYMENTS, NS, "strict")).isNull();
    }

    @Test
    void aPatchIsJudgedOnTheObjectItMakes() {
        client.create(Resource.DEPLOYMENTS, NS, (ObjectNode) parse("""
                {"metadata": {"name": "p"}, "spec": {"selector": {"matchLabels": {"app": "a"}},
                 "template": {"metadata": {"labels": {"app": "a"}},
                  "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}}
                """));
        ApiResponse r = call(ApiRequest.Verb.PATCH, Resource.DEPLOYMENTS, NS, "p", null,
                Map.of("fieldValidation", "Strict"), parse("{\"spec\": {\"paused\": true, \"bogus\": 1}}"),
                "application/merge-patch+json");
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.body().path("message").asText()).endsWith("unknown field \"spec.bogus\"");
    }

    @Test
    void anUnknownModeIsABadRequest() {
        assertThat(create(Resource.DEPLOYMENTS, deployment("x"), "Loose").code()).isEqualTo(400);
    }

    @Test
    void aValueOfTheWrongJsonTypeIsRefusedAsKubesDecoderRefusesItWhateverTheMode() {
        JsonNode body = parse("""
                {"metadata": {"name": "typed"}, "spec": {"replicas": "3", "selector": {"matchLabels": {"app": "a"}},
                 "template": {"metadata": {"labels": {"app": "a"}},
                  "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}}
                """);
        ApiResponse r = create(Resource.DEPLOYMENTS, body, "Ignore");

        assertThat(r.code()).isEqualTo(400);
        assertThat(r.body().path("reason").asText()).isEqualTo("BadRequest");
        assertThat(r.body().path("message").asText()).isEqualTo("Deployment in version \"v1\" cannot be handled as "
                + "a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of "
                + "type int32");
        assertThat(client.find(Resource.DEPLOYMENTS, NS, "typed")).isNull();
    }

    @Test
    void goNamesTheFieldByItsPathWithoutIndexesAndTheTypeAsGoSpellsIt() {
        assertThat(createError(CoreV1Kinds.CONFIG_MAPS, "{\"metadata\": {\"name\": 5}}"))
                .endsWith("json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string");
        assertThat(createError(CoreV1Kinds.CONFIG_MAPS, "{\"metadata\": {\"name\": \"l\", \"labels\": {\"a\": true}}}"))
                .endsWith("json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string");
        assertThat(createError(Resource.PODS, """
                {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "i", "args": "x"}]}}"""))
                .endsWith("json: cannot unmarshal string into Go struct field Container.spec.containers.args of "
                        + "type []string");
        assertThat(createError(Resource.PODS, """
                {"metadata": {"name": "p"}, "spec": {"containers": {"name": "c"}}}"""))
                .endsWith("json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type "
                        + "[]v1.Container");
        assertThat(createError(Resource.PODS, """
                {"metadata": {"name": "p"}, "spec": {"terminationGracePeriodSeconds": 1.5,
                 "containers": [{"name": "c", "image": "i"}]}}"""))
                .endsWith("json: cannot unmarshal number 1.5 into Go struct field "
                        + "PodSpec.spec.terminationGracePeriodSeconds of type int64");
    }

    @Test
    void valuesOfTypesThatDecodeThemselvesAndNullsAreLeftToTheirOwnRules() {
        ApiResponse r = create(Resource.PODS, parse("""
                {"metadata": {"name": "own", "labels": null}, "spec": {"containers": [{"name": "c", "image": "i",
                 "ports": [{"containerPort": 80}], "resources": {"limits": {"cpu": 1, "memory": "64Mi"}},
                 "readinessProbe": {"httpGet": {"port": "http"}}}]}}
                """), null);
        assertThat(r.code()).as(r.body().toString()).isEqualTo(201);
    }

    @Test
    void aPatchThatMakesAValueOfTheWrongTypeIsInvalidOnFieldPatch() {
        client.create(CoreV1Kinds.CONFIG_MAPS, NS, (ObjectNode) parse("{\"metadata\": {\"name\": \"cm\"}}"));
        ApiResponse r = call(ApiRequest.Verb.PATCH, CoreV1Kinds.CONFIG_MAPS, NS, "cm", null, Map.of(),
                parse("{\"metadata\": {\"annotations\": {\"a\": 1}}}"), "application/merge-patch+json");

        assertThat(r.code()).isEqualTo(422);
        assertThat(r.body().path("message").asText()).startsWith(" \"\" is invalid: patch: Invalid value: \"{")
                .endsWith("json: cannot unmarshal number into Go struct field ObjectMeta.metadata.annotations of "
                        + "type string");
        assertThat(r.body().at("/details/causes/0/field").asText()).isEqualTo("patch");
    }

    private String createError(Resource resource, String json) {
        ApiResponse r = create(resource, parse(json), null);
        assertThat(r.code()).as(r.body().toString()).isEqualTo(400);
        return r.body().path("message").asText();
    }
}

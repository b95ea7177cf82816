package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
}

package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeleteOptionsTest extends ApiServerTestSupport {

    ObjectNode lease(String name) {
        ObjectNode lease = Json.object();
        Json.with(lease, "metadata").put("name", name);
        return client.create(Resource.LEASES, NS, lease);
    }

    ApiResponse delete(String name, ObjectNode options, Map<String, String> params) {
        return call(ApiRequest.Verb.DELETE, Resource.LEASES, NS, name, null, params, options, null);
    }

    @Test
    void foregroundAndOrphanHoldTheObjectWithTheCollectorsFinalizer() {
        lease("fg");
        lease("or");
        ObjectNode fg = Json.object().put("propagationPolicy", "Foreground");

        ApiResponse r = delete("fg", fg, Map.of());
        ApiResponse o = delete("or", null, Map.of("propagationPolicy", "Orphan"));

        assertThat(r.code()).isEqualTo(200);
        assertThat(r.body().at("/metadata/finalizers").toString()).isEqualTo("[\"foregroundDeletion\"]");
        assertThat(r.body().at("/metadata/deletionTimestamp").isTextual()).isTrue();
        assertThat(o.body().at("/metadata/finalizers").toString()).isEqualTo("[\"orphan\"]");

        // A second delete with another policy swaps the finalizer, as kube does.
        ApiResponse again = delete("fg", Json.object().put("propagationPolicy", "Orphan"), Map.of());
        assertThat(again.body().at("/metadata/finalizers").toString()).isEqualTo("[\"orphan\"]");
    }

    @Test
    void backgroundDeletesAtOnce() {
        lease("bg");
        ApiResponse r = delete("bg", Json.object().put("propagationPolicy", "Background"), Map.of());
        assertThat(r.code()).isEqualTo(200);
        assertThat(client.find(Resource.LEASES, NS, "bg")).isNull();
    }

    @Test
    void anUnknownPolicyIsInvalid() {
        lease("x");
        ApiResponse r = delete("x", Json.object().put("propagationPolicy", "Sometimes"), Map.of());
        assertThat(r.code()).isEqualTo(422);
        assertThat(r.body().path("message").asText()).isEqualTo("DeleteOptions.meta.k8s.io \"\" is invalid: "
                + "propagationPolicy: Unsupported value: \"Sometimes\": supported values: \"Foreground\", "
                + "\"Background\", \"Orphan\"");
        assertThat(client.find(Resource.LEASES, NS, "x")).isNotNull();
    }

    @Test
    void preconditionsThatDoNotHoldAreAConflict() {
        ObjectNode lease = lease("p");
        ObjectNode wrongUid = Json.object();
        Json.with(wrongUid, "preconditions").put("uid", "not-" + Json.uid(lease));
        ObjectNode wrongRv = Json.object();
        Json.with(wrongRv, "preconditions").put("resourceVersion", "1");

        assertThat(delete("p", wrongUid, Map.of()).code()).isEqualTo(409);
        assertThat(delete("p", wrongUid, Map.of()).body().path("message").asText())
                .isEqualTo("Operation cannot be fulfilled on leases.coordination.k8s.io \"p\": "
                        + "Precondition failed: UID in precondition: not-" + Json.uid(lease)
                        + ", UID in object meta: " + Json.uid(lease));
        assertThat(delete("p", wrongRv, Map.of()).code()).isEqualTo(409);
        assertThat(client.find(Resource.LEASES, NS, "p")).isNotNull();

        ObjectNode right = Json.object();
        Json.with(right, "preconditions").put("uid", Json.uid(lease)).put("resourceVersion",
                Json.resourceVersion(lease));
        assertThat(delete("p", right, Map.of()).code()).isEqualTo(200);
        assertThat(client.find(Resource.LEASES, NS, "p")).isNull();
    }

    @Test
    void dryRunInTheBodyDeletesNothing() {
        lease("d");
        ObjectNode options = Json.object();
        options.putArray("dryRun").add("All");
        assertThat(delete("d", options, Map.of()).code()).isEqualTo(200);
        assertThat(client.find(Resource.LEASES, NS, "d")).isNotNull();
    }
}

package dev.drydock.api;

import static dev.drydock.api.TestObjects.deployment;
import static dev.drydock.api.TestObjects.node;
import static dev.drydock.api.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A body's {@code kind} and {@code apiVersion}: taken from the URL where the body has none, as kube-apiserver does
 * (the official Java and Python clients send none), and refused with kube's words only where they contradict it.
 */
class ApiServerTypeMetaTest extends ApiServerTestSupport {

    private static ObjectNode kindless(TestObjects.Builder b) {
        ObjectNode obj = b.build();
        obj.remove("kind");
        obj.remove("apiVersion");
        return obj;
    }

    private static ObjectNode json(String text) throws IOException {
        return (ObjectNode) Json.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertTypeMeta(JsonNode obj, String kind, String apiVersion) {
        assertThat(obj.path("kind").asText()).isEqualTo(kind);
        assertThat(obj.path("apiVersion").asText()).isEqualTo(apiVersion);
        assertThat(obj.fieldNames()).toIterable().as("kube's JSON starts with its TypeMeta")
                .startsWith("kind", "apiVersion");
    }

    private static void assertBadRequest(ApiException e, String message) {
        assertThat(e.code()).isEqualTo(400);
        assertThat(e.reason()).isEqualTo("BadRequest");
        assertThat(e.getMessage()).isEqualTo(message);
    }

    // ---- missing: filled from the path

    @Test
    void aCreateWithoutKindAndApiVersionTakesThemFromThePath() {
        ObjectNode created = client.create(PODS, NS, kindless(pod("web")));

        assertTypeMeta(created, "Pod", "v1");
        assertTypeMeta(client.get(PODS, NS, "web"), "Pod", "v1");
        assertTypeMeta(client.list(PODS, NS, null).path("items").get(0), "Pod", "v1");
    }

    @Test
    void aBodyMissingOnlyItsKindOrOnlyItsApiVersionGetsTheOneItLacks() {
        ObjectNode noKind = deployment("a").build();
        noKind.remove("kind");
        ObjectNode noApiVersion = deployment("b").build();
        noApiVersion.remove("apiVersion");

        assertTypeMeta(client.create(DEPLOYMENTS, NS, noKind), "Deployment", "apps/v1");
        assertTypeMeta(client.create(DEPLOYMENTS, NS, noApiVersion), "Deployment", "apps/v1");
    }

    @Test
    void aGroupWithoutAVersionGetsThePathsVersion() {
        ObjectNode body = deployment("web").build();
        body.put("apiVersion", "apps/");

        assertTypeMeta(client.create(DEPLOYMENTS, NS, body), "Deployment", "apps/v1");
    }

    @Test
    void anUpdateAndAStatusUpdateWithoutKindKeepTheKind() {
        client.create(PODS, NS, pod("web").build());
        ObjectNode edit = client.get(PODS, NS, "web");
        edit.remove("kind");
        edit.remove("apiVersion");
        Json.with(edit, "metadata", "labels").put("edited", "yes");

        ObjectNode updated = client.update(PODS, edit);

        assertTypeMeta(updated, "Pod", "v1");
        assertThat(Json.text(updated, "metadata", "labels", "edited")).isEqualTo("yes");

        ObjectNode status = updated.deepCopy();
        status.remove("kind");
        status.remove("apiVersion");
        Json.with(status, "status").put("phase", "Running");

        ObjectNode written = client.updateStatus(PODS, status);

        assertTypeMeta(written, "Pod", "v1");
        assertThat(Json.text(written, "status", "phase")).isEqualTo("Running");
        assertTypeMeta(client.get(PODS, NS, "web"), "Pod", "v1");
    }

    @Test
    void aMergePatchThatRemovesTheKindLeavesItStored() {
        client.create(PODS, NS, pod("web").build());
        ObjectNode patch = Json.object().putNull("kind").putNull("apiVersion");
        Json.with(patch, "metadata", "labels").put("patched", "yes");

        ObjectNode patched = client.mergePatch(PODS, NS, "web", null, patch);

        assertTypeMeta(patched, "Pod", "v1");
        assertThat(Json.text(patched, "metadata", "labels", "patched")).isEqualTo("yes");
        assertTypeMeta(client.get(PODS, NS, "web"), "Pod", "v1");
    }

    @Test
    void aScaleUpdateWithoutKindIsAScale() throws IOException {
        client.create(DEPLOYMENTS, NS, deployment("web").build());

        ApiResponse r = call(ApiRequest.Verb.UPDATE, DEPLOYMENTS, NS, "web", "scale", null,
                json("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"replicas\":5}}"), null);

        assertThat(r.code()).isEqualTo(200);
        assertTypeMeta(r.body(), "Scale", "autoscaling/v1");
        assertThat(r.body().path("spec").path("replicas").asInt()).isEqualTo(5);
        assertThat(client.get(DEPLOYMENTS, NS, "web").path("spec").path("replicas").asInt()).isEqualTo(5);
    }

    @Test
    void aBindingWithoutKindBindsThePod() throws IOException {
        client.create(PODS, NS, pod("web").build());

        ApiResponse r = call(ApiRequest.Verb.CREATE, PODS, NS, "web", "binding", null,
                json("{\"metadata\":{\"name\":\"web\"},\"target\":{\"kind\":\"Node\",\"name\":\"n1\"}}"), null);

        assertThat(r.code()).isEqualTo(201);
        assertThat(Json.text(client.get(PODS, NS, "web"), "spec", "nodeName")).isEqualTo("n1");
    }

    // ---- contradicting: kube's 400 (create, update) and 422 (patch)

    @Test
    void aBodyOfAnotherKindIsBadRequestInKubesWords() {
        ApiException e = failure(() -> client.create(PODS, NS, node("web").build()));

        assertBadRequest(e, "Node in version \"v1\" cannot be handled as a Pod: converting (v1.Node) to (core.Pod): "
                + "unknown conversion");
        assertThat(client.find(PODS, NS, "web")).isNull();
    }

    @Test
    void aListIsBadRequestLikeAnyOtherKind() throws IOException {
        ObjectNode list = json("{\"kind\":\"List\",\"apiVersion\":\"v1\",\"items\":[]}");
        list.withArray("items").add(pod("web").build());

        ApiException e = failure(() -> client.create(PODS, NS, list));

        assertBadRequest(e, "List in version \"v1\" cannot be handled as a Pod: converting (v1.List) to (core.Pod): "
                + "unknown conversion");
    }

    @Test
    void aKindDrydockDoesNotKnowIsNotRegistered() {
        ObjectNode gadget = pod("web").build().put("kind", "Gadget");

        ApiException e = failure(() -> client.create(PODS, NS, gadget));

        assertBadRequest(e, "Gadget in version \"v1\" cannot be handled as a Pod: no kind \"Gadget\" is registered "
                + "for version \"v1\" in scheme \"drydock\"");
    }

    @Test
    void anotherKindOfTheGroupCannotBeConverted() {
        ObjectNode service = pod("web").build().put("kind", "Service");

        ApiException e = failure(() -> client.create(PODS, NS, service));

        assertBadRequest(e, "Service in version \"v1\" cannot be handled as a Pod: converting (v1.Service) to "
                + "(core.Pod): unknown conversion");
    }

    @Test
    void anotherVersionOfTheGroupIsBadRequestForNotBeingThePaths() {
        ObjectNode old = deployment("web").build().put("apiVersion", "apps/v1beta1");

        ApiException e = failure(() -> client.create(DEPLOYMENTS, NS, old));

        assertBadRequest(e, "the API version in the data (apps/v1beta1) does not match the expected API version "
                + "(apps/v1)");
    }

    @Test
    void theRightKindInAnotherGroupIsNotRegistered() {
        ObjectNode body = kindless(pod("web")).put("apiVersion", "apps/v1");

        ApiException e = failure(() -> client.create(PODS, NS, body));

        assertBadRequest(e, "Pod in version \"v1\" cannot be handled as a Pod: no kind \"Pod\" is registered for "
                + "version \"apps/v1\" in scheme \"drydock\"");
    }

    @Test
    void anApiVersionThatDoesNotParseIsUnrecognized() {
        ObjectNode body = pod("web").build().put("apiVersion", "a/b/c");

        ApiException e = failure(() -> client.create(PODS, NS, body));

        assertBadRequest(e, "the object provided is unrecognized (must be of type Pod): unexpected GroupVersion "
                + "string: a/b/c ({\"apiVersion\":\"a/b/c\",\"kind\":\" ...)");
    }

    @Test
    void aKindThatIsNotTextIsUnrecognized() {
        ObjectNode body = kindless(pod("web")).put("kind", 7);

        ApiException e = failure(() -> client.create(PODS, NS, body));

        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("the object provided is unrecognized (must be of type Pod): couldn't "
                + "get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of "
                + "type string (");
    }

    @Test
    void anUpdateToAnotherKindIsBadRequestAndChangesNothing() {
        ObjectNode created = client.create(PODS, NS, pod("web").build());
        ObjectNode edit = created.deepCopy().put("kind", "Node");

        ApiException e = failure(() -> client.update(PODS, edit));

        assertBadRequest(e, "Node in version \"v1\" cannot be handled as a Pod: converting (v1.Node) to (core.Pod): "
                + "unknown conversion");
        assertThat(client.get(PODS, NS, "web")).isEqualTo(created);
    }

    @Test
    void aMergePatchThatChangesTheKindIsInvalidAndChangesNothing() {
        ObjectNode created = client.create(PODS, NS, pod("web").build());

        ApiException e = failure(() -> client.mergePatch(PODS, NS, "web", null, Json.object().put("kind", "Node")));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.reason()).isEqualTo("Invalid");
        // The patched object is a string value, which kube quotes as Go's %q does.
        assertThat(e.getMessage()).startsWith(" \"\" is invalid: patch: Invalid value: \"{\\\"kind\\\":\\\"Node\\\"")
                .endsWith("\": converting (v1.Node) to (core.Pod): unknown conversion");
        assertThat(e.status().path("details").path("causes").get(0).path("field").asText()).isEqualTo("patch");
        assertThat(client.get(PODS, NS, "web")).isEqualTo(created);
    }

    @Test
    void aStrategicMergePatchCannotChangeTheKind() throws IOException {
        client.create(PODS, NS, pod("web").build());

        ApiResponse r = call(ApiRequest.Verb.PATCH, PODS, NS, "web", null, null,
                json("{\"kind\":\"Node\",\"metadata\":{\"labels\":{\"a\":\"b\"}}}"),
                "application/strategic-merge-patch+json");

        assertThat(r.code()).isEqualTo(200);
        assertTypeMeta(r.body(), "Pod", "v1");
        assertThat(Json.text(r.body(), "metadata", "labels", "a")).isEqualTo("b");
    }

    @Test
    void aScaleOfAnotherKindIsBadRequest() {
        ObjectNode created = client.create(DEPLOYMENTS, NS, deployment("web").build());
        ObjectNode asDeployment = created.deepCopy();
        Json.with(asDeployment, "spec").put("replicas", 7);

        ApiResponse r = call(ApiRequest.Verb.UPDATE, DEPLOYMENTS, NS, "web", "scale", null, asDeployment, null);

        assertThat(r.code()).isEqualTo(400);
        assertThat(r.body().path("message").asText()).isEqualTo("Deployment in version \"v1\" cannot be handled as "
                + "a Scale: converting (v1.Deployment) to (autoscaling.Scale): unknown conversion");
        assertThat(client.get(DEPLOYMENTS, NS, "web").path("spec").path("replicas").asInt()).isEqualTo(2);
    }

    @Test
    void aBindingOfAnotherKindIsBadRequest() {
        client.create(PODS, NS, pod("web").build());
        ObjectNode body = Json.object().put("kind", "Pod").put("apiVersion", "v1");
        Json.with(body, "metadata").put("name", "web");
        Json.with(body, "target").put("name", "n1");

        ApiResponse r = call(ApiRequest.Verb.CREATE, PODS, NS, "web", "binding", null, body, null);

        assertThat(r.code()).isEqualTo(400);
        assertThat(r.body().path("message").asText()).isEqualTo("Pod in version \"v1\" cannot be handled as a "
                + "Binding: converting (v1.Pod) to (core.Binding): unknown conversion");
        assertThat(client.get(PODS, NS, "web").path("spec").has("nodeName")).isFalse();
    }
}

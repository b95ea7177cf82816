package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The API over HTTP: bad input gets kube's Status with the right code and reason, and the server keeps serving. */
class ApiHttpTest {

    private static DrydockCluster cluster;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().nodes(1));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    record Bad(String name, String method, String path, String contentType, String body, int code, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Bad> badRequests() {
        String pods = "/api/v1/namespaces/default/pods";
        String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
        return List.of(
                new Bad("malformed JSON", "POST", pods, "application/json", "{\"apiVersion\": \"v1\", \"kind\":", 400,
                        "BadRequest"),
                new Bad("JSON that is not an object", "POST", pods, "application/json", "[1,2,3]", 400, "BadRequest"),
                new Bad("empty body", "POST", pods, "application/json", "", 400, "BadRequest"),
                new Bad("no kind, and the apiVersion of another group", "POST", pods, "application/json",
                        "{\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"a\"}}", 400, "BadRequest"),
                new Bad("kind of another resource", "POST", pods, "application/json",
                        "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"a\"}}", 400, "BadRequest"),
                new Bad("name that is not DNS-1123", "POST", pods, "application/json", pod.formatted("Not_A_Name"),
                        422, "Invalid"),
                new Bad("pod without containers", "POST", pods, "application/json",
                        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"},\"spec\":{}}", 422,
                        "Invalid"),
                new Bad("missing name", "POST", pods, "application/json",
                        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{},\"spec\":{}}", 422, "Invalid"),
                new Bad("unsupported content type", "POST", pods, "text/plain", "hello", 415, "UnsupportedMediaType"),
                new Bad("unknown resource", "GET", "/api/v1/namespaces/default/widgets", null, null, 404, "NotFound"),
                new Bad("unknown group", "GET", "/apis/example.com/v1/things", null, null, 404, "NotFound"),
                new Bad("path traversal", "GET", "/api/v1/namespaces/../../etc/passwd", null, null, 404, "NotFound"),
                new Bad("missing object", "GET", pods + "/nope", null, null, 404, "NotFound"),
                new Bad("missing namespace", "POST", "/api/v1/namespaces/nowhere/pods", "application/json",
                        pod.formatted("a"), 404, "NotFound"),
                new Bad("namespace in body differs from path", "POST", pods, "application/json",
                        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"namespace\":\"x\"},"
                                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}", 400, "BadRequest"),
                new Bad("bad label selector", "GET", pods + "?labelSelector=a%20in%20b", null, null, 400,
                        "BadRequest"),
                new Bad("unsupported field selector", "GET", pods + "?fieldSelector=spec.image%3Dx", null, null, 400,
                        "BadRequest"),
                new Bad("bad resourceVersion on watch", "GET", pods + "?watch=true&resourceVersion=abc", null, null,
                        400, "BadRequest"),
                new Bad("bad timeoutSeconds on watch", "GET", pods + "?watch=true&timeoutSeconds=-1", null, null,
                        400, "BadRequest"),
                new Bad("unparseable quantity", "POST", pods, "application/json",
                        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"q\"},\"spec\":"
                                + "{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"resources\":{\"requests\":"
                                + "{\"cpu\":\"lots\"}}}]}}", 400, "BadRequest"),
                new Bad("deeply nested JSON", "POST", pods, "application/json",
                        "[".repeat(5000) + "]".repeat(5000), 400, "BadRequest"),
                new Bad("oversized body", "POST", pods, "application/json",
                        "{\"a\":\"" + "x".repeat(3 * 1024 * 1024 + 10) + "\"}", 413, "RequestEntityTooLarge"),
                new Bad("update of another object's name", "PUT", pods + "/other", "application/json",
                        pod.formatted("a"), 400, "BadRequest"),
                new Bad("unknown method", "OPTIONS", pods, null, null, 405, "MethodNotAllowed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputGetsAStatusAndTheServerKeepsServing(Bad bad) throws Exception {
        HttpResponse<String> response = send(bad.method(), bad.path(), bad.contentType(), bad.body());

        assertThat(response.statusCode()).isEqualTo(bad.code());
        JsonNode status = Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("status").asText()).isEqualTo("Failure");
        assertThat(status.path("code").asInt()).isEqualTo(bad.code());
        assertThat(status.path("reason").asText()).isEqualTo(bad.reason());
        assertThat(status.path("message").asText()).isNotBlank();

        assertThat(send("GET", "/api/v1/namespaces", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void anInvalidNameIsReportedAsACauseOnItsField() throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/namespaces", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"Bad.Name\"}}");

        JsonNode status = Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(status.path("details").path("causes").get(0).path("field").asText()).isEqualTo("metadata.name");
        assertThat(status.path("message").asText()).startsWith("Namespace \"Bad.Name\" is invalid: metadata.name");
    }

    @Test
    void staleUpdateGetsConflict() throws Exception {
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"conflict\"}}";
        JsonNode created = Json.parse(send("POST", "/api/v1/namespaces", "application/json", body).body()
                .getBytes(StandardCharsets.UTF_8));
        String rv = created.path("metadata").path("resourceVersion").asText();
        String update = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"conflict\","
                + "\"resourceVersion\":\"%s\",\"labels\":{\"n\":\"%d\"}}}";

        assertThat(send("PUT", "/api/v1/namespaces/conflict", "application/json", update.formatted(rv, 1))
                .statusCode()).isEqualTo(200);
        HttpResponse<String> stale = send("PUT", "/api/v1/namespaces/conflict", "application/json",
                update.formatted(rv, 2));

        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("\"reason\":\"Conflict\"").contains("the object has been modified");
    }

    @Test
    void aDryRunDeleteLeavesTheObject() throws Exception {
        send("POST", "/api/v1/namespaces", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"dry\"}}");

        assertThat(send("DELETE", "/api/v1/namespaces/dry?dryRun=All", null, null).statusCode()).isEqualTo(200);

        assertThat(send("GET", "/api/v1/namespaces/dry", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void scalingThroughTheScaleSubresourceIsASpecChange() throws Exception {
        String d = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"sc\"},"
                + "\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"sc\"}},\"template\":{"
                + "\"metadata\":{\"labels\":{\"app\":\"sc\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
                + "\"image\":\"busybox\"}]}}}}";
        assertThat(send("POST", "/apis/apps/v1/namespaces/default/deployments", "application/json", d)
                .statusCode()).isEqualTo(201);

        HttpResponse<String> scaled = send("PATCH", "/apis/apps/v1/namespaces/default/deployments/sc/scale",
                "application/merge-patch+json", "{\"spec\":{\"replicas\":3}}");

        assertThat(scaled.statusCode()).isEqualTo(200);
        JsonNode scale = Json.parse(scaled.body().getBytes(StandardCharsets.UTF_8));
        assertThat(scale.path("kind").asText()).isEqualTo("Scale");
        assertThat(scale.path("spec").path("replicas").asInt()).isEqualTo(3);
        JsonNode after = Json.parse(send("GET", "/apis/apps/v1/namespaces/default/deployments/sc", null, null)
                .body().getBytes(StandardCharsets.UTF_8));
        assertThat(after.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(after.path("metadata").path("generation").asInt()).isEqualTo(2);
    }

    @Test
    void discoveryServesVersionAndResources() throws Exception {
        assertThat(send("GET", "/version", null, null).body()).contains("\"major\":\"1\"");
        assertThat(send("GET", "/api", null, null).body()).contains("\"versions\":[\"v1\"]");
        assertThat(send("GET", "/apis", null, null).body()).contains("\"name\":\"apps\"");
        assertThat(send("GET", "/api/v1", null, null).body()).contains("\"name\":\"pods/binding\"");
        assertThat(send("GET", "/apis/apps/v1", null, null).body()).contains("\"kind\":\"Deployment\"");
    }

    @Test
    void watchStreamsOneJsonEventPerLine() throws Exception {
        String rv = Json.parse(send("GET", "/api/v1/namespaces", null, null).body().getBytes(StandardCharsets.UTF_8))
                .path("metadata").path("resourceVersion").asText();
        var lines = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.apiUrl()
                        + "/api/v1/namespaces?watch=true&timeoutSeconds=30&resourceVersion=" + rv)).build(),
                HttpResponse.BodyHandlers.ofLines());
        send("POST", "/api/v1/namespaces", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"watched\"}}");

        String first = lines.body().findFirst().orElseThrow();

        JsonNode event = Json.parse(first.getBytes(StandardCharsets.UTF_8));
        assertThat(event.path("type").asText()).isEqualTo("ADDED");
        assertThat(event.path("object").path("metadata").path("name").asText()).isEqualTo("watched");
    }

    private static HttpResponse<String> send(String method, String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.apiUrl() + path))
                .timeout(Duration.ofSeconds(20));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

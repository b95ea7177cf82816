package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.kube.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Over HTTP: a YAML apply body, and the manager a write without {@code fieldManager} gets from its User-Agent. */
class HttpApiServerApplyTest extends ApiServerTestSupport {

    private HttpApiServer http;
    private final HttpClient httpClient = HttpClient.newHttpClient();

    @BeforeEach
    void serve() throws IOException {
        http = new HttpApiServer(api, api, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "t");
    }

    @AfterEach
    void stopServing() {
        http.close();
    }

    private HttpResponse<String> send(String method, String path, String contentType, String agent, String body)
            throws Exception {
        return httpClient.send(HttpRequest.newBuilder(URI.create(http.url() + path))
                .header("Content-Type", contentType).header("User-Agent", agent)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aYamlApplyCreatesTheObjectAndAWriteWithoutManagerIsItsUserAgents() throws Exception {
        HttpResponse<String> applied = send("PATCH", "/api/v1/namespaces/default/configmaps/cm?fieldManager=ci",
                "application/apply-patch+yaml", "kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: cm
                        data:
                          greeting: hello   # a comment, as YAML allows
                        """);

        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(201);
        assertThat(Json.parse(applied.body().getBytes(StandardCharsets.UTF_8)).at("/metadata/managedFields/0/manager")
                .asText()).isEqualTo("ci");

        HttpResponse<String> patched = send("PATCH", "/api/v1/namespaces/default/configmaps/cm",
                "application/merge-patch+json", "kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9",
                "{\"data\":{\"greeting\":\"hi\"}}");

        assertThat(patched.statusCode()).isEqualTo(200);
        JsonNode managed = Json.parse(patched.body().getBytes(StandardCharsets.UTF_8)).at("/metadata/managedFields");
        assertThat(managed.findValuesAsText("manager")).containsExactly("kubectl");
        assertThat(managed.get(0).path("operation").asText()).isEqualTo("Update");
    }
}

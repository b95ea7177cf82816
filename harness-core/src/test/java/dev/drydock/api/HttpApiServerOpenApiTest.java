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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP shell answers {@code /openapi/...} with the documents of the registry's kinds, status and headers kept. */
class HttpApiServerOpenApiTest extends ApiServerTestSupport {

    private HttpApiServer http;
    private final HttpClient httpClient = HttpClient.newHttpClient(); // follows no redirects

    @BeforeEach
    void serve() throws IOException {
        http = new HttpApiServer(api, api, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "t");
    }

    @AfterEach
    void stopServing() {
        http.close();
    }

    private HttpResponse<byte[]> get(String path, String header, String value) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.url() + path));
        if (header != null) {
            b.header(header, value);
        }
        return httpClient.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theIndexListsTheRegistrysGroupVersionsAndItsDocumentsAreCacheable() throws Exception {
        HttpResponse<byte[]> index = get("/openapi/v3", null, null);
        assertThat(index.statusCode()).isEqualTo(200);
        JsonNode paths = Json.parse(index.body()).path("paths");
        java.util.List<String> served = new java.util.ArrayList<>();
        api.registry().groups().forEach((group, versions) -> versions.forEach(v -> served.add(group.isEmpty()
                ? "api/" + v : "apis/" + group + "/" + v)));
        assertThat(paths.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(served)
                .contains("api/v1", "apis/apps/v1");

        String url = paths.path("apis/apps/v1").path("serverRelativeURL").asText();
        HttpResponse<byte[]> apps = get(url, "Accept", "application/json");
        assertThat(apps.statusCode()).isEqualTo(200);
        assertThat(apps.headers().firstValue("Cache-Control")).hasValue("public, immutable");
        assertThat(Json.parse(apps.body()).path("components").path("schemas").has("io.k8s.api.apps.v1.Deployment"))
                .isTrue();

        String etag = apps.headers().firstValue("ETag").orElseThrow();
        assertThat(get(url, "If-None-Match", etag).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> old = get("/openapi/v3/apis/apps/v1?hash=00", null, null);
        assertThat(old.statusCode()).isEqualTo(301);
        assertThat(old.headers().firstValue("Location")).hasValue(url);
    }

    @Test
    void theV2DocumentIsServedAsJsonAndAsProtobuf() throws Exception {
        HttpResponse<byte[]> json = get("/openapi/v2", null, null);
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(Json.parse(json.body()).path("swagger").asText()).isEqualTo("2.0");

        HttpResponse<byte[]> proto = get("/openapi/v2", "Accept",
                "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
        assertThat(proto.statusCode()).isEqualTo(200);
        assertThat(proto.headers().firstValue("Content-Type"))
                .hasValue("application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
        assertThat(proto.body()).startsWith(0x0a, 0x03, '2', '.', '0'); // field 1 (swagger): "2.0"
    }
}

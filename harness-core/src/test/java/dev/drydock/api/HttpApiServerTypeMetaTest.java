package dev.drydock.api;

import static dev.drydock.api.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import java.io.ByteArrayOutputStream;
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

/** Over HTTP, JSON and protobuf bodies without kind or apiVersion get them from the URL, as kube-apiserver's do. */
class HttpApiServerTypeMetaTest extends ApiServerTestSupport {

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

    private HttpResponse<byte[]> post(String path, String contentType, byte[] body) throws Exception {
        return httpClient.send(HttpRequest.newBuilder(URI.create(http.url() + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aJsonBodyWithoutKindIsCreatedWithKindAndApiVersionFirst() throws Exception {
        ObjectNode body = pod("web").build();
        body.remove("kind");
        body.remove("apiVersion");

        HttpResponse<byte[]> r = post("/api/v1/namespaces/default/pods", "application/json; charset=utf-8",
                Json.bytes(body));

        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode created = Json.parse(r.body());
        assertThat(created.fieldNames()).toIterable().startsWith("kind", "apiVersion");
        assertThat(created.path("kind").asText()).isEqualTo("Pod");
        assertThat(created.path("apiVersion").asText()).isEqualTo("v1");
    }

    @Test
    void aProtobufBodyWhoseTypeMetaIsEmptyTakesItFromThePath() throws Exception {
        byte[] metadata = message(1, "x".getBytes(StandardCharsets.UTF_8));   // ObjectMeta{name: "x"}
        byte[] namespace = message(1, metadata);                              // Namespace{metadata}
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {'k', '8', 's', 0});
        body.writeBytes(message(1, new byte[0]));                             // Unknown.typeMeta: empty
        body.writeBytes(message(2, namespace));                               // Unknown.raw

        HttpResponse<byte[]> r = post("/api/v1/namespaces", "application/vnd.kubernetes.protobuf",
                body.toByteArray());

        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        JsonNode created = Json.parse(r.body());
        assertThat(created.path("kind").asText()).isEqualTo("Namespace");
        assertThat(created.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(Json.name(client.get(NAMESPACES, null, "x"))).isEqualTo("x");
    }

    @Test
    void aYamlBodyIsCreatedAsKubeCreatesIt() throws Exception {
        HttpResponse<byte[]> r = post("/api/v1/namespaces/" + NS + "/configmaps", "application/yaml",
                "metadata:\n  name: from-yaml\ndata:\n  port: \"8080\"\n".getBytes(StandardCharsets.UTF_8));

        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        JsonNode created = Json.parse(r.body());
        assertThat(created.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(created.at("/data/port").asText()).isEqualTo("8080");

        HttpResponse<byte[]> bad = post("/api/v1/namespaces/" + NS + "/configmaps", "application/yaml",
                "metadata: [unclosed\n".getBytes(StandardCharsets.UTF_8));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Json.parse(bad.body()).path("message").asText()).startsWith("error decoding YAML");
    }

    /** One length-delimited protobuf field (wire type 2); lengths here stay under 128, one varint byte. */
    private static byte[] message(int field, byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(field << 3 | 2);
        out.write(bytes.length);
        out.writeBytes(bytes);
        return out.toByteArray();
    }
}

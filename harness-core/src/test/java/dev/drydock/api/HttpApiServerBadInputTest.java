package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.kinds.CoreV1Kinds;
import dev.drydock.kube.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input over HTTP gets kube's answer, a {@code Status} with its code and reason, and the server serves on: bodies
 * that are not JSON, not an object, nested too deep or of the wrong kind, names kube refuses, paths that try to leave
 * the API, and query parameters that do not parse. (Oversized bodies: {@link HttpApiServerStreamingTest}.)
 */
class HttpApiServerBadInputTest extends ApiServerTestSupport {

    private static final String CONFIG_MAPS = "/api/v1/namespaces/" + NS + "/configmaps";

    private HttpApiServer http;
    private final HttpClient httpClient = HttpClient.newHttpClient();

    @BeforeEach
    void serve() throws IOException {
        http = new HttpApiServer(api, api, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "t");
    }

    @AfterEach
    void stopServing() throws Exception {
        // whatever came before, the server still answers
        HttpResponse<byte[]> r = send("GET", CONFIG_MAPS, null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        http.close();
    }

    private HttpResponse<byte[]> send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.url() + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return httpClient.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The answer's Status, checked to be one with the code of the response. */
    private static JsonNode status(HttpResponse<byte[]> r, int code, String reason) throws IOException {
        JsonNode s = Json.parse(r.body());
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(code);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(s.path("kind").asText()).isEqualTo("Status");
        assertThat(s.path("status").asText()).isEqualTo("Failure");
        assertThat(s.path("code").asInt()).isEqualTo(code);
        assertThat(s.path("reason").asText()).isEqualTo(reason);
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            text/plain               | {"metadata":{"name":"a"}}  | 415 | UnsupportedMediaType | accepted media types include: application/json
            application/json         | {"metadata":               | 400 | BadRequest           | could not be decoded as JSON
            application/json         | [1, 2]                     | 400 | BadRequest           | unknown format
            application/json         | null                       | 400 | BadRequest           | unknown format
            application/json         | {"metadata":{"name":5}}    | 400 | BadRequest           | json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string
            application/json         | {"kind":"Secret","apiVersion":"v1","metadata":{"name":"s"}} | 400 | BadRequest | Secret in version "v1" cannot be handled as a ConfigMap
            application/json         | {"metadata":{"name":"a","namespace":"other"}} | 400 | BadRequest | does not match the namespace sent on the request
            application/json         | {"metadata":{"name":"café"}} | 422 | Invalid            | a lowercase RFC 1123 subdomain must consist of
            """)
    void aBadBodyIsRefusedWithAStatus(String contentType, String body, int code, String reason, String message)
            throws Exception {
        JsonNode s = status(send("POST", CONFIG_MAPS, contentType, body), code, reason);
        assertThat(s.path("message").asText()).contains(message);
        assertThat(client.list(CoreV1Kinds.CONFIG_MAPS, NS, Map.of()).path("items")).isEmpty();
    }

    @Test
    void anEmptyBodyIsABadRequest() throws Exception {
        assertThat(status(send("POST", CONFIG_MAPS, "application/json", ""), 400, "BadRequest")
                .path("message").asText()).isEqualTo("the body of the request was empty");
    }

    @Test
    void aBodyNestedDeeperThanTheDecoderAllowsIsABadRequestNotACrash() throws Exception {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        JsonNode s = status(send("POST", CONFIG_MAPS, "application/json",
                "{\"metadata\":{\"name\":\"d\"},\"data\":" + deep + "}"), 400, "BadRequest");
        assertThat(s.path("message").asText()).contains("nesting depth");
    }

    @Test
    void aNameLongerThanKubeAllowsIsInvalidAndNamedInTheCause() throws Exception {
        String name = "a".repeat(254);
        JsonNode s = status(send("POST", CONFIG_MAPS, "application/json",
                "{\"metadata\":{\"name\":\"" + name + "\"}}"), 422, "Invalid");
        assertThat(s.path("message").asText()).contains("must be no more than 253 characters");
        assertThat(s.at("/details/causes/0/field").asText()).isEqualTo("metadata.name");
    }

    @Test
    void aPathThatTriesToLeaveTheApiFindsNothing() throws Exception {
        status(send("GET", "/api/v1/namespaces/../../../etc/passwd", null, null), 404, "NotFound");
        JsonNode s = status(send("GET", CONFIG_MAPS + "/..%2F..%2Fsecrets", null, null), 400, "BadRequest");
        assertThat(s.path("message").asText()).isEqualTo("invalid resource name \"../../secrets\": "
                + "[may not contain '/']");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ?limit=abc                       | invalid limit: abc
            ?resourceVersion=abc             | invalid resource version: abc
            ?watch=1&resourceVersion=abc     | invalid resource version: abc
            ?labelSelector=a%20in%20(        | unable to parse requirement
            ?fieldSelector=spec.foo%3Dx      | field label not supported: spec.foo
            """)
    void aQueryParameterThatDoesNotParseIsABadRequest(String query, String message) throws Exception {
        assertThat(status(send("GET", CONFIG_MAPS + query, null, null), 400, "BadRequest").path("message").asText())
                .contains(message);
    }

    @Test
    void aMethodThePathDoesNotServeIsNotAllowed() throws Exception {
        status(send("PUT", CONFIG_MAPS, "application/json", "{}"), 405, "MethodNotAllowed");
    }
}

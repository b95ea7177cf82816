package dev.drydock.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gRPC health check's HTTP/2 and HPACK, without a socket: RFC 7541's examples and a server's answers. */
class GrpcHealthCallTest {

    @Test
    void decodesRfc7541sRequestExamplesWithHuffmanCodingAndTheDynamicTable() {
        Hpack hpack = new Hpack();
        assertThat(hpack.decode(hex("828684418cf1e3c2e5f23a6ba0ab90f4ff"))).containsExactly(
                Map.entry(":method", "GET"), Map.entry(":scheme", "http"), Map.entry(":path", "/"),
                Map.entry(":authority", "www.example.com"));
        assertThat(hpack.decode(hex("828684be5886a8eb10649cbf"))).containsExactly(
                Map.entry(":method", "GET"), Map.entry(":scheme", "http"), Map.entry(":path", "/"),
                Map.entry(":authority", "www.example.com"), Map.entry("cache-control", "no-cache"));
        assertThat(hpack.decode(hex("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf"))).containsExactly(
                Map.entry(":method", "GET"), Map.entry(":scheme", "https"), Map.entry(":path", "/index.html"),
                Map.entry(":authority", "www.example.com"), Map.entry("custom-key", "custom-value"));
    }

    @Test
    void whatItEncodesDecodes() {
        List<Map.Entry<String, String>> headers = List.of(Map.entry(":status", "200"),
                Map.entry("a-long-name-" + "x".repeat(200), "v".repeat(300)));
        assertThat(new Hpack().decode(Hpack.encode(headers))).isEqualTo(headers);
    }

    @Test
    void aServingAnswerIsSuccessAndTheServersSettingsAreAcknowledged() {
        GrpcHealthCall call = new GrpcHealthCall("10.0.0.1:9090", "");
        assertThat(new String(call.request(), 0, 24, StandardCharsets.US_ASCII))
                .isEqualTo("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

        byte[] reply = call.received(frame(4, 0, 0, new byte[0]));
        assertThat(reply).isEqualTo(frame(4, 1, 0, new byte[0])); // SETTINGS ACK
        byte[] answer = concat(
                frame(1, 0x4, 1, Hpack.encode(List.of(Map.entry(":status", "200"),
                        Map.entry("content-type", "application/grpc")))),
                frame(0, 0, 1, new byte[] {0, 0, 0, 0, 2, 0x08, 0x01}),
                frame(1, 0x5, 1, Hpack.encode(List.of(Map.entry("grpc-status", "0")))));
        call.received(java.util.Arrays.copyOf(answer, 20)); // frames may come cut anywhere
        assertThat(call.done()).isFalse();
        call.received(java.util.Arrays.copyOfRange(answer, 20, answer.length));

        assertThat(call.done()).isTrue();
        assertThat(call.error()).isNull();
        assertThat(call.status()).isEqualTo("SERVING");
    }

    @Test
    void aTrailersOnlyAnswerGivesItsGrpcCode() {
        GrpcHealthCall call = new GrpcHealthCall("10.0.0.1:9090", "no.such.Service");
        call.received(concat(frame(4, 0, 0, new byte[0]), frame(1, 0x5, 1, Hpack.encode(List.of(
                Map.entry(":status", "200"), Map.entry("content-type", "application/grpc"),
                Map.entry("grpc-status", "5"), Map.entry("grpc-message", "unknown%20service"))))));

        assertThat(call.error().reason()).isEqualTo("NotFound");
        assertThat(call.error().getMessage()).isEqualTo("unknown service");
    }

    @Test
    void aServerThatDoesNotSpeakHttp2IsUnavailable() {
        GrpcHealthCall call = new GrpcHealthCall("10.0.0.1:8080", "");
        call.received("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(call.error().reason()).isEqualTo("Unavailable");

        GrpcHealthCall closed = new GrpcHealthCall("10.0.0.1:8080", "");
        closed.ended("connection refused");
        assertThat(closed.error().reason()).isEqualTo("Unavailable");
    }

    private static byte[] frame(int type, int flags, int stream, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = payload.length;
        out.writeBytes(new byte[] {(byte) (n >>> 16), (byte) (n >>> 8), (byte) n, (byte) type, (byte) flags, 0, 0, 0,
            (byte) stream});
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }
}

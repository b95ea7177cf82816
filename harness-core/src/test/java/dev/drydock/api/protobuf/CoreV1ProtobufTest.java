package dev.drydock.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The bodies of {@code kubectl create quota} (a ResourceQuota) and {@code kubectl create token} (a TokenRequest
 * posted to {@code serviceaccounts/<name>/token}), built field by field as kubectl encodes them.
 */
class CoreV1ProtobufTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void decodesAResourceQuota() throws Exception {
        Msg quota = new Msg()
                .m(1, new Msg().s(1, "q").s(3, "default"))
                .m(2, new Msg()
                        .m(1, new Msg().s(1, "pods").m(2, new Msg().s(1, "10")))
                        .m(1, new Msg().s(1, "requests.cpu").m(2, new Msg().s(1, "2")))
                        .s(2, "BestEffort")
                        .m(3, new Msg().m(1, new Msg().s(1, "PriorityClass").s(2, "In").s(3, "high"))))
                .m(3, new Msg());

        assertThat(ProtobufDecoder.decode(envelope("v1", "ResourceQuota", quota))).isEqualTo(JSON.readTree("""
                {"kind": "ResourceQuota", "apiVersion": "v1",
                 "metadata": {"name": "q", "namespace": "default", "creationTimestamp": null},
                 "spec": {"hard": {"pods": "10", "requests.cpu": "2"}, "scopes": ["BestEffort"],
                          "scopeSelector": {"matchExpressions": [
                              {"scopeName": "PriorityClass", "operator": "In", "values": ["high"]}]}},
                 "status": {}}"""));
    }

    @Test
    void decodesATokenRequestWhoseKindComesFromTheSubresourcePath() throws Exception {
        Msg request = new Msg()
                .m(1, new Msg())
                .m(2, new Msg().s(1, "api").v(4, 600)
                        .m(3, new Msg().s(1, "Pod").s(2, "v1").s(3, "web").s(4, "u-1")))
                .m(3, new Msg());

        assertThat(ProtobufDecoder.decode(envelope("", "", request), "authentication.k8s.io/v1", "TokenRequest"))
                .isEqualTo(JSON.readTree("""
                        {"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
                         "metadata": {"creationTimestamp": null},
                         "spec": {"audiences": ["api"], "expirationSeconds": 600,
                                  "boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "web", "uid": "u-1"}},
                         "status": {"token": "", "expirationTimestamp": null}}"""));
    }

    @Test
    void aTokenRequestWithoutAudiencesSaysNullAsGoDoes() throws Exception {
        assertThat(ProtobufDecoder.decode(envelope("authentication.k8s.io/v1", "TokenRequest", new Msg()))
                .path("spec").toString()).isEqualTo("{\"audiences\":null}");
    }

    private static byte[] envelope(String apiVersion, String kind, Msg raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'k', '8', 's', 0});
        out.writeBytes(new Msg().m(1, new Msg().s(1, apiVersion).s(2, kind)).m(2, raw).bytes());
        return out.toByteArray();
    }

    /** A protobuf message written field by field. */
    private static final class Msg {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Msg v(int field, long value) {
            varint((long) field << 3);
            varint(value);
            return this;
        }

        Msg s(int field, String value) {
            return raw(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Msg m(int field, Msg message) {
            return raw(field, message.bytes());
        }

        private Msg raw(int field, byte[] bytes) {
            varint((long) field << 3 | 2);
            varint(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void varint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) (value & 0x7F | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}

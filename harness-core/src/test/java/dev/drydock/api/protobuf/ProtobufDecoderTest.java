package dev.drydock.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decodes request bodies captured from kubectl 1.32 (see src/test/resources/protobuf/README.md)
 * and compares them with kubectl's own JSON for the same objects; then covers the Go JSON rules
 * the captures do not reach and the error cases with small hand-built protobuf messages.
 */
class ProtobufDecoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    // No normalisation is needed: the decoder's trees equal the parsed JSON exactly (it emits
    // int64 values that fit in an int as IntNode, just as Jackson parses them).
    @ParameterizedTest
    @ValueSource(strings = {
        "deployment-web", "deployment-web2", "deployment-multi", "namespace-x", "configmap-c", "configmap-files",
        "secret-s", "secret-typed", "secret-docker", "service-svc", "service-headless", "service-nodeport",
        "service-lb", "service-externalname", "serviceaccount-sa", "job-j", "cronjob-cj", "job-from-cronjob",
        "pod-debug-copy"})
    void decodesKubectlBodyToKubectlJson(String name) throws Exception {
        JsonNode decoded = ProtobufDecoder.decode(resource(name + ".pb"));

        assertThat(decoded).isEqualTo(JSON.readTree(resource(name + ".json")));
    }

    @Test
    void writesKindAndApiVersionFirstLikeKube() throws Exception {
        JsonNode decoded = ProtobufDecoder.decode(resource("deployment-web.pb"));

        assertThat(decoded.fieldNames()).toIterable().startsWith("kind", "apiVersion", "metadata", "spec", "status");
    }

    @Test
    void appliesGoJsonRulesForPointersStructsAndSpecialTypes() throws Exception {
        ProtoWriter container = msg().s(1, "app").s(2, "nginx")
                .m(8, msg().m(1, msg().s(1, "cpu").m(2, msg().s(1, "500m"))))
                .m(10, msg().m(1, msg().m(4, msg().v(1, 9000))).v(4, 10)); // grpc probe without service
        ProtoWriter spec = msg()
                .v(1, 0) // replicas is *int32: present, so written even though 0
                .m(3, msg().m(1, msg().entry(11, "app", "web")).m(2, msg().m(2, container)))
                .m(4, msg().s(1, "RollingUpdate").m(2, msg()
                        .m(1, msg().v(1, 0).v(2, 1))          // maxUnavailable: 1
                        .m(2, msg().v(1, 1).s(3, "25%"))))    // maxSurge: "25%"
                .v(5, 0)  // minReadySeconds: plain int32 with omitempty, left out
                .v(7, 1); // paused
        ProtoWriter deployment = msg()
                .m(1, msg().s(1, "web").s(3, "ns").v(7, 2)
                        .m(8, msg().v(1, 1_714_979_289L))  // creationTimestamp
                        .m(9, msg())                       // deletionTimestamp: non-nil pointer to zero time
                        .entry(11, "b", "2").entry(11, "a", "1"))
                .m(2, spec)
                .m(3, msg().m(6, msg().s(1, "Available").s(2, "True").m(6, msg().v(1, 60)))); // lastUpdateTime

        JsonNode decoded = ProtobufDecoder.decode(envelope("apps/v1", "Deployment", deployment));

        assertThat(decoded).isEqualTo(JSON.readTree("""
                {"kind": "Deployment", "apiVersion": "apps/v1",
                 "metadata": {"name": "web", "namespace": "ns", "generation": 2,
                              "creationTimestamp": "2024-05-06T07:08:09Z", "deletionTimestamp": null,
                              "labels": {"a": "1", "b": "2"}},
                 "spec": {"replicas": 0, "selector": null,
                          "template": {"metadata": {"creationTimestamp": null, "labels": {"app": "web"}},
                                       "spec": {"containers": [{"name": "app", "image": "nginx",
                                                                "resources": {"limits": {"cpu": "500m"}},
                                                                "livenessProbe": {"grpc": {"port": 9000, "service": null},
                                                                                  "periodSeconds": 10}}]}},
                          "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": "25%"}},
                          "paused": true},
                 "status": {"conditions": [{"type": "Available", "status": "True",
                                            "lastUpdateTime": "1970-01-01T00:01:00Z", "lastTransitionTime": null}]}}
                """));
        assertThat(decoded.get("metadata").get("labels").fieldNames()).toIterable().containsExactly("a", "b");
    }

    @Test
    void writesNilSlicesWithoutOmitemptyAsNull() throws Exception {
        // PodSpec.containers has no omitempty, so a pod template without containers shows null.
        JsonNode decoded = ProtobufDecoder.decode(envelope("v1", "Pod", msg().m(2, msg().s(3, "Never"))));

        assertThat(decoded.get("spec").get("containers")).isEqualTo(NullNode.getInstance());
        assertThat(decoded.get("status")).isEmpty();
    }

    @Test
    void acceptsPackedAndUnpackedRepeatedScalars() throws Exception {
        ProtoWriter packed = msg().m(2, msg().m(14, msg().packed(4, 4, 5, 1L << 40)));
        ProtoWriter unpacked = msg().m(2, msg().m(14, msg().v(4, 4).v(4, 5).v(4, 1L << 40)));

        JsonNode a = ProtobufDecoder.decode(envelope("v1", "Pod", packed));
        JsonNode b = ProtobufDecoder.decode(envelope("v1", "Pod", unpacked));

        assertThat(a).isEqualTo(b);
        assertThat(a.get("spec").get("securityContext").get("supplementalGroups").toString()).isEqualTo("[4,5,1099511627776]");
    }

    @Test
    void mergesRepeatedOccurrencesOfASingularMessageLikeProtobufDoes() throws Exception {
        ProtoWriter secret = msg().m(1, msg().s(1, "s")).m(1, msg().s(3, "ns")).s(3, "Opaque").s(3, "kubernetes.io/basic-auth");

        JsonNode decoded = ProtobufDecoder.decode(envelope("v1", "Secret", secret));

        assertThat(decoded.get("metadata")).isEqualTo(JSON.readTree("{\"name\":\"s\",\"namespace\":\"ns\",\"creationTimestamp\":null}"));
        assertThat(decoded.get("type").asText()).isEqualTo("kubernetes.io/basic-auth");
    }

    @Test
    void rendersMicroTimeAndRawExtension() throws Exception {
        byte[] microTime = msg().v(1, 1_714_979_289L).v(2, 123_456_789).toByteArray();
        byte[] raw = msg().raw(1, "{\"f:metadata\":{}}".getBytes(StandardCharsets.UTF_8)).toByteArray();

        assertThat(KubeValues.microTime(microTime, "t").asText()).isEqualTo("2024-05-06T07:08:09.123456Z");
        assertThat(KubeValues.microTime(new byte[0], "t").isNull()).isTrue();
        assertThat(KubeValues.rawJson(raw, "RawExtension", "r").toString()).isEqualTo("{\"f:metadata\":{}}");
        assertThat(KubeValues.rawJson(new byte[0], "RawExtension", "r").isNull()).isTrue();
    }

    @Test
    void rejectsBodyWithoutMagic() {
        byte[] json = "{\"kind\":\"Namespace\",\"apiVersion\":\"v1\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ProtobufDecoder.decode(json))
                .isInstanceOf(UnsupportedProtobufException.class)
                .hasMessageContaining("does not start with the magic bytes");
        assertThatThrownBy(() -> ProtobufDecoder.decode(new byte[] {'k', '8'}))
                .isInstanceOf(UnsupportedProtobufException.class)
                .hasMessageContaining("magic");
    }

    @Test
    void rejectsTruncatedBody() throws Exception {
        byte[] body = resource("deployment-web.pb");

        assertThatThrownBy(() -> ProtobufDecoder.decode(Arrays.copyOf(body, body.length - 1)))
                .isInstanceOf(UnsupportedProtobufException.class)
                .hasMessageStartingWith("protobuf body is truncated");
        assertThatThrownBy(() -> ProtobufDecoder.decode(Arrays.copyOf(body, body.length / 2)))
                .isInstanceOf(UnsupportedProtobufException.class)
                .hasMessageStartingWith("protobuf body is truncated");
    }

    @Test
    void everyPrefixOfABodyEitherDecodesOrFailsCleanly() throws Exception {
        // A cut exactly between two envelope fields is still valid protobuf; every other cut must be
        // reported as UnsupportedProtobufException, never as an unchecked exception.
        byte[] body = resource("job-from-cronjob.pb");
        for (int len = 0; len < body.length; len++) {
            try {
                ProtobufDecoder.decode(Arrays.copyOf(body, len));
            } catch (UnsupportedProtobufException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void corruptedBodiesFailCleanly() throws Exception {
        // Random byte changes (fixed seed) must decode or raise UnsupportedProtobufException, never
        // an unchecked exception that would surface as a 500.
        byte[] body = resource("job-from-cronjob.pb");
        Random random = new Random(20240506);
        int rejected = 0;
        for (int i = 0; i < 2_000; i++) {
            byte[] corrupt = body.clone();
            corrupt[4 + random.nextInt(corrupt.length - 4)] = (byte) random.nextInt(256);
            try {
                ProtobufDecoder.decode(corrupt);
            } catch (UnsupportedProtobufException expected) {
                rejected++;
            }
        }
        assertThat(rejected).isPositive();
    }

    @Test
    void rejectsUnknownFieldNumber() {
        ProtoWriter container = msg().s(1, "app").s(2, "nginx").v(99, 1);
        ProtoWriter deployment = msg().m(2, msg().m(3, msg().m(2, msg().m(2, container))));

        assertThatThrownBy(() -> ProtobufDecoder.decode(envelope("apps/v1", "Deployment", deployment)))
                .isInstanceOf(UnsupportedProtobufException.class)
                .hasMessage("protobuf field 99 of message io.k8s.api.core.v1.Container is not supported by drydock;"
                        + " send JSON instead (at spec.template.spec.containers[0])");
    }

    @Test
    void rejectsUnknownTopLevelField() {
        assertThatThrownBy(() -> ProtobufDecoder.decode(envelope("v1", "ConfigMap", msg().v(42, 1))))
                .isInstanceOf(UnsupportedProtobufException.class)
                .hasMessage("protobuf field 42 of message io.k8s.api.core.v1.ConfigMap is not supported by drydock;"
                        + " send JSON instead");
    }

    @Test
    void rejectsKnownButUnsupportedField() {
        ProtoWriter pod = msg().m(2, msg().m(18, msg())); // spec.affinity

        assertThatThrownBy(() -> ProtobufDecoder.decode(envelope("v1", "Pod", pod)))
                .isInstanceOf(UnsupportedProtobufException.class)
                .hasMessage("protobuf field 18 (affinity) of message io.k8s.api.core.v1.PodSpec is not supported by drydock;"
                        + " send JSON instead (at spec.affinity)");
    }

    @Test
    void takesAMissingKindAndApiVersionFromThePathAsKubeDoes() throws Exception {
        ProtoWriter namespace = msg().m(1, msg().s(1, "x"));

        JsonNode decoded = ProtobufDecoder.decode(withMagic(msg().m(1, msg()).m(2, namespace)), "v1", "Namespace");

        assertThat(decoded.path("kind").asText()).isEqualTo("Namespace");
        assertThat(decoded.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(decoded.path("metadata").path("name").asText()).isEqualTo("x");
        assertThat(decoded.fieldNames()).toIterable().startsWith("kind", "apiVersion");
    }

    @Test
    void keepsTheKindAndApiVersionTheBodyNamesWhateverThePath() throws Exception {
        JsonNode decoded = ProtobufDecoder.decode(envelope("v1", "Namespace", msg().m(1, msg().s(1, "x"))),
                "apps/v1", "Deployment");

        assertThat(decoded.path("kind").asText()).isEqualTo("Namespace");
        assertThat(decoded.path("apiVersion").asText()).isEqualTo("v1");
    }

    @Test
    void withoutADefaultABodyWithoutKindIsRefused() {
        assertThatThrownBy(() -> ProtobufDecoder.decode(withMagic(msg().m(1, msg()).m(2, msg()))))
                .isInstanceOf(UnsupportedProtobufException.class)
                .hasMessage("protobuf body has no apiVersion/kind in its typeMeta");
    }

    @Test
    void rejectsUnsupportedKind() {
        assertThatThrownBy(() -> ProtobufDecoder.decode(envelope("node.k8s.io/v1", "RuntimeClass", msg())))
                .isInstanceOf(UnsupportedProtobufException.class)
                .hasMessageStartingWith("kind RuntimeClass (node.k8s.io/v1) is not supported in protobuf by drydock")
                .hasMessageContaining("apps/v1 Deployment");
    }

    @Test
    void rejectsWrongWireType() {
        ProtoWriter namespace = msg().m(1, msg().v(1, 7)); // metadata.name as a varint

        assertThatThrownBy(() -> ProtobufDecoder.decode(envelope("v1", "Namespace", namespace)))
                .isInstanceOf(UnsupportedProtobufException.class)
                .hasMessageContaining("field 1 of message io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta has wire type 0, expected 2");
    }

    @Test
    void rejectsEncodedRawContent() {
        ProtoWriter unknown = msg().m(1, msg().s(1, "v1").s(2, "Namespace")).raw(2, new byte[0]).s(3, "gzip");

        assertThatThrownBy(() -> ProtobufDecoder.decode(withMagic(unknown)))
                .isInstanceOf(UnsupportedProtobufException.class)
                .hasMessageContaining("content encoding 'gzip'");
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ProtobufDecoderTest.class.getResourceAsStream("/protobuf/" + name)) {
            assertThat(in).as("test resource protobuf/" + name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static ProtoWriter msg() {
        return new ProtoWriter();
    }

    /** Wraps a typed message the way client-go does: magic, then runtime.Unknown{typeMeta, raw}. */
    private static byte[] envelope(String apiVersion, String kind, ProtoWriter raw) {
        return withMagic(msg().m(1, msg().s(1, apiVersion).s(2, kind)).m(2, raw));
    }

    private static byte[] withMagic(ProtoWriter unknown) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'k', '8', 's', 0});
        out.writeBytes(unknown.toByteArray());
        return out.toByteArray();
    }

    /** Just enough of a protobuf writer to build test messages field by field. */
    private static final class ProtoWriter {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        ProtoWriter v(int field, long value) {
            tag(field, 0);
            varint(value);
            return this;
        }

        ProtoWriter s(int field, String value) {
            return raw(field, value.getBytes(StandardCharsets.UTF_8));
        }

        ProtoWriter m(int field, ProtoWriter message) {
            return raw(field, message.toByteArray());
        }

        ProtoWriter raw(int field, byte[] bytes) {
            tag(field, 2);
            varint(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        /** One map<string,string> entry: key=1, value=2. */
        ProtoWriter entry(int field, String key, String value) {
            return m(field, msg().s(1, key).s(2, value));
        }

        ProtoWriter packed(int field, long... values) {
            ProtoWriter run = msg();
            for (long value : values) {
                run.varint(value);
            }
            return raw(field, run.toByteArray());
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void tag(int field, int wireType) {
            varint(((long) field << 3) | wireType);
        }

        private void varint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}

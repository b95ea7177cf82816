package dev.drydock.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * policy/v1 bodies as kubectl sends them in protobuf: the Eviction of {@code kubectl drain} (with its
 * DeleteOptions) and the PodDisruptionBudget of {@code kubectl create pdb}, decoded to kube's JSON.
 */
class PolicyProtobufTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void decodesAnEvictionWithItsDeleteOptions() throws Exception {
        Msg eviction = new Msg()
                .m(1, new Msg().s(1, "web-1").s(3, "default"))
                .m(2, new Msg().v(1, 30).m(2, new Msg().s(1, "u-1")).s(5, "All"));

        var decoded = ProtobufDecoder.decode(envelope("policy/v1", "Eviction", eviction), "policy/v1", "Eviction");

        assertThat(decoded).isEqualTo(JSON.readTree("""
                {"kind":"Eviction","apiVersion":"policy/v1",
                 "metadata":{"name":"web-1","namespace":"default","creationTimestamp":null},
                 "deleteOptions":{"gracePeriodSeconds":30,"preconditions":{"uid":"u-1"},"dryRun":["All"]}}"""));
    }

    @Test
    void decodesABudgetWithAPercentageAndASelector() throws Exception {
        Msg pdb = new Msg()
                .m(1, new Msg().s(1, "web"))
                .m(2, new Msg()
                        .m(1, new Msg().v(1, 1).s(3, "50%"))
                        .m(2, new Msg().m(1, new Msg().s(1, "app").s(2, "web"))))
                .m(3, new Msg());

        var decoded = ProtobufDecoder.decode(envelope("policy/v1", "PodDisruptionBudget", pdb), "policy/v1",
                "PodDisruptionBudget");

        assertThat(decoded).isEqualTo(JSON.readTree("""
                {"kind":"PodDisruptionBudget","apiVersion":"policy/v1",
                 "metadata":{"name":"web","creationTimestamp":null},
                 "spec":{"minAvailable":"50%","selector":{"matchLabels":{"app":"web"}}},
                 "status":{"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":0,"expectedPods":0}}"""));
    }

    /** client-go's envelope: magic, then runtime.Unknown{typeMeta, raw}. */
    private static byte[] envelope(String apiVersion, String kind, Msg raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'k', '8', 's', 0});
        out.writeBytes(new Msg().m(1, new Msg().s(1, apiVersion).s(2, kind)).m(2, raw).bytes());
        return out.toByteArray();
    }

    /** Just enough of a protobuf writer for these messages. */
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
            varint(((long) field << 3) | 2);
            varint(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
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

package dev.drydock.api.protobuf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;

/**
 * JSON for the apimachinery types that have hand-written protobuf and JSON encodings in Go:
 * Time, MicroTime, IntOrString, Quantity, FieldsV1 and RawExtension. Each takes the (merged)
 * bytes of the nested message and returns what that type's MarshalJSON would write.
 */
final class KubeValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // Raw content must be exactly one JSON value, as Go's json.Valid would require.
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC3339_MICRO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    /** Go's zero time.Time (January 1, year 1, UTC), which metav1.Time writes as null. */
    private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");
    /** The syntax resource.ParseQuantity accepts: sign, decimal number, then a suffix or exponent. */
    private static final Pattern QUANTITY = Pattern.compile(
            "[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(|[eE][+-]?\\d+|[KMGTPE]i|[mkMGTPE]|n|u)");

    private KubeValues() {
    }

    /**
     * metav1.Time: an empty message is the zero time (null in JSON). Like kube-apiserver, only the
     * seconds are used: JSON carries whole seconds, so Go's Time.Unmarshal drops the nanos too.
     */
    static JsonNode time(byte[] data, String path) throws UnsupportedProtobufException {
        if (data.length == 0) {
            return NullNode.getInstance();
        }
        Instant t = instant(timestamp(data, "Time", path)[0], 0, path);
        return t.equals(GO_ZERO_TIME) ? NullNode.getInstance() : NODES.textNode(RFC3339.format(t));
    }

    /** metav1.MicroTime: like Time but keeps microseconds (nanos are truncated, as in Go). */
    static JsonNode microTime(byte[] data, String path) throws UnsupportedProtobufException {
        if (data.length == 0) {
            return NullNode.getInstance();
        }
        long[] ts = timestamp(data, "MicroTime", path);
        // Integer division truncates toward zero, like Go's Duration.Truncate; ofEpochSecond
        // normalises out-of-range nanos the way Go's time.Unix does.
        Instant t = instant(ts[0], ts[1] / 1000 * 1000, path);
        return t.equals(GO_ZERO_TIME) ? NullNode.getInstance() : NODES.textNode(RFC3339_MICRO.format(t));
    }

    private static Instant instant(long seconds, long nanos, String path) throws UnsupportedProtobufException {
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (DateTimeException e) {
            throw new UnsupportedProtobufException("timestamp " + seconds + "s out of range at " + path);
        }
    }

    /** Reads a meta/v1 Timestamp message: seconds=1 (int64), nanos=2 (int32). */
    private static long[] timestamp(byte[] data, String type, String path) throws UnsupportedProtobufException {
        String name = "io.k8s.apimachinery.pkg.apis.meta.v1." + type;
        WireFields f = WireFields.parse(data, name + " at " + path);
        requireOnly(f, name, path, 1, 2);
        return new long[] {lastVarint(f, 1, name, path), (int) lastVarint(f, 2, name, path)};
    }

    /** intstr.IntOrString: type=1 (0 int, 1 string), intVal=2, strVal=3. */
    static JsonNode intOrString(byte[] data, String path) throws UnsupportedProtobufException {
        String name = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
        WireFields f = WireFields.parse(data, name + " at " + path);
        requireOnly(f, name, path, 1, 2, 3);
        long type = lastVarint(f, 1, name, path);
        if (type == 0) {
            return NODES.numberNode((int) lastVarint(f, 2, name, path));
        }
        if (type == 1) {
            return NODES.textNode(lastString(f, 3, name, path));
        }
        // Go's MarshalJSON fails the same way ("impossible IntOrString.Type").
        throw new UnsupportedProtobufException("invalid IntOrString type " + type + " at " + path);
    }

    /**
     * resource.Quantity: string=1. An empty message is the zero quantity, written "0". The string is
     * passed through as sent: Go clients always send the canonical form (Quantity.String()), which
     * is also what kube would write back.
     */
    static JsonNode quantity(byte[] data, String path) throws UnsupportedProtobufException {
        String name = "io.k8s.apimachinery.pkg.api.resource.Quantity";
        WireFields f = WireFields.parse(data, name + " at " + path);
        requireOnly(f, name, path, 1);
        if (!f.has(1)) {
            return NODES.textNode("0");
        }
        String s = lastString(f, 1, name, path);
        if (!QUANTITY.matcher(s).matches()) {
            throw new UnsupportedProtobufException("invalid quantity '" + s + "' at " + path);
        }
        return NODES.textNode(s);
    }

    /** FieldsV1 and RawExtension: raw=1 holds JSON that is embedded verbatim; no raw is null. */
    static JsonNode rawJson(byte[] data, String type, String path) throws UnsupportedProtobufException {
        WireFields f = WireFields.parse(data, type + " at " + path);
        requireOnly(f, type, path, 1);
        if (!f.has(1)) {
            return NullNode.getInstance();
        }
        List<WireValue> raw = f.get(1);
        byte[] bytes = expectLen(raw.get(raw.size() - 1), 1, type, path);
        try {
            return MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new UnsupportedProtobufException(type + " at " + path
                    + " does not hold JSON; drydock only accepts JSON raw content");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e); // reading from a byte array cannot fail with I/O
        }
    }

    private static void requireOnly(WireFields f, String name, String path, int... allowed) throws UnsupportedProtobufException {
        for (int n : f.numbers()) {
            boolean ok = false;
            for (int a : allowed) {
                ok |= a == n;
            }
            if (!ok) {
                throw new UnsupportedProtobufException(
                        "protobuf field " + n + " of message " + name + " is not supported by drydock; send JSON instead (at " + path + ")");
            }
        }
    }

    private static long lastVarint(WireFields f, int number, String name, String path) throws UnsupportedProtobufException {
        List<WireValue> values = f.get(number);
        if (values.isEmpty()) {
            return 0;
        }
        WireValue v = values.get(values.size() - 1);
        if (v.wireType() != WireReader.VARINT) {
            throw wrongWireType(number, name, path, v.wireType(), WireReader.VARINT);
        }
        return v.number();
    }

    private static String lastString(WireFields f, int number, String name, String path) throws UnsupportedProtobufException {
        List<WireValue> values = f.get(number);
        if (values.isEmpty()) {
            return "";
        }
        return new String(expectLen(values.get(values.size() - 1), number, name, path), StandardCharsets.UTF_8);
    }

    private static byte[] expectLen(WireValue v, int number, String name, String path) throws UnsupportedProtobufException {
        if (v.wireType() != WireReader.LEN) {
            throw wrongWireType(number, name, path, v.wireType(), WireReader.LEN);
        }
        return v.bytes();
    }

    static UnsupportedProtobufException wrongWireType(int number, String name, String path, int got, int expected) {
        return new UnsupportedProtobufException("malformed protobuf: field " + number + " of message " + name
                + " has wire type " + got + ", expected " + expected + " (at " + path + ")");
    }
}

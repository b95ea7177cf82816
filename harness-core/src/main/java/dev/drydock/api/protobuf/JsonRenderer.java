package dev.drydock.api.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a protobuf message into the JSON that kube-apiserver would produce for it, i.e. what Go's
 * encoding/json writes for the Go struct that Kubernetes' generated Unmarshal fills in:
 * <ul>
 *   <li>non-pointer scalars are always on the wire (proto2 writes them even when zero), so
 *       omitempty decides whether a zero value appears in JSON;</li>
 *   <li>pointers are on the wire exactly when non-nil, and then appear even when zero;</li>
 *   <li>non-pointer structs are always written (omitempty never applies to structs);</li>
 *   <li>nil slices and maps without omitempty are written as null; map keys are sorted.</li>
 * </ul>
 * Any field number missing from the table, or marked unsupported, fails the decode.
 */
final class JsonRenderer {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Schema schema;

    JsonRenderer(Schema schema) {
        this.schema = schema;
    }

    ObjectNode message(MessageSpec spec, byte[] data, String path) throws UnsupportedProtobufException {
        WireFields wire = WireFields.parse(data, spec.fullName() + (path.isEmpty() ? "" : " at " + path));
        for (int number : wire.numbers()) {
            FieldSpec f = spec.field(number);
            if (f == null) {
                throw new UnsupportedProtobufException("protobuf field " + number + " of message " + spec.fullName()
                        + " is not supported by drydock; send JSON instead" + (path.isEmpty() ? "" : " (at " + path + ")"));
            }
            if (f.unsupported()) {
                throw new UnsupportedProtobufException("protobuf field " + number + " (" + f.jsonName() + ") of message "
                        + spec.fullName() + " is not supported by drydock; send JSON instead (at " + child(path, f) + ")");
            }
        }
        ObjectNode out = NODES.objectNode();
        for (FieldSpec f : spec.fields()) {
            if (f.unsupported()) {
                continue; // absent, checked above
            }
            List<WireValue> values = wire.get(f.number());
            if (f.inline()) {
                out.setAll(message(schema.message(f.messageName()), concat(values, f, spec, child(path, f)), path));
                continue;
            }
            JsonNode node = field(f, spec, values, path);
            if (node != null) {
                out.set(f.jsonName(), node);
            }
        }
        return out;
    }

    /** The JSON for one field, or null when Go would leave it out. */
    private JsonNode field(FieldSpec f, MessageSpec owner, List<WireValue> values, String path)
            throws UnsupportedProtobufException {
        String at = child(path, f);
        if (f.map()) {
            ObjectNode map = mapValue(f, owner, values, at);
            return map.isEmpty() ? emptyCollection(f) : map;
        }
        if (f.repeated()) {
            ArrayNode list = list(f, owner, values, at);
            return list.isEmpty() ? emptyCollection(f) : list;
        }
        if (values.isEmpty() && f.pointer()) {
            return f.always() ? NullNode.getInstance() : null;
        }
        if (f.type().isMessageLike()) {
            return messageLike(f, concat(values, f, owner, at), at);
        }
        if (f.type() == ValueType.BYTES) {
            // Go's Unmarshal leaves a []byte nil when absent and non-nil (even if empty) when present.
            if (values.isEmpty()) {
                return f.always() ? NullNode.getInstance() : null;
            }
            byte[] bytes = expectLen(values.get(values.size() - 1), f, owner, at);
            return bytes.length == 0 && !f.always() ? null : NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        // As in any protobuf decoder, the last occurrence of a singular scalar wins.
        JsonNode scalar = values.isEmpty() ? zero(f.type()) : scalar(f, owner, values.get(values.size() - 1), at);
        if (!f.pointer() && !f.always() && isZero(scalar)) {
            return null;
        }
        return scalar;
    }

    private JsonNode emptyCollection(FieldSpec f) {
        // Empty on the wire means a nil slice or map in Go: null without omitempty, else left out.
        return f.always() ? NullNode.getInstance() : null;
    }

    private ArrayNode list(FieldSpec f, MessageSpec owner, List<WireValue> values, String at)
            throws UnsupportedProtobufException {
        ArrayNode out = NODES.arrayNode();
        for (WireValue v : values) {
            if (f.type().isVarint() && v.wireType() == WireReader.LEN) {
                // Packed encoding: one length-delimited run of varints.
                WireReader packed = new WireReader(v.bytes(), 0, v.bytes().length, owner.fullName() + " at " + at);
                while (packed.hasMore()) {
                    out.add(scalar(f, owner, new WireValue(WireReader.VARINT, packed.readVarint(), null), at));
                }
            } else if (f.type().isMessageLike()) {
                out.add(messageLike(f, expectLen(v, f, owner, at), at + "[" + out.size() + "]"));
            } else {
                out.add(scalar(f, owner, v, at));
            }
        }
        return out;
    }

    /** proto2 maps are repeated entry messages with key=1 and value=2. */
    private ObjectNode mapValue(FieldSpec f, MessageSpec owner, List<WireValue> values, String at)
            throws UnsupportedProtobufException {
        Map<String, JsonNode> sorted = new TreeMap<>(); // encoding/json sorts map keys
        for (WireValue entry : values) {
            WireFields e = WireFields.parse(expectLen(entry, f, owner, at), "map entry of " + at);
            String key = "";
            JsonNode value = mapZero(f.type());
            for (int n : e.numbers()) {
                List<WireValue> vs = e.get(n);
                WireValue last = vs.get(vs.size() - 1);
                if (n == 1) {
                    key = new String(expectLen(last, f, owner, at), StandardCharsets.UTF_8);
                } else if (n == 2) {
                    byte[] bytes = expectLen(last, f, owner, at);
                    value = switch (f.type()) {
                        case STRING -> NODES.textNode(new String(bytes, StandardCharsets.UTF_8));
                        case BYTES -> NODES.textNode(Base64.getEncoder().encodeToString(bytes));
                        case QUANTITY -> KubeValues.quantity(bytes, at);
                        default -> throw new IllegalStateException("map of " + f.type());
                    };
                } else {
                    throw new UnsupportedProtobufException("protobuf field " + n + " of a map entry is not supported by drydock;"
                            + " send JSON instead (at " + at + ")");
                }
            }
            sorted.put(key, value);
        }
        ObjectNode out = NODES.objectNode();
        sorted.forEach(out::set);
        return out;
    }

    private static JsonNode mapZero(ValueType type) {
        return type == ValueType.QUANTITY ? NODES.textNode("0") : NODES.textNode("");
    }

    private JsonNode messageLike(FieldSpec f, byte[] data, String at) throws UnsupportedProtobufException {
        return switch (f.type()) {
            case MESSAGE -> message(schema.message(f.messageName()), data, at);
            case TIME -> KubeValues.time(data, at);
            case MICRO_TIME -> KubeValues.microTime(data, at);
            case INT_OR_STRING -> KubeValues.intOrString(data, at);
            case QUANTITY -> KubeValues.quantity(data, at);
            case FIELDS_V1 -> KubeValues.rawJson(data, "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1", at);
            case RAW_EXTENSION -> KubeValues.rawJson(data, "io.k8s.apimachinery.pkg.runtime.RawExtension", at);
            default -> throw new IllegalStateException(f.type() + " is not a message");
        };
    }

    /** @param at the field's own path, for error messages */
    private JsonNode scalar(FieldSpec f, MessageSpec owner, WireValue v, String at) throws UnsupportedProtobufException {
        if (f.type() == ValueType.STRING) {
            return NODES.textNode(new String(expectLen(v, f, owner, at), StandardCharsets.UTF_8));
        }
        if (f.type() == ValueType.BYTES) {
            return NODES.textNode(Base64.getEncoder().encodeToString(expectLen(v, f, owner, at)));
        }
        if (v.wireType() != WireReader.VARINT) {
            throw KubeValues.wrongWireType(f.number(), owner.fullName(), at, v.wireType(), WireReader.VARINT);
        }
        return switch (f.type()) {
            case INT32 -> NODES.numberNode((int) v.number()); // Go truncates the varint to 32 bits too
            case INT64 -> number(v.number());
            case BOOL -> NODES.booleanNode(v.number() != 0);
            default -> throw new IllegalStateException(f.type() + " is not a scalar");
        };
    }

    /** int64 values use the smallest node that holds them, so trees compare equal to parsed JSON. */
    private static JsonNode number(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    private static JsonNode zero(ValueType type) {
        return switch (type) {
            case STRING -> NODES.textNode("");
            case INT32, INT64 -> NODES.numberNode(0);
            case BOOL -> NODES.booleanNode(false);
            default -> throw new IllegalStateException("no scalar zero for " + type);
        };
    }

    private static boolean isZero(JsonNode scalar) {
        return scalar.isTextual() ? scalar.textValue().isEmpty()
                : scalar.isBoolean() ? !scalar.booleanValue()
                : scalar.isNumber() && scalar.longValue() == 0;
    }

    /** A singular message field that occurs more than once is merged: decode the concatenation. */
    private static byte[] concat(List<WireValue> values, FieldSpec f, MessageSpec owner, String at)
            throws UnsupportedProtobufException {
        if (values.size() == 1) {
            return expectLen(values.get(0), f, owner, at);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (WireValue v : values) {
            out.writeBytes(expectLen(v, f, owner, at));
        }
        return out.toByteArray();
    }

    /** @param at the field's own path, for error messages */
    private static byte[] expectLen(WireValue v, FieldSpec f, MessageSpec owner, String at)
            throws UnsupportedProtobufException {
        if (v.wireType() != WireReader.LEN) {
            throw KubeValues.wrongWireType(f.number(), owner.fullName(), at, v.wireType(), WireReader.LEN);
        }
        return v.bytes();
    }

    private static String child(String path, FieldSpec f) {
        return path.isEmpty() ? f.jsonName() : path + "." + f.jsonName();
    }
}

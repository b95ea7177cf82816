package dev.drydock.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.kube.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The v2 document in the protobuf form kubectl asks for
 * ({@code application/com.github.proto-openapi.spec.v2@v1.0+protobuf}): gnostic's {@code openapi.v2.Document}
 * message, as kube-apiserver serves it. It encodes what {@link Documents#v2} writes: paths with their operations,
 * query, path and body parameters and responses; definitions; the bearer token security definition. Vendor
 * extensions, defaults, enums and examples are {@code Any} messages holding their value as YAML text (JSON is YAML),
 * which is how kubectl reads {@code x-kubernetes-group-version-kind}.
 */
final class V2Protobuf {

    /** The media type of the answer as kube writes it (Go's MIME parser refuses the {@code @} of the old form). */
    static final String MEDIA_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
    /** The older spelling, which kubectl 1.32 still sends in its {@code Accept}. */
    static final String MEDIA_TYPE_DEPRECATED = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    private V2Protobuf() {
    }

    static byte[] encode(JsonNode v2) {
        Msg doc = new Msg();
        doc.string(1, v2.path("swagger").asText());
        Msg info = new Msg().string(1, v2.path("info").path("title").asText())
                .string(2, v2.path("info").path("version").asText());
        doc.message(2, info);
        Msg paths = new Msg();
        for (Map.Entry<String, JsonNode> p : v2.path("paths").properties()) {
            paths.message(2, new Msg().string(1, p.getKey()).message(2, pathItem(p.getValue())));
        }
        doc.message(8, paths);
        Msg definitions = new Msg();
        for (Map.Entry<String, JsonNode> d : v2.path("definitions").properties()) {
            definitions.message(1, new Msg().string(1, d.getKey()).message(2, schema(d.getValue())));
        }
        doc.message(9, definitions);
        for (JsonNode requirement : v2.path("security")) {
            Msg req = new Msg();
            for (Map.Entry<String, JsonNode> r : requirement.properties()) {
                Msg values = new Msg();
                r.getValue().forEach(v -> values.string(1, v.asText()));
                req.message(1, new Msg().string(1, r.getKey()).message(2, values));
            }
            doc.message(12, req);
        }
        Msg securityDefinitions = new Msg();
        for (Map.Entry<String, JsonNode> s : v2.path("securityDefinitions").properties()) {
            JsonNode d = s.getValue();
            Msg apiKey = new Msg().string(1, d.path("type").asText()).string(2, d.path("name").asText())
                    .string(3, d.path("in").asText()).string(4, d.path("description").asText());
            securityDefinitions.message(1, new Msg().string(1, s.getKey()).message(2, new Msg().message(2, apiKey)));
        }
        doc.message(13, securityDefinitions);
        return doc.bytes();
    }

    private static Msg pathItem(JsonNode item) {
        Msg m = new Msg();
        int[] fields = {2, 3, 4, 5, 8};
        String[] methods = {"get", "put", "post", "delete", "patch"};
        for (int i = 0; i < methods.length; i++) {
            if (item.has(methods[i])) {
                m.message(fields[i], operation(item.get(methods[i])));
            }
        }
        for (JsonNode p : item.path("parameters")) {
            m.message(9, parameter(p));
        }
        extensions(m, 10, item);
        return m;
    }

    private static Msg operation(JsonNode op) {
        Msg m = new Msg();
        op.path("tags").forEach(t -> m.string(1, t.asText()));
        m.string(3, op.path("description").asText());
        m.string(5, op.path("operationId").asText());
        op.path("produces").forEach(t -> m.string(6, t.asText()));
        op.path("consumes").forEach(t -> m.string(7, t.asText()));
        for (JsonNode p : op.path("parameters")) {
            m.message(8, parameter(p));
        }
        Msg responses = new Msg();
        for (Map.Entry<String, JsonNode> r : op.path("responses").properties()) {
            Msg response = new Msg().string(1, r.getValue().path("description").asText());
            if (r.getValue().has("schema")) {
                response.message(2, new Msg().message(1, schema(r.getValue().get("schema"))));
            }
            responses.message(1, new Msg().string(1, r.getKey()).message(2, new Msg().message(1, response)));
        }
        m.message(9, responses);
        op.path("schemes").forEach(s -> m.string(10, s.asText()));
        extensions(m, 13, op);
        return m;
    }

    /** A {@code ParametersItem} holding a {@code Parameter}. */
    private static Msg parameter(JsonNode p) {
        Msg parameter = new Msg();
        String in = p.path("in").asText();
        if (in.equals("body")) {
            Msg body = new Msg().string(1, p.path("description").asText()).string(2, p.path("name").asText())
                    .string(3, in).bool(4, p.path("required").asBoolean());
            if (p.has("schema")) {
                body.message(5, schema(p.get("schema")));
            }
            parameter.message(1, body);
        } else {
            // QueryParameterSubSchema (3) and PathParameterSubSchema (4) number their fields alike up to name (4);
            // then query has allow_empty_value (5), so type is 6 there and 5 in a path parameter.
            boolean query = in.equals("query");
            Msg sub = new Msg().bool(1, p.path("required").asBoolean()).string(2, in)
                    .string(3, p.path("description").asText()).string(4, p.path("name").asText())
                    .string(query ? 6 : 5, p.path("type").asText())
                    .bool(query ? 20 : 19, p.path("uniqueItems").asBoolean());
            parameter.message(2, new Msg().message(query ? 3 : 4, sub));
        }
        return new Msg().message(1, parameter);
    }

    private static Msg schema(JsonNode s) {
        Msg m = new Msg();
        for (Map.Entry<String, JsonNode> e : s.properties()) {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "$ref" -> m.string(1, v.asText());
                case "format" -> m.string(2, v.asText());
                case "title" -> m.string(3, v.asText());
                case "description" -> m.string(4, v.asText());
                case "default" -> m.message(5, any(v));
                case "multipleOf" -> m.number(6, v.asDouble());
                case "maximum" -> m.number(7, v.asDouble());
                case "exclusiveMaximum" -> m.bool(8, v.asBoolean());
                case "minimum" -> m.number(9, v.asDouble());
                case "exclusiveMinimum" -> m.bool(10, v.asBoolean());
                case "maxLength" -> m.varint(11, v.asLong());
                case "minLength" -> m.varint(12, v.asLong());
                case "pattern" -> m.string(13, v.asText());
                case "maxItems" -> m.varint(14, v.asLong());
                case "minItems" -> m.varint(15, v.asLong());
                case "uniqueItems" -> m.bool(16, v.asBoolean());
                case "maxProperties" -> m.varint(17, v.asLong());
                case "minProperties" -> m.varint(18, v.asLong());
                case "required" -> v.forEach(r -> m.string(19, r.asText()));
                case "enum" -> v.forEach(x -> m.message(20, any(x)));
                case "additionalProperties" -> m.message(21, v.isObject() ? new Msg().message(1, schema(v))
                        : new Msg().bool(2, v.asBoolean()));
                case "type" -> {
                    Msg type = new Msg();
                    if (v.isArray()) {
                        v.forEach(t -> type.string(1, t.asText()));
                    } else {
                        type.string(1, v.asText());
                    }
                    m.message(22, type);
                }
                case "items" -> {
                    Msg items = new Msg();
                    if (v.isArray()) {
                        v.forEach(i -> items.message(1, schema(i)));
                    } else {
                        items.message(1, schema(v));
                    }
                    m.message(23, items);
                }
                case "allOf" -> v.forEach(a -> m.message(24, schema(a)));
                case "properties" -> {
                    Msg props = new Msg();
                    for (Map.Entry<String, JsonNode> p : v.properties()) {
                        props.message(1, new Msg().string(1, p.getKey()).message(2, schema(p.getValue())));
                    }
                    m.message(25, props);
                }
                case "discriminator" -> m.string(26, v.asText());
                case "readOnly" -> m.bool(27, v.asBoolean());
                case "example" -> m.message(30, any(v));
                default -> { }
            }
        }
        extensions(m, 31, s);
        return m;
    }

    /** Each {@code x-} field of {@code node} as a {@code NamedAny}. */
    private static void extensions(Msg m, int field, JsonNode node) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().startsWith("x-")) {
                m.message(field, new Msg().string(1, e.getKey()).message(2, any(e.getValue())));
            }
        }
    }

    /** gnostic's {@code Any}: the value as YAML text (field 2). */
    private static Msg any(JsonNode value) {
        return new Msg().string(2, Json.string(value) + "\n");
    }

    /** A protobuf message being written; proto3, so empty strings, false and zero are left out. */
    private static final class Msg {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Msg string(int field, String s) {
            if (s != null && !s.isEmpty()) {
                len(field, s.getBytes(StandardCharsets.UTF_8));
            }
            return this;
        }

        Msg bool(int field, boolean b) {
            return b ? varint(field, 1) : this;
        }

        Msg varint(int field, long v) {
            if (v != 0) {
                raw((long) field << 3);
                raw(v);
            }
            return this;
        }

        Msg number(int field, double d) {
            if (d != 0) {
                raw((long) field << 3 | 1);
                long bits = Double.doubleToLongBits(d);
                for (int i = 0; i < 8; i++) {
                    out.write((int) (bits >>> (8 * i)) & 0xff);
                }
            }
            return this;
        }

        /** A nested message, written even when empty (as Go writes a set message field). */
        Msg message(int field, Msg m) {
            len(field, m.bytes());
            return this;
        }

        private void len(int field, byte[] bytes) {
            raw((long) field << 3 | 2);
            raw(bytes.length);
            out.writeBytes(bytes);
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}

package dev.drydock.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The body of a server-side apply ({@code application/apply-patch+yaml}), decoded as kube's apply patcher decodes it:
 * YAML (JSON, which kubectl sends, is read as JSON), into an object; what is not an object is a 400
 * {@code error decoding YAML: ...}. An empty body is an object of no kind, which the field manager then refuses.
 *
 * <p>YAML is read with the user's SnakeYAML (every Kubernetes client brings it), YAML 1.1 as kube's reads it.
 */
public final class ApplyConfiguration {

    private ApplyConfiguration() {
    }

    /**
     * The configuration a request carries: raw bytes (over HTTP), a YAML or JSON string, or an object already.
     *
     * @throws ApiException 400 with kube's wording when it is not an object
     */
    public static ObjectNode decode(JsonNode body) {
        JsonNode value;
        if (body == null || body.isNull() || body.isMissingNode()) {
            value = null;
        } else if (body.isBinary()) {
            value = read(((com.fasterxml.jackson.databind.node.BinaryNode) body).binaryValue());
        } else if (body.isTextual()) {
            value = read(body.asText().getBytes(StandardCharsets.UTF_8));
        } else {
            value = body;
        }
        if (value == null || value.isNull()) {
            return Json.object();
        }
        if (!value.isObject()) {
            throw ApiException.of(400, "BadRequest", "error decoding YAML: error unmarshaling JSON: while decoding "
                    + "JSON: json: cannot unmarshal " + goType(value) + " into Go value of type map[string]interface {}");
        }
        return (ObjectNode) value;
    }

    private static String goType(JsonNode v) {
        if (v.isArray()) {
            return "array";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        return "string";
    }

    /**
     * One JSON or YAML document, as kube-apiserver reads an {@code application/yaml} body (the first document), or
     * null if it is blank; a 400 if it does not parse or SnakeYAML is missing for YAML.
     */
    public static JsonNode readDocument(byte[] raw) {
        return read(raw);
    }

    private static JsonNode read(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return null;
        }
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                return Json.parse(raw);
            } catch (IOException e) {
                // not JSON after all: YAML flow style, read below
            }
        }
        try {
            return Yaml.read(text);
        } catch (LinkageError e) {
            throw ApiException.of(400, "BadRequest", "error decoding YAML: drydock reads YAML with SnakeYAML "
                    + "(org.yaml:snakeyaml), which is not on the class path: send the configuration as JSON, or add "
                    + "it");
        }
    }

    /** SnakeYAML, touched only when a body is YAML: a class path without it fails here, not when drydock loads. */
    private static final class Yaml {

        static JsonNode read(String text) {
            Iterator<Object> docs;
            try {
                docs = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
                        new org.yaml.snakeyaml.LoaderOptions())).loadAll(text).iterator();
                return docs.hasNext() ? toJson(docs.next()) : null;
            } catch (RuntimeException e) {
                throw ApiException.of(400, "BadRequest", "error decoding YAML: error converting YAML to JSON: yaml: "
                        + e.getMessage().replace('\n', ' ').strip());
            }
        }

        private static JsonNode toJson(Object v) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            if (v == null) {
                return f.nullNode();
            }
            if (v instanceof Map<?, ?> m) {
                ObjectNode o = f.objectNode();
                m.forEach((k, val) -> o.set(String.valueOf(k), toJson(val)));
                return o;
            }
            if (v instanceof List<?> l) {
                ArrayNode a = f.arrayNode();
                l.forEach(i -> a.add(toJson(i)));
                return a;
            }
            if (v instanceof String s) {
                return f.textNode(s);
            }
            if (v instanceof Boolean b) {
                return f.booleanNode(b);
            }
            if (v instanceof Integer i) {
                return f.numberNode(i);
            }
            if (v instanceof Long l) {
                return f.numberNode(l);
            }
            if (v instanceof BigInteger b) {
                return f.numberNode(b);
            }
            if (v instanceof Double d) {
                return Double.isFinite(d) ? f.numberNode(new BigDecimal(Double.toString(d))) : f.textNode(d.toString());
            }
            if (v instanceof Date d) {
                return f.textNode(d.toInstant().atOffset(ZoneOffset.UTC).toInstant().toString());
            }
            if (v instanceof byte[] b) {
                return f.textNode(Base64.getEncoder().encodeToString(b));
            }
            if (v instanceof java.util.Set<?> s) {
                ObjectNode o = f.objectNode(); // a YAML !!set: a map of keys to null
                s.forEach(k -> o.set(String.valueOf(k), f.nullNode()));
                return o;
            }
            return f.textNode(String.valueOf(v));
        }
    }
}

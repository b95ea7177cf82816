package dev.drydock.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Kubernetes objects as JSON trees: drydock keeps objects as Kubernetes JSON so unknown fields round-trip untouched,
 * and reads the few fields each component needs through these helpers.
 */
public final class Json {

    /** The one mapper; configured like kube's decoder (exact numbers, nesting bounded). */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
    }

    private Json() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** Parses a JSON document; throws {@link JsonProcessingException} (as IOException) on malformed input. */
    public static JsonNode parse(byte[] bytes) throws IOException {
        return MAPPER.readTree(bytes);
    }

    /** Parses bytes this process wrote itself: failure is a bug, not bad input. */
    public static ObjectNode parseTrusted(byte[] bytes) {
        try {
            return (ObjectNode) MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code node} as JSON to {@code out}, which is closed after. */
    public static void write(OutputStream out, JsonNode node) throws IOException {
        MAPPER.writeValue(out, node);
    }

    public static String string(JsonNode node) {
        return node.toString();
    }

    /** The text at a path of field names, or {@code null} if any step is missing or not text. */
    public static String text(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && n.isValueNode() && !n.isNull() ? n.asText() : null;
    }

    /** The node at a path of field names, or {@code null}. */
    public static JsonNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(p);
        }
        return n == null || n.isMissingNode() ? null : n;
    }

    /** The object at a path, created (with its parents) if missing. */
    public static ObjectNode with(ObjectNode node, String... path) {
        ObjectNode n = node;
        for (String p : path) {
            JsonNode child = n.get(p);
            if (!(child instanceof ObjectNode)) {
                child = n.putObject(p);
            }
            n = (ObjectNode) child;
        }
        return n;
    }

    /** The array at a field, created if missing. */
    public static ArrayNode withArray(ObjectNode node, String field) {
        JsonNode child = node.get(field);
        return child instanceof ArrayNode a ? a : node.putArray(field);
    }

    // Fields every object has.

    public static String name(JsonNode obj) {
        return text(obj, "metadata", "name");
    }

    public static String namespace(JsonNode obj) {
        return text(obj, "metadata", "namespace");
    }

    public static String uid(JsonNode obj) {
        return text(obj, "metadata", "uid");
    }

    public static String resourceVersion(JsonNode obj) {
        return text(obj, "metadata", "resourceVersion");
    }

    /** The cache key of an object, as client-go's: {@code namespace/name}, or {@code name} when cluster-scoped. */
    public static String key(JsonNode obj) {
        return key(namespace(obj), name(obj));
    }

    public static String key(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    public static boolean isDeleting(JsonNode obj) {
        return text(obj, "metadata", "deletionTimestamp") != null;
    }

    /**
     * The {@code status} of an object's condition of the given type ({@code "True"}, {@code "False"},
     * {@code "Unknown"}), or {@code null} if it has no such condition.
     */
    public static String condition(JsonNode obj, String type) {
        for (JsonNode c : obj.path("status").path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c.path("status").asText();
            }
        }
        return null;
    }

    /**
     * A copy of a status without its conditions' {@code lastHeartbeatTime}, which a kubelet changes at every post of
     * its node status: what is left changes only when the node does.
     */
    public static JsonNode withoutHeartbeatTimes(JsonNode status) {
        JsonNode copy = status.deepCopy();
        for (JsonNode c : copy.path("conditions")) {
            if (c instanceof ObjectNode o) {
                o.remove("lastHeartbeatTime");
            }
        }
        return copy;
    }

    /** The owner reference with {@code controller: true}, or {@code null}. */
    public static JsonNode controllerOf(JsonNode obj) {
        JsonNode refs = at(obj, "metadata", "ownerReferences");
        if (refs != null && refs.isArray()) {
            for (JsonNode r : refs) {
                if (r.path("controller").asBoolean(false)) {
                    return r;
                }
            }
        }
        return null;
    }
}

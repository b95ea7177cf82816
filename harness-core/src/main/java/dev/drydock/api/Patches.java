package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import java.util.Map;

/**
 * JSON Merge Patch (RFC 7386) and JSON Patch (RFC 6902), applied to JSON trees; the patch types the API takes.
 * Server-side apply ({@link #APPLY}) is not a patch of a tree: the API server hands it to its field manager.
 */
final class Patches {

    static final String MERGE = "application/merge-patch+json";
    static final String JSON = "application/json-patch+json";
    static final String STRATEGIC = "application/strategic-merge-patch+json";
    static final String APPLY = "application/apply-patch+yaml";

    private Patches() {
    }

    /** The request's patch type: its content type without parameters. */
    static String mediaType(ApiRequest req) {
        return req.contentType() == null ? "" : req.contentType().split(";")[0].trim();
    }

    /**
     * {@code patch} of media type {@code type} applied to a copy of {@code target}.
     *
     * @throws ApiException 415 for a patch type drydock does not take
     */
    static JsonNode apply(String type, JsonNode target, JsonNode patch) {
        return switch (checkType(type)) {
            case MERGE -> mergePatch(target, patch);
            case JSON -> jsonPatch(target, patch);
            default -> StrategicMergePatch.apply(target, patch);
        };
    }

    /**
     * The patch type if drydock takes it.
     *
     * @throws ApiException 415 for a patch type drydock does not take
     */
    static String checkType(String type) {
        return switch (type) {
            case MERGE, JSON, STRATEGIC -> type;
            default -> throw unsupported(type.equals(APPLY) ? "" : ", " + APPLY);
        };
    }

    /**
     * kube's 415 for a patch type it does not take, naming those it takes ({@code more}: those beyond JSON, merge and
     * strategic merge patches, e.g. {@code ", application/apply-patch+yaml"}).
     */
    static ApiException unsupported(String more) {
        return ApiException.of(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                + "accepted media types include: application/json-patch+json, application/merge-patch+json, "
                + "application/strategic-merge-patch+json" + more);
    }

    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        // one copy of the target, merged into in place (a copy per level would copy deep objects again and again)
        return mergeInto(target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : target, patch);
    }

    /** Merges {@code patch} into {@code target}, which it may change; returns the result. */
    private static JsonNode mergeInto(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : dev.drydock.kube.Json.object();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), mergeInto(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }

    static JsonNode jsonPatch(JsonNode target, JsonNode patch) {
        if (!patch.isArray()) {
            throw ApiException.of(400, "BadRequest", "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }
        JsonNode doc = target.deepCopy();
        dev.drydock.api.apply.SharedEntries.unshare(doc); // an operation may change an entry in place
        for (JsonNode op : patch) {
            String kind = op.path("op").asText();
            String path = op.path("path").asText(null);
            if (path == null) {
                throw invalid("missing path in operation " + op);
            }
            switch (kind) {
                case "add" -> doc = add(doc, path, value(op));
                case "remove" -> doc = remove(doc, path);
                case "replace" -> {
                    get(doc, path);
                    doc = add(remove(doc, path), path, value(op));
                }
                case "move" -> {
                    JsonNode v = get(doc, op.path("from").asText());
                    doc = add(remove(doc, op.path("from").asText()), path, v);
                }
                case "copy" -> doc = add(doc, path, get(doc, op.path("from").asText()).deepCopy());
                case "test" -> {
                    if (!get(doc, path).equals(value(op))) {
                        throw invalid("testing value " + path + " failed");
                    }
                }
                default -> throw invalid("Unexpected kind: " + kind);
            }
        }
        return doc;
    }

    private static JsonNode value(JsonNode op) {
        if (!op.has("value")) {
            throw invalid("missing value in operation " + op);
        }
        return op.get("value");
    }

    private static ApiException invalid(String message) {
        return ApiException.of(422, "Invalid", message);
    }

    private static String[] tokens(String path) {
        if (path.isEmpty()) {
            return new String[0];
        }
        if (!path.startsWith("/")) {
            throw invalid("JSON pointer must start with '/': " + path);
        }
        String[] t = path.substring(1).split("/", -1);
        for (int i = 0; i < t.length; i++) {
            t[i] = t[i].replace("~1", "/").replace("~0", "~");
        }
        return t;
    }

    private static JsonNode get(JsonNode doc, String path) {
        JsonNode n = doc;
        for (String t : tokens(path)) {
            n = n.isArray() ? n.get(index(t, n.size() - 1)) : n.get(t);
            if (n == null) {
                throw invalid("path " + path + " does not exist");
            }
        }
        return n;
    }

    private static JsonNode parent(JsonNode doc, String[] t) {
        JsonNode n = doc;
        for (int i = 0; i < t.length - 1; i++) {
            n = n.isArray() ? n.get(index(t[i], n.size() - 1)) : n.get(t[i]);
            if (n == null) {
                throw invalid("missing path: " + String.join("/", t));
            }
        }
        return n;
    }

    private static JsonNode add(JsonNode doc, String path, JsonNode value) {
        String[] t = tokens(path);
        if (t.length == 0) {
            return value;
        }
        JsonNode p = parent(doc, t);
        String last = t[t.length - 1];
        if (p instanceof ArrayNode a) {
            if (last.equals("-")) {
                a.add(value);
            } else {
                a.insert(index(last, a.size()), value);
            }
        } else if (p instanceof ObjectNode o) {
            o.set(last, value);
        } else {
            throw invalid("cannot add to a value at " + path);
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, String path) {
        String[] t = tokens(path);
        JsonNode p = parent(doc, t);
        String last = t[t.length - 1];
        if (p instanceof ArrayNode a) {
            a.remove(index(last, a.size() - 1));
        } else if (p instanceof ObjectNode o && o.has(last)) {
            o.remove(last);
        } else {
            throw invalid("unable to remove nonexistent key: " + last + ": missing value");
        }
        return doc;
    }

    private static int index(String token, int max) {
        try {
            int i = Integer.parseInt(token);
            if (i < 0 || i > max) {
                throw invalid("index out of range: " + token);
            }
            return i;
        } catch (NumberFormatException e) {
            throw invalid("invalid array index: " + token);
        }
    }
}

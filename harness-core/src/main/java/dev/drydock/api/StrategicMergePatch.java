package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Semantic;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strategic merge patch for the built-in kinds, as kubectl sends it ({@code set image}, {@code label},
 * {@code annotate}, {@code rollout restart}, client-side {@code apply}): a JSON merge patch in which the lists that
 * kube's types mark {@code patchStrategy:"merge"} are merged element by element on their merge key (containers by
 * {@code name}, ports by {@code containerPort}, ...), with the {@code $patch}, {@code $retainKeys} and
 * {@code $deleteFromPrimitiveList} directives. {@code $setElementOrder} is accepted and ignored (order is kept).
 */
final class StrategicMergePatch {

    /** Merge keys by the list's field name and, where a name is ambiguous, its parent's. */
    private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", "name"), Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"), Map.entry("volumes", "name"),
            Map.entry("imagePullSecrets", "name"), Map.entry("hostAliases", "ip"), Map.entry("env", "name"),
            Map.entry("volumeMounts", "mountPath"), Map.entry("volumeDevices", "devicePath"),
            Map.entry("ownerReferences", "uid"), Map.entry("conditions", "type"), Map.entry("addresses", "type"),
            Map.entry("containers.ports", "containerPort"), Map.entry("initContainers.ports", "containerPort"),
            Map.entry("spec.ports", "port"));
    /** Lists of scalars merged as sets. */
    private static final Set<String> MERGED_SCALAR_LISTS = Set.of("finalizers");

    private StrategicMergePatch() {
    }

    static JsonNode apply(JsonNode original, JsonNode patch) {
        if (!patch.isObject()) {
            throw ApiException.of(400, "BadRequest", "a strategic merge patch must be a JSON object");
        }
        JsonNode result = merge(original, (ObjectNode) patch, "");
        return result == null ? Json.object() : result;
    }

    /** Returns the merged value, or null when the patch deletes it. */
    private static JsonNode merge(JsonNode original, ObjectNode patch, String parent) {
        String directive = patch.path("$patch").asText("");
        if (directive.equals("delete")) {
            return null;
        }
        if (directive.equals("replace")) {
            ObjectNode replaced = patch.deepCopy();
            replaced.remove("$patch");
            return replaced;
        }
        ObjectNode result = original != null && original.isObject() ? ((ObjectNode) original).deepCopy()
                : Json.object();
        JsonNode retain = patch.get("$retainKeys");
        if (retain != null && retain.isArray()) {
            Set<String> keep = new HashSet<>();
            retain.forEach(k -> keep.add(k.asText()));
            result.retain(keep);
        }
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String field = e.getKey();
            JsonNode value = e.getValue();
            if (field.startsWith("$deleteFromPrimitiveList/")) {
                String list = field.substring("$deleteFromPrimitiveList/".length());
                if (result.get(list) instanceof ArrayNode a && value.isArray()) {
                    Set<JsonNode> gone = new HashSet<>();
                    value.forEach(gone::add);
                    for (int i = a.size() - 1; i >= 0; i--) {
                        if (gone.contains(a.get(i))) {
                            a.remove(i);
                        }
                    }
                }
                continue;
            }
            if (field.startsWith("$")) {
                continue; // $patch, $retainKeys (done above), $setElementOrder/...
            }
            if (value.isNull()) {
                result.remove(field);
            } else if (value.isObject()) {
                JsonNode merged = merge(result.get(field), (ObjectNode) value, field);
                if (merged == null) {
                    result.remove(field);
                } else {
                    result.set(field, merged);
                }
            } else if (value.isArray()) {
                result.set(field, mergeList(result.get(field), (ArrayNode) value, parent, field));
            } else {
                result.set(field, value);
            }
        }
        return result;
    }

    private static JsonNode mergeList(JsonNode original, ArrayNode patch, String parent, String field) {
        String key = MERGE_KEYS.getOrDefault(parent + "." + field, MERGE_KEYS.get(field));
        if (field.equals("ports") && !MERGE_KEYS.containsKey(parent + "." + field)) {
            key = null;
        }
        if (MERGED_SCALAR_LISTS.contains(field)) {
            ArrayNode out = original instanceof ArrayNode a ? a.deepCopy() : Json.array();
            Set<JsonNode> have = new HashSet<>();
            out.forEach(have::add);
            for (JsonNode v : patch) {
                if (have.add(v)) {
                    out.add(v);
                }
            }
            return out;
        }
        if (key == null || !(original instanceof ArrayNode)) {
            ArrayNode out = Json.array();
            for (JsonNode v : patch) {
                if (v.isObject() && "delete".equals(v.path("$patch").asText())) {
                    continue;
                }
                out.add(v.isObject() ? stripDirectives((ObjectNode) v) : v);
            }
            return out;
        }
        List<JsonNode> out = new ArrayList<>();
        ((ArrayNode) original).forEach(out::add);
        for (JsonNode element : patch) {
            if (!element.isObject() || !element.has(key)) {
                throw ApiException.of(400, "BadRequest", "map: " + element + " does not contain declared merge key: "
                        + key);
            }
            int at = -1;
            for (int i = 0; i < out.size(); i++) {
                if (Semantic.equal(out.get(i).path(key), element.get(key))) {
                    at = i;
                    break;
                }
            }
            JsonNode merged = merge(at < 0 ? null : out.get(at), (ObjectNode) element, field);
            if (merged == null) {
                if (at >= 0) {
                    out.remove(at);
                }
            } else if (at >= 0) {
                out.set(at, merged);
            } else {
                out.add(merged);
            }
        }
        ArrayNode result = Json.array();
        out.forEach(result::add);
        return result;
    }

    private static ObjectNode stripDirectives(ObjectNode obj) {
        ObjectNode copy = obj.deepCopy();
        List<String> directives = new ArrayList<>();
        copy.fieldNames().forEachRemaining(f -> {
            if (f.startsWith("$")) {
                directives.add(f);
            }
        });
        directives.forEach(copy::remove);
        return copy;
    }
}

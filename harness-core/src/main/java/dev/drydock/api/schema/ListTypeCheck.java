package dev.drydock.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.kube.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The invariants of {@code x-kubernetes-list-type} {@code set} (no duplicate items) and {@code map} (items are
 * objects, unique by their {@code x-kubernetes-list-map-keys}), as apiextensions' {@code ValidateListSetsAndMaps}.
 */
final class ListTypeCheck {

    private ListTypeCheck() {
    }

    static List<FieldError> check(Schema s, JsonNode obj) {
        List<FieldError> errors = new ArrayList<>();
        object(null, s, obj, errors);
        return errors;
    }

    private static void object(String path, Schema s, JsonNode obj, List<FieldError> errors) {
        if (s == null || obj == null || !obj.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            if (s.additionalProperties != null) {
                value(Paths.key(path, e.getKey()), s.additionalProperties, e.getValue(), errors);
            }
            Schema p = s.property(e.getKey());
            if (p != null) {
                value(Paths.child(path, e.getKey()), p, e.getValue(), errors);
            }
        }
    }

    private static void value(String path, Schema s, JsonNode v, List<FieldError> errors) {
        if (v.isArray()) {
            array(path, s, v, errors);
        } else if (v.isObject()) {
            object(path, s, v, errors);
        }
    }

    private static void array(String path, Schema s, JsonNode list, List<FieldError> errors) {
        if ("set".equals(s.listType)) {
            List<String> keys = new ArrayList<>();
            list.forEach(x -> keys.add(identity(x)));
            for (int i : duplicates(keys)) {
                errors.add(FieldError.duplicate(Paths.index(path, i), list.get(i)));
            }
        } else if ("map".equals(s.listType)) {
            mapList(path, s, list, errors);
        }
        if (s.items != null) {
            for (int i = 0; i < list.size(); i++) {
                value(Paths.index(path, i), s.items, list.get(i), errors);
            }
        }
    }

    private static void mapList(String path, Schema s, JsonNode list, List<FieldError> errors) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode x = list.get(i);
            if (!x.isNull() && !x.isObject()) {
                errors.add(FieldError.invalid(Paths.index(path, i), x, "must be an object for an array of list-type map"));
                return;
            }
        }
        if (list.size() <= 1) {
            return;
        }
        List<ObjectNode> keyObjects = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (JsonNode x : list) {
            ObjectNode key = Json.object();
            if (x.isObject()) {
                for (String k : s.listMapKeys) {
                    if (x.has(k)) {
                        key.set(k, x.get(k));
                    }
                }
            }
            keyObjects.add(key);
            // With one key, an item without it has the "unspecified" key, distinct from any value.
            keys.add(s.listMapKeys.size() == 1 && key.isEmpty() ? "\u0000unspecified" : identity(key));
        }
        for (int i : duplicates(keys)) {
            errors.add(FieldError.duplicate(Paths.index(path, i), keyObjects.get(i)));
        }
    }

    /** The indexes of second occurrences, as kube reports a duplicate once. */
    private static List<Integer> duplicates(List<String> keys) {
        Map<String, Integer> seen = new HashMap<>();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            int times = seen.merge(keys.get(i), 1, Integer::sum);
            if (times == 2) {
                out.add(i);
            }
        }
        return out;
    }

    /** A value's identity as kube compares it: type and value for scalars, sorted JSON for objects and arrays. */
    private static String identity(JsonNode v) {
        if (v.isNumber()) {
            return (GoFormat.isInt64(v) ? "i:" : "f:") + GoFormat.number(v);
        }
        if (v.isContainerNode()) {
            return "j:" + canonical(v);
        }
        return v.getNodeType() + ":" + v.asText();
    }

    private static String canonical(JsonNode v) {
        if (v.isObject()) {
            Map<String, String> sorted = new TreeMap<>();
            v.properties().forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            StringBuilder b = new StringBuilder("{");
            sorted.forEach((k, x) -> b.append(b.length() > 1 ? "," : "").append(GoFormat.quote(k)).append(':').append(x));
            return b.append('}').toString();
        }
        if (v.isArray()) {
            StringBuilder b = new StringBuilder("[");
            v.forEach(x -> b.append(b.length() > 1 ? "," : "").append(canonical(x)));
            return b.append(']').toString();
        }
        return v.isNumber() ? GoFormat.number(v) : v.toString();
    }
}

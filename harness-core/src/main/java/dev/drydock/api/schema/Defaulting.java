package dev.drydock.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Schema defaults, applied as kube's structural defaulting: a missing field (or a null where null is not allowed)
 * takes its property's default, deep-copied, and defaulting recurses into what is there. Also the pruning of nulls
 * that are neither allowed nor defaulted, which kube does right after.
 */
final class Defaulting {

    private Defaulting() {
    }

    static void apply(JsonNode x, Schema s) {
        if (s == null || x == null) {
            return;
        }
        if (x instanceof ObjectNode o) {
            if (s.properties != null) {
                for (Map.Entry<String, Schema> p : s.properties.entrySet()) {
                    Schema prop = p.getValue();
                    if (prop.defaultValue == null || prop.defaultValue.isNull()) {
                        continue;
                    }
                    JsonNode v = o.get(p.getKey());
                    if (v == null || nonNullableNull(v, prop)) {
                        o.set(p.getKey(), prop.defaultValue.deepCopy());
                    }
                }
            }
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                Schema prop = s.property(k);
                if (prop != null) {
                    apply(o.get(k), prop);
                } else if (s.additionalProperties != null) {
                    Schema ap = s.additionalProperties;
                    if (nonNullableNull(o.get(k), ap) && ap.defaultValue != null) {
                        o.set(k, ap.defaultValue.deepCopy());
                    }
                    apply(o.get(k), ap);
                }
            }
        } else if (x instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (s.items != null && nonNullableNull(a.get(i), s.items) && s.items.defaultValue != null) {
                    a.set(i, s.items.defaultValue.deepCopy());
                }
                apply(a.get(i), s.items);
            }
        }
    }

    private static boolean nonNullableNull(JsonNode v, Schema s) {
        return v != null && v.isNull() && s != null && !s.nullable;
    }

    /** Removes nulls whose schema neither allows null nor has a default (kube's PruneNonNullableNullsWithoutDefaults). */
    static void pruneNulls(JsonNode x, Schema s) {
        if (x instanceof ObjectNode o) {
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                Schema field = s == null ? null : s.fieldSchema(k);
                JsonNode v = o.get(k);
                if (v.isNull() && field != null && !field.nullable && field.defaultValue == null) {
                    o.remove(k);
                } else {
                    pruneNulls(v, field);
                }
            }
        } else if (x instanceof ArrayNode a) {
            for (JsonNode item : a) {
                pruneNulls(item, s == null ? null : s.items);
            }
        }
    }
}

package dev.drydock.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.kube.Semantic;

/**
 * Which old value an updated value corresponds to, as kube's {@code CorrelatedObject}: object fields by name,
 * items of {@code map} lists by their keys, items of {@code set} lists by value; items of atomic lists by nothing.
 */
final class Correlation {

    private Correlation() {
    }

    /** The old item that {@code item} of a list with schema {@code list} corresponds to, or {@code null}. */
    static JsonNode item(Schema list, JsonNode item, JsonNode oldList) {
        if (oldList == null || !oldList.isArray() || list.listType == null) {
            return null;
        }
        if (list.listType.equals("set")) {
            for (JsonNode o : oldList) {
                if (Semantic.equal(o, item)) {
                    return o;
                }
            }
            return null;
        }
        if (list.listType.equals("map") && item != null && item.isObject()) {
            for (JsonNode o : oldList) {
                if (o.isObject() && sameKeys(list, item, o)) {
                    return o;
                }
            }
        }
        return null;
    }

    static boolean sameKeys(Schema list, JsonNode a, JsonNode b) {
        for (String k : list.listMapKeys) {
            JsonNode x = a.get(k);
            JsonNode y = b.get(k);
            if (x == null && y == null) {
                continue;
            }
            if (x == null || y == null || !Semantic.equal(x, y)) {
                return false;
            }
        }
        return true;
    }
}

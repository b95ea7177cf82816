package dev.drydock.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Equality of Kubernetes objects as kube's {@code equality.Semantic.DeepEqual} sees them, for JSON trees: the
 * question every "did it change?" check before a write must ask, never {@link JsonNode#equals}.
 *
 * <ul>
 *   <li>Numbers by value: {@code 1} parsed from the store ({@code IntNode}) equals {@code 1L} built by a controller
 *       ({@code LongNode}) and {@code 1.0}.</li>
 *   <li>Quantities by value in the maps that hold them ({@code capacity}, {@code allocatable}, {@code requests},
 *       {@code limits}, {@code hard}, {@code used}, {@code overhead}): {@code "1000m"} equals {@code "1"}.</li>
 *   <li>Absent, {@code null}, an empty array and an empty object are alike, as a nil and an empty slice or map are in
 *       kube's forked {@code reflect.DeepEqual}, and as the API's encoding omits them.</li>
 *   <li>Object fields in any order; arrays in order.</li>
 * </ul>
 */
public final class Semantic {

    /** Fields whose values are maps of resource names to quantities. */
    private static final Set<String> QUANTITY_MAPS = Set.of("capacity", "allocatable", "requests", "limits", "hard",
            "used", "overhead");

    private Semantic() {
    }

    /** Whether {@code a} and {@code b} are semantically equal; either may be {@code null} (absent). */
    public static boolean equal(JsonNode a, JsonNode b) {
        return equal(a, b, false, false);
    }

    /**
     * @param quantity    {@code a} and {@code b} are quantities (values of a quantity map)
     * @param quantityMap {@code a} and {@code b} are quantity maps (their values are quantities)
     */
    private static boolean equal(JsonNode a, JsonNode b, boolean quantity, boolean quantityMap) {
        boolean aEmpty = isEmpty(a);
        boolean bEmpty = isEmpty(b);
        if (aEmpty || bEmpty) {
            return aEmpty && bEmpty;
        }
        if (a.isNumber() && b.isNumber()) {
            return numeric(a).compareTo(numeric(b)) == 0;
        }
        if (quantity) {
            BigDecimal x = quantity(a);
            BigDecimal y = quantity(b);
            if (x != null && y != null) {
                return x.compareTo(y) == 0;
            }
        }
        if (a.isObject() && b.isObject()) {
            return objectsEqual(a, b, quantityMap);
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i), false, false)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean objectsEqual(JsonNode a, JsonNode b, boolean quantityMap) {
        Set<String> seen = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = a.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            seen.add(e.getKey());
            if (!equal(e.getValue(), b.get(e.getKey()), quantityMap, QUANTITY_MAPS.contains(e.getKey()))) {
                return false;
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = b.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!seen.contains(e.getKey()) && !isEmpty(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEmpty(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() || n.isContainerNode() && n.isEmpty();
    }

    private static BigDecimal numeric(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong() ? BigDecimal.valueOf(n.longValue()) : n.decimalValue();
    }

    private static BigDecimal quantity(JsonNode n) {
        if (n.isNumber()) {
            return numeric(n);
        }
        if (!n.isTextual()) {
            return null;
        }
        try {
            return Quantity.parse(n.asText());
        } catch (IllegalArgumentException e) {
            return null; // not a quantity: compared as text
        }
    }
}

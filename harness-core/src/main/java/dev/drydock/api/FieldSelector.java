package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.cache.FieldTerm;
import dev.drydock.kube.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A field selector ({@code spec.nodeName=node-1,status.phase!=Running}) over the fields kube lets each kind select
 * on: {@code metadata.name} and {@code metadata.namespace} everywhere, plus per-kind fields.
 */
final class FieldSelector {

    private record Term(String field, boolean equals, String value) {
    }

    private static final Set<String> POD_FIELDS = Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
            "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName");
    private static final Set<String> EVENT_FIELDS = Set.of("involvedObject.kind", "involvedObject.namespace",
            "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
            "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source",
            "type");

    private static final Set<String> BOOLEAN_FIELDS = Set.of("spec.unschedulable", "spec.hostNetwork");

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = terms;
    }

    static FieldSelector parse(String s, String kind) {
        List<Term> terms = new ArrayList<>();
        if (s != null && !s.isBlank()) {
            for (String t : s.split(",")) {
                int ne = t.indexOf("!=");
                int eq = t.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("invalid selector: '" + s + "'; can't understand '" + t + "'");
                }
                String field = (ne > 0 ? t.substring(0, ne) : t.substring(0, eq)).trim();
                String value = ne > 0 ? t.substring(ne + 2)
                        : t.substring(t.startsWith("==", eq) ? eq + 2 : eq + 1);
                if (!supported(field, kind)) {
                    throw new IllegalArgumentException("field label not supported: " + field);
                }
                terms.add(new Term(field, ne <= 0, value.trim()));
            }
        }
        return new FieldSelector(terms);
    }

    private static boolean supported(String field, String kind) {
        return field.equals("metadata.name") || field.equals("metadata.namespace")
                || kind.equals("Pod") && POD_FIELDS.contains(field)
                || kind.equals("Event") && EVENT_FIELDS.contains(field)
                || kind.equals("Namespace") && field.equals("status.phase")
                || kind.equals("Node") && field.equals("spec.unschedulable");
    }

    /**
     * The value kube's field set gives a missing field: booleans are formatted ({@code strconv.FormatBool}), so an
     * absent {@code spec.unschedulable} is {@code "false"}; strings are empty.
     */
    private static String absent(String field) {
        return BOOLEAN_FIELDS.contains(field) ? "false" : "";
    }

    boolean matches(JsonNode obj) {
        for (Term t : terms) {
            if (t.equals != value(obj, t.field).equals(t.value)) {
                return false;
            }
        }
        return true;
    }

    /** The terms, for the watch cache, which matches them against the field values it keeps. */
    List<FieldTerm> terms() {
        return terms.stream().map(t -> new FieldTerm(t.field, t.equals, t.value)).toList();
    }

    /**
     * The fields a kind can be selected by besides {@code metadata.name} and {@code metadata.namespace}, each with
     * how a selector reads it (kube's {@code GetAttrs}), in a stable order.
     */
    static Map<String, Function<JsonNode, String>> selectableFields(String kind) {
        Set<String> names = switch (kind) {
            case "Pod" -> POD_FIELDS;
            case "Event" -> EVENT_FIELDS;
            case "Namespace" -> Set.of("status.phase");
            case "Node" -> Set.of("spec.unschedulable");
            default -> Set.of();
        };
        Map<String, Function<JsonNode, String>> fields = new LinkedHashMap<>();
        for (String name : new TreeSet<>(names)) {
            fields.put(name, obj -> value(obj, name));
        }
        return fields;
    }

    private static String value(JsonNode obj, String field) {
        JsonNode n = Json.at(obj, field.split("\\."));
        return n == null || n.isNull() ? absent(field) : n.asText();
    }
}

package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.kube.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
            JsonNode n = Json.at(obj, t.field.split("\\."));
            String v = n == null || n.isNull() ? absent(t.field) : n.asText();
            if (t.equals != v.equals(t.value)) {
                return false;
            }
        }
        return true;
    }
}

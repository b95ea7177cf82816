package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.cache.FieldTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A field selector ({@code spec.nodeName=node-1,status.phase!=Running}) over the fields kube lets each kind select
 * on: {@code metadata.name} and {@code metadata.namespace} everywhere, plus per-kind fields.
 */
final class FieldSelector {

    private record Term(String field, Function<JsonNode, String> value, boolean equals, String expected) {
    }

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = terms;
    }

    static FieldSelector parse(String s, KindDescriptor kind) {
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
                Function<JsonNode, String> get = kind.field(field);
                if (get == null) {
                    throw new IllegalArgumentException("field label not supported: " + field);
                }
                terms.add(new Term(field, get, ne <= 0, value.trim()));
            }
        }
        return new FieldSelector(terms);
    }

    /** The terms, for the watch cache, which matches them against the field values it keeps. */
    List<FieldTerm> terms() {
        return terms.stream().map(t -> new FieldTerm(t.field, t.equals, t.expected)).toList();
    }

    boolean matches(JsonNode obj) {
        for (Term t : terms) {
            if (t.equals != t.value.apply(obj).equals(t.expected)) {
                return false;
            }
        }
        return true;
    }
}

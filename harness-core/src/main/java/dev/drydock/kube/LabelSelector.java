package dev.drydock.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A label selector, parsed from kube's string form ({@code app=web,tier!=db,env in (a,b),!legacy}) or from a
 * {@code LabelSelector} object ({@code matchLabels}, {@code matchExpressions}); matches an object's labels.
 */
public final class LabelSelector {

    private enum Op {
        EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST;

        /** Whether a label matches, given whether the object has it and whether its value is among the values. */
        boolean matches(boolean present, boolean listed) {
            return switch (this) {
                case EQUALS, IN -> present && listed;
                case NOT_EQUALS, NOT_IN -> !present || !listed;
                case EXISTS -> present;
                case DOES_NOT_EXIST -> !present;
            };
        }
    }

    private record Requirement(String key, Op op, Set<String> values) {
        boolean matches(JsonNode labels) {
            JsonNode v = labels == null ? null : labels.get(key);
            return matchesValue(v == null || v.isNull() ? null : v.asText());
        }

        boolean matchesValue(String value) {
            return op.matches(value != null, value != null && values.contains(value));
        }
    }

    /** Matches everything. */
    public static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
    /** Matches nothing (kube's selector for a null {@code LabelSelector}). */
    public static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

    private final List<Requirement> requirements;
    private final boolean nothing;
    /** The requirements, interned for {@link #matchesInterned}; made on first use. */
    private volatile Interned[] interned;

    private LabelSelector(List<Requirement> requirements, boolean nothing) {
        this.requirements = requirements;
        this.nothing = nothing;
    }

    public boolean matches(JsonNode labels) {
        if (nothing) {
            return false;
        }
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Matches labels kept as alternating keys and values, every one {@linkplain String#intern() interned}, as the
     * watch cache keeps them: they are compared by identity with this selector's keys and values (interned once, on
     * first use), so that a scan over many objects reads no label's characters.
     */
    public boolean matchesInterned(String[] keysAndValues) {
        if (nothing) {
            return false;
        }
        Interned[] terms = interned;
        if (terms == null) {
            terms = new Interned[requirements.size()];
            for (int i = 0; i < terms.length; i++) {
                Requirement r = requirements.get(i);
                terms[i] = new Interned(r.key.intern(), r.op,
                        r.values.stream().map(String::intern).toArray(String[]::new));
            }
            interned = terms;
        }
        for (Interned t : terms) {
            String value = null;
            for (int i = 0; i < keysAndValues.length; i += 2) {
                if (keysAndValues[i] == t.key) {
                    value = keysAndValues[i + 1];
                    break;
                }
            }
            if (!t.matches(value)) {
                return false;
            }
        }
        return true;
    }

    /** A requirement whose key and values are interned, to compare with interned labels by identity. */
    private record Interned(String key, Op op, String[] values) {
        boolean matches(String value) {
            return op.matches(value != null, value != null && contains(value));
        }

        private boolean contains(String value) {
            for (String v : values) {
                if (v == value) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Matches an object by its {@code metadata.labels}. */
    public boolean matchesObject(JsonNode obj) {
        return matches(Json.at(obj, "metadata", "labels"));
    }

    public boolean isEmpty() {
        return !nothing && requirements.isEmpty();
    }

    /**
     * Parses the string form.
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static LabelSelector parse(String s) {
        if (s == null || s.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> reqs = new ArrayList<>();
        for (String term : splitTerms(s)) {
            reqs.add(parseTerm(term.trim()));
        }
        return new LabelSelector(reqs, false);
    }

    /**
     * Converts a {@code LabelSelector} object; a missing selector (null, JSON null, or a missing node from
     * {@code path("selector")}) selects nothing, an empty one everything.
     */
    public static LabelSelector fromObject(JsonNode selector) {
        if (selector == null || selector.isNull() || selector.isMissingNode()) {
            return NOTHING;
        }
        List<Requirement> reqs = new ArrayList<>();
        JsonNode ml = selector.get("matchLabels");
        if (ml != null) {
            for (Map.Entry<String, JsonNode> e : ml.properties()) {
                reqs.add(new Requirement(checkKey(e.getKey()), Op.EQUALS, Set.of(e.getValue().asText())));
            }
        }
        JsonNode me = selector.get("matchExpressions");
        if (me != null) {
            for (JsonNode e : me) {
                Set<String> values = new TreeSet<>();
                e.path("values").forEach(v -> values.add(v.asText()));
                Op op = switch (e.path("operator").asText()) {
                    case "In" -> Op.IN;
                    case "NotIn" -> Op.NOT_IN;
                    case "Exists" -> Op.EXISTS;
                    case "DoesNotExist" -> Op.DOES_NOT_EXIST;
                    default -> throw new IllegalArgumentException(
                            "\"" + e.path("operator").asText() + "\" is not a valid label selector operator");
                };
                // As kube's labels.NewRequirement, which LabelSelectorAsSelector calls for every expression.
                if ((op == Op.IN || op == Op.NOT_IN) && values.isEmpty()) {
                    throw new IllegalArgumentException("for 'in', 'notin' operators, values set can't be empty");
                }
                if ((op == Op.EXISTS || op == Op.DOES_NOT_EXIST) && !values.isEmpty()) {
                    throw new IllegalArgumentException("values set must be empty for exists and does not exist");
                }
                reqs.add(new Requirement(checkKey(e.path("key").asText()), op, values));
            }
        }
        return new LabelSelector(reqs, false);
    }

    /**
     * The string form of a {@code LabelSelector} object ({@code app=web,tier in (a,b)}), requirements sorted by key as
     * kube prints them; empty for a missing or empty selector.
     */
    public static String toString(JsonNode selector) {
        if (selector == null || selector.isNull() || selector.isMissingNode()) {
            return "";
        }
        java.util.TreeMap<String, List<String>> terms = new java.util.TreeMap<>();
        for (Map.Entry<String, JsonNode> e : selector.path("matchLabels").properties()) {
            terms.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getKey() + "=" + e.getValue().asText());
        }
        for (JsonNode e : selector.path("matchExpressions")) {
            String key = e.path("key").asText();
            List<String> values = new ArrayList<>();
            e.path("values").forEach(v -> values.add(v.asText()));
            values.sort(null);
            String term = switch (e.path("operator").asText()) {
                case "In" -> key + " in (" + String.join(",", values) + ")";
                case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
                case "Exists" -> key;
                case "DoesNotExist" -> "!" + key;
                default -> key + " " + e.path("operator").asText();
            };
            terms.computeIfAbsent(key, k -> new ArrayList<>()).add(term);
        }
        List<String> all = new ArrayList<>();
        terms.values().forEach(all::addAll);
        return String.join(",", all);
    }

    private static List<String> splitTerms(String s) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                terms.add(s.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(s.substring(start));
        return terms;
    }

    private static Requirement parseTerm(String t) {
        if (t.isEmpty()) {
            throw new IllegalArgumentException("found '', expected: identifier");
        }
        if (t.startsWith("!")) {
            return new Requirement(checkKey(t.substring(1).trim()), Op.DOES_NOT_EXIST, Set.of());
        }
        String[] words = t.split("\\s+", 2);
        if (words.length == 2 && (words[1].startsWith("in") || words[1].startsWith("notin"))) {
            boolean in = words[1].startsWith("in");
            String rest = words[1].substring(in ? 2 : 5).trim();
            if (!rest.startsWith("(")) {
                throw new IllegalArgumentException("found '" + rest + "' expected: '('");
            }
            if (!rest.endsWith(")")) {
                throw new IllegalArgumentException("found '', expected: ')'");
            }
            // As kube's parser: "()" is the empty value, and so is an empty item of a list.
            Set<String> values = new TreeSet<>();
            for (String v : rest.substring(1, rest.length() - 1).split(",", -1)) {
                values.add(checkValue(v.trim()));
            }
            return new Requirement(checkKey(words[0]), in ? Op.IN : Op.NOT_IN, values);
        }
        int ne = t.indexOf("!=");
        if (ne > 0) {
            return new Requirement(checkKey(t.substring(0, ne).trim()), Op.NOT_EQUALS,
                    Set.of(checkValue(t.substring(ne + 2).trim())));
        }
        int eq = t.indexOf('=');
        if (eq > 0) {
            int valueStart = t.startsWith("==", eq) ? eq + 2 : eq + 1;
            return new Requirement(checkKey(t.substring(0, eq).trim()), Op.EQUALS,
                    Set.of(checkValue(t.substring(valueStart).trim())));
        }
        return new Requirement(checkKey(t), Op.EXISTS, Set.of());
    }

    /** As kube's {@code IsValidLabelValue}: at most 63 characters, alphanumeric at both ends, or empty. */
    public static boolean isValidLabelValue(String value) {
        return value.length() <= 63 && NameRules.isLabelValueSyntax(value);
    }

    private static String checkValue(String value) {
        if (!isValidLabelValue(value)) {
            throw new IllegalArgumentException("invalid label value: \"" + value + "\": a valid label must be an "
                    + "empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                    + "with an alphanumeric character");
        }
        return value;
    }

    private static String checkKey(String key) {
        if (!key.matches("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
            throw new IllegalArgumentException("invalid label key \"" + key + "\"");
        }
        return key;
    }
}

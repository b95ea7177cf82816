package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Label maps and label selectors rendered as apimachinery renders them ({@code labels.FormatLabels},
 * {@code metav1.LabelSelectorAsSelector(...).String()}), e.g. {@code app=web,tier in (back,front)}.
 */
final class Selectors {

    private Selectors() {
    }

    /** {@code labels.FormatLabels}: {@code k=v} pairs sorted by key, or {@code <none>}. */
    static String formatLabels(JsonNode labelMap) {
        Map<String, String> sorted = new TreeMap<>();
        if (labelMap != null && labelMap.isObject()) {
            labelMap.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText()));
        }
        String joined = sorted.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        return joined.isEmpty() ? "<none>" : joined;
    }

    /** {@code metav1.FormatLabelSelector}: the selector string, {@code <none>} when it selects nothing or all. */
    static String formatLabelSelector(JsonNode selector) {
        return selectorString(selector).map(s -> s.isEmpty() ? "<none>" : s).orElse("<error>");
    }

    /**
     * {@code LabelSelectorAsSelector(selector).String()}: requirements sorted by key and joined with commas; empty
     * for an absent or empty selector; empty Optional when the selector is invalid.
     */
    static Optional<String> selectorString(JsonNode selector) {
        if (selector == null || !selector.isObject()) {
            return Optional.of("");
        }
        List<Requirement> requirements = new ArrayList<>();
        JsonNode matchLabels = selector.path("matchLabels");
        if (matchLabels.isObject()) {
            matchLabels.properties().forEach(e ->
                    requirements.add(new Requirement(e.getKey(), "=", List.of(e.getValue().asText()))));
        }
        for (JsonNode expression : Json.elements(selector, "matchExpressions")) {
            Optional<Requirement> requirement = Requirement.of(expression);
            if (requirement.isEmpty()) {
                return Optional.empty();
            }
            requirements.add(requirement.get());
        }
        requirements.sort(Comparator.comparing(Requirement::key));
        return Optional.of(requirements.stream().map(Requirement::toString).collect(Collectors.joining(",")));
    }

    /** One {@code labels.Requirement}; {@code operator} is how it prints: {@code =}, {@code in}, {@code notin}, ... */
    private record Requirement(String key, String operator, List<String> values) {

        static Optional<Requirement> of(JsonNode expression) {
            String key = Json.text(expression, "key");
            List<String> values = Json.elements(expression, "values").stream().map(JsonNode::asText).toList();
            String operator = switch (Json.text(expression, "operator")) {
                case "In" -> "in";
                case "NotIn" -> "notin";
                case "Exists" -> "exists";
                case "DoesNotExist" -> "!";
                default -> null;
            };
            // labels.NewRequirement rejects set operators without values and existence operators with values.
            boolean setOperator = "in".equals(operator) || "notin".equals(operator);
            if (operator == null || key.isEmpty() || setOperator == values.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Requirement(key, operator, values));
        }

        @Override
        public String toString() {
            return switch (operator) {
                case "exists" -> key;
                case "!" -> "!" + key;
                case "=" -> key + "=" + values.get(0);
                // Multiple values print sorted, whatever order the object lists them in.
                default -> key + " " + operator + " (" + String.join(",", values.stream().sorted().toList()) + ")";
            };
        }
    }
}

package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.Validation;
import dev.drydock.kube.LabelSelector;
import dev.drydock.kube.Semantic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validation rules the workload kinds share, worded as kube's {@code apimachinery} and {@code pkg/apis/*}
 * validation words them, and kube's rendering of the values it quotes: {@code field.Error} prints numbers as they
 * are, strings quoted and other values in Go syntax ({@code %#v}), e.g. a selector as
 * {@code v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}.
 */
final class KindChecks {

    private static final Pattern PERCENT = Pattern.compile("[0-9]+%");

    private KindChecks() {
    }

    /** kube's {@code ValidateNonnegativeField} for a field that may be absent. */
    static void nonNegative(String field, JsonNode value, List<FieldError> errors) {
        if (value != null && value.isNumber() && value.asLong() < 0) {
            errors.add(FieldError.invalidRaw(field, value.asText(), "must be greater than or equal to 0"));
        }
    }

    /** kube's {@code ValidateImmutableField}: the value printed in Go syntax by {@code render}. */
    static void immutable(String field, JsonNode now, JsonNode before, java.util.function.Function<JsonNode, String>
            render, List<FieldError> errors) {
        if (!Semantic.equal(orMissing(now), orMissing(before))) {
            errors.add(FieldError.invalidRaw(field, render.apply(now), "field is immutable"));
        }
    }

    /** kube's {@code ValidateImmutableField} for a string field (printed quoted, or {@code null} when absent). */
    static void immutableText(String field, JsonNode now, JsonNode before, List<FieldError> errors) {
        if (!Semantic.equal(orMissing(now), orMissing(before))) {
            boolean absent = now == null || now.isNull() || now.isMissingNode();
            errors.add(absent ? FieldError.invalidRaw(field, "null", "field is immutable")
                    : FieldError.invalid(field, now.asText(), "field is immutable"));
        }
    }

    private static JsonNode orMissing(JsonNode n) {
        return n == null || n.isNull() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : n;
    }

    /**
     * kube's {@code ValidateLabelSelector} (strict about label values): the keys and values of {@code matchLabels},
     * and each expression's operator, key and values.
     */
    static void labelSelector(String field, JsonNode selector, List<FieldError> errors) {
        if (selector == null || !selector.isObject()) {
            return;
        }
        Validation.labels(field + ".matchLabels", selector.get("matchLabels"), errors);
        int i = 0;
        for (JsonNode expr : selector.path("matchExpressions")) {
            String path = field + ".matchExpressions[" + i++ + "]";
            String op = expr.path("operator").asText("");
            int values = expr.path("values").size();
            switch (op) {
                case "In", "NotIn" -> {
                    if (values == 0) {
                        errors.add(FieldError.required(path + ".values",
                                "must be specified when `operator` is 'In' or 'NotIn'"));
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (values > 0) {
                        errors.add(FieldError.forbidden(path + ".values",
                                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    }
                }
                default -> errors.add(FieldError.invalid(path + ".operator", op, "not a valid selector operator"));
            }
            Validation.qualifiedName(path + ".key", expr.path("key").asText(""), errors);
            int v = 0;
            for (JsonNode value : expr.path("values")) {
                if (!LabelSelector.isValidLabelValue(value.asText())) {
                    errors.add(FieldError.invalid(path + ".values[" + v + "]", value.asText(), "a valid label must "
                            + "be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
                            + "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
                            + "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
                }
                v++;
            }
        }
    }

    /** The selector as kube's {@code LabelSelectorAsSelector} reads it, or null where that fails. */
    static LabelSelector selectorOrNull(JsonNode selector) {
        try {
            return LabelSelector.fromObject(selector);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether a selector has neither {@code matchLabels} nor {@code matchExpressions}. */
    static boolean emptySelector(JsonNode selector) {
        return selector.path("matchLabels").size() + selector.path("matchExpressions").size() == 0;
    }

    /**
     * The template rules of ReplicaSets, Deployments and DaemonSets ({@code ValidatePodTemplateSpecForReplicaSet}):
     * the selector matches the template's labels, the template is a valid pod template, and its restart policy is
     * {@code Always}, with no {@code activeDeadlineSeconds}.
     */
    static void podTemplate(String path, JsonNode template, LabelSelector selector, String kindName,
                            boolean validateSpec, List<FieldError> errors) {
        JsonNode labels = template.path("metadata").path("labels");
        if (selector != null && !selector.isEmpty() && !selector.matches(labels)) {
            errors.add(FieldError.invalidRaw(path + ".metadata.labels", goStringMap(labels),
                    "`selector` does not match template `labels`"));
        }
        // ValidatePodTemplateSpec names the template's metadata fields without "metadata"
        Validation.labels(path + ".labels", template.path("metadata").get("labels"), errors);
        Validation.annotations(path + ".annotations", template.path("metadata").get("annotations"), errors);
        if (validateSpec) {
            KindStrategies.validatePodSpec(path + ".spec", template.path("spec"), errors);
        }
        String restart = template.path("spec").path("restartPolicy").asText("");
        if (!restart.equals("Always")) {
            errors.add(FieldError.notSupported(path + ".spec.restartPolicy", restart, "supported values: \"Always\""));
        }
        if (template.path("spec").hasNonNull("activeDeadlineSeconds")) {
            errors.add(FieldError.forbidden(path + ".spec.activeDeadlineSeconds",
                    "activeDeadlineSeconds in " + kindName + " is not Supported"));
        }
    }

    /**
     * kube's {@code ValidatePositiveIntOrPercent} and {@code IsNotMoreThan100Percent}: a non-negative integer or a
     * percentage of at most 100.
     */
    static void intOrPercent(String field, JsonNode value, List<FieldError> errors) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        if (value.isTextual()) {
            String s = value.asText();
            if (!PERCENT.matcher(s).matches()) {
                errors.add(FieldError.invalidRaw(field, goIntOrString(value), "a valid percent string must be a "
                        + "numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation "
                        + "is '[0-9]+%')"));
            } else if (new java.math.BigInteger(s.substring(0, s.length() - 1)).compareTo(
                    java.math.BigInteger.valueOf(100)) > 0) {
                errors.add(FieldError.invalidRaw(field, goIntOrString(value), "must not be greater than 100%"));
            }
        } else if (value.asLong() < 0) {
            errors.add(FieldError.invalidRaw(field, value.asText(), "must be greater than or equal to 0"));
        }
    }

    /** The value of an int-or-percent ({@code 5} or {@code "25%"}) as kube's {@code getIntOrPercentValue}. */
    static long intOrPercentValue(JsonNode value) {
        if (value == null) {
            return 0;
        }
        if (value.isTextual()) {
            String s = value.asText();
            if (PERCENT.matcher(s).matches()) {
                return Long.parseLong(s.substring(0, s.length() - 1));
            }
            try {
                return Long.parseLong(s); // IntValue() of a string parses it
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return value.asLong();
    }

    // ---- Go syntax (%#v) of the values kube quotes in its errors

    /** A {@code map[string]string}: keys sorted, as Go's fmt prints maps; {@code (nil)} when absent. */
    static String goStringMap(JsonNode map) {
        if (map == null || !map.isObject()) {
            return "map[string]string(nil)";
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        map.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText()));
        StringBuilder s = new StringBuilder("map[string]string{");
        boolean first = true;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            s.append(first ? "" : ", ").append(goQuote(e.getKey())).append(':').append(goQuote(e.getValue()));
            first = false;
        }
        return s.append('}').toString();
    }

    /** A {@code metav1.LabelSelector}, or {@code null} when absent. */
    static String goLabelSelector(JsonNode selector) {
        if (selector == null || !selector.isObject()) {
            return "null";
        }
        StringBuilder s = new StringBuilder("v1.LabelSelector{MatchLabels:")
                .append(goStringMap(selector.get("matchLabels"))).append(", MatchExpressions:");
        JsonNode exprs = selector.get("matchExpressions");
        if (exprs == null || !exprs.isArray()) {
            s.append("[]v1.LabelSelectorRequirement(nil)");
        } else {
            List<String> items = new ArrayList<>();
            for (JsonNode e : exprs) {
                items.add("v1.LabelSelectorRequirement{Key:" + goQuote(e.path("key").asText()) + ", Operator:"
                        + goQuote(e.path("operator").asText()) + ", Values:" + goStrings(e.get("values")) + "}");
            }
            s.append("[]v1.LabelSelectorRequirement{").append(String.join(", ", items)).append('}');
        }
        return s.append('}').toString();
    }

    /** An {@code intstr.IntOrString}: {@code intstr.IntOrString{Type:1, IntVal:0, StrVal:"25%"}}. */
    static String goIntOrString(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "null";
        }
        return value.isTextual() ? "intstr.IntOrString{Type:1, IntVal:0, StrVal:" + goQuote(value.asText()) + "}"
                : "intstr.IntOrString{Type:0, IntVal:" + value.asLong() + ", StrVal:\"\"}";
    }

    private static String goStrings(JsonNode values) {
        if (values == null || !values.isArray()) {
            return "[]string(nil)";
        }
        List<String> items = new ArrayList<>();
        values.forEach(v -> items.add(goQuote(v.asText())));
        return "[]string{" + String.join(", ", items) + "}";
    }

    /** A Go string literal, as {@code %q} writes it for printable text. */
    static String goQuote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t") + '"';
    }

    /** A value kube would print with {@code %#v} that drydock does not spell out in Go syntax: its JSON. */
    static String json(JsonNode value) {
        return value == null || value.isMissingNode() ? "null" : value.toString();
    }

    static void putIfAbsent(ObjectNode obj, String field, String value) {
        if (!obj.hasNonNull(field)) {
            obj.put(field, value);
        }
    }

    static void putIfAbsent(ObjectNode obj, String field, long value) {
        if (!obj.hasNonNull(field)) {
            obj.put(field, value);
        }
    }

    static void putIfAbsent(ObjectNode obj, String field, boolean value) {
        if (!obj.hasNonNull(field)) {
            obj.put(field, value);
        }
    }
}

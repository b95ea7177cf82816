package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.Validation;
import dev.drydock.kube.LabelSelector;
import java.util.List;

/** kube's {@code ValidateLabelSelector} ({@code apimachinery/pkg/apis/meta/v1/validation}), with kube's words. */
final class LabelSelectorValidation {

    private LabelSelectorValidation() {
    }

    /** Adds the errors of a {@code LabelSelector} object at {@code path}; a missing one has none. */
    static void validate(JsonNode selector, String path, List<FieldError> errors) {
        if (selector == null || selector.isNull() || selector.isMissingNode()) {
            return;
        }
        Validation.labels(path + ".matchLabels", selector.get("matchLabels"), errors);
        int i = 0;
        for (JsonNode expr : selector.path("matchExpressions")) {
            String field = path + ".matchExpressions[" + i++ + "]";
            String operator = expr.path("operator").asText("");
            JsonNode values = expr.path("values");
            switch (operator) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        errors.add(FieldError.required(field + ".values",
                                "must be specified when `operator` is 'In' or 'NotIn'"));
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        errors.add(FieldError.forbidden(field + ".values",
                                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    }
                }
                default -> errors.add(FieldError.invalid(field + ".operator", operator,
                        "not a valid selector operator"));
            }
            Validation.qualifiedName(field + ".key", expr.path("key").asText(""), errors);
            int j = 0;
            for (JsonNode value : values) {
                String v = value.asText();
                if (!LabelSelector.isValidLabelValue(v)) {
                    // the words of kube's IsValidLabelValue, as Validation.labels has them
                    ObjectNode probe = JsonNodeFactory.instance.objectNode().put("k", v);
                    List<FieldError> valueErrors = new java.util.ArrayList<>();
                    Validation.labels(field + ".values[" + j + "]", probe, valueErrors);
                    errors.addAll(valueErrors);
                }
                j++;
            }
        }
    }
}

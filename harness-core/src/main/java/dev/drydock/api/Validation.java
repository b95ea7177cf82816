package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.kube.LabelSelector;
import dev.drydock.kube.NameRules;
import java.util.List;
import java.util.Map;

/** The name and metadata rules of Kubernetes' apimachinery validation, with kube's messages. */
public final class Validation {

    private Validation() {
    }

    /** A lowercase RFC 1123 subdomain of at most 253 characters, as kube's {@code IsDNS1123Subdomain}. */
    public static void dns1123Subdomain(String field, String value, List<FieldError> errors) {
        if (value.length() > 253) {
            errors.add(FieldError.invalid(field, value, "must be no more than 253 characters"));
        }
        if (!NameRules.isDns1123Subdomain(value)) {
            errors.add(FieldError.invalid(field, value, "a lowercase RFC 1123 subdomain must consist of lower case "
                    + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
                    + "(e.g. 'example.com', regex used for validation is "
                    + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
        }
    }

    /** A lowercase RFC 1123 label of at most 63 characters, as kube's {@code IsDNS1123Label}. */
    public static void dns1123Label(String field, String value, List<FieldError> errors) {
        if (value.length() > 63) {
            errors.add(FieldError.invalid(field, value, "must be no more than 63 characters"));
        }
        if (!NameRules.isDns1123Label(value)) {
            errors.add(FieldError.invalid(field, value, "a lowercase RFC 1123 label must consist of lower case "
                    + "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. "
                    + "'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
        }
    }

    /** An RFC 1035 label, as kube's {@code IsDNS1035Label} (Service names). */
    public static void dns1035Label(String field, String value, List<FieldError> errors) {
        if (value.length() > 63) {
            errors.add(FieldError.invalid(field, value, "must be no more than 63 characters"));
        }
        if (!NameRules.isDns1035Label(value)) {
            errors.add(FieldError.invalid(field, value, "a DNS-1035 label must consist of lower case alphanumeric "
                    + "characters or '-', start with an alphabetic character, and end with an alphanumeric character "
                    + "(e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"));
        }
    }

    /** Labels: a map of qualified names to label values. */
    public static void labels(String field, JsonNode labels, List<FieldError> errors) {
        if (labels == null || labels.isNull()) {
            return;
        }
        if (!labels.isObject()) {
            errors.add(FieldError.invalid(field, labels.toString(), "must be a map of strings"));
            return;
        }
        for (Map.Entry<String, JsonNode> e : labels.properties()) {
            qualifiedName(field, e.getKey(), errors);
            JsonNode v = e.getValue();
            if (!v.isTextual()) {
                errors.add(FieldError.invalid(field + "[" + e.getKey() + "]", v.toString(), "must be a string"));
            } else if (!LabelSelector.isValidLabelValue(v.asText())) {
                errors.add(FieldError.invalid(field, v.asText(), "a valid label must be an empty string or consist "
                        + "of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                        + "character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                        + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
            }
        }
    }

    /** A key such as {@code app} or {@code example.com/app}. */
    public static void qualifiedName(String field, String key, List<FieldError> errors) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || !NameRules.isDns1123Subdomain(prefix)) {
                errors.add(FieldError.invalid(field, key, "prefix part a lowercase RFC 1123 subdomain must consist "
                        + "of lower case alphanumeric characters, '-' or '.', and must start and end with an "
                        + "alphanumeric character"));
            }
        }
        if (name.isEmpty() || name.length() > 63 || !NameRules.isQualifiedNamePart(name)) {
            errors.add(FieldError.invalid(field, key, "name part must consist of alphanumeric characters, '-', '_' "
                    + "or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
                    + "'my.name',  or '123-abc', regex used for validation is "
                    + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"));
        }
    }

    /** Annotations: a map of qualified names to strings. */
    public static void annotations(String field, JsonNode annotations, List<FieldError> errors) {
        if (annotations == null || annotations.isNull()) {
            return;
        }
        if (!annotations.isObject()) {
            errors.add(FieldError.invalid(field, annotations.toString(), "must be a map of strings"));
            return;
        }
        for (Map.Entry<String, JsonNode> e : annotations.properties()) {
            qualifiedName(field, e.getKey(), errors);
            if (!e.getValue().isTextual()) {
                errors.add(FieldError.invalid(field + "[" + e.getKey() + "]", e.getValue().toString(),
                        "must be a string"));
            }
        }
    }
}

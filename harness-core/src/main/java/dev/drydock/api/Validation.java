package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.kube.LabelSelector;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The name and metadata rules of Kubernetes' apimachinery validation, with kube's messages. */
public final class Validation {

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

    private Validation() {
    }

    public static void dns1123Subdomain(String field, String value, List<FieldError> errors) {
        if (value.length() > 253) {
            errors.add(FieldError.invalid(field, value, "must be no more than 253 characters"));
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errors.add(FieldError.invalid(field, value, "a lowercase RFC 1123 subdomain must consist of lower case "
                    + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
                    + "(e.g. 'example.com', regex used for validation is "
                    + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
        }
    }

    public static void dns1123Label(String field, String value, List<FieldError> errors) {
        if (value.length() > 63) {
            errors.add(FieldError.invalid(field, value, "must be no more than 63 characters"));
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
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
        if (!DNS1035_LABEL.matcher(value).matches()) {
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
            if (prefix.isEmpty() || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) {
                errors.add(FieldError.invalid(field, key, "prefix part a lowercase RFC 1123 subdomain must consist "
                        + "of lower case alphanumeric characters, '-' or '.', and must start and end with an "
                        + "alphanumeric character"));
            }
        }
        if (name.isEmpty() || name.length() > 63 || !QUALIFIED_NAME.matcher(name).matches()) {
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

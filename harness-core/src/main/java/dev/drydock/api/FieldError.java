package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;

/**
 * One field's validation error, worded as kube's {@code field.Error}, which becomes a {@code cause} of a 422 Invalid.
 *
 * @param raw whether {@code value} is printed as it is (kube prints numbers and Go structs unquoted, strings quoted)
 */
public record FieldError(Type type, String field, String value, String detail, boolean raw) {

    /** The kinds of error kube reports, with their cause reason and message prefix. */
    public enum Type {
        REQUIRED("FieldValueRequired", "Required value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden");

        final String reason;
        final String text;

        Type(String reason, String text) {
            this.reason = reason;
            this.text = text;
        }
    }

    /** An error whose value is a string, printed quoted. */
    public FieldError(Type type, String field, String value, String detail) {
        this(type, field, value, detail, false);
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(Type.REQUIRED, field, null, detail);
    }

    public static FieldError invalid(String field, String value, String detail) {
        return new FieldError(Type.INVALID, field, value, detail);
    }

    /**
     * An invalid value printed as kube prints a non-string value: a number as it is ({@code -1}), a Go struct or map
     * in Go syntax ({@code map[string]string{"app":"web"}}).
     */
    public static FieldError invalidRaw(String field, String value, String detail) {
        return new FieldError(Type.INVALID, field, value, detail, true);
    }

    /** As kube's {@code field.Duplicate}: {@code Duplicate value: "x"}. */
    public static FieldError duplicate(String field, String value) {
        return new FieldError(Type.DUPLICATE, field, value, null);
    }

    public static FieldError notSupported(String field, String value, String detail) {
        return new FieldError(Type.NOT_SUPPORTED, field, value, detail);
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(Type.FORBIDDEN, field, null, detail);
    }

    /** {@code Invalid value: "x": detail}, as the cause message. */
    public String message() {
        StringBuilder m = new StringBuilder(type.text);
        if (type == Type.INVALID || type == Type.NOT_SUPPORTED || type == Type.DUPLICATE) {
            m.append(": ").append(value == null ? "null" : raw ? value : '"' + value + '"');
        }
        if (detail != null && !detail.isEmpty()) {
            m.append(": ").append(detail);
        }
        return m.toString();
    }

    /** {@code field: message}, as in the Status message. */
    @Override
    public String toString() {
        return field + ": " + message();
    }

    ObjectNode cause() {
        ObjectNode c = Json.object();
        c.put("reason", type.reason);
        c.put("message", message());
        c.put("field", field);
        return c;
    }
}

package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One field's validation error, worded as kube's {@code field.Error}, which becomes a {@code cause} of a 422 Invalid.
 *
 * @param value  the bad value: a string, printed quoted as Go's {@code %q} prints it, or, when {@code raw}, already
 *               printed as kube prints a value of another Go type ({@code 30080}, {@code []string{"10.96.0.1"}})
 * @param raw    whether {@code value} is printed as it is rather than quoted
 */
public record FieldError(Type type, String field, String value, String detail, boolean raw) {

    /** The kinds of error kube reports, with their cause reason and message prefix. */
    public enum Type {
        REQUIRED("FieldValueRequired", "Required value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value"),
        TOO_LONG("FieldValueTooLong", "Too long");

        final String reason;
        final String text;

        Type(String reason, String text) {
            this.reason = reason;
            this.text = text;
        }
    }

    /** An error whose value, if any, is a string. */
    public FieldError(Type type, String field, String value, String detail) {
        this(type, field, value, detail, false);
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(Type.REQUIRED, field, null, detail);
    }

    public static FieldError invalid(String field, String value, String detail) {
        return new FieldError(Type.INVALID, field, value, detail);
    }

    /** An invalid value that is not a string, already printed as kube prints it (a number, a Go slice...). */
    public static FieldError invalidRaw(String field, String printedValue, String detail) {
        return new FieldError(Type.INVALID, field, printedValue, detail, true);
    }

    public static FieldError notSupported(String field, String value, String detail) {
        return new FieldError(Type.NOT_SUPPORTED, field, value, detail);
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(Type.FORBIDDEN, field, null, detail);
    }

    public static FieldError duplicate(String field, String value) {
        return new FieldError(Type.DUPLICATE, field, value, null);
    }

    /** A duplicate value that is not a string, already printed as kube prints it. */
    public static FieldError duplicateRaw(String field, String printedValue) {
        return new FieldError(Type.DUPLICATE, field, printedValue, null, true);
    }

    /** As kube's {@code field.TooLong}: {@code Too long: may not be more than 1048576 bytes}. */
    public static FieldError tooLong(String field, int maxBytes) {
        return new FieldError(Type.TOO_LONG, field, null,
                "may not be more than " + maxBytes + (maxBytes == 1 ? " byte" : " bytes"));
    }

    /** A Go {@code []string} as {@code %#v} prints it: {@code []string{"a", "b"}}, or {@code []string(nil)}. */
    public static String goStrings(List<String> values) {
        return goSlice("string", values);
    }

    /** A Go slice of a string type as {@code %#v} prints it, e.g. {@code []core.IPFamily{"IPv4"}}. */
    public static String goSlice(String elementType, List<String> values) {
        if (values == null) {
            return "[]" + elementType + "(nil)";
        }
        return values.stream().map(FieldError::goQuote)
                .collect(Collectors.joining(", ", "[]" + elementType + "{", "}"));
    }

    /** A string as Go's {@code %q} prints it. */
    public static String goQuote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
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

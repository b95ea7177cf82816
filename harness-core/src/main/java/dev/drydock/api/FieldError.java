package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.schema.GoFormat;
import dev.drydock.kube.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One field's validation error, worded as kube's {@code field.Error}, which becomes a {@code cause} of a 422 Invalid.
 *
 * <p>The value is printed as kube prints a {@code BadValue}: a string quoted ({@code "x"}), a number or boolean bare
 * ({@code 11}, {@code 1.5}, {@code true}), anything else (a {@link JsonNode} object or array) as JSON, and
 * {@link #OMIT} not at all.
 */
public record FieldError(Type type, String field, Object value, String detail) {

    /** A value that is not printed, as kube's {@code field.OmitValueType}. */
    public static final Object OMIT = new Object() {
        @Override
        public String toString() {
            return "<omitted>";
        }
    };

    /** The kinds of error kube reports, with their cause reason and message prefix. */
    public enum Type {
        NOT_FOUND("FieldValueNotFound", "Not found"),
        REQUIRED("FieldValueRequired", "Required value"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        TOO_MANY("FieldValueTooMany", "Too many"),
        INTERNAL("InternalError", "Internal error"),
        TYPE_INVALID("FieldValueTypeInvalid", "Invalid value");

        final String reason;
        final String text;

        Type(String reason, String text) {
            this.reason = reason;
            this.text = text;
        }

        /** The cause's {@code reason}, e.g. {@code FieldValueInvalid}. */
        public String reason() {
            return reason;
        }

        /** Whether kube prints the bad value in this error's message. */
        boolean showsValue() {
            return switch (this) {
                case REQUIRED, FORBIDDEN, TOO_LONG, INTERNAL -> false;
                default -> true;
            };
        }
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(Type.REQUIRED, field, "", detail);
    }

    public static FieldError invalid(String field, Object value, String detail) {
        return new FieldError(Type.INVALID, field, value, detail);
    }

    /** kube's {@code field.TypeInvalid}: printed as Invalid value, with reason {@code FieldValueTypeInvalid}. */
    public static FieldError typeInvalid(String field, Object value, String detail) {
        return new FieldError(Type.TYPE_INVALID, field, value, detail);
    }

    public static FieldError notSupported(String field, String value, String detail) {
        return new FieldError(Type.NOT_SUPPORTED, field, value, detail);
    }

    /** kube's {@code field.NotSupported}: {@code Unsupported value: "x": supported values: "a", "b"}. */
    public static FieldError notSupported(String field, Object value, List<String> supported) {
        String detail = "";
        if (!supported.isEmpty()) {
            List<String> quoted = new ArrayList<>();
            supported.forEach(s -> quoted.add(GoFormat.quote(s)));
            detail = "supported values: " + String.join(", ", quoted);
        }
        return new FieldError(Type.NOT_SUPPORTED, field, value, detail);
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(Type.FORBIDDEN, field, "", detail);
    }

    /** kube's {@code field.Duplicate}: {@code Duplicate value: "x"}. */
    public static FieldError duplicate(String field, Object value) {
        return new FieldError(Type.DUPLICATE, field, value, "");
    }

    /** kube's {@code field.TooLong}: {@code Too long: may not be more than 5 bytes}. */
    public static FieldError tooLong(String field, long max) {
        String detail = max >= 0 ? "may not be more than " + max + (max == 1 ? " byte" : " bytes")
                : "value is too long";
        return new FieldError(Type.TOO_LONG, field, "<value omitted>", detail);
    }

    /** kube's {@code field.TooMany}: {@code Too many: 3: must have at most 2 items}. */
    public static FieldError tooMany(String field, long actual, long max) {
        String detail = max >= 0 ? "must have at most " + max + (max == 1 ? " item" : " items") : "has too many items";
        return new FieldError(Type.TOO_MANY, field, actual >= 0 ? (Object) actual : OMIT, detail);
    }

    /** kube's {@code field.InternalError}. */
    public static FieldError internal(String field, String detail) {
        return new FieldError(Type.INTERNAL, field, "", detail);
    }

    /** {@code Invalid value: "x": detail}, as the cause message (kube's {@code ErrorBody}). */
    public String message() {
        StringBuilder m = new StringBuilder(type.text);
        if (type.showsValue() && value != OMIT) {
            m.append(": ").append(render(value));
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

    /** An error whose value, when {@code raw}, is already printed as kube prints it (see {@link Raw}). */
    public FieldError(Type type, String field, String value, String detail, boolean raw) {
        this(type, field, raw && value != null ? new Raw(value) : value, detail);
    }

    /** A bad value already printed as kube prints it (a number, a Go slice such as {@code []string{"a"}}). */
    public record Raw(String printed) {
        @Override
        public String toString() {
            return printed;
        }
    }

    /** An invalid value that is not a string, already printed as kube prints it (a number, a Go slice...). */
    public static FieldError invalidRaw(String field, String printedValue, String detail) {
        return new FieldError(Type.INVALID, field, new Raw(printedValue), detail);
    }

    /** A duplicate value that is not a string, already printed as kube prints it. */
    public static FieldError duplicateRaw(String field, String printedValue) {
        return new FieldError(Type.DUPLICATE, field, new Raw(printedValue), "");
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
        List<String> quoted = new ArrayList<>();
        values.forEach(v -> quoted.add(goQuote(v)));
        return "[]" + elementType + "{" + String.join(", ", quoted) + "}";
    }

    /** A string as Go's {@code %q} prints it. */
    public static String goQuote(String s) {
        return GoFormat.quote(s);
    }

    /** A value as kube's {@code ErrorBody} prints it. */
    static String render(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Raw raw) {
            return raw.printed();
        }
        if (v instanceof String s) {
            return GoFormat.quote(s);
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            return GoFormat.float64(((Number) v).doubleValue());
        }
        if (v instanceof JsonNode n) {
            if (n.isTextual()) {
                return GoFormat.quote(n.asText());
            }
            if (n.isNumber()) {
                return GoFormat.number(n);
            }
            if (n.isNull() || n.isMissingNode()) {
                return "null";
            }
            if (n.isBoolean()) {
                return n.asText();
            }
            return Json.string(sorted(n)); // as Go's json.Marshal, which sorts map keys
        }
        return GoFormat.quote(v.toString());
    }

    private static JsonNode sorted(JsonNode n) {
        if (n.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            n.properties().forEach(e -> fields.put(e.getKey(), sorted(e.getValue())));
            ObjectNode o = Json.object();
            fields.forEach(o::set);
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = Json.array();
            n.forEach(x -> a.add(sorted(x)));
            return a;
        }
        return n;
    }
}

package dev.drydock.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.FieldError;
import dev.drydock.kube.Semantic;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Validates a value against a schema as kube's OpenAPI schema validator (kube-openapi's {@code validate} package)
 * does, then turns its findings into field errors as apiextensions-apiserver does: the messages read
 * {@code spec.replicas in body must be of type integer: "string"}. On update, errors inside a value that did not change
 * are dropped, as kube's validation ratcheting does.
 */
final class SchemaValidator {

    /** kube-openapi's error codes that apiextensions-apiserver tells apart. */
    enum Code { REQUIRED, ENUM, TOO_LONG, MAX_ITEMS, TOO_MANY_PROPERTIES, INVALID_TYPE, OTHER, COMPOSITE }

    /** One finding: {@code name} is the kube-openapi path ({@code spec.replicas}, {@code .spec} for required). */
    record Finding(Code code, String name, Object value, Object valid, String message, List<JsonNode> values) {
    }

    /** Findings with kube-openapi's match count, which picks the closest failing alternative of anyOf/oneOf. */
    static final class Result {
        final List<Finding> findings = new ArrayList<>();
        int matchCount;

        void add(Finding f) {
            for (Finding existing : findings) {
                if (existing.message.equals(f.message)) {
                    return;
                }
            }
            findings.add(f);
        }

        void merge(Result other) {
            if (other != null) {
                other.findings.forEach(this::add);
                matchCount += other.matchCount;
            }
        }

        boolean valid() {
            return findings.isEmpty();
        }
    }

    private static final String IN = "body";
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private SchemaValidator() {
    }

    /**
     * The field errors of {@code value} against {@code schema}, under {@code fieldPath} (kube's {@code fldPath}:
     * {@code null} for a whole object, {@code "status"} for the status subresource).
     *
     * @param old the value before an update, or {@code null} on create (no ratcheting)
     */
    static List<FieldError> validate(String fieldPath, Schema schema, JsonNode value, JsonNode old) {
        Result r = validate(schema, value, old, "", old != null);
        return toFieldErrors(fieldPath, r);
    }

    private static Result validate(Schema s, JsonNode data, JsonNode old, String path, boolean ratchet) {
        Result r = validateNode(s, data, old, path, ratchet);
        if (ratchet && old != null && !r.valid() && Semantic.equal(data, old)) {
            Result kept = new Result(); // kube turns these into warnings, which it does not return for ratcheted fields
            kept.matchCount = r.matchCount;
            return kept;
        }
        return r;
    }

    private static Result validateNode(Schema s, JsonNode data, JsonNode old, String path, boolean ratchet) {
        Result result = new Result();
        boolean typeApplies = !s.types().isEmpty() || !s.format.isEmpty();
        if (data == null || data.isNull() || data.isMissingNode()) {
            if (typeApplies && !s.types().isEmpty() && !s.nullable) {
                result.add(invalidType(path, String.join(",", s.types()), "null"));
            }
            result.merge(enumCheck(s, null, path));
            return result;
        }
        if (typeApplies) {
            result.merge(typeCheck(s, data, path));
            result.matchCount++;
        }
        result.merge(schemaProps(s, data, path));
        result.matchCount++;
        if (data.isTextual()) {
            result.merge(stringCheck(s, data.asText(), data, path));
            result.matchCount++;
            if (!s.format.isEmpty() && Formats.supported(s.format, s.type)) {
                if (!Formats.valid(s.format, data.asText())) {
                    result.add(invalidType(path, s.format, data.asText()));
                }
                result.matchCount++;
            }
        }
        if (data.isNumber()) {
            result.merge(numberCheck(s, data, path));
            result.matchCount++;
        }
        if (data.isArray()) {
            result.merge(sliceCheck(s, data, old, path, ratchet));
            result.matchCount++;
        }
        result.merge(enumCheck(s, data, path));
        result.matchCount++;
        if (data.isObject()) {
            result.merge(objectCheck(s, data, old, path, ratchet));
            result.matchCount++;
        }
        result.matchCount++;
        return result;
    }

    private static String kind(JsonNode d) {
        if (d.isTextual()) {
            return "string";
        }
        if (d.isBoolean()) {
            return "boolean";
        }
        if (d.isNumber()) {
            return GoFormat.isInt64(d) ? "integer" : "number";
        }
        if (d.isArray()) {
            return "array";
        }
        return "object";
    }

    private static Result typeCheck(Schema s, JsonNode data, String path) {
        Result r = new Result();
        List<String> types = s.types();
        String schType = kind(data);
        String dataFormat = schType.equals("integer") ? "int64" : schType.equals("number") ? "float64" : "";
        boolean isFloatInt = schType.equals("number") && isIntegral(data) && types.contains("integer");
        boolean isIntFloat = schType.equals("integer") && types.contains("number");
        boolean stringOrSlice = data.isTextual() || data.isArray();
        if (!stringOrSlice && !s.format.isEmpty()
                && !(types.contains(schType) || dataFormat.equals(s.format) || isFloatInt || isIntFloat)) {
            r.add(invalidType(path, s.format, dataFormat));
            return r;
        }
        if (!(types.contains("number") || types.contains("integer")) && !s.format.isEmpty() && stringOrSlice) {
            return r;
        }
        if (!(types.contains(schType) || isFloatInt || isIntFloat)) {
            r.add(invalidType(path, String.join(",", types), schType));
        }
        return r;
    }

    private static boolean isIntegral(JsonNode n) {
        try {
            n.decimalValue().toBigIntegerExact();
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    private static Result schemaProps(Schema s, JsonNode data, String path) {
        Result main = new Result();
        if (!s.anyOf.isEmpty()) {
            Result best = null;
            Result firstSuccess = null;
            boolean succeeded = false;
            for (Schema alt : s.anyOf) {
                Result r = validateNode(alt, data, null, path, false);
                if (r.valid()) {
                    best = null;
                    succeeded = true;
                    firstSuccess = r;
                    break;
                }
                if (best == null || r.matchCount > best.matchCount) {
                    best = r;
                }
            }
            if (!succeeded) {
                main.add(composite(GoFormat.quote(path) + " must validate at least one schema (anyOf)"));
            }
            main.merge(best != null ? best : firstSuccess);
        }
        if (!s.oneOf.isEmpty()) {
            Result best = null;
            Result firstSuccess = null;
            int validated = 0;
            for (Schema alt : s.oneOf) {
                Result r = validateNode(alt, data, null, path, false);
                if (r.valid()) {
                    validated++;
                    best = null;
                    if (firstSuccess == null) {
                        firstSuccess = r;
                    }
                    continue;
                }
                if (validated == 0 && (best == null || r.matchCount > best.matchCount)) {
                    best = r;
                }
            }
            if (validated != 1) {
                String more = validated == 0 ? "Found none valid" : "Found " + validated + " valid alternatives";
                main.add(composite(GoFormat.quote(path) + " must validate one and only one schema (oneOf). " + more));
                main.merge(best);
            } else {
                main.merge(firstSuccess);
            }
        }
        if (!s.allOf.isEmpty()) {
            int validated = 0;
            for (Schema all : s.allOf) {
                Result r = validateNode(all, data, null, path, false);
                if (r.valid()) {
                    validated++;
                }
                main.merge(r);
            }
            if (validated != s.allOf.size()) {
                main.add(composite(GoFormat.quote(path) + " must validate all the schemas (allOf)"
                        + (validated == 0 ? ". None validated" : "")));
            }
        }
        if (s.not != null && validateNode(s.not, data, null, path, false).valid()) {
            main.add(composite(GoFormat.quote(path) + " must not validate the schema (not)"));
        }
        main.matchCount++;
        return main;
    }

    private static Result stringCheck(Schema s, String v, JsonNode data, String path) {
        Result r = new Result();
        long runes = v.codePointCount(0, v.length());
        if (s.maxLength != null && runes > s.maxLength) {
            r.add(new Finding(Code.TOO_LONG, path, data, s.maxLength,
                    path + " in " + IN + " should be at most " + s.maxLength + " chars long", null));
        } else if (s.minLength != null && runes < s.minLength) {
            r.add(new Finding(Code.OTHER, path, data, s.minLength,
                    path + " in " + IN + " should be at least " + s.minLength + " chars long", null));
        } else if (!s.pattern.isEmpty()) {
            Pattern p;
            try {
                p = PATTERNS.computeIfAbsent(s.pattern, Pattern::compile);
            } catch (PatternSyntaxException e) {
                r.add(new Finding(Code.OTHER, path, data, null, path + " in " + IN + " should match '" + s.pattern
                        + ", but pattern is invalid: error parsing regexp: " + e.getDescription() + "'", null));
                return r;
            }
            if (!p.matcher(v).find()) {
                r.add(new Finding(Code.OTHER, path, data, null,
                        path + " in " + IN + " should match '" + s.pattern + "'", null));
            }
        }
        return r;
    }

    private static Result numberCheck(Schema s, JsonNode data, String path) {
        Result r = new Result();
        BigDecimal v = data.decimalValue();
        if (s.multipleOf != null && s.multipleOf.signum() > 0) {
            boolean intFactor = isIntegralDecimal(s.multipleOf);
            if (v.remainder(s.multipleOf).signum() != 0) {
                String factor = GoFormat.isInt64(data) && intFactor ? s.multipleOf.toBigInteger().toString()
                        : GoFormat.float64(s.multipleOf.doubleValue());
                r.add(new Finding(Code.OTHER, path, data, null,
                        path + " in " + IN + " should be a multiple of " + factor, null));
            }
        }
        if (s.minimum != null) {
            int c = v.compareTo(s.minimum);
            if ((s.exclusiveMinimum && c <= 0) || (!s.exclusiveMinimum && c < 0)) {
                r.add(new Finding(Code.OTHER, path, data, null, path + " in " + IN + " should be greater than "
                        + (s.exclusiveMinimum ? "" : "or equal to ") + GoFormat.float64(s.minimum.doubleValue()), null));
            }
        }
        if (s.maximum != null) {
            int c = v.compareTo(s.maximum);
            if ((s.exclusiveMaximum && c >= 0) || (!s.exclusiveMaximum && c > 0)) {
                r.add(new Finding(Code.OTHER, path, data, null, path + " in " + IN + " should be less than "
                        + (s.exclusiveMaximum ? "" : "or equal to ") + GoFormat.float64(s.maximum.doubleValue()), null));
            }
        }
        r.matchCount++;
        return r;
    }

    private static boolean isIntegralDecimal(BigDecimal d) {
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    private static Result sliceCheck(Schema s, JsonNode data, JsonNode old, String path, boolean ratchet) {
        Result r = new Result();
        int size = data.size();
        if (s.items != null) {
            for (int i = 0; i < size; i++) {
                JsonNode oldItem = ratchet ? Correlation.item(s, data.get(i), old) : null;
                r.merge(validate(s.items, data.get(i), oldItem, path + "[" + i + "]", ratchet));
            }
        }
        if (s.minItems != null && size < s.minItems) {
            r.add(new Finding(Code.OTHER, path, (long) size, s.minItems,
                    path + " in " + IN + " should have at least " + s.minItems + " items", null));
        }
        if (s.maxItems != null && size > s.maxItems) {
            r.add(new Finding(Code.MAX_ITEMS, path, (long) size, s.maxItems,
                    path + " in " + IN + " should have at most " + s.maxItems + " items", null));
        }
        if (s.uniqueItems) {
            outer:
            for (int i = 0; i < size; i++) {
                for (int j = i + 1; j < size; j++) {
                    if (Semantic.equal(data.get(i), data.get(j))) {
                        r.add(new Finding(Code.OTHER, path, null, null,
                                path + " in " + IN + " shouldn't contain duplicates", null));
                        break outer;
                    }
                }
            }
        }
        r.matchCount++;
        return r;
    }

    private static Result enumCheck(Schema s, JsonNode data, String path) {
        Result r = new Result();
        if (s.enumValues.isEmpty()) {
            return r;
        }
        if (data != null) {
            for (JsonNode e : s.enumValues) {
                if (!e.isNull() && sameEnumValue(e, data)) {
                    return r;
                }
            }
        }
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < s.enumValues.size(); i++) {
            JsonNode e = s.enumValues.get(i);
            list.append(i > 0 ? " " : "").append(e.isTextual() ? e.asText() : e.isNumber() ? GoFormat.number(e)
                    : e.toString());
        }
        list.append(']');
        r.add(new Finding(Code.ENUM, path, data, null, path + " in " + IN + " should be one of " + list,
                s.enumValues));
        return r;
    }

    private static boolean sameEnumValue(JsonNode e, JsonNode data) {
        if (e.isNumber() && data.isNumber()) {
            return e.decimalValue().compareTo(data.decimalValue()) == 0;
        }
        return Semantic.equal(e, data) && e.getNodeType() == data.getNodeType();
    }

    private static Result objectCheck(Schema s, JsonNode data, JsonNode old, String path, boolean ratchet) {
        Result r = new Result();
        long keys = data.size();
        if (s.minProperties != null && keys < s.minProperties) {
            r.add(new Finding(Code.OTHER, path, keys, s.minProperties,
                    path + " in " + IN + " should have at least " + s.minProperties + " properties", null));
        }
        if (s.maxProperties != null && keys > s.maxProperties) {
            r.add(new Finding(Code.TOO_MANY_PROPERTIES, path, keys, s.maxProperties,
                    path + " in " + IN + " should have at most " + s.maxProperties + " properties", null));
        }
        if (Boolean.FALSE.equals(s.additionalPropertiesAllows)) {
            for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (s.property(k) == null) {
                    r.add(new Finding(Code.OTHER, path, k, null,
                            path + "." + k + " in " + IN + " is a forbidden property", null));
                }
            }
        } else if (s.additionalProperties != null) {
            for (Map.Entry<String, JsonNode> e : data.properties()) {
                if (s.property(e.getKey()) == null) {
                    JsonNode oldValue = ratchet && old != null && old.isObject() ? old.get(e.getKey()) : null;
                    r.merge(validate(s.additionalProperties, e.getValue(), oldValue, path + "." + e.getKey(),
                            ratchet));
                }
            }
        }
        if (s.properties != null) {
            for (Map.Entry<String, Schema> p : s.properties.entrySet()) {
                JsonNode v = data.get(p.getKey());
                if (v != null) {
                    boolean typeMeta = path.isEmpty() && (p.getKey().equals("kind") || p.getKey().equals("apiVersion"));
                    JsonNode oldValue = ratchet && !typeMeta && old != null && old.isObject() ? old.get(p.getKey())
                            : null;
                    r.merge(validate(p.getValue(), v, oldValue, path.isEmpty() ? p.getKey() : path + "." + p.getKey(),
                            ratchet));
                }
            }
        }
        for (String k : s.required) {
            if (!data.has(k)) {
                r.add(new Finding(Code.REQUIRED, path + "." + k, null, null,
                        path + "." + k + " in " + IN + " is required", null));
            }
        }
        return r;
    }

    private static Finding invalidType(String path, String type, String value) {
        return new Finding(Code.INVALID_TYPE, path, value, null,
                path + " in " + IN + " must be of type " + type + ": " + GoFormat.quote(value), null);
    }

    private static Finding composite(String message) {
        return new Finding(Code.COMPOSITE, null, null, null, message, null);
    }

    /** As apiextensions-apiserver's {@code kubeOpenAPIResultToFieldErrors}. */
    static List<FieldError> toFieldErrors(String fieldPath, Result r) {
        List<FieldError> out = new ArrayList<>();
        for (Finding f : r.findings) {
            if (f.code == Code.COMPOSITE) {
                out.add(FieldError.invalid(Paths.orNil(fieldPath), "", f.message));
                continue;
            }
            String errPath = fieldPath;
            if (f.name != null && !f.name.isEmpty() && !f.name.equals(".")) {
                errPath = Paths.child(fieldPath, f.name.startsWith(".") ? f.name.substring(1) : f.name);
            }
            errPath = Paths.orNil(errPath);
            Object value = f.value == null ? "" : f.value;
            switch (f.code) {
                case REQUIRED -> out.add(FieldError.required(errPath, ""));
                case ENUM -> {
                    List<String> values = new ArrayList<>();
                    for (JsonNode v : f.values) {
                        values.add(v.isTextual() ? v.asText() : v.isNumber() ? GoFormat.number(v) : v.toString());
                    }
                    out.add(FieldError.notSupported(errPath, f.value, values));
                }
                case TOO_LONG -> out.add(FieldError.tooLong(errPath, (Long) f.valid));
                case MAX_ITEMS, TOO_MANY_PROPERTIES -> out.add(FieldError.tooMany(errPath, (Long) f.value,
                        (Long) f.valid));
                case INVALID_TYPE -> out.add(FieldError.typeInvalid(errPath, value, f.message));
                default -> out.add(FieldError.invalid(errPath, value, f.message));
            }
        }
        return out;
    }
}

package dev.drydock.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node of a CRD's {@code openAPIV3Schema} (kube's {@code JSONSchemaProps}), read from its JSON. The same type
 * serves the structural part of a schema and the value validations nested in {@code allOf}, {@code anyOf},
 * {@code oneOf} and {@code not}; {@link StructuralCheck} says which fields each may use.
 */
final class Schema {

    /** Fields of JSONSchemaProps kube rejects in CRDs, by their JSON names. */
    static final List<String> UNSUPPORTED = List.of("id", "$schema", "$ref", "patternProperties", "dependencies",
            "additionalItems", "definitions");

    final JsonNode raw;
    final String type;
    final String format;
    final String title;
    final String description;
    final boolean nullable;
    /** The {@code default}, or {@code null} if none (a JSON null default is a NullNode). */
    final JsonNode defaultValue;
    final Map<String, Schema> properties;
    final Schema items;
    final boolean itemsIsArray;
    /** {@code additionalProperties}: absent ({@code null}), a boolean, or a schema. */
    final Boolean additionalPropertiesAllows;
    final Schema additionalProperties;

    final BigDecimal maximum;
    final boolean exclusiveMaximum;
    final BigDecimal minimum;
    final boolean exclusiveMinimum;
    final Long maxLength;
    final Long minLength;
    final String pattern;
    final Long maxItems;
    final Long minItems;
    final boolean uniqueItems;
    final BigDecimal multipleOf;
    final List<JsonNode> enumValues;
    final Long maxProperties;
    final Long minProperties;
    final List<String> required;
    final List<Schema> allOf;
    final List<Schema> anyOf;
    final List<Schema> oneOf;
    final Schema not;

    /** {@code x-kubernetes-preserve-unknown-fields}: absent ({@code null}), true or (invalidly) false. */
    final Boolean preserveUnknownFieldsValue;
    final boolean embeddedResource;
    final boolean intOrString;
    final List<String> listMapKeys;
    final String listType;
    final String mapType;
    final List<Rule> validations;

    /** One {@code x-kubernetes-validations} entry. */
    record Rule(String rule, String message, String messageExpression, String reason, String fieldPath,
                Boolean optionalOldSelf, boolean hasMessage, boolean hasReason, boolean hasFieldPath,
                boolean hasMessageExpression) {
    }

    private Schema(JsonNode n) {
        raw = n;
        type = text(n, "type");
        format = text(n, "format");
        title = text(n, "title");
        description = text(n, "description");
        nullable = n.path("nullable").asBoolean(false);
        defaultValue = n.has("default") ? n.get("default") : null;
        JsonNode props = n.get("properties");
        if (props != null && props.isObject()) {
            Map<String, Schema> m = new LinkedHashMap<>();
            props.properties().forEach(e -> m.put(e.getKey(), of(e.getValue())));
            properties = Collections.unmodifiableMap(m);
        } else {
            properties = null;
        }
        JsonNode it = n.get("items");
        itemsIsArray = it != null && it.isArray();
        items = it != null && it.isObject() ? of(it) : null;
        JsonNode ap = n.get("additionalProperties");
        if (ap == null || ap.isNull()) {
            additionalPropertiesAllows = null;
            additionalProperties = null;
        } else if (ap.isBoolean()) {
            additionalPropertiesAllows = ap.booleanValue();
            additionalProperties = null;
        } else {
            additionalPropertiesAllows = true;
            additionalProperties = of(ap);
        }
        maximum = decimal(n, "maximum");
        exclusiveMaximum = n.path("exclusiveMaximum").asBoolean(false);
        minimum = decimal(n, "minimum");
        exclusiveMinimum = n.path("exclusiveMinimum").asBoolean(false);
        maxLength = integer(n, "maxLength");
        minLength = integer(n, "minLength");
        pattern = text(n, "pattern");
        maxItems = integer(n, "maxItems");
        minItems = integer(n, "minItems");
        uniqueItems = n.path("uniqueItems").asBoolean(false);
        multipleOf = decimal(n, "multipleOf");
        List<JsonNode> e = new ArrayList<>();
        n.path("enum").forEach(e::add);
        enumValues = List.copyOf(e);
        maxProperties = integer(n, "maxProperties");
        minProperties = integer(n, "minProperties");
        List<String> req = new ArrayList<>();
        n.path("required").forEach(r -> req.add(r.asText()));
        required = List.copyOf(req);
        allOf = list(n.get("allOf"));
        anyOf = list(n.get("anyOf"));
        oneOf = list(n.get("oneOf"));
        JsonNode notNode = n.get("not");
        not = notNode != null && notNode.isObject() ? of(notNode) : null;
        JsonNode puf = n.get("x-kubernetes-preserve-unknown-fields");
        preserveUnknownFieldsValue = puf == null || puf.isNull() ? null : puf.asBoolean(false);
        embeddedResource = n.path("x-kubernetes-embedded-resource").asBoolean(false);
        intOrString = n.path("x-kubernetes-int-or-string").asBoolean(false);
        List<String> keys = new ArrayList<>();
        n.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
        listMapKeys = List.copyOf(keys);
        listType = n.hasNonNull("x-kubernetes-list-type") ? n.get("x-kubernetes-list-type").asText() : null;
        mapType = n.hasNonNull("x-kubernetes-map-type") ? n.get("x-kubernetes-map-type").asText() : null;
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : n.path("x-kubernetes-validations")) {
            rules.add(new Rule(r.path("rule").asText(""), r.path("message").asText(""),
                    r.path("messageExpression").asText(""), r.path("reason").asText(""),
                    r.path("fieldPath").asText(""),
                    r.hasNonNull("optionalOldSelf") ? r.get("optionalOldSelf").asBoolean() : null,
                    r.hasNonNull("message"), r.hasNonNull("reason"), r.hasNonNull("fieldPath"),
                    r.hasNonNull("messageExpression")));
        }
        validations = List.copyOf(rules);
    }

    /** Reads a schema node; a non-object reads as an empty schema. */
    static Schema of(JsonNode n) {
        return new Schema(n != null && n.isObject() ? n : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode());
    }

    boolean preserveUnknownFields() {
        return Boolean.TRUE.equals(preserveUnknownFieldsValue);
    }

    boolean hasProperties() {
        return properties != null && !properties.isEmpty();
    }

    Schema property(String name) {
        return properties == null ? null : properties.get(name);
    }

    /** The schema of a field of an object: a declared property, else the additionalProperties schema. */
    Schema fieldSchema(String name) {
        Schema p = property(name);
        return p != null ? p : additionalProperties;
    }

    /** The OpenAPI types a value may have: {@code integer,string} for int-or-string. */
    List<String> types() {
        if (intOrString) {
            return List.of("integer", "string");
        }
        return type.isEmpty() ? List.of() : List.of(type);
    }

    /** JSON names of the unsupported fields this node sets. */
    List<String> unsupportedFields() {
        List<String> found = new ArrayList<>();
        for (String f : UNSUPPORTED) {
            JsonNode v = raw.get(f);
            if (v != null && !v.isNull() && !(v.isContainerNode() && v.isEmpty()) && !(v.isTextual()
                    && v.asText().isEmpty())) {
                found.add(f);
            }
        }
        return found;
    }

    /** Whether the node holds any value validation (kube's ValueValidation non-zero). */
    boolean hasValueValidation() {
        return !format.isEmpty() || maximum != null || exclusiveMaximum || minimum != null || exclusiveMinimum
                || maxLength != null || minLength != null || !pattern.isEmpty() || maxItems != null
                || minItems != null || uniqueItems || multipleOf != null || !enumValues.isEmpty()
                || maxProperties != null || minProperties != null || !required.isEmpty() || !allOf.isEmpty()
                || !oneOf.isEmpty() || !anyOf.isEmpty() || not != null;
    }

    /** Whether any node of this schema has x-kubernetes-validations rules. */
    boolean hasRules() {
        if (!validations.isEmpty()) {
            return true;
        }
        if (properties != null) {
            for (Schema p : properties.values()) {
                if (p.hasRules()) {
                    return true;
                }
            }
        }
        for (List<Schema> l : List.of(allOf, anyOf, oneOf)) {
            for (Schema s : l) {
                if (s.hasRules()) {
                    return true;
                }
            }
        }
        return (items != null && items.hasRules()) || (additionalProperties != null && additionalProperties.hasRules())
                || (not != null && not.hasRules());
    }

    static final Set<String> TYPES = Set.of("array", "boolean", "integer", "number", "object", "string");

    private static String text(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static BigDecimal decimal(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v != null && v.isNumber() ? v.decimalValue() : null;
    }

    private static Long integer(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v != null && v.isNumber() ? v.longValue() : null;
    }

    private static List<Schema> list(JsonNode n) {
        if (n == null || !n.isArray()) {
            return List.of();
        }
        List<Schema> l = new ArrayList<>();
        n.forEach(x -> l.add(of(x)));
        return List.copyOf(l);
    }
}

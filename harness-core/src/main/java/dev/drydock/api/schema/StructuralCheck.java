package dev.drydock.api.schema;

import static dev.drydock.api.schema.Paths.child;
import static dev.drydock.api.schema.Paths.index;
import static dev.drydock.api.schema.Paths.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.drydock.api.FieldError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Whether a schema is structural, as kube's {@code schema.ValidateStructural} decides: every specified field has a
 * type, value validations nested in allOf/anyOf/oneOf/not only restate what the structure declares, metadata at the
 * root says no more than name and generateName. Errors are sorted by their text, as kube sorts them.
 */
final class StructuralCheck {

    private enum Level { ROOT, ITEM, FIELD }

    private static final JsonNode INT_ANY_OF = JsonNodeFactory.instance.objectNode().put("type", "integer");
    private static final JsonNode STRING_ANY_OF = JsonNodeFactory.instance.objectNode().put("type", "string");

    private final List<FieldError> errors = new ArrayList<>();

    private StructuralCheck() {
    }

    /** The errors that make the schema at {@code path} non-structural; empty if it is structural. */
    static List<FieldError> check(String path, Schema s) {
        StructuralCheck c = new StructuralCheck();
        c.invariants(s, Level.ROOT, path);
        c.valueCompleteness(s, s, path, path);
        c.errors.sort(Comparator.comparing(FieldError::toString));
        return c.errors;
    }

    private void invariants(Schema s, Level lvl, String path) {
        if (s == null) {
            return;
        }
        if (s.type.equals("array") && s.items == null) {
            errors.add(FieldError.required(child(path, "items"), "must be specified"));
        }
        invariants(s.items, Level.ITEM, child(path, "items"));
        if (s.properties != null) {
            s.properties.forEach((k, v) -> invariants(v, Level.FIELD, key(child(path, "properties"), k)));
        }
        if (s.additionalPropertiesAllows != null) {
            if (lvl == Level.ROOT) {
                errors.add(FieldError.forbidden(child(path, "additionalProperties"), "must not be used at the root"));
            }
            if (s.additionalProperties != null) {
                invariants(s.additionalProperties, Level.FIELD, child(path, "additionalProperties"));
            }
        }
        if (s.intOrString && s.preserveUnknownFields()) {
            errors.add(FieldError.invalid(child(path, "x-kubernetes-preserve-unknown-fields"), true,
                    "must be false if x-kubernetes-int-or-string is true"));
        }
        if (s.intOrString && s.embeddedResource) {
            errors.add(FieldError.invalid(child(path, "x-kubernetes-embedded-resource"), true,
                    "must be false if x-kubernetes-int-or-string is true"));
        }
        boolean skipAnyOf = isIntOrStringAnyOf(s.anyOf);
        boolean skipFirstAllOfAnyOf = !s.allOf.isEmpty() && isIntOrStringAnyOf(s.allOf.get(0).anyOf);
        valueValidation(s, skipAnyOf, skipFirstAllOfAnyOf, path);

        boolean checkMetadata = lvl == Level.ROOT || s.embeddedResource;
        if (s.embeddedResource && !s.type.equals("object")) {
            if (s.type.isEmpty()) {
                errors.add(FieldError.required(child(path, "type"),
                        "must be object if x-kubernetes-embedded-resource is true"));
            } else {
                errors.add(FieldError.invalid(child(path, "type"), s.type,
                        "must be object if x-kubernetes-embedded-resource is true"));
            }
        } else if (s.type.isEmpty() && !s.intOrString && !s.preserveUnknownFields()) {
            String detail = switch (lvl) {
                case ROOT -> "must not be empty at the root";
                case ITEM -> "must not be empty for specified array items";
                case FIELD -> "must not be empty for specified object fields";
            };
            errors.add(FieldError.required(child(path, "type"), detail));
        }
        if (s.embeddedResource && s.additionalPropertiesAllows != null) {
            errors.add(FieldError.forbidden(child(path, "additionalProperties"),
                    "must not be used if x-kubernetes-embedded-resource is set"));
        }
        if (lvl == Level.ROOT && !s.type.isEmpty() && !s.type.equals("object")) {
            errors.add(FieldError.invalid(child(path, "type"), s.type, "must be object at the root"));
        }
        for (String meta : List.of("kind", "apiVersion")) {
            Schema p = s.property(meta);
            if (p != null && checkMetadata && !p.type.equals("string")) {
                errors.add(FieldError.invalid(child(key(child(path, "properties"), meta), "type"), p.type,
                        "must be string"));
            }
        }
        Schema metadata = s.property("metadata");
        if (metadata != null) {
            metadataInvariants(metadata, checkMetadata, lvl, key(child(path, "properties"), "metadata"));
        }
        if (s.embeddedResource && !s.preserveUnknownFields() && !s.hasProperties()) {
            errors.add(FieldError.required(child(path, "properties"), "must not be empty if "
                    + "x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
        }
    }

    private void metadataInvariants(Schema s, boolean checkMetadata, Level lvl, String path) {
        if (checkMetadata && !s.type.equals("object")) {
            errors.add(FieldError.invalid(child(path, "type"), s.type, "must be object"));
        }
        if (lvl == Level.ROOT && !onlyNameAndGenerateName(s)) {
            errors.add(FieldError.forbidden(path,
                    "must not specify anything other than name and generateName, but metadata is implicitly specified"));
        }
    }

    /** Whether a root metadata schema says nothing but its type, a default and name/generateName properties. */
    private static boolean onlyNameAndGenerateName(Schema s) {
        for (Map.Entry<String, JsonNode> e : s.raw.properties()) {
            String k = e.getKey();
            if (k.equals("type") || k.equals("default") || isZero(e.getValue())) {
                continue;
            }
            if (k.equals("properties")) {
                Set<String> names = new java.util.HashSet<>();
                e.getValue().fieldNames().forEachRemaining(names::add);
                if (Set.of("name", "generateName").containsAll(names)) {
                    continue;
                }
            }
            return false;
        }
        return true;
    }

    private static boolean isZero(JsonNode v) {
        return v.isNull() || (v.isBoolean() && !v.booleanValue()) || (v.isTextual() && v.asText().isEmpty())
                || (v.isContainerNode() && v.isEmpty());
    }

    private static boolean isIntOrStringAnyOf(List<Schema> anyOf) {
        return anyOf.size() == 2 && anyOf.get(0).raw.equals(INT_ANY_OF) && anyOf.get(1).raw.equals(STRING_ANY_OF);
    }

    private void valueValidation(Schema v, boolean skipAnyOf, boolean skipFirstAllOfAnyOf, String path) {
        if (!skipAnyOf) {
            for (int i = 0; i < v.anyOf.size(); i++) {
                nested(v.anyOf.get(i), false, index(child(path, "anyOf"), i));
            }
        }
        for (int i = 0; i < v.allOf.size(); i++) {
            nested(v.allOf.get(i), skipFirstAllOfAnyOf && i == 0, index(child(path, "allOf"), i));
        }
        for (int i = 0; i < v.oneOf.size(); i++) {
            nested(v.oneOf.get(i), false, index(child(path, "oneOf"), i));
        }
        if (v.not != null) {
            nested(v.not, false, child(path, "not"));
        }
        if (!v.pattern.isEmpty()) {
            try {
                Pattern.compile(v.pattern);
            } catch (PatternSyntaxException e) {
                errors.add(FieldError.invalid(child(path, "pattern"), v.pattern,
                        "must be a valid regular expression, but isn't: error parsing regexp: " + e.getDescription()));
            }
        }
    }

    private void nested(Schema v, boolean skipAnyOf, String path) {
        valueValidation(v, skipAnyOf, false, path);
        if (v.items != null) {
            nested(v.items, false, child(path, "items"));
        }
        if (v.properties != null) {
            v.properties.forEach((k, p) -> nested(p, false, key(child(path, "properties"), k)));
        }
        if (!v.type.isEmpty()) {
            errors.add(FieldError.forbidden(child(path, "type"), "must be empty to be structural"));
        }
        if (v.additionalProperties != null || Boolean.TRUE.equals(v.additionalPropertiesAllows)) {
            errors.add(FieldError.forbidden(child(path, "additionalProperties"), "must be undefined to be structural"));
        }
        if (v.defaultValue != null && !v.defaultValue.isNull()) {
            errors.add(FieldError.forbidden(child(path, "default"), "must be undefined to be structural"));
        }
        if (!v.title.isEmpty()) {
            errors.add(FieldError.forbidden(child(path, "title"), "must be empty to be structural"));
        }
        if (!v.description.isEmpty()) {
            errors.add(FieldError.forbidden(child(path, "description"), "must be empty to be structural"));
        }
        if (v.nullable) {
            errors.add(FieldError.forbidden(child(path, "nullable"), "must be false to be structural"));
        }
        if (v.preserveUnknownFields()) {
            errors.add(FieldError.forbidden(child(path, "x-kubernetes-preserve-unknown-fields"),
                    "must be false to be structural"));
        }
        if (v.embeddedResource) {
            errors.add(FieldError.forbidden(child(path, "x-kubernetes-embedded-resource"),
                    "must be false to be structural"));
        }
        if (v.intOrString) {
            errors.add(FieldError.forbidden(child(path, "x-kubernetes-int-or-string"), "must be false to be structural"));
        }
        if (!v.listMapKeys.isEmpty()) {
            errors.add(FieldError.forbidden(child(path, "x-kubernetes-list-map-keys"), "must be empty to be structural"));
        }
        if (v.listType != null) {
            errors.add(FieldError.forbidden(child(path, "x-kubernetes-list-type"), "must be undefined to be structural"));
        }
        if (v.mapType != null) {
            errors.add(FieldError.forbidden(child(path, "x-kubernetes-map-type"), "must be undefined to be structural"));
        }
        if (!v.validations.isEmpty()) {
            errors.add(FieldError.forbidden(child(path, "x-kubernetes-validations"), "must be empty to be structural"));
        }
        if (v.property("metadata") != null) {
            errors.add(FieldError.forbidden(key(child(path, "properties"), "metadata"),
                    "must not be specified in a nested context"));
        }
    }

    // Completeness: what a nested value validation names must exist in the structure.

    private void valueCompleteness(Schema v, Schema s, String sPath, String vPath) {
        if (v.not != null) {
            nestedCompleteness(v.not, s, sPath, child(vPath, "not"));
        }
        for (int i = 0; i < v.allOf.size(); i++) {
            nestedCompleteness(v.allOf.get(i), s, sPath, index(child(vPath, "allOf"), i));
        }
        for (int i = 0; i < v.anyOf.size(); i++) {
            nestedCompleteness(v.anyOf.get(i), s, sPath, index(child(vPath, "anyOf"), i));
        }
        for (int i = 0; i < v.oneOf.size(); i++) {
            nestedCompleteness(v.oneOf.get(i), s, sPath, index(child(vPath, "oneOf"), i));
        }
    }

    private void nestedCompleteness(Schema v, Schema s, String sPath, String vPath) {
        if (v == null) {
            return;
        }
        if (s == null) {
            errors.add(FieldError.required(sPath, "because it is defined in " + vPath));
            return;
        }
        valueCompleteness(v, s, sPath, vPath);
        if (v.items != null) {
            nestedCompleteness(v.items, s.items, child(sPath, "items"), child(vPath, "items"));
        }
        if (v.properties != null) {
            v.properties.forEach((k, p) -> {
                Schema sp = s.property(k);
                if (sp == null) {
                    errors.add(FieldError.required(key(child(sPath, "properties"), k),
                            "because it is defined in " + key(child(vPath, "properties"), k)));
                } else {
                    nestedCompleteness(p, sp, key(child(sPath, "properties"), k), key(child(vPath, "properties"), k));
                }
            });
        }
    }
}

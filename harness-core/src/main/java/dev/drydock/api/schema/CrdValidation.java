package dev.drydock.api.schema;

import static dev.drydock.api.schema.Paths.child;
import static dev.drydock.api.schema.Paths.index;
import static dev.drydock.api.schema.Paths.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.Validation;
import dev.drydock.kube.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules kube's apiextensions-apiserver applies to an {@code apiextensions.k8s.io/v1} CustomResourceDefinition on
 * create: its name, group, scope and names, its versions (unique, exactly one storage version, each with a schema),
 * each schema structural with valid defaults, list and map types and CEL rules, its subresources and printer columns.
 * Like kube, it reports a schema, subresources or columns shared by every version at their top-level paths
 * ({@code spec.validation.openAPIV3Schema...}), since kube's internal form moves identical per-version fields there.
 */
public final class CrdValidation {

    private static final List<String> OPENAPI_TYPES = List.of("array", "boolean", "integer", "number", "object",
            "string");
    private static final List<String> COLUMN_TYPES = List.of("boolean", "date", "integer", "number", "string");
    private static final List<String> COLUMN_FORMATS = List.of("byte", "date", "date-time", "double", "float", "int32",
            "int64", "password");
    private static final List<String> REASONS = List.of("FieldValueDuplicate", "FieldValueForbidden",
            "FieldValueInvalid", "FieldValueRequired");

    private CrdValidation() {
    }

    /** Fills what kube's v1 defaulting fills: {@code names.singular}, {@code names.listKind}, the None conversion. */
    public static void applyDefaults(ObjectNode crd) {
        ObjectNode names = Json.with(crd, "spec", "names");
        String kind = names.path("kind").asText("");
        if (names.path("singular").asText("").isEmpty() && !kind.isEmpty()) {
            names.put("singular", kind.toLowerCase(Locale.ROOT));
        }
        if (names.path("listKind").asText("").isEmpty() && !kind.isEmpty()) {
            names.put("listKind", kind + "List");
        }
        ObjectNode conversion = Json.with(crd, "spec", "conversion");
        if (conversion.path("strategy").asText("").isEmpty()) {
            conversion.put("strategy", "None");
        }
    }

    /**
     * The errors of a CustomResourceDefinition, worded and placed as kube reports them.
     *
     * @throws IllegalStateException if a schema has CEL rules and {@code dev.cel:cel} is not on the class path
     */
    public static List<FieldError> validate(ObjectNode crd) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asText("");
        String plural = spec.path("names").path("plural").asText("");

        String name = crd.path("metadata").path("name").asText("");
        if (name.isEmpty()) {
            errors.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else {
            Validation.dns1123Subdomain("metadata.name", name, errors);
            if (!name.equals(plural + "." + group)) {
                errors.add(FieldError.invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
            }
        }

        if (group.isEmpty()) {
            errors.add(FieldError.required("spec.group", ""));
        } else {
            List<FieldError> groupErrors = new ArrayList<>();
            Validation.dns1123Subdomain("spec.group", group, groupErrors);
            if (!groupErrors.isEmpty()) {
                errors.add(FieldError.invalid("spec.group", group, String.join(",",
                        groupErrors.stream().map(FieldError::detail).toList())));
            } else if (!group.contains(".")) {
                errors.add(FieldError.invalid("spec.group", group, "should be a domain with at least one dot"));
            }
        }
        String scope = spec.path("scope").asText("");
        if (scope.isEmpty()) {
            errors.add(FieldError.required("spec.scope", ""));
        } else if (!scope.equals("Cluster") && !scope.equals("Namespaced")) {
            errors.add(FieldError.notSupported("spec.scope", scope, List.of("Cluster", "Namespaced")));
        }

        JsonNode versions = spec.path("versions");
        boolean sameSchema = allEqual(versions, "schema");
        boolean sameSubresources = allEqual(versions, "subresources");
        boolean sameColumns = allEqual(versions, "additionalPrinterColumns");
        int storage = 0;
        Set<String> seen = new HashSet<>();
        boolean unique = true;
        for (int i = 0; i < versions.size(); i++) {
            JsonNode v = versions.get(i);
            String vp = index("spec.versions", i);
            String vname = v.path("name").asText("");
            if (v.path("storage").asBoolean(false)) {
                storage++;
            }
            unique &= seen.add(vname);
            List<String> msgs = ObjectMetaCheck.dns1035(vname);
            if (!msgs.isEmpty()) {
                errors.add(FieldError.invalid(child(vp, "name"), vname, String.join(",", msgs)));
            }
            if (v.path("schema").path("openAPIV3Schema").isMissingNode()
                    || v.path("schema").path("openAPIV3Schema").isNull()) {
                errors.add(FieldError.required(child(vp, "schema.openAPIV3Schema"), ""));
            } else if (!sameSchema) {
                schema(errors, child(vp, "schema"), v.path("schema").path("openAPIV3Schema"), hasStatus(v, spec));
            }
            if (!sameSubresources) {
                subresources(errors, child(vp, "subresources"), v.path("subresources"));
            }
            if (!sameColumns) {
                columns(errors, child(vp, "additionalPrinterColumns"), v.path("additionalPrinterColumns"));
            }
        }
        if (versions.size() > 0) {
            JsonNode first = versions.get(0);
            if (sameSchema && first.path("schema").path("openAPIV3Schema").isObject()) {
                schema(errors, "spec.validation", first.path("schema").path("openAPIV3Schema"), hasStatus(first, spec));
            }
            if (sameSubresources) {
                subresources(errors, "spec.subresources", first.path("subresources"));
            }
            if (sameColumns) {
                columns(errors, "spec.additionalPrinterColumns", first.path("additionalPrinterColumns"));
            }
        }
        if (!unique) {
            errors.add(FieldError.invalid("spec.versions", versions, "must contain unique version names"));
        }
        if (storage != 1) {
            errors.add(FieldError.invalid("spec.versions", versions,
                    "must have exactly one version marked as storage version"));
        }
        names(errors, spec.path("names"));
        if (spec.path("preserveUnknownFields").asBoolean(false)) {
            errors.add(FieldError.invalid("spec.preserveUnknownFields", true, "cannot set to true, set "
                    + "x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead"));
        }
        String strategy = spec.path("conversion").path("strategy").asText("None");
        if (!strategy.equals("None") && !strategy.equals("Webhook")) {
            errors.add(FieldError.notSupported("spec.conversion.strategy", strategy, List.of("None", "Webhook")));
        }
        return errors;
    }

    private static boolean hasStatus(JsonNode version, JsonNode spec) {
        return version.path("subresources").has("status") || spec.path("subresources").has("status");
    }

    private static boolean allEqual(JsonNode versions, String field) {
        for (JsonNode v : versions) {
            if (!v.path(field).equals(versions.get(0).path(field))) {
                return false;
            }
        }
        return true;
    }

    private static void names(List<FieldError> errors, JsonNode names) {
        String plural = names.path("plural").asText("");
        String singular = names.path("singular").asText("");
        String kind = names.path("kind").asText("");
        String listKind = names.path("listKind").asText("");
        for (String[] required : new String[][] {{"plural", plural}, {"singular", singular}, {"kind", kind},
                {"listKind", listKind}}) {
            if (required[1].isEmpty()) {
                errors.add(FieldError.required("spec.names." + required[0], ""));
            }
        }
        dns1035(errors, "spec.names.plural", plural, "");
        dns1035(errors, "spec.names.singular", singular, "");
        dns1035Mixed(errors, "spec.names.kind", kind);
        dns1035Mixed(errors, "spec.names.listKind", listKind);
        for (int i = 0; i < names.path("shortNames").size(); i++) {
            String s = names.path("shortNames").get(i).asText();
            List<String> msgs = ObjectMetaCheck.dns1035(s);
            if (!msgs.isEmpty()) {
                errors.add(FieldError.invalid(index("spec.names.shortNames", i), s, String.join(",", msgs)));
            }
        }
        if (!kind.isEmpty() && kind.equals(listKind)) {
            errors.add(FieldError.invalid("spec.names.listKind", listKind, "kind and listKind may not be the same"));
        }
        for (int i = 0; i < names.path("categories").size(); i++) {
            String c = names.path("categories").get(i).asText();
            List<String> msgs = ObjectMetaCheck.dns1035(c);
            if (!msgs.isEmpty()) {
                errors.add(FieldError.invalid(index("spec.names.categories", i), c, String.join(",", msgs)));
            }
        }
    }

    private static void dns1035(List<FieldError> errors, String path, String value, String prefix) {
        if (value.isEmpty()) {
            return;
        }
        List<String> msgs = ObjectMetaCheck.dns1035(value);
        if (!msgs.isEmpty()) {
            errors.add(FieldError.invalid(path, value, prefix + String.join(",", msgs)));
        }
    }

    private static void dns1035Mixed(List<FieldError> errors, String path, String value) {
        if (value.isEmpty()) {
            return;
        }
        List<String> msgs = ObjectMetaCheck.dns1035(value.toLowerCase(Locale.ROOT));
        if (!msgs.isEmpty()) {
            errors.add(FieldError.invalid(path, value, "may have mixed case, but should otherwise match: "
                    + String.join(",", msgs)));
        }
    }

    private static void schema(List<FieldError> errors, String path, JsonNode openAPIV3Schema, boolean statusEnabled) {
        String p = child(path, "openAPIV3Schema");
        Schema root = Schema.of(openAPIV3Schema);
        if (statusEnabled && !root.type.isEmpty() && !root.type.equals("object")) {
            errors.add(FieldError.invalid(child(p, "type"), root.type,
                    "only \"object\" is allowed as the type at the root of the schema if the status subresource is "
                            + "enabled"));
        }
        if (root.nullable) {
            errors.add(FieldError.forbidden(child(p, "nullable"), "nullable cannot be true at the root"));
        }
        List<FieldError> structural = StructuralCheck.check(p, root);
        errors.addAll(structural);
        if (structural.isEmpty()) {
            defaults(errors, p, root, root, false);
        }
        openApi(errors, p, root, true, false, null);
        if (structural.isEmpty() && root.hasRules()) {
            errors.addAll(CrdSchema.compile(openAPIV3Schema).ruleCompileErrors(p));
        }
    }

    /** Each default must survive pruning and be valid against its own schema (kube's ValidateDefaults). */
    private static void defaults(List<FieldError> errors, String path, Schema s, Schema root, boolean insideMeta) {
        if (s == null) {
            return;
        }
        if (s.defaultValue != null && !s.defaultValue.isNull() && !insideMeta) {
            JsonNode pruned = s.defaultValue.deepCopy();
            Pruning.pruneValue(pruned, s, s.embeddedResource);
            if (!pruned.equals(s.defaultValue)) {
                errors.add(FieldError.invalid(child(path, "default"), s.defaultValue, "must not have unknown fields"));
            } else {
                errors.addAll(SchemaValidator.validate(child(path, "default"), s, s.defaultValue, null));
            }
        }
        defaults(errors, child(path, "items"), s.items, root, insideMeta);
        if (s.properties != null) {
            s.properties.forEach((k, p) -> defaults(errors, key(child(path, "properties"), k), p, root,
                    insideMeta || ((s == root || s.embeddedResource) && Set.of("metadata", "apiVersion", "kind")
                            .contains(k))));
        }
    }

    /** kube's ValidateCustomResourceDefinitionOpenAPISchema, for what structural checks do not cover. */
    private static void openApi(List<FieldError> errors, String p, Schema s, boolean isRoot, boolean insideMeta,
                                String noDefaultsReason) {
        if (s == null) {
            return;
        }
        if (!s.type.isEmpty() && !OPENAPI_TYPES.contains(s.type)) {
            errors.add(s.type.equals("null")
                    ? FieldError.forbidden(child(p, "type"), "type cannot be set to null, use nullable as an alternative")
                    : FieldError.notSupported(child(p, "type"), s.type, OPENAPI_TYPES));
        }
        if (s.defaultValue != null && noDefaultsReason != null) {
            errors.add(FieldError.forbidden(child(p, "default"), "must not be set " + noDefaultsReason));
        }
        for (String f : s.unsupportedFields()) {
            if (!f.equals("$schema")) {
                errors.add(FieldError.forbidden(child(p, f), f + " is not supported"));
            }
        }
        if (s.itemsIsArray) {
            errors.add(FieldError.forbidden(child(p, "items"), "items must be a schema object and not an array"));
        }
        if (insideMeta && s.embeddedResource) {
            errors.add(FieldError.forbidden(child(p, "x-kubernetes-embedded-resource"),
                    "must not be used inside of resource meta"));
        }
        if (s.uniqueItems) {
            errors.add(FieldError.forbidden(child(p, "uniqueItems"),
                    "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
        }
        if (s.additionalPropertiesAllows != null && s.hasProperties()
                && (!s.additionalPropertiesAllows || s.additionalProperties != null)) {
            errors.add(FieldError.forbidden(child(p, "additionalProperties"),
                    "additionalProperties and properties are mutual exclusive"));
        }
        openApi(errors, child(p, "additionalProperties"), s.additionalProperties, false, insideMeta,
                insideMeta ? "inside additionalProperties applying to object metadata" : noDefaultsReason);
        if (s.properties != null) {
            s.properties.forEach((k, sub) -> {
                boolean meta = (isRoot || s.embeddedResource) && Set.of("metadata", "kind", "apiVersion").contains(k);
                openApi(errors, key(child(p, "properties"), k), sub, false, insideMeta || meta,
                        meta && isRoot ? "in top-level " + k : noDefaultsReason);
            });
        }
        openApi(errors, child(p, "not"), s.not, false, insideMeta, noDefaultsReason);
        for (int i = 0; i < s.allOf.size(); i++) {
            openApi(errors, index(child(p, "allOf"), i), s.allOf.get(i), false, insideMeta, noDefaultsReason);
        }
        for (int i = 0; i < s.oneOf.size(); i++) {
            openApi(errors, index(child(p, "oneOf"), i), s.oneOf.get(i), false, insideMeta, noDefaultsReason);
        }
        for (int i = 0; i < s.anyOf.size(); i++) {
            openApi(errors, index(child(p, "anyOf"), i), s.anyOf.get(i), false, insideMeta, noDefaultsReason);
        }
        openApi(errors, child(p, "items"), s.items, false, insideMeta, noDefaultsReason);
        extensions(errors, p, s);
        rules(errors, p, s);
    }

    private static void extensions(List<FieldError> errors, String p, Schema s) {
        if (Boolean.FALSE.equals(s.preserveUnknownFieldsValue)) {
            errors.add(FieldError.invalid(child(p, "x-kubernetes-preserve-unknown-fields"), false,
                    "must be true or undefined"));
        }
        if (s.mapType != null && !s.type.equals("object")) {
            errors.add(s.type.isEmpty()
                    ? FieldError.required(child(p, "type"), "must be object if x-kubernetes-map-type is specified")
                    : FieldError.invalid(child(p, "type"), s.type, "must be object if x-kubernetes-map-type is specified"));
        }
        if (s.mapType != null && !s.mapType.equals("atomic") && !s.mapType.equals("granular")) {
            errors.add(FieldError.notSupported(child(p, "x-kubernetes-map-type"), s.mapType,
                    List.of("atomic", "granular")));
        }
        if (s.listType != null && !s.type.equals("array")) {
            errors.add(s.type.isEmpty()
                    ? FieldError.required(child(p, "type"), "must be array if x-kubernetes-list-type is specified")
                    : FieldError.invalid(child(p, "type"), s.type, "must be array if x-kubernetes-list-type is specified"));
        } else if ("set".equals(s.listType) && s.items != null) {
            if (s.items.type.equals("array") && s.items.listType != null && !s.items.listType.equals("atomic")) {
                errors.add(FieldError.invalid(child(child(p, "items"), "x-kubernetes-list-type"), s.items.listType,
                        "must be atomic as item of a list with x-kubernetes-list-type=set"));
            }
            if (s.items.type.equals("object") && !"atomic".equals(s.items.mapType)) {
                errors.add(FieldError.invalid(child(child(p, "items"), "x-kubernetes-map-type"), s.items.listType,
                        "must be atomic as item of a list with x-kubernetes-list-type=set"));
            }
        }
        if (s.listType != null && !List.of("atomic", "set", "map").contains(s.listType)) {
            errors.add(FieldError.notSupported(child(p, "x-kubernetes-list-type"), s.listType,
                    List.of("atomic", "set", "map")));
        }
        if (!s.listMapKeys.isEmpty()) {
            if (s.listType == null) {
                errors.add(FieldError.required(child(p, "x-kubernetes-list-type"),
                        "must be map if x-kubernetes-list-map-keys is non-empty"));
            } else if (!s.listType.equals("map")) {
                errors.add(FieldError.invalid(child(p, "x-kubernetes-list-type"), s.listType,
                        "must be map if x-kubernetes-list-map-keys is non-empty"));
            }
        }
        if ("map".equals(s.listType)) {
            if (s.listMapKeys.isEmpty()) {
                errors.add(FieldError.required(child(p, "x-kubernetes-list-map-keys"),
                        "must not be empty if x-kubernetes-list-type is map"));
            }
            if (s.items == null) {
                errors.add(FieldError.required(child(p, "items"), "must have a schema if x-kubernetes-list-type is map"));
            } else if (!s.items.type.equals("object")) {
                errors.add(FieldError.invalid(child(child(p, "items"), "type"), s.items.type,
                        "must be object if parent array's x-kubernetes-list-type is map"));
            } else {
                Set<String> keys = new HashSet<>();
                for (String k : s.listMapKeys) {
                    Schema ks = s.items.property(k);
                    if (ks == null) {
                        errors.add(FieldError.invalid(child(p, "x-kubernetes-list-map-keys"), Json.MAPPER
                                .valueToTree(s.listMapKeys), "entries must all be names of item properties"));
                    } else {
                        if (ks.type.equals("array") || ks.type.equals("object")) {
                            errors.add(FieldError.invalid(child(key(child(child(p, "items"), "properties"), k), "type"),
                                    s.items.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
                        }
                        if (!s.items.required.contains(k) && ks.defaultValue == null) {
                            errors.add(FieldError.required(child(key(child(child(p, "items"), "properties"), k),
                                    "default"), "this property is in x-kubernetes-list-map-keys, so it must have a "
                                    + "default or be a required property"));
                        }
                        if (ks.nullable) {
                            errors.add(FieldError.forbidden(child(key(child(child(p, "items"), "properties"), k),
                                    "nullable"), "this property is in x-kubernetes-list-map-keys, so it cannot be "
                                    + "nullable"));
                        }
                    }
                    if (!keys.add(k)) {
                        errors.add(FieldError.invalid(child(p, "x-kubernetes-list-map-keys"), Json.MAPPER
                                .valueToTree(s.listMapKeys), "must not contain duplicate entries"));
                    }
                }
            }
        }
        if (("map".equals(s.listType) || "set".equals(s.listType)) && s.items != null && s.items.nullable) {
            errors.add(FieldError.forbidden(child(child(p, "items"), "nullable"),
                    "cannot be nullable when x-kubernetes-list-type is " + s.listType));
        }
    }

    private static void rules(List<FieldError> errors, String p, Schema s) {
        for (int i = 0; i < s.validations.size(); i++) {
            Schema.Rule r = s.validations.get(i);
            String rp = index(child(p, "x-kubernetes-validations"), i);
            if (r.rule().isBlank()) {
                errors.add(FieldError.required(child(rp, "rule"), "rule is not specified"));
            } else if (r.hasMessage() && r.message().isBlank()) {
                errors.add(FieldError.invalid(child(rp, "message"), r.message(), "must be non-empty if specified"));
            } else if (r.message().trim().contains("\n")) {
                errors.add(FieldError.invalid(child(rp, "message"), r.message(), "must not contain line breaks"));
            } else if (r.rule().trim().contains("\n") && r.message().isBlank()) {
                errors.add(FieldError.required(child(rp, "message"), "message must be specified if rule contains "
                        + "line breaks"));
            }
            if (r.hasMessageExpression() && r.messageExpression().isBlank()) {
                errors.add(FieldError.required(child(rp, "messageExpression"),
                        "messageExpression must be non-empty if specified"));
            }
            if (r.hasReason() && !REASONS.contains(r.reason())) {
                errors.add(FieldError.notSupported(child(rp, "reason"), r.reason(), REASONS));
            }
            if (r.hasFieldPath()) {
                if (r.fieldPath().isBlank()) {
                    errors.add(FieldError.invalid(child(rp, "fieldPath"), r.fieldPath(), "must be non-empty if specified"));
                } else if (r.fieldPath().contains("\n")) {
                    errors.add(FieldError.invalid(child(rp, "fieldPath"), r.fieldPath(), "must not contain line breaks"));
                } else if (!validFieldPath(s, r.fieldPath())) {
                    errors.add(FieldError.invalid(child(rp, "fieldPath"), r.fieldPath(), "must be a valid path"));
                }
            }
        }
    }

    /** Whether a rule's fieldPath names a field of the schema. */
    private static boolean validFieldPath(Schema s, String fieldPath) {
        String normalized = DevCelRulesPaths.normalize(fieldPath);
        if (normalized.isEmpty()) {
            return false;
        }
        Schema at = s;
        for (String part : normalized.split("\\.")) {
            if (at == null) {
                return false;
            }
            if (at.properties != null) {
                at = at.property(part);
            } else {
                at = at.additionalProperties;
            }
        }
        return at != null;
    }

    private static void subresources(List<FieldError> errors, String p, JsonNode sub) {
        JsonNode scale = sub.path("scale");
        if (!scale.isObject()) {
            return;
        }
        scalePath(errors, child(p, "scale.specReplicasPath"), scale.get("specReplicasPath"), ".spec.",
                "should be a json path under .spec", true);
        scalePath(errors, child(p, "scale.statusReplicasPath"), scale.get("statusReplicasPath"), ".status.",
                "should be a json path under .status", true);
        JsonNode selector = scale.get("labelSelectorPath");
        if (selector != null && !selector.asText("").isEmpty()) {
            String s = selector.asText();
            List<FieldError> simple = simpleJsonPath(child(p, "scale.labelSelectorPath"), s);
            if (!simple.isEmpty()) {
                errors.addAll(simple);
            } else if (!s.startsWith(".spec.") && !s.startsWith(".status.")) {
                errors.add(FieldError.invalid(child(p, "scale.labelSelectorPath"), s,
                        "should be a json path under either .spec or .status"));
            }
        }
    }

    private static void scalePath(List<FieldError> errors, String p, JsonNode value, String prefix, String detail,
                                  boolean required) {
        String s = value == null ? "" : value.asText("");
        if (s.isEmpty()) {
            if (required) {
                errors.add(FieldError.required(p, ""));
            }
            return;
        }
        List<FieldError> simple = simpleJsonPath(p, s);
        if (!simple.isEmpty()) {
            errors.addAll(simple);
        } else if (!s.startsWith(prefix)) {
            errors.add(FieldError.invalid(p, s, detail));
        }
    }

    private static List<FieldError> simpleJsonPath(String p, String s) {
        if (s.isEmpty()) {
            return List.of(FieldError.invalid(p, s, "must not be empty"));
        }
        if (s.charAt(0) != '.') {
            return List.of(FieldError.invalid(p, s, "must be a simple json path starting with ."));
        }
        return List.of();
    }

    private static void columns(List<FieldError> errors, String p, JsonNode columns) {
        for (int i = 0; i < columns.size(); i++) {
            JsonNode c = columns.get(i);
            String cp = index(p, i);
            if (c.path("name").asText("").isEmpty()) {
                errors.add(FieldError.required(child(cp, "name"), ""));
            }
            String type = c.path("type").asText("");
            String types = "must be one of " + String.join(",", COLUMN_TYPES);
            if (type.isEmpty()) {
                errors.add(FieldError.required(child(cp, "type"), types));
            } else if (!COLUMN_TYPES.contains(type)) {
                errors.add(FieldError.invalid(child(cp, "type"), type, types));
            }
            String format = c.path("format").asText("");
            if (!format.isEmpty() && !COLUMN_FORMATS.contains(format)) {
                errors.add(FieldError.invalid(child(cp, "format"), format,
                        "must be one of " + String.join(",", COLUMN_FORMATS)));
            }
            String jsonPath = c.path("jsonPath").asText("");
            if (jsonPath.isEmpty()) {
                errors.add(FieldError.required(child(cp, "JSONPath"), ""));
            } else {
                errors.addAll(simpleJsonPath(child(cp, "JSONPath"), jsonPath));
            }
        }
    }
}

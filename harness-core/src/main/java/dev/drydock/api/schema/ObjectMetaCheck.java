package dev.drydock.api.schema;

import static dev.drydock.api.schema.Paths.child;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The metadata rules of custom resources: the resource's own ObjectMeta (name a DNS subdomain, namespace by scope,
 * labels, annotations) as kube's {@code ValidateObjectMetaAccessor}, and the TypeMeta and ObjectMeta of resources
 * embedded with {@code x-kubernetes-embedded-resource}, as apiextensions' {@code objectmeta.Validate}.
 */
final class ObjectMetaCheck {

    private static final Pattern DNS1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    /** The string fields of ObjectMeta, which must be strings if present. */
    private static final List<String> STRING_FIELDS = List.of("name", "generateName", "namespace", "selfLink", "uid",
            "resourceVersion", "creationTimestamp", "deletionTimestamp");

    private ObjectMetaCheck() {
    }

    /** The custom resource's own metadata, under {@code metadata}. */
    static List<FieldError> resourceMeta(JsonNode obj, boolean namespaced) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode meta = obj.get("metadata");
        if (meta == null || meta.isNull()) {
            meta = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!meta.isObject()) {
            errors.add(FieldError.invalid("metadata", meta, "expected map[string]interface{}, got "
                    + goType(meta)));
            return errors;
        }
        if (typeErrors("metadata", meta, errors)) {
            return errors;
        }
        String generateName = meta.path("generateName").asText("");
        if (!generateName.isEmpty()) {
            String masked = generateName.endsWith("-")
                    ? generateName.substring(0, generateName.length() - 1) + "a" : generateName;
            List<FieldError> nameErrors = new ArrayList<>();
            Validation.dns1123Subdomain("metadata.generateName", masked, nameErrors);
            nameErrors.forEach(e -> errors.add(FieldError.invalid(e.field(), generateName, e.detail())));
        }
        String name = meta.path("name").asText("");
        if (name.isEmpty()) {
            errors.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else {
            Validation.dns1123Subdomain("metadata.name", name, errors);
        }
        common("metadata", meta, namespaced, errors);
        return errors;
    }

    private static void common(String path, JsonNode meta, boolean namespaced, List<FieldError> errors) {
        String namespace = meta.path("namespace").asText("");
        if (namespaced) {
            if (namespace.isEmpty()) {
                errors.add(FieldError.required(child(path, "namespace"), ""));
            } else {
                Validation.dns1123Label(child(path, "namespace"), namespace, errors);
            }
        } else if (!namespace.isEmpty()) {
            errors.add(FieldError.forbidden(child(path, "namespace"), "not allowed on this type"));
        }
        JsonNode generation = meta.get("generation");
        if (generation != null && generation.isNumber() && generation.longValue() < 0) {
            errors.add(FieldError.invalid(child(path, "generation"), generation.longValue(),
                    "must be greater than or equal to 0"));
        }
        Validation.labels(child(path, "labels"), meta.get("labels"), errors);
        Validation.annotations(child(path, "annotations"), meta.get("annotations"), errors);
        JsonNode annotations = meta.get("annotations");
        if (annotations != null && annotations.isObject()) {
            long size = 0;
            for (Map.Entry<String, JsonNode> e : annotations.properties()) {
                size += e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        + e.getValue().asText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
            if (size > 256 * 1024) {
                errors.add(FieldError.tooLong(child(path, "annotations"), 256 * 1024));
            }
        }
    }

    /** Fields of ObjectMeta of the wrong JSON type, as the error kube's JSON decoding of ObjectMeta gives. */
    private static boolean typeErrors(String path, JsonNode meta, List<FieldError> errors) {
        for (String f : STRING_FIELDS) {
            JsonNode v = meta.get(f);
            if (v != null && !v.isNull() && !v.isTextual()) {
                errors.add(FieldError.invalid(path, meta, "json: cannot unmarshal " + goJsonType(v)
                        + " into Go struct field ObjectMeta." + f + " of type string"));
                return true;
            }
        }
        for (String f : List.of("labels", "annotations")) {
            JsonNode v = meta.get(f);
            if (v != null && !v.isNull() && !v.isObject()) {
                errors.add(FieldError.invalid(path, meta, "json: cannot unmarshal " + goJsonType(v)
                        + " into Go struct field ObjectMeta." + f + " of type map[string]string"));
                return true;
            }
        }
        return false;
    }

    /** Embedded resources below the root, walked along the schema. */
    static List<FieldError> embedded(Schema s, JsonNode obj) {
        List<FieldError> errors = new ArrayList<>();
        walk(null, s, obj, true, errors);
        return errors;
    }

    private static void walk(String path, Schema s, JsonNode x, boolean root, List<FieldError> errors) {
        if (s == null || x == null) {
            return;
        }
        if (x.isObject()) {
            if (s.embeddedResource && !root) {
                embeddedResource(path, x, errors);
            }
            for (Map.Entry<String, JsonNode> e : x.properties()) {
                Schema p = s.property(e.getKey());
                if (p != null) {
                    walk(child(path, e.getKey()), p, e.getValue(), false, errors);
                } else if (s.additionalProperties != null) {
                    walk(Paths.key(path, e.getKey()), s.additionalProperties, e.getValue(), false, errors);
                }
            }
        } else if (x.isArray()) {
            for (int i = 0; i < x.size(); i++) {
                walk(Paths.index(path, i), s.items, x.get(i), false, errors);
            }
        }
    }

    private static void embeddedResource(String path, JsonNode x, List<FieldError> errors) {
        if (!x.has("apiVersion")) {
            errors.add(FieldError.required(child(path, "apiVersion"), ""));
        }
        if (!x.has("kind")) {
            errors.add(FieldError.required(child(path, "kind"), ""));
        }
        for (Map.Entry<String, JsonNode> e : x.properties()) {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "apiVersion" -> {
                    String p = child(path, "apiVersion");
                    if (!v.isTextual()) {
                        errors.add(FieldError.invalid(p, v, "must be a string"));
                    } else if (v.asText().isEmpty()) {
                        errors.add(FieldError.invalid(p, "", "must not be empty"));
                    } else if (v.asText().chars().filter(c -> c == '/').count() > 1) {
                        errors.add(FieldError.invalid(p, v.asText(), "unexpected GroupVersion string: " + v.asText()));
                    }
                }
                case "kind" -> {
                    String p = child(path, "kind");
                    if (!v.isTextual()) {
                        errors.add(FieldError.invalid(p, v, "must be a string"));
                    } else if (v.asText().isEmpty()) {
                        errors.add(FieldError.invalid(p, "", "must not be empty"));
                    } else {
                        List<String> msgs = dns1035(v.asText().toLowerCase(Locale.ROOT));
                        if (!msgs.isEmpty()) {
                            errors.add(FieldError.invalid(p, v.asText(), "may have mixed case, but should otherwise "
                                    + "match: " + String.join(",", msgs)));
                        }
                    }
                }
                case "metadata" -> embeddedMeta(child(path, "metadata"), v, errors);
                default -> {
                }
            }
        }
    }

    private static void embeddedMeta(String path, JsonNode meta, List<FieldError> errors) {
        if (!meta.isObject()) {
            errors.add(FieldError.invalid(path, meta, "json: cannot unmarshal " + goJsonType(meta)
                    + " into Go value of type v1.ObjectMeta"));
            return;
        }
        List<FieldError> typeErrors = new ArrayList<>();
        if (typeErrors(path, meta, typeErrors)) {
            typeErrors.forEach(e -> errors.add(FieldError.invalid(path, meta, e.detail())));
            return;
        }
        String generateName = meta.path("generateName").asText("");
        for (String msg : pathSegment(generateName, true)) {
            errors.add(FieldError.invalid(child(path, "generateName"), generateName, msg));
        }
        String name = meta.path("name").asText("");
        for (String msg : pathSegment(name.isEmpty() ? "fakename" : name, false)) {
            errors.add(FieldError.invalid(child(path, "name"), name, msg));
        }
        common(path, meta, !meta.path("namespace").asText("").isEmpty(), errors);
    }

    /** As kube's {@code IsPathSegmentName} and {@code IsPathSegmentPrefix}. */
    private static List<String> pathSegment(String name, boolean prefix) {
        List<String> msgs = new ArrayList<>();
        if (!prefix && (name.equals(".") || name.equals(".."))) {
            msgs.add("may not be '" + name + "'");
            return msgs;
        }
        for (String bad : List.of("/", "%")) {
            if (name.contains(bad)) {
                msgs.add("may not contain '" + bad + "'");
            }
        }
        return msgs;
    }

    /** kube's {@code IsDNS1035Label} messages. */
    static List<String> dns1035(String value) {
        List<String> msgs = new ArrayList<>();
        if (value.length() > 63) {
            msgs.add("must be no more than 63 characters");
        }
        if (!DNS1035.matcher(value).matches()) {
            msgs.add("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                    + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
                    + "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
        }
        return msgs;
    }

    private static String goJsonType(JsonNode v) {
        if (v.isTextual()) {
            return "string";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        if (v.isArray()) {
            return "array";
        }
        return "object";
    }

    private static String goType(JsonNode v) {
        if (v.isTextual()) {
            return "string";
        }
        if (v.isNumber()) {
            return GoFormat.isInt64(v) ? "int64" : "float64";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        return "[]interface {}";
    }
}

package dev.drydock.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.openapi.KubeSchemas.Gvk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fields of an object that its kind's schema does not know, named as kube-apiserver names them in its
 * {@code fieldValidation} answers ({@code spec.replicass}, {@code spec.template.spec.containers[0].imagee}), in the
 * order they appear. With {@code fieldValidation=Strict} kube refuses such an object with 400 BadRequest and
 * {@link #strictDecodingError}; with {@code Warn} (the default) it keeps the object and sends each as a
 * {@code Warning} header. Fields under {@code x-kubernetes-preserve-unknown-fields} or a map are all known.
 */
public final class UnknownFields {

    private UnknownFields() {
    }

    /** The unknown fields of {@code object}, a whole object of {@code kind}; empty if all are known. */
    public static List<String> of(ServedKind kind, JsonNode object) {
        return find(kind, object, false);
    }

    /**
     * Removes the unknown fields of {@code object}, as kube's decoding into its Go types drops them, and returns
     * their paths.
     */
    public static List<String> prune(ServedKind kind, JsonNode object) {
        return find(kind, object, true);
    }

    private static List<String> find(ServedKind kind, JsonNode object, boolean remove) {
        JsonNode schema;
        if (kind.isCustom()) {
            schema = CustomSchemas.kind(kind);
        } else {
            String name = FieldSchemas.get().nameOf(new Gvk(kind.group(), kind.version(), kind.kind()));
            if (name == null) {
                return List.of(); // no schema to judge by
            }
            schema = FieldSchemas.get().schema(name);
        }
        List<String> unknown = new ArrayList<>();
        walk(schema, object, "", unknown, remove);
        return unknown;
    }

    /**
     * kube's message for a refused object, e.g. {@code Deployment in version "v1" cannot be handled as a Deployment:
     * strict decoding error: unknown field "spec.replicass"}.
     */
    public static String strictDecodingError(ServedKind kind, List<String> unknown) {
        StringBuilder b = new StringBuilder(kind.kind()).append(" in version \"").append(kind.version())
                .append("\" cannot be handled as a ").append(kind.kind()).append(": strict decoding error: ");
        for (int i = 0; i < unknown.size(); i++) {
            b.append(i == 0 ? "" : ", ").append("unknown field \"").append(unknown.get(i)).append('"');
        }
        return b.toString();
    }

    private static void walk(JsonNode schema, JsonNode value, String path, List<String> unknown, boolean remove) {
        schema = resolve(schema);
        if (schema == null || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
            return;
        }
        if (value.isObject()) {
            JsonNode properties = schema.get("properties");
            JsonNode additional = schema.get("additionalProperties");
            List<String> drop = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (properties != null && properties.has(field.getKey())) {
                    walk(properties.get(field.getKey()), field.getValue(), at, unknown, remove);
                } else if (additional != null && additional.isObject()) {
                    walk(additional, field.getValue(), at, unknown, remove);
                } else if (properties != null && (additional == null || !additional.asBoolean(true))) {
                    unknown.add(at);
                    drop.add(field.getKey());
                }
                // neither properties nor additionalProperties: a free-form object (e.g. RawExtension)
            }
            if (remove && !drop.isEmpty()) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) value).remove(drop);
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                walk(schema.get("items"), value.get(i), path + "[" + i + "]", unknown, remove);
            }
        }
    }

    /** Follows {@code $ref} and a lone {@code allOf} reference to the schema meant. */
    private static JsonNode resolve(JsonNode schema) {
        for (int hops = 0; schema != null && hops < 8; hops++) {
            JsonNode allOf = schema.get("allOf");
            JsonNode ref = schema.get("$ref");
            if (ref == null && allOf != null && allOf.size() == 1) {
                ref = allOf.get(0).get("$ref");
            }
            if (ref == null || !ref.asText().startsWith(Documents.V3_REF)) {
                return schema;
            }
            schema = FieldSchemas.get().schema(ref.asText().substring(Documents.V3_REF.length()));
        }
        return schema;
    }
}

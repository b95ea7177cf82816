package dev.drydock.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an OpenAPI v3 schema into what Swagger 2.0 can say, as kube-apiserver does for {@code /openapi/v2}: a
 * reference with siblings ({@code allOf} of one {@code $ref}) becomes a plain {@code $ref}; the junctors
 * ({@code allOf}, {@code oneOf}, {@code anyOf}, {@code not}) are dropped; a nullable value loses its type, and a value
 * that keeps unknown fields its properties and items (kubectl's v2 validation would otherwise refuse what the server
 * accepts); int-or-string and quantities become strings.
 */
final class V2Schemas {

    private V2Schemas() {
    }

    /** A converted copy of {@code v3}; the argument is not changed. */
    static JsonNode convert(JsonNode v3) {
        if (!v3.isObject()) {
            return v3.deepCopy();
        }
        if (v3.has(KubeSchemas.GVK) && v3.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
            // a custom resource that keeps unknown fields: kube publishes a bare object, so kubectl checks nothing
            ObjectNode bare = Json.object().put("type", "object");
            bare.set(KubeSchemas.GVK, v3.get(KubeSchemas.GVK).deepCopy());
            return bare;
        }
        return schema(v3);
    }

    private static ObjectNode schema(JsonNode in) {
        ObjectNode out = Json.object();
        JsonNode allOf = in.get("allOf");
        boolean refOnly = allOf != null && allOf.size() == 1 && allOf.get(0).size() == 1 && allOf.get(0).has("$ref");
        for (Map.Entry<String, JsonNode> e : in.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            switch (key) {
                case "allOf", "oneOf", "anyOf", "not", "nullable" -> { }
                case "default" -> {
                    if (!refOnly) {
                        out.set(key, value.deepCopy());
                    }
                }
                case "$ref" -> out.put(key, v2Ref(value.asText()));
                case "properties", "patternProperties", "definitions" -> {
                    ObjectNode props = out.putObject(key);
                    for (Map.Entry<String, JsonNode> p : value.properties()) {
                        props.set(p.getKey(), p.getValue().isObject() ? schema(p.getValue()) : p.getValue().deepCopy());
                    }
                }
                case "items", "additionalProperties", "additionalItems" -> {
                    if (value.isObject()) {
                        out.set(key, schema(value));
                    } else if (value.isArray()) {
                        ArrayNode items = out.putArray(key);
                        value.forEach(v -> items.add(v.isObject() ? schema(v) : v.deepCopy()));
                    } else {
                        out.set(key, value.deepCopy());
                    }
                }
                default -> out.set(key, value.deepCopy());
            }
        }
        if (refOnly) {
            out.put("$ref", v2Ref(allOf.get(0).get("$ref").asText()));
        }
        if (!out.has("type") && !out.has("$ref") && in.has("oneOf") && hasStringAlternative(in.get("oneOf"))) {
            out.put("type", "string"); // IntOrString, Quantity: kube's v2 calls them strings
        }
        if (in.path("nullable").asBoolean()) {
            out.remove(List.of("type", "items", "properties"));
        }
        if (in.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
            out.remove(List.of("items", "properties"));
        }
        if (out.path("type").asText().equals("array") && !out.has("items")) {
            out.remove("type"); // kubectl cannot cope with an array without an item schema
        }
        if (out.path("additionalProperties").isObject()
                && in.path("additionalProperties").path("nullable").asBoolean()) {
            out.remove("additionalProperties");
        }
        if (out.has("required") && in.has("properties")) {
            List<String> required = new ArrayList<>();
            out.get("required").forEach(r -> {
                if (!in.path("properties").path(r.asText()).path("nullable").asBoolean()) {
                    required.add(r.asText());
                }
            });
            ArrayNode req = out.putArray("required");
            required.forEach(req::add);
        }
        return out;
    }

    private static boolean hasStringAlternative(JsonNode alternatives) {
        for (JsonNode a : alternatives) {
            if (a.path("type").asText().equals("string")) {
                return true;
            }
        }
        return false;
    }

    private static String v2Ref(String ref) {
        return ref.startsWith(Documents.V3_REF) ? Documents.V2_REF + ref.substring(Documents.V3_REF.length()) : ref;
    }
}

package dev.drydock.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.openapi.FieldSchemas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The merge types of objects, from OpenAPI schemas as kube-openapi's {@code schemaconv} reads them: a list by its
 * {@code x-kubernetes-list-type} (and {@code x-kubernetes-list-map-keys}), or else by its strategic merge patch
 * strategy and key, or else atomic; a map granular unless {@code x-kubernetes-map-type: atomic}; a free-form object,
 * and whatever lies under {@code x-kubernetes-preserve-unknown-fields}, deduced from its value. Built-in kinds read
 * Kubernetes 1.32's schemas ({@link FieldSchemas}); a custom resource its CRD's structural schema, with kube's
 * {@code ObjectMeta} as its metadata.
 */
final class Schemas {

    static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    private static final String RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension";
    private static final Set<String> SCALAR_TYPES = Set.of("string", "integer", "number", "boolean");

    /** Built-in types by schema name, converted once. */
    private static final Map<String, Type> NAMED = new ConcurrentHashMap<>();

    private Schemas() {
    }

    /** The type of a built-in kind, or the deduced type if Kubernetes 1.32 has no schema for it. */
    static Type builtIn(String group, String version, String kind) {
        String name = FieldSchemas.get().nameOf(group, version, kind);
        return name == null ? Type.DEDUCED : named(name).get();
    }

    /** The type of a custom resource of this {@code openAPIV3Schema} (a structural schema). */
    static Type custom(JsonNode openAPIV3Schema) {
        Type root = convert(openAPIV3Schema, false, false);
        if (root.map == null) {
            return Type.DEDUCED;
        }
        Map<String, Type.Ref> fields = new HashMap<>(root.map.fields());
        fields.put("apiVersion", Type.Ref.of(Type.SCALAR));
        fields.put("kind", Type.Ref.of(Type.SCALAR));
        fields.put("metadata", named(OBJECT_META));
        return new Type(false, null, new Type.MapType(root.map.atomic(), Map.copyOf(fields), root.map.elements(),
                root.map.defaults(), root.map.zeroStructs()));
    }

    /** A built-in type by its schema name. */
    static Type.Ref named(String name) {
        return Type.Ref.lazy(() -> {
            Type t = NAMED.get(name);
            if (t == null) {
                t = switch (name) {
                    case QUANTITY -> Type.SCALAR;
                    case RAW_EXTENSION -> Type.UNTYPED;
                    default -> {
                        JsonNode schema = FieldSchemas.get().schema(name);
                        yield schema == null ? Type.DEDUCED : convert(schema, false, true);
                    }
                };
                Type raced = NAMED.putIfAbsent(name, t);
                t = raced != null ? raced : t;
            }
            return t;
        });
    }

    /** A property's type: a reference to a named type (with the property's own map type), or an inline one. */
    private static Type.Ref ref(JsonNode s, boolean preserve, boolean builtIn) {
        String name = refName(s);
        if (name != null) {
            Type.Ref named = named(name);
            String mapType = s.path("x-kubernetes-map-type").asText("");
            if (mapType.equals("atomic") || mapType.equals("granular")) {
                boolean atomic = mapType.equals("atomic");
                return Type.Ref.lazy(() -> named.get().withMapAtomic(atomic));
            }
            return named;
        }
        return Type.Ref.of(convert(s, preserve, builtIn));
    }

    /** The name a {@code $ref} (or a lone {@code allOf} of one) points to, or null. */
    private static String refName(JsonNode s) {
        JsonNode ref = s.get("$ref");
        JsonNode allOf = s.get("allOf");
        if (ref == null && allOf != null && allOf.size() == 1) {
            ref = allOf.get(0).get("$ref");
        }
        if (ref == null) {
            return null;
        }
        String text = ref.asText();
        return text.startsWith(FieldSchemas.REF_PREFIX) ? text.substring(FieldSchemas.REF_PREFIX.length())
                : text.substring(text.lastIndexOf('/') + 1);
    }

    private static Type convert(JsonNode s, boolean preserve, boolean builtIn) {
        if (s == null || !s.isObject()) {
            return Type.DEDUCED;
        }
        if (s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            preserve = true;
        }
        if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return Type.SCALAR;
        }
        String type = s.path("type").asText("");
        boolean list = type.equals("array") || type.isEmpty() && s.has("items");
        boolean map = type.equals("object") || type.isEmpty() && (s.has("properties")
                || s.has("additionalProperties"));
        if (list) {
            return new Type(false, listType(s, preserve, builtIn), null);
        }
        if (map) {
            return new Type(false, null, mapType(s, preserve, builtIn));
        }
        if (SCALAR_TYPES.contains(type)) {
            return Type.SCALAR;
        }
        // No type and no structure: any scalar, a list (atomic) or a map (deduced), as schemaconv reads type "".
        return new Type(true, listType(s, preserve, builtIn), mapType(s, preserve, builtIn));
    }

    private static Type.ListType listType(JsonNode s, boolean preserve, boolean builtIn) {
        Type.Ref element = s.has("items") && s.get("items").isObject() ? ref(s.get("items"), preserve, builtIn)
                : Type.Ref.of(Type.UNTYPED);
        String listType = s.path("x-kubernetes-list-type").asText("");
        switch (listType) {
            case "set":
                return new Type.ListType(false, List.of(), element);
            case "map": {
                List<String> keys = new ArrayList<>();
                s.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
                return new Type.ListType(false, List.copyOf(keys), element);
            }
            case "atomic":
                return new Type.ListType(true, List.of(), element);
            default:
                break;
        }
        String strategy = s.path("x-kubernetes-patch-strategy").asText("");
        if (strategy.equals("merge") || strategy.equals("merge,retainKeys")) {
            String key = s.path("x-kubernetes-patch-merge-key").asText("");
            return new Type.ListType(false, key.isEmpty() ? List.of() : List.of(key), element);
        }
        return new Type.ListType(true, List.of(), element);
    }

    private static Type.MapType mapType(JsonNode s, boolean preserve, boolean builtIn) {
        Map<String, Type.Ref> fields = new HashMap<>();
        Map<String, JsonNode> defaults = new HashMap<>();
        Set<String> zeroStructs = new HashSet<>();
        JsonNode props = s.get("properties");
        if (props != null && props.isObject()) {
            final boolean p = preserve;
            props.properties().forEach(e -> {
                JsonNode prop = e.getValue();
                fields.put(e.getKey(), ref(prop, p, builtIn));
                JsonNode d = prop.get("default");
                if (d != null && d.isValueNode() && !d.isNull()) {
                    defaults.put(e.getKey(), d);
                } else if (builtIn && d != null && d.isObject() && d.isEmpty()) {
                    zeroStructs.add(e.getKey());
                }
            });
        }
        if (!builtIn && s.path("x-kubernetes-embedded-resource").asBoolean(false)) {
            fields.putIfAbsent("apiVersion", Type.Ref.of(Type.SCALAR));
            fields.putIfAbsent("kind", Type.Ref.of(Type.SCALAR));
            fields.put("metadata", named(OBJECT_META));
        }
        JsonNode additional = s.get("additionalProperties");
        Type.Ref elements;
        if (additional == null) {
            elements = preserve || fields.isEmpty() ? Type.Ref.of(Type.DEDUCED) : null;
        } else if (additional.isObject()) {
            elements = ref(additional, preserve, builtIn);
        } else {
            elements = additional.asBoolean(false) ? Type.Ref.of(Type.DEDUCED) : null;
        }
        boolean atomic = s.path("x-kubernetes-map-type").asText("").equals("atomic");
        return new Type.MapType(atomic, Map.copyOf(fields), elements, Map.copyOf(defaults), Set.copyOf(zeroStructs));
    }
}

package dev.drydock.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.openapi.KubeSchemas.Gvk;
import dev.drydock.kube.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of Kubernetes' built-in types and nothing else: {@link KubeSchemas} stripped to the fields that say which
 * fields exist ({@code properties}, {@code items}, {@code additionalProperties}, {@code $ref}, {@code allOf},
 * {@code x-kubernetes-preserve-unknown-fields}, the group-version-kind), the JSON type of each ({@code type},
 * {@code format}), and how server-side apply merges them (the list and map types, the strategic merge keys, and the
 * defaults that are scalars or {@code {}}: a list's key fields take their defaults, and {@code {}} marks a struct Go
 * always has). Every write judges its object's fields against it, so it is a resource of its own, a tenth of the size, read in milliseconds when the first cluster starts (the
 * whole schemas are read only when OpenAPI is served). A test checks it is {@link #strip} of the whole.
 */
public final class FieldSchemas {

    static final String RESOURCE = "kube-fields.json.gz";
    /** What a {@code $ref} to another schema starts with. */
    public static final String REF_PREFIX = Documents.V3_REF;
    private static final List<String> KEPT = List.of("properties", "items", "additionalProperties", "$ref", "allOf",
            "type", "format", "x-kubernetes-preserve-unknown-fields", KubeSchemas.GVK, "x-kubernetes-list-type",
            "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-patch-strategy",
            "x-kubernetes-patch-merge-key", "default");

    private static final class Loaded {
        static final FieldSchemas INSTANCE = load();
    }

    private final ObjectNode byName;
    private final Map<Gvk, String> nameByGvk = new HashMap<>();

    private FieldSchemas(ObjectNode byName) {
        this.byName = byName;
        KubeSchemas.indexKinds(byName, nameByGvk);
    }

    /** The schemas, read on first use. */
    public static FieldSchemas get() {
        return Loaded.INSTANCE;
    }

    private static FieldSchemas load() {
        return new FieldSchemas(KubeSchemas.readResource(RESOURCE));
    }

    /** The stripped schema of that name, or null. Callers must not change it. */
    public JsonNode schema(String name) {
        return byName.get(name);
    }

    /** The name of the schema of a built-in kind, or null if Kubernetes 1.32 has no such kind. */
    String nameOf(Gvk gvk) {
        return nameByGvk.get(gvk);
    }

    /** The name of the schema of a built-in kind, e.g. {@code io.k8s.api.apps.v1.Deployment}, or null. */
    public String nameOf(String group, String version, String kind) {
        return nameByGvk.get(new Gvk(group, version, kind));
    }

    /** Every schema of {@code byName} with only its fields, their JSON types and how server-side apply merges them. */
    static ObjectNode strip(ObjectNode byName) {
        ObjectNode out = Json.object();
        byName.properties().forEach(e -> out.set(e.getKey(), stripSchema(e.getValue())));
        return out;
    }

    private static JsonNode stripSchema(JsonNode schema) {
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode out = Json.object();
        for (String key : KEPT) {
            JsonNode v = schema.get(key);
            if (v == null) {
                continue;
            }
            switch (key) {
                case "properties" -> {
                    ObjectNode props = out.putObject(key);
                    v.properties().forEach(p -> props.set(p.getKey(), stripSchema(p.getValue())));
                }
                case "items", "additionalProperties" -> out.set(key, stripSchema(v));
                case "allOf" -> {
                    var all = out.putArray(key);
                    v.forEach(s -> all.add(stripSchema(s)));
                }
                case "default" -> {
                    if (v.isValueNode() || v.isObject() && v.isEmpty()) {
                        out.set(key, v); // a scalar (a list key's default) or {} (a struct Go always has)
                    }
                }
                default -> out.set(key, v);
            }
        }
        return out;
    }
}

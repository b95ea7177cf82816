package dev.drydock.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.openapi.KubeSchemas.Gvk;
import dev.drydock.kube.Json;
import java.util.Locale;

/**
 * The schemas of a custom resource and its list, built from its CustomResourceDefinition's {@code openAPIV3Schema} as
 * kube-apiextensions-apiserver builds them: named by the reversed group ({@code com.example.stable.v1.CronTab}), with
 * {@code apiVersion}, {@code kind} and {@code metadata} (a reference to {@code ObjectMeta}) added and the kind's
 * {@code x-kubernetes-group-version-kind}, which is how {@code kubectl explain} finds it.
 */
final class CustomSchemas {

    private static final String OBJECT_META = Paths.META + "ObjectMeta";
    private static final String LIST_META = Paths.META + "ListMeta";

    private CustomSchemas() {
    }

    /**
     * kube's REST-friendly name: {@code stable.example.com}, {@code v1}, {@code CronTab} give
     * {@code com.example.stable.v1.CronTab}.
     */
    static String name(String group, String version, String kind) {
        String[] parts = group.split("\\.");
        StringBuilder b = new StringBuilder();
        for (int i = parts.length - 1; i >= 0; i--) {
            b.append(parts[i]).append('.');
        }
        return b + version + "." + kind;
    }

    static ObjectNode kind(ServedKind k) {
        JsonNode given = k.schema();
        ObjectNode s = given.isObject() ? ((ObjectNode) given).deepCopy() : Json.object();
        if (!s.has("type")) {
            s.put("type", "object");
        }
        JsonNode pod = KubeSchemas.get().schema("io.k8s.api.core.v1.Pod").path("properties");
        ObjectNode props = s.has("properties") && s.get("properties").isObject() ? (ObjectNode) s.get("properties")
                : s.putObject("properties");
        props.set("apiVersion", pod.get("apiVersion").deepCopy());
        props.set("kind", pod.get("kind").deepCopy());
        ObjectNode metadata = Json.object();
        metadata.putArray("allOf").add(Documents.ref(Documents.V3_REF, OBJECT_META));
        metadata.put("description", pod.path("metadata").path("description").asText());
        props.set("metadata", metadata);
        s.putArray(KubeSchemas.GVK).add(new Gvk(k.group(), k.version(), k.kind()).json());
        return s;
    }

    static ObjectNode list(ServedKind k, String kindSchema) {
        JsonNode podList = KubeSchemas.get().schema("io.k8s.api.core.v1.PodList").path("properties");
        ObjectNode s = Json.object();
        s.put("description", k.listKind() + " is a list of " + k.kind());
        ObjectNode props = s.putObject("properties");
        props.set("apiVersion", podList.get("apiVersion").deepCopy());
        ObjectNode items = props.putObject("items");
        items.put("description", "List of " + k.plural().toLowerCase(Locale.ROOT) + ". More info: "
                + "https://git.k8s.io/community/contributors/devel/api-conventions.md");
        items.putObject("items").put("$ref", Documents.V3_REF + kindSchema);
        items.put("type", "array");
        props.set("kind", podList.get("kind").deepCopy());
        ObjectNode metadata = props.putObject("metadata");
        metadata.putArray("allOf").add(Documents.ref(Documents.V3_REF, LIST_META));
        metadata.put("description", podList.path("metadata").path("description").asText());
        s.putArray("required").add("items");
        s.put("type", "object");
        s.putArray(KubeSchemas.GVK).add(new Gvk(k.group(), k.version(), k.listKind()).json());
        return s;
    }
}

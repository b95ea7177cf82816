package dev.drydock.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The schemas of Kubernetes' built-in types as kube-apiserver 1.32 publishes them in its OpenAPI v3 documents
 * ({@code components.schemas}, descriptions included), read once from a resource when first needed (about 3 MB of
 * heap; a JVM that never serves OpenAPI never loads it).
 */
final class KubeSchemas {

    /** The Kubernetes release the schemas come from. */
    static final String KUBE_VERSION = "v1.32.0";
    static final String RESOURCE = "kube-schemas.json.gz";
    static final String GVK = "x-kubernetes-group-version-kind";

    private static final class Loaded {
        static final KubeSchemas INSTANCE = load();
    }

    private final ObjectNode byName;
    private final Map<Gvk, String> nameByGvk = new HashMap<>();

    private KubeSchemas(ObjectNode byName) {
        this.byName = byName;
        indexKinds(byName, nameByGvk);
    }

    /** Adds to {@code index} the name of each schema of {@code byName} under every group-version-kind it is for. */
    static void indexKinds(ObjectNode byName, Map<Gvk, String> index) {
        for (Map.Entry<String, JsonNode> e : byName.properties()) {
            for (JsonNode gvk : e.getValue().path(GVK)) {
                index.putIfAbsent(Gvk.of(gvk), e.getKey());
            }
        }
    }

    static KubeSchemas get() {
        return Loaded.INSTANCE;
    }

    private static KubeSchemas load() {
        return new KubeSchemas(readResource(RESOURCE));
    }

    /** A gzip'd JSON resource of this package, schemas by name. */
    static ObjectNode readResource(String resource) {
        try (InputStream in = KubeSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from drydock's jar");
            }
            return Json.parseTrusted(new GZIPInputStream(in).readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The schema of that name (e.g. {@code io.k8s.api.apps.v1.Deployment}), or null. Callers must not change it. */
    JsonNode schema(String name) {
        return byName.get(name);
    }

    /** The name of the schema of a built-in kind, or null if Kubernetes 1.32 has no such kind. */
    String nameOf(Gvk gvk) {
        return nameByGvk.get(gvk);
    }

    /** A group, version and kind, as {@code x-kubernetes-group-version-kind} names them. */
    record Gvk(String group, String version, String kind) {

        static Gvk of(JsonNode node) {
            return new Gvk(node.path("group").asText(), node.path("version").asText(), node.path("kind").asText());
        }

        // Written out: a record's generated equals is looked up on every write of a built-in kind (UnknownFields)
        // and was not inlined there.
        @Override
        public boolean equals(Object o) {
            return o instanceof Gvk g && kind.equals(g.kind) && version.equals(g.version) && group.equals(g.group);
        }

        @Override
        public int hashCode() {
            return (group.hashCode() * 31 + version.hashCode()) * 31 + kind.hashCode();
        }

        /** As {@code x-kubernetes-group-version-kind} writes it, keys in kube's order. */
        ObjectNode json() {
            ObjectNode n = Json.object();
            n.put("group", group);
            n.put("kind", kind);
            n.put("version", version);
            return n;
        }
    }
}

package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.List;
import java.util.Map;

/** The discovery documents ({@code /version}, {@code /api}, {@code /apis}, resource lists) built from the registry. */
final class Discovery {

    /** The Kubernetes version drydock's API follows. */
    static final String KUBE_MAJOR = "1";
    static final String KUBE_MINOR = "32";

    private final KindRegistry registry;

    Discovery(KindRegistry registry) {
        this.registry = registry;
    }

    ObjectNode version() {
        ObjectNode v = Json.object();
        v.put("major", KUBE_MAJOR);
        v.put("minor", KUBE_MINOR);
        v.put("gitVersion", "v" + KUBE_MAJOR + "." + KUBE_MINOR + ".0+drydock");
        v.put("gitCommit", "0000000000000000000000000000000000000000");
        v.put("gitTreeState", "clean");
        v.put("buildDate", "2026-01-01T00:00:00Z");
        v.put("goVersion", "go1.23.0");
        v.put("compiler", "gc");
        v.put("platform", "linux/amd64");
        return v;
    }

    ObjectNode coreVersions(String serverAddress) {
        ObjectNode v = Json.object();
        v.put("kind", "APIVersions");
        v.putArray("versions").add("v1");
        v.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0")
                .put("serverAddress", serverAddress);
        return v;
    }

    ObjectNode groupList() {
        ObjectNode list = Json.object();
        list.put("kind", "APIGroupList");
        list.put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        for (Map.Entry<String, List<String>> g : registry.groups().entrySet()) {
            if (!g.getKey().isEmpty()) {
                groups.add(group(g.getKey(), g.getValue()));
            }
        }
        return list;
    }

    /** The APIGroup document for {@code /apis/<group>}, or null if the group is not served. */
    ObjectNode group(String name) {
        List<String> versions = registry.groups().get(name);
        return versions == null || name.isEmpty() ? null : group(name, versions);
    }

    private static ObjectNode group(String name, List<String> versions) {
        ObjectNode g = Json.object();
        g.put("kind", "APIGroup");
        g.put("apiVersion", "v1");
        g.put("name", name);
        ArrayNode vs = g.putArray("versions");
        for (String v : versions) {
            vs.addObject().put("groupVersion", name + "/" + v).put("version", v);
        }
        g.putObject("preferredVersion").put("groupVersion", name + "/" + versions.get(0)).put("version",
                versions.get(0));
        return g;
    }

    /** The APIResourceList of one group version, or null if it is not served. */
    ObjectNode resources(String group, String version) {
        ObjectNode list = Json.object();
        list.put("kind", "APIResourceList");
        list.put("apiVersion", "v1");
        list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = list.putArray("resources");
        for (KindDescriptor k : registry.all()) {
            Resource r = k.resource();
            if (!r.group().equals(group) || !r.version().equals(version)) {
                continue;
            }
            ObjectNode res = resources.addObject();
            res.put("name", r.plural());
            res.put("singularName", k.singular());
            res.put("namespaced", r.namespaced());
            res.put("kind", r.kind());
            ArrayNode verbs = res.putArray("verbs");
            k.verbs().forEach(verbs::add);
            if (!k.shortNames().isEmpty()) {
                ArrayNode sn = res.putArray("shortNames");
                k.shortNames().forEach(sn::add);
            }
            if (!k.categories().isEmpty()) {
                ArrayNode categories = res.putArray("categories");
                k.categories().forEach(categories::add);
            }
            for (String name : k.subresourceNames()) {
                Subresource sub = k.subresource(name);
                ObjectNode s = resources.addObject();
                s.put("name", r.plural() + "/" + name);
                s.put("singularName", "");
                s.put("namespaced", r.namespaced());
                s.put("kind", sub == null || sub.kind() == null ? r.kind() : sub.kind());
                if (sub != null && sub.groupVersion() != null) {
                    String[] gv = sub.groupVersion().split("/");
                    s.put("group", gv.length == 2 ? gv[0] : "");
                    s.put("version", gv[gv.length - 1]);
                }
                ArrayNode sv = s.putArray("verbs");
                (sub == null ? List.of("get", "patch", "update") : sub.verbs()).forEach(sv::add);
            }
        }
        return resources.isEmpty() ? null : list;
    }

    /**
     * The aggregated discovery document (apidiscovery.k8s.io {@code APIGroupDiscoveryList}) of {@code /api} (the core
     * group) or {@code /apis} (every other group): every group, version and resource in one answer, as client-go 1.30+
     * and kubectl ask for it first.
     *
     * @param apiVersion {@code apidiscovery.k8s.io/v2} or {@code apidiscovery.k8s.io/v2beta1}, the same shape
     */
    ObjectNode aggregated(boolean core, String apiVersion) {
        ObjectNode list = Json.object();
        list.put("kind", "APIGroupDiscoveryList");
        list.put("apiVersion", apiVersion);
        list.putObject("metadata");
        ArrayNode items = list.putArray("items");
        for (Map.Entry<String, List<String>> g : registry.groups().entrySet()) {
            if (g.getKey().isEmpty() != core) {
                continue;
            }
            ObjectNode item = items.addObject();
            ObjectNode meta = item.putObject("metadata");
            if (!core) {
                meta.put("name", g.getKey());
            }
            ArrayNode versions = item.putArray("versions");
            for (String v : g.getValue()) { // the preferred version first, as in the group's document
                ObjectNode version = versions.addObject();
                version.put("version", v);
                ArrayNode resources = version.putArray("resources");
                for (KindDescriptor k : registry.all()) {
                    Resource r = k.resource();
                    if (r.group().equals(g.getKey()) && r.version().equals(v)) {
                        resources.add(aggregatedResource(k));
                    }
                }
                version.put("freshness", "Current");
            }
        }
        return list;
    }

    private static ObjectNode aggregatedResource(KindDescriptor k) {
        Resource r = k.resource();
        ObjectNode res = Json.object();
        res.put("resource", r.plural());
        res.putObject("responseKind").put("group", r.group()).put("version", r.version()).put("kind", r.kind());
        res.put("scope", r.namespaced() ? "Namespaced" : "Cluster");
        res.put("singularResource", k.singular());
        ArrayNode verbs = res.putArray("verbs");
        k.verbs().forEach(verbs::add);
        if (!k.shortNames().isEmpty()) {
            ArrayNode sn = res.putArray("shortNames");
            k.shortNames().forEach(sn::add);
        }
        if (!k.categories().isEmpty()) {
            ArrayNode categories = res.putArray("categories");
            k.categories().forEach(categories::add);
        }
        if (!k.subresourceNames().isEmpty()) {
            ArrayNode subs = res.putArray("subresources");
            for (String name : k.subresourceNames()) {
                Subresource sub = k.subresource(name);
                ObjectNode s = subs.addObject();
                s.put("subresource", name);
                String group = r.group();
                String version = r.version();
                if (sub != null && sub.groupVersion() != null) {
                    String[] gv = sub.groupVersion().split("/");
                    group = gv.length == 2 ? gv[0] : "";
                    version = gv[gv.length - 1];
                }
                s.putObject("responseKind").put("group", group).put("version", version)
                        .put("kind", sub == null || sub.kind() == null ? r.kind() : sub.kind());
                ArrayNode sv = s.putArray("verbs");
                (sub == null ? List.of("get", "patch", "update") : sub.verbs()).forEach(sv::add);
            }
        }
        return res;
    }
}

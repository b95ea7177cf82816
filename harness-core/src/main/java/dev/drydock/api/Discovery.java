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
}

package dev.drydock.api;

import dev.drydock.kube.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The resource kinds an API server serves, looked up by group/version/plural (paths) or apiVersion/kind (bodies).
 * One generic handler serves them all; a kind is a row here, not a handler.
 */
public final class KindRegistry {

    private final Map<String, ResourceKind> byPath = new LinkedHashMap<>();

    /**
     * The built-in kinds of this version of drydock, with kube's short names and categories (kube puts pods,
     * services, replication controllers, the apps workloads, jobs, cron jobs and horizontal pod autoscalers in
     * {@code all}; namespaces, nodes, events and leases in none).
     */
    public static KindRegistry builtIn() {
        KindRegistry r = new KindRegistry();
        r.add(new ResourceKind(Resource.NAMESPACES, "namespace", List.of("ns"), Set.of("status"),
                KindStrategies.NAMESPACE));
        r.add(new ResourceKind(Resource.NODES, "node", List.of("no"), Set.of("status"), KindStrategies.NODE));
        r.add(new ResourceKind(Resource.PODS, "pod", List.of("po"), Set.of("status", "binding"), KindStrategies.POD,
                ResourceKind.ALL));
        r.add(new ResourceKind(Resource.EVENTS, "event", List.of("ev"), Set.of(), KindStrategies.PLAIN));
        r.add(new ResourceKind(Resource.DEPLOYMENTS, "deployment", List.of("deploy"), Set.of("status", "scale"),
                KindStrategies.DEPLOYMENT, ResourceKind.ALL));
        r.add(new ResourceKind(Resource.REPLICASETS, "replicaset", List.of("rs"), Set.of("status", "scale"),
                KindStrategies.REPLICASET, ResourceKind.ALL));
        r.add(new ResourceKind(Resource.LEASES, "lease", List.of(), Set.of(), KindStrategies.PLAIN));
        return r;
    }

    public void add(ResourceKind kind) {
        Resource res = kind.resource();
        byPath.put(res.group() + "/" + res.version() + "/" + res.plural(), kind);
    }

    /** The kind served at {@code /api(s)/<group>/<version>/<plural>}, or {@code null}. */
    public ResourceKind find(String group, String version, String plural) {
        return byPath.get(group + "/" + version + "/" + plural);
    }

    public ResourceKind find(Resource resource) {
        return find(resource.group(), resource.version(), resource.plural());
    }

    public List<ResourceKind> all() {
        return new ArrayList<>(byPath.values());
    }

    /** The API groups served (the core group as ""), each with its versions, in registration order. */
    public Map<String, List<String>> groups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (ResourceKind k : byPath.values()) {
            List<String> versions = groups.computeIfAbsent(k.resource().group(), g -> new ArrayList<>());
            if (!versions.contains(k.resource().version())) {
                versions.add(k.resource().version());
            }
        }
        return groups;
    }
}

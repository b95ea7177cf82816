package dev.drydock.kube;

/**
 * A resource of the Kubernetes API, as client-go's {@code GroupVersionResource} plus the two facts a client needs to
 * build its paths: the kind and whether it lives in namespaces.
 *
 * @param group      API group, empty for the core group
 * @param version    API version, e.g. {@code v1}
 * @param plural     the resource name in paths, e.g. {@code pods}
 * @param kind       the object kind, e.g. {@code Pod}
 * @param namespaced whether objects live in a namespace
 */
public record Resource(String group, String version, String plural, String kind, boolean namespaced) {

    public static final Resource NAMESPACES = core("namespaces", "Namespace", false);
    public static final Resource NODES = core("nodes", "Node", false);
    public static final Resource PODS = core("pods", "Pod", true);
    public static final Resource EVENTS = core("events", "Event", true);
    public static final Resource SERVICES = core("services", "Service", true);
    public static final Resource DEPLOYMENTS = new Resource("apps", "v1", "deployments", "Deployment", true);
    public static final Resource REPLICASETS = new Resource("apps", "v1", "replicasets", "ReplicaSet", true);
    public static final Resource STATEFULSETS = new Resource("apps", "v1", "statefulsets", "StatefulSet", true);
    public static final Resource PODDISRUPTIONBUDGETS = new Resource("policy", "v1", "poddisruptionbudgets",
            "PodDisruptionBudget", true);
    public static final Resource LEASES = new Resource("coordination.k8s.io", "v1", "leases", "Lease", true);
    public static final Resource CUSTOM_RESOURCE_DEFINITIONS = new Resource("apiextensions.k8s.io", "v1",
            "customresourcedefinitions", "CustomResourceDefinition", false);
    public static final Resource ROLES = rbac("roles", "Role", true);
    public static final Resource ROLE_BINDINGS = rbac("rolebindings", "RoleBinding", true);
    public static final Resource CLUSTER_ROLES = rbac("clusterroles", "ClusterRole", false);
    public static final Resource CLUSTER_ROLE_BINDINGS = rbac("clusterrolebindings", "ClusterRoleBinding", false);

    private static Resource core(String plural, String kind, boolean namespaced) {
        return new Resource("", "v1", plural, kind, namespaced);
    }

    private static Resource rbac(String plural, String kind, boolean namespaced) {
        return new Resource("rbac.authorization.k8s.io", "v1", plural, kind, namespaced);
    }

    /** {@code v1} or {@code apps/v1}. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** {@code pods} or {@code deployments.apps}, as kube names a resource in messages. */
    public String qualifiedName() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    @Override
    public String toString() {
        return apiVersion() + "/" + plural;
    }
}

package dev.drydock.api.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import java.util.List;

/**
 * The ClusterRoles and ClusterRoleBindings kube-apiserver creates at start that users and operators expect
 * ({@code plugin/pkg/auth/authorizer/rbac/bootstrappolicy}): {@code cluster-admin} bound to {@code system:masters};
 * the user-facing {@code admin}, {@code edit} and {@code view}, aggregated (by the ClusterRole aggregation
 * controller) from {@code system:aggregate-to-admin}, {@code -edit} and {@code -view} and from each other as kube
 * aggregates them; {@code system:basic-user}, {@code system:discovery} and {@code system:public-info-viewer}, which
 * every authenticated user has; and {@code system:auth-delegator} (TokenReviews and SubjectAccessReviews), which
 * operators bind their service accounts to. The controller roles and node roles are left out.
 */
public final class BootstrapPolicy {

    private static final String RBAC = "rbac.authorization.k8s.io";
    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");
    private static final List<String> ALL = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");

    private BootstrapPolicy() {
    }

    /** The bootstrap ClusterRoles, as {@code rbac.authorization.k8s.io/v1} objects to create. */
    public static List<ObjectNode> clusterRoles() {
        return List.of(
                aggregated("admin", "rbac.authorization.k8s.io/aggregate-to-admin", null),
                role("cluster-admin", null,
                        rule(List.of("*"), List.of("*"), List.of("*")),
                        nonResource(List.of("*"), List.of("*"))),
                aggregated("edit", "rbac.authorization.k8s.io/aggregate-to-edit",
                        "rbac.authorization.k8s.io/aggregate-to-admin"),
                role("system:aggregate-to-admin", "rbac.authorization.k8s.io/aggregate-to-admin",
                        rule(List.of("create"), List.of("authorization.k8s.io"),
                                List.of("localsubjectaccessreviews")),
                        rule(ALL, List.of(RBAC), List.of("rolebindings", "roles"))),
                role("system:aggregate-to-edit", "rbac.authorization.k8s.io/aggregate-to-edit",
                        rule(READ, List.of(""), List.of("pods/attach", "pods/exec", "pods/portforward", "pods/proxy",
                                "secrets", "services/proxy")),
                        rule(List.of("impersonate"), List.of(""), List.of("serviceaccounts")),
                        rule(WRITE, List.of(""), List.of("pods", "pods/attach", "pods/exec", "pods/portforward",
                                "pods/proxy")),
                        rule(List.of("create"), List.of(""), List.of("pods/eviction")),
                        rule(WRITE, List.of(""), List.of("configmaps", "events", "persistentvolumeclaims",
                                "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts",
                                "services", "services/proxy")),
                        rule(List.of("create"), List.of(""), List.of("serviceaccounts/token")),
                        rule(WRITE, List.of("apps"), List.of("daemonsets", "deployments", "deployments/rollback",
                                "deployments/scale", "replicasets", "replicasets/scale", "statefulsets",
                                "statefulsets/scale")),
                        rule(WRITE, List.of("autoscaling"), List.of("horizontalpodautoscalers")),
                        rule(WRITE, List.of("batch"), List.of("cronjobs", "jobs")),
                        rule(WRITE, List.of("extensions"), List.of("daemonsets", "deployments",
                                "deployments/rollback", "deployments/scale", "ingresses", "networkpolicies",
                                "replicasets", "replicasets/scale", "replicationcontrollers/scale")),
                        rule(WRITE, List.of("policy"), List.of("poddisruptionbudgets")),
                        rule(WRITE, List.of("networking.k8s.io"), List.of("ingresses", "networkpolicies")),
                        rule(ALL, List.of("coordination.k8s.io"), List.of("leases"))),
                role("system:aggregate-to-view", "rbac.authorization.k8s.io/aggregate-to-view",
                        rule(READ, List.of(""), List.of("configmaps", "endpoints", "persistentvolumeclaims",
                                "persistentvolumeclaims/status", "pods", "replicationcontrollers",
                                "replicationcontrollers/scale", "serviceaccounts", "services", "services/status")),
                        rule(READ, List.of(""), List.of("bindings", "events", "limitranges", "namespaces/status",
                                "pods/log", "pods/status", "replicationcontrollers/status", "resourcequotas",
                                "resourcequotas/status")),
                        rule(READ, List.of(""), List.of("namespaces")),
                        rule(READ, List.of("discovery.k8s.io"), List.of("endpointslices")),
                        rule(READ, List.of("apps"), List.of("controllerrevisions", "daemonsets", "daemonsets/status",
                                "deployments", "deployments/scale", "deployments/status", "replicasets",
                                "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale",
                                "statefulsets/status")),
                        rule(READ, List.of("autoscaling"), List.of("horizontalpodautoscalers",
                                "horizontalpodautoscalers/status")),
                        rule(READ, List.of("batch"), List.of("cronjobs", "cronjobs/status", "jobs", "jobs/status")),
                        rule(READ, List.of("extensions"), List.of("daemonsets", "daemonsets/status", "deployments",
                                "deployments/scale", "deployments/status", "ingresses", "ingresses/status",
                                "networkpolicies", "replicasets", "replicasets/scale", "replicasets/status",
                                "replicationcontrollers/scale")),
                        rule(READ, List.of("policy"), List.of("poddisruptionbudgets",
                                "poddisruptionbudgets/status")),
                        rule(READ, List.of("networking.k8s.io"), List.of("ingresses", "ingresses/status",
                                "networkpolicies"))),
                role("system:auth-delegator", null,
                        rule(List.of("create"), List.of("authentication.k8s.io"), List.of("tokenreviews")),
                        rule(List.of("create"), List.of("authorization.k8s.io"), List.of("subjectaccessreviews"))),
                role("system:basic-user", null,
                        rule(List.of("create"), List.of("authorization.k8s.io"),
                                List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews")),
                        rule(List.of("create"), List.of("authentication.k8s.io"), List.of("selfsubjectreviews"))),
                role("system:discovery", null,
                        nonResource(List.of("get"), List.of("/api", "/api/*", "/apis", "/apis/*", "/healthz",
                                "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"))),
                role("system:public-info-viewer", null,
                        nonResource(List.of("get"), List.of("/healthz", "/livez", "/readyz", "/version",
                                "/version/"))),
                aggregated("view", "rbac.authorization.k8s.io/aggregate-to-view",
                        "rbac.authorization.k8s.io/aggregate-to-edit"));
    }

    /** The bootstrap ClusterRoleBindings of {@link #clusterRoles}. */
    public static List<ObjectNode> clusterRoleBindings() {
        return List.of(
                binding("cluster-admin", UserInfo.SYSTEM_MASTERS),
                binding("system:basic-user", UserInfo.AUTHENTICATED),
                binding("system:discovery", UserInfo.AUTHENTICATED),
                binding("system:public-info-viewer", UserInfo.AUTHENTICATED, "system:unauthenticated"));
    }

    private static ObjectNode role(String name, String aggregateTo, ObjectNode... rules) {
        ObjectNode role = bootstrap("ClusterRole", name);
        if (aggregateTo != null) {
            Json.with(role, "metadata", "labels").put(aggregateTo, "true");
        }
        ArrayNode list = role.putArray("rules");
        for (ObjectNode r : rules) {
            list.add(r);
        }
        return role;
    }

    /** A role whose rules the aggregation controller fills from the ClusterRoles labelled {@code selectLabel}. */
    private static ObjectNode aggregated(String name, String selectLabel, String aggregateTo) {
        ObjectNode role = bootstrap("ClusterRole", name);
        if (aggregateTo != null) {
            Json.with(role, "metadata", "labels").put(aggregateTo, "true");
        }
        role.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject()
                .putObject("matchLabels").put(selectLabel, "true");
        return role;
    }

    private static ObjectNode binding(String role, String... groups) {
        ObjectNode binding = bootstrap("ClusterRoleBinding", role);
        binding.putObject("roleRef").put("apiGroup", RBAC).put("kind", "ClusterRole").put("name", role);
        ArrayNode subjects = binding.putArray("subjects");
        for (String group : groups) {
            subjects.addObject().put("apiGroup", RBAC).put("kind", "Group").put("name", group);
        }
        return binding;
    }

    private static ObjectNode bootstrap(String kind, String name) {
        ObjectNode obj = Json.object().put("apiVersion", RBAC + "/v1").put("kind", kind);
        ObjectNode meta = Json.with(obj, "metadata");
        meta.put("name", name);
        meta.putObject("labels").put("kubernetes.io/bootstrapping", "rbac-defaults");
        meta.putObject("annotations").put("rbac.authorization.kubernetes.io/autoupdate", "true");
        return obj;
    }

    private static ObjectNode rule(List<String> verbs, List<String> apiGroups, List<String> resources) {
        ObjectNode rule = Json.object();
        strings(rule.putArray("verbs"), verbs);
        strings(rule.putArray("apiGroups"), apiGroups);
        strings(rule.putArray("resources"), resources);
        return rule;
    }

    private static ObjectNode nonResource(List<String> verbs, List<String> urls) {
        ObjectNode rule = Json.object();
        strings(rule.putArray("verbs"), verbs);
        strings(rule.putArray("nonResourceURLs"), urls);
        return rule;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}

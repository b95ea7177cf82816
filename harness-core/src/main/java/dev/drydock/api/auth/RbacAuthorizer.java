package dev.drydock.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.ResourceStorage;
import dev.drydock.kube.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * kube's RBAC authorizer over the Roles, ClusterRoles, RoleBindings and ClusterRoleBindings that are stored
 * ({@code plugin/pkg/auth/authorizer/rbac}): a request is allowed by the first rule, of a role bound to the user,
 * that matches it; ClusterRoleBindings apply everywhere, RoleBindings in their namespace (and may name a
 * ClusterRole, whose rules then apply in that namespace only). A rule matches when its verbs, API groups, resources
 * (with {@code *}, {@code pods/log} for a subresource, and {@code *&#47;log} for a subresource of every resource) and resource names, or its
 * non-resource URLs ({@code /healthz}, {@code /api/*}), cover the request. Nothing is denied: what no rule allows
 * gets no opinion.
 */
public final class RbacAuthorizer implements Authorizer {

    private final ResourceStorage storage;

    /** An authorizer reading the RBAC objects stored in {@code storage} at each decision. */
    public RbacAuthorizer(ResourceStorage storage) {
        this.storage = storage;
    }

    @Override
    public Decision authorize(Attributes attributes) {
        List<String> errors = new ArrayList<>();
        String[] allowedBy = new String[1];
        visitRulesFor(attributes.user(), attributes.namespace(), (source, rule) -> {
            if (allows(attributes, rule)) {
                allowedBy[0] = source;
                return false;
            }
            return true;
        }, errors);
        if (allowedBy[0] != null) {
            return Decision.allow("RBAC: allowed by " + allowedBy[0]);
        }
        return Decision.noOpinion(errors.isEmpty() ? "" : "RBAC: " + aggregate(errors), "");
    }

    /**
     * The rules that apply to {@code user} in {@code namespace} (cluster-wide only when it is empty), as kube's
     * {@code RulesFor}, with the errors met resolving them (a binding naming a role that does not exist).
     */
    public Rules rulesFor(UserInfo user, String namespace) {
        List<JsonNode> rules = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        visitRulesFor(user, namespace, (source, rule) -> rules.add(rule), errors);
        return new Rules(rules, errors);
    }

    /** The rules of {@link #rulesFor} and the errors met resolving them, aggregated as kube prints them. */
    public record Rules(List<JsonNode> rules, List<String> errors) {

        public Rules {
            rules = List.copyOf(rules);
            errors = List.copyOf(errors);
        }

        /** The errors as one message ({@code [a, b]} for several), empty when there were none. */
        public String error() {
            return aggregate(errors);
        }
    }

    /** A visitor of rules; returns false to stop. */
    private interface Visitor {
        boolean visit(String source, JsonNode rule);
    }

    /** kube's {@code VisitRulesFor}: ClusterRoleBindings first, then the RoleBindings of the namespace. */
    private void visitRulesFor(UserInfo user, String namespace, Visitor visitor, List<String> errors) {
        KindDescriptor clusterBindings = storage.registry().find(Resource.CLUSTER_ROLE_BINDINGS);
        if (clusterBindings != null) {
            for (ObjectNode binding : storage.list(clusterBindings, null)) {
                JsonNode subject = subjectFor(user, binding, "");
                if (subject == null) {
                    continue;
                }
                List<JsonNode> rules = roleRules(binding.path("roleRef"), "", errors);
                String source = "ClusterRoleBinding " + quote(name(binding)) + " of " + roleRef(binding) + " to "
                        + describe(subject, "");
                for (JsonNode rule : rules) {
                    if (!visitor.visit(source, rule)) {
                        return;
                    }
                }
            }
        }
        KindDescriptor bindings = storage.registry().find(Resource.ROLE_BINDINGS);
        if (namespace.isEmpty() || bindings == null) {
            return;
        }
        for (ObjectNode binding : storage.list(bindings, namespace)) {
            JsonNode subject = subjectFor(user, binding, namespace);
            if (subject == null) {
                continue;
            }
            List<JsonNode> rules = roleRules(binding.path("roleRef"), namespace, errors);
            String source = "RoleBinding " + quote(name(binding) + "/" + namespace) + " of " + roleRef(binding)
                    + " to " + describe(subject, namespace);
            for (JsonNode rule : rules) {
                if (!visitor.visit(source, rule)) {
                    return;
                }
            }
        }
    }

    /** kube's {@code GetRoleReferenceRules}: the rules of the Role (in the binding's namespace) or ClusterRole. */
    private List<JsonNode> roleRules(JsonNode roleRef, String namespace, List<String> errors) {
        String kind = roleRef.path("kind").asText("");
        String name = roleRef.path("name").asText("");
        Resource resource = switch (kind) {
            case "Role" -> Resource.ROLES;
            case "ClusterRole" -> Resource.CLUSTER_ROLES;
            default -> null;
        };
        if (resource == null) {
            errors.add("unsupported role reference kind: " + quote(kind));
            return List.of();
        }
        KindDescriptor descriptor = storage.registry().find(resource);
        ObjectNode role = descriptor == null ? null
                : storage.find(descriptor, resource.namespaced() ? namespace : null, name);
        if (role == null) {
            // As the listers kube reads roles from word it: the resource's singular, qualified by its group.
            errors.add(kind.toLowerCase() + "." + resource.group() + " " + quote(name) + " not found");
            return List.of();
        }
        List<JsonNode> rules = new ArrayList<>();
        role.path("rules").forEach(rules::add);
        return rules;
    }

    /** The first subject of the binding that is the user (kube's {@code appliesTo}), or null. */
    private static JsonNode subjectFor(UserInfo user, JsonNode binding, String namespace) {
        for (JsonNode subject : binding.path("subjects")) {
            if (appliesTo(user, subject, namespace)) {
                return subject;
            }
        }
        return null;
    }

    private static boolean appliesTo(UserInfo user, JsonNode subject, String namespace) {
        String name = subject.path("name").asText("");
        return switch (subject.path("kind").asText("")) {
            case "User" -> user.username().equals(name);
            case "Group" -> user.groups().contains(name);
            case "ServiceAccount" -> {
                // A RoleBinding's service account defaults to the binding's namespace.
                String saNamespace = subject.path("namespace").asText("");
                if (saNamespace.isEmpty()) {
                    saNamespace = namespace;
                }
                yield !saNamespace.isEmpty()
                        && user.username().equals(UserInfo.serviceAccountUsername(saNamespace, name));
            }
            default -> false;
        };
    }

    // ---- kube's rule matching (pkg/apis/rbac/v1/evaluation_helpers.go)

    /** Whether {@code rule} allows the request, as kube's {@code RuleAllows}. */
    public static boolean allows(Attributes a, JsonNode rule) {
        if (a.resourceRequest()) {
            String combined = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
            return verbMatches(rule, a.verb()) && matchesAny(rule.path("apiGroups"), a.apiGroup())
                    && resourceMatches(rule, combined, a.subresource()) && resourceNameMatches(rule, a.name());
        }
        return verbMatches(rule, a.verb()) && nonResourceUrlMatches(rule, a.path());
    }

    private static boolean verbMatches(JsonNode rule, String verb) {
        return matchesAny(rule.path("verbs"), verb);
    }

    /** {@code *} or the value itself. */
    private static boolean matchesAny(JsonNode values, String value) {
        for (JsonNode v : values) {
            if (v.asText().equals("*") || v.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean resourceMatches(JsonNode rule, String combined, String subresource) {
        for (JsonNode r : rule.path("resources")) {
            String resource = r.asText();
            if (resource.equals("*") || resource.equals(combined)) {
                return true;
            }
            // a rule resource "*" + "/log" matches the subresource "log" of every resource
            if (!subresource.isEmpty() && resource.length() == subresource.length() + 2
                    && resource.startsWith("*/") && resource.endsWith(subresource)) {
                return true;
            }
        }
        return false;
    }

    private static boolean resourceNameMatches(JsonNode rule, String name) {
        JsonNode names = rule.path("resourceNames");
        if (names.isEmpty()) {
            return true;
        }
        for (JsonNode n : names) {
            if (n.asText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean nonResourceUrlMatches(JsonNode rule, String path) {
        for (JsonNode u : rule.path("nonResourceURLs")) {
            String url = u.asText();
            if (url.equals("*") || url.equals(path)) {
                return true;
            }
            if (url.endsWith("*") && path.startsWith(url.replaceAll("\\*+$", ""))) {
                return true;
            }
        }
        return false;
    }

    // ---- kube's words

    private static String roleRef(JsonNode binding) {
        JsonNode ref = binding.path("roleRef");
        return ref.path("kind").asText("") + " " + quote(ref.path("name").asText(""));
    }

    /** kube's {@code describeSubject}: a service account as {@code "name/namespace"}. */
    private static String describe(JsonNode subject, String bindingNamespace) {
        String kind = subject.path("kind").asText("");
        String name = subject.path("name").asText("");
        if (kind.equals("ServiceAccount")) {
            String ns = subject.path("namespace").asText("");
            return kind + " " + quote(name + "/" + (ns.isEmpty() ? bindingNamespace : ns));
        }
        return kind + " " + quote(name);
    }

    private static String name(JsonNode obj) {
        return obj.path("metadata").path("name").asText("");
    }

    /** A string as Go's {@code %q} prints it (the names here are printable). */
    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * kube's {@code utilerrors.NewAggregate(...).Error()}: the distinct messages, one as it is, several in brackets.
     */
    static String aggregate(List<String> errors) {
        java.util.Set<String> distinct = new java.util.LinkedHashSet<>(errors);
        if (distinct.size() <= 1) {
            return String.join("", distinct);
        }
        return "[" + String.join(", ", distinct) + "]";
    }
}

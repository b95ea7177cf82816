package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.KindStrategy;
import dev.drydock.api.Validation;
import dev.drydock.kube.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rbac.authorization.k8s.io/v1}: Role, ClusterRole, RoleBinding, ClusterRoleBinding, with kube's validation
 * ({@code pkg/apis/rbac/validation}): names are path segments (so {@code system:aggregate-to-edit} is a name),
 * rules need verbs and either API groups and resources or non-resource URLs (the latter only in ClusterRoles),
 * bindings name a Role or ClusterRole of this group ({@code roleRef}, which cannot change) and User, Group or
 * ServiceAccount subjects, defaulted as kube defaults them. The RBAC authorizer ({@code api.auth.RbacAuthorizer})
 * reads them to answer SubjectAccessReviews; a ClusterRole's {@code aggregationRule} is filled by the
 * ClusterRole aggregation controller.
 */
public final class RbacV1Kinds {

    static final String GROUP = "rbac.authorization.k8s.io";

    private RbacV1Kinds() {
    }

    /** Adds the four RBAC kinds. */
    public static void register(KindRegistry registry) {
        registry.add(KindDescriptor.of(Resource.ROLES).strategy(new RoleStrategy(true)).build());
        registry.add(KindDescriptor.of(Resource.CLUSTER_ROLES).strategy(new RoleStrategy(false)).build());
        registry.add(KindDescriptor.of(Resource.ROLE_BINDINGS).strategy(new BindingStrategy(true)).build());
        registry.add(KindDescriptor.of(Resource.CLUSTER_ROLE_BINDINGS).strategy(new BindingStrategy(false)).build());
    }

    /** kube's {@code path.IsValidPathSegmentName}, the only rule RBAC names follow. */
    static void pathSegmentName(String field, String name, List<FieldError> errors) {
        if (name.equals(".") || name.equals("..")) {
            errors.add(FieldError.invalid(field, name, "may not be '" + name + "'"));
            return;
        }
        for (String illegal : List.of("/", "%")) {
            if (name.contains(illegal)) {
                errors.add(FieldError.invalid(field, name, "may not contain '" + illegal + "'"));
            }
        }
    }

    /** Role and ClusterRole. */
    private static final class RoleStrategy implements KindStrategy {

        private final boolean namespaced;

        RoleStrategy(boolean namespaced) {
            this.namespaced = namespaced;
        }

        @Override
        public void validateName(String field, String name, List<FieldError> errors) {
            pathSegmentName(field, name, errors);
        }

        @Override
        public void validate(ObjectNode role, List<FieldError> errors) {
            int i = 0;
            for (JsonNode rule : role.path("rules")) {
                validateRule(rule, "rules[" + i++ + "]", errors);
            }
            if (!namespaced) {
                int j = 0;
                for (JsonNode selector : role.path("aggregationRule").path("clusterRoleSelectors")) {
                    LabelSelectorValidation.validate(selector, "aggregationRule.clusterRoleSelectors[" + j++ + "]",
                            errors);
                }
            }
        }

        /** kube's {@code validatePolicyRule}. */
        private void validateRule(JsonNode rule, String path, List<FieldError> errors) {
            if (rule.path("verbs").isEmpty()) {
                errors.add(FieldError.required(path + ".verbs", "verbs must contain at least one value"));
            }
            JsonNode urls = rule.path("nonResourceURLs");
            if (!urls.isEmpty()) {
                String printed = goStrings(urls);
                if (namespaced) {
                    errors.add(FieldError.invalidRaw(path + ".nonResourceURLs", printed,
                            "namespaced rules cannot apply to non-resource URLs"));
                }
                if (!rule.path("apiGroups").isEmpty() || !rule.path("resources").isEmpty()
                        || !rule.path("resourceNames").isEmpty()) {
                    errors.add(FieldError.invalidRaw(path + ".nonResourceURLs", printed,
                            "rules cannot apply to both regular resources and non-resource URLs"));
                }
                return;
            }
            if (rule.path("apiGroups").isEmpty()) {
                errors.add(FieldError.required(path + ".apiGroups",
                        "resource rules must supply at least one api group"));
            }
            if (rule.path("resources").isEmpty()) {
                errors.add(FieldError.required(path + ".resources", "resource rules must supply at least one resource"));
            }
            if (!rule.path("resourceNames").isEmpty() && rule.path("resources").size() > 1) {
                errors.add(FieldError.required(path + ".resourceNames",
                        "resource names cannot apply to multiple resources"));
            }
        }
    }

    /** RoleBinding and ClusterRoleBinding. */
    private static final class BindingStrategy implements KindStrategy {

        private final boolean namespaced;

        BindingStrategy(boolean namespaced) {
            this.namespaced = namespaced;
        }

        @Override
        public void validateName(String field, String name, List<FieldError> errors) {
            pathSegmentName(field, name, errors);
        }

        /** kube's {@code SetDefaults_RoleBinding} and {@code SetDefaults_Subject}. */
        @Override
        public void defaults(ObjectNode binding) {
            JsonNode ref = binding.get("roleRef");
            if (ref instanceof ObjectNode roleRef && roleRef.path("apiGroup").asText("").isEmpty()) {
                roleRef.put("apiGroup", GROUP);
            }
            for (JsonNode s : binding.path("subjects")) {
                if (s instanceof ObjectNode subject && subject.path("apiGroup").asText("").isEmpty()) {
                    switch (subject.path("kind").asText("")) {
                        case "User", "Group" -> subject.put("apiGroup", GROUP);
                        case "ServiceAccount" -> subject.put("apiGroup", "");
                        default -> {
                            // left as sent: validation refuses the kind
                        }
                    }
                }
            }
        }

        @Override
        public void validate(ObjectNode binding, List<FieldError> errors) {
            JsonNode ref = binding.path("roleRef");
            String apiGroup = ref.path("apiGroup").asText("");
            if (!apiGroup.equals(GROUP)) {
                errors.add(FieldError.notSupported("roleRef.apiGroup", apiGroup,
                        "supported values: \"" + GROUP + "\""));
            }
            String kind = ref.path("kind").asText("");
            if (namespaced ? !kind.equals("Role") && !kind.equals("ClusterRole") : !kind.equals("ClusterRole")) {
                errors.add(FieldError.notSupported("roleRef.kind", kind, namespaced
                        ? "supported values: \"Role\", \"ClusterRole\"" : "supported values: \"ClusterRole\""));
            }
            String name = ref.path("name").asText("");
            if (name.isEmpty()) {
                errors.add(FieldError.required("roleRef.name", ""));
            } else {
                pathSegmentName("roleRef.name", name, errors);
            }
            int i = 0;
            for (JsonNode subject : binding.path("subjects")) {
                validateSubject(subject, "subjects[" + i++ + "]", errors);
            }
        }

        /** kube's {@code validateRoleBindingSubject}. */
        private void validateSubject(JsonNode subject, String path, List<FieldError> errors) {
            String name = subject.path("name").asText("");
            String apiGroup = subject.path("apiGroup").asText("");
            if (name.isEmpty()) {
                errors.add(FieldError.required(path + ".name", ""));
            }
            switch (subject.path("kind").asText("")) {
                case "ServiceAccount" -> {
                    if (!name.isEmpty()) {
                        // kube's ValidateServiceAccountName: a DNS subdomain
                        List<FieldError> nameErrors = new ArrayList<>();
                        Validation.dns1123Subdomain(path + ".name", name, nameErrors);
                        errors.addAll(nameErrors);
                    }
                    if (!apiGroup.isEmpty()) {
                        errors.add(FieldError.notSupported(path + ".apiGroup", apiGroup, "supported values: \"\""));
                    }
                    if (!namespaced && subject.path("namespace").asText("").isEmpty()) {
                        errors.add(FieldError.required(path + ".namespace", ""));
                    }
                }
                case "User", "Group" -> {
                    if (name.isEmpty()) {
                        errors.add(FieldError.invalid(path + ".name", name,
                                subject.path("kind").asText().toLowerCase() + " name cannot be empty"));
                    }
                    if (!apiGroup.equals(GROUP)) {
                        errors.add(FieldError.notSupported(path + ".apiGroup", apiGroup,
                                "supported values: \"" + GROUP + "\""));
                    }
                }
                default -> errors.add(FieldError.notSupported(path + ".kind", subject.path("kind").asText(""),
                        "supported values: \"ServiceAccount\", \"User\", \"Group\""));
            }
        }

        /** kube: {@code roleRef} cannot change, worded {@code roleRef: Invalid value: ...: cannot change roleRef}. */
        @Override
        public void validateUpdate(ObjectNode obj, ObjectNode old, List<FieldError> errors) {
            JsonNode ref = obj.path("roleRef");
            JsonNode oldRef = old.path("roleRef");
            if (!text(ref, "apiGroup").equals(text(oldRef, "apiGroup")) || !text(ref, "kind").equals(text(oldRef, "kind"))
                    || !text(ref, "name").equals(text(oldRef, "name"))) {
                errors.add(FieldError.invalidRaw("roleRef", "rbac.RoleRef{APIGroup:" + FieldError.goQuote(
                        text(ref, "apiGroup")) + ", Kind:" + FieldError.goQuote(text(ref, "kind")) + ", Name:"
                        + FieldError.goQuote(text(ref, "name")) + "}", "cannot change roleRef"));
            }
        }
    }

    private static String text(JsonNode obj, String field) {
        return obj.path(field).asText("");
    }

    /** A JSON string array as Go's {@code %#v} prints a {@code []string}. */
    static String goStrings(JsonNode values) {
        List<String> list = new ArrayList<>();
        values.forEach(v -> list.add(v.asText()));
        return FieldError.goStrings(list);
    }
}

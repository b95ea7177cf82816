package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * kube's printers of RoleBinding and ClusterRoleBinding: NAME ROLE AGE, wide USERS GROUPS SERVICEACCOUNTS. Roles
 * and ClusterRoles have no printer of their own in kube: they get the default table (NAME CREATED AT).
 */
final class RbacPrinters {

    /** rbac/v1beta1 RoleBinding.roleRef, as kube 1.32 describes the column. */
    private static final String ROLE_BINDING_ROLE_REF = "RoleRef can reference a Role in the current namespace or a "
            + "ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an "
            + "error.";
    /** rbac/v1beta1 ClusterRoleBinding.roleRef. */
    private static final String CLUSTER_ROLE_BINDING_ROLE_REF = "RoleRef can only reference a ClusterRole in the "
            + "global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.";

    private RbacPrinters() {
    }

    static Printer roleBinding() {
        return binding(ROLE_BINDING_ROLE_REF, "roleBinding");
    }

    static Printer clusterRoleBinding() {
        return binding(CLUSTER_ROLE_BINDING_ROLE_REF, "clusterRoleBinding");
    }

    private static Printer binding(String roleRefDescription, String what) {
        List<Column> columns = List.of(
                Column.objectName(),
                Column.string("Role", roleRefDescription),
                Column.age(),
                Column.wide("Users", "Users in the " + what),
                Column.wide("Groups", "Groups in the " + what),
                Column.wide("ServiceAccounts", "ServiceAccounts in the " + what));
        return NetworkingPrinters.printer(columns, (binding, now) -> {
            List<String> users = new ArrayList<>();
            List<String> groups = new ArrayList<>();
            List<String> serviceAccounts = new ArrayList<>();
            for (JsonNode subject : Json.elements(binding, "subjects")) {
                switch (Json.text(subject, "kind")) {
                    case "User" -> users.add(Json.text(subject, "name"));
                    case "Group" -> groups.add(Json.text(subject, "name"));
                    case "ServiceAccount" -> serviceAccounts.add(Json.text(subject, "namespace") + "/"
                            + Json.text(subject, "name"));
                    default -> {
                        // kube's SubjectsStrings puts other kinds aside, and the printer does not show them
                    }
                }
            }
            return List.of(
                    Json.text(binding, "metadata", "name"),
                    Json.text(binding, "roleRef", "kind") + "/" + Json.text(binding, "roleRef", "name"),
                    HumanDuration.since(Json.time(binding, "metadata", "creationTimestamp"), now),
                    String.join(", ", users), String.join(", ", groups), String.join(", ", serviceAccounts));
        });
    }
}

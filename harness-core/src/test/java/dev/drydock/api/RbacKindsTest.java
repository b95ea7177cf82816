package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding as kube-apiserver serves them. */
class RbacKindsTest extends KindTestSupport {

    static final Resource ROLES = Resource.ROLES;
    static final Resource CLUSTER_ROLES = Resource.CLUSTER_ROLES;
    static final Resource ROLE_BINDINGS = Resource.ROLE_BINDINGS;
    static final Resource CLUSTER_ROLE_BINDINGS = Resource.CLUSTER_ROLE_BINDINGS;

    static ObjectNode role(String name, String rules) {
        return json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'Role','metadata':{'name':'" + name
                + "'},'rules':" + rules + "}");
    }

    static ObjectNode clusterRole(String name, String rules) {
        return json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'ClusterRole','metadata':{'name':'" + name
                + "'},'rules':" + rules + "}");
    }

    static ObjectNode roleBinding(String name, String roleKind, String role, String subjects) {
        return json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'RoleBinding','metadata':{'name':'" + name
                + "'},'roleRef':{'kind':'" + roleKind + "','name':'" + role + "'},'subjects':" + subjects + "}");
    }

    static ObjectNode clusterRoleBinding(String name, String role, String subjects) {
        return json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'ClusterRoleBinding','metadata':{'name':'"
                + name + "'},'roleRef':{'kind':'ClusterRole','name':'" + role + "'},'subjects':" + subjects + "}");
    }

    static final String READ_PODS = "[{'apiGroups':[''],'resources':['pods'],'verbs':['get','list','watch']}]";

    @Test
    void aRoleIsCreatedReadListedUpdatedPatchedAndDeleted() {
        ObjectNode created = client.create(ROLES, NS, role("pod-reader", READ_PODS));

        assertThat(Json.namespace(created)).isEqualTo(NS);
        assertThat(texts(created.path("rules").get(0).path("verbs"))).containsExactly("get", "list", "watch");
        assertThat(client.get(ROLES, NS, "pod-reader")).isEqualTo(created);
        assertThat(names(client.list(ROLES, NS, Map.of()))).containsExactly("pod-reader");

        ObjectNode update = created.deepCopy();
        update.withArray("rules").addObject().putArray("verbs").add("get");
        ((ObjectNode) update.path("rules").get(1)).putArray("apiGroups").add("apps");
        ((ObjectNode) update.path("rules").get(1)).putArray("resources").add("deployments");
        ObjectNode updated = client.update(ROLES, update);
        assertThat(updated.path("rules")).hasSize(2);

        ObjectNode patched = client.mergePatch(ROLES, NS, "pod-reader", null,
                json("{'metadata':{'labels':{'team':'a'}}}"));
        assertThat(patched.path("metadata").path("labels").path("team").asText()).isEqualTo("a");
        assertThat(patched.path("rules")).hasSize(2);

        client.delete(ROLES, NS, "pod-reader");
        assertThat(client.find(ROLES, NS, "pod-reader")).isNull();
    }

    @Test
    void rbacNamesArePathSegmentsSoColonsAreAllowedButSlashesAreNot() {
        client.create(CLUSTER_ROLES, null, clusterRole("system:my-aggregate", READ_PODS));

        ApiException e = failure(() -> client.create(CLUSTER_ROLES, null, clusterRole("a/b", READ_PODS)));

        assertThat(causes(e)).containsExactly("metadata.name: Invalid value: \"a/b\": may not contain '/'");
        ApiException percent = failure(() -> client.create(CLUSTER_ROLES, null, clusterRole("a%b", READ_PODS)));
        assertThat(causes(percent)).containsExactly("metadata.name: Invalid value: \"a%b\": may not contain '%'");
        assertThat(percent.getMessage()).startsWith("ClusterRole.rbac.authorization.k8s.io \"a%b\" is invalid: ");
    }

    @Test
    void rulesNeedVerbsAndResourcesOrNonResourceUrlsWithKubesWords() {
        ApiException e = failure(() -> client.create(ROLES, NS, role("bad", "[{'apiGroups':[''],'resources':[]},"
                + "{'verbs':['get'],'nonResourceURLs':['/healthz']}]")));

        assertThat(causes(e)).containsExactly(
                "rules[0].verbs: Required value: verbs must contain at least one value",
                "rules[0].resources: Required value: resource rules must supply at least one resource",
                "rules[1].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to "
                        + "non-resource URLs");
        ApiException both = failure(() -> client.create(CLUSTER_ROLES, null, clusterRole("both",
                "[{'verbs':['get'],'apiGroups':[''],'resources':['pods'],'nonResourceURLs':['/metrics']}]")));
        assertThat(causes(both)).containsExactly("rules[0].nonResourceURLs: Invalid value: []string{\"/metrics\"}: "
                + "rules cannot apply to both regular resources and non-resource URLs");
        client.create(CLUSTER_ROLES, null, clusterRole("metrics", "[{'verbs':['get'],'nonResourceURLs':['/metrics']}]"));
    }

    @Test
    void bindingsDefaultTheApiGroupsOfTheirRoleRefAndSubjects() {
        ObjectNode created = client.create(ROLE_BINDINGS, NS, roleBinding("read-pods", "Role", "pod-reader",
                "[{'kind':'User','name':'alice'},{'kind':'Group','name':'devs'},"
                        + "{'kind':'ServiceAccount','name':'builder'}]"));

        assertThat(created.path("roleRef").path("apiGroup").asText()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(created.path("subjects").get(0).path("apiGroup").asText()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(created.path("subjects").get(1).path("apiGroup").asText()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(created.path("subjects").get(2).path("apiGroup").asText()).isEmpty();
    }

    @Test
    void theRoleRefOfABindingCannotChangeWithKubesMessage() {
        ObjectNode created = client.create(ROLE_BINDINGS, NS, roleBinding("rb", "Role", "one",
                "[{'kind':'User','name':'alice'}]"));
        ObjectNode update = created.deepCopy();
        ((ObjectNode) update.path("roleRef")).put("name", "two");

        ApiException e = failure(() -> client.update(ROLE_BINDINGS, update));

        assertThat(causes(e)).containsExactly("roleRef: Invalid value: rbac.RoleRef{APIGroup:"
                + "\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"two\"}: cannot change roleRef");
        ApiException patch = failure(() -> client.mergePatch(ROLE_BINDINGS, NS, "rb", null,
                json("{'roleRef':{'kind':'ClusterRole'}}")));
        assertThat(patch.code()).isEqualTo(422);
        ObjectNode subjects = created.deepCopy();
        ((ObjectNode) subjects.path("subjects").get(0)).put("name", "bob");
        assertThat(client.update(ROLE_BINDINGS, subjects).path("subjects").get(0).path("name").asText())
                .isEqualTo("bob");
    }

    @Test
    void subjectsAndRoleRefsAreValidatedAsKubeValidatesThem() {
        ApiException e = failure(() -> client.create(CLUSTER_ROLE_BINDINGS, null, json("{'apiVersion':"
                + "'rbac.authorization.k8s.io/v1','kind':'ClusterRoleBinding','metadata':{'name':'bad'},"
                + "'roleRef':{'kind':'Role','name':'r'},'subjects':[{'kind':'ServiceAccount','name':'sa'},"
                + "{'kind':'Robot','name':'r2d2'},{'kind':'User','name':'u','apiGroup':'example.com'}]}")));

        assertThat(causes(e)).containsExactly(
                "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
                "subjects[0].namespace: Required value",
                "subjects[1].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", "
                        + "\"Group\"",
                "subjects[2].apiGroup: Unsupported value: \"example.com\": supported values: "
                        + "\"rbac.authorization.k8s.io\"");
        ApiException noName = failure(() -> client.create(ROLE_BINDINGS, NS, json("{'apiVersion':"
                + "'rbac.authorization.k8s.io/v1','kind':'RoleBinding','metadata':{'name':'x'},"
                + "'roleRef':{'kind':'Role'}}")));
        assertThat(causes(noName)).containsExactly("roleRef.name: Required value");
    }

    @Test
    void clusterScopedKindsHaveNoNamespaceAndFieldSelectorsSelectByName() {
        client.create(CLUSTER_ROLES, null, clusterRole("a", READ_PODS));
        client.create(CLUSTER_ROLES, null, clusterRole("b", READ_PODS));
        client.create(CLUSTER_ROLE_BINDINGS, null, clusterRoleBinding("a", "a", "[{'kind':'User','name':'u'}]"));

        assertThat(namesSelectedBy(CLUSTER_ROLES, null, "metadata.name=b")).containsExactly("b");
        assertThat(Json.namespace(client.get(CLUSTER_ROLE_BINDINGS, null, "a"))).isNull();
        assertThat(namesSelectedBy(CLUSTER_ROLE_BINDINGS, null, "metadata.name!=a")).isEmpty();
    }

    @Test
    void aClusterRoleAggregationRuleIsStoredAndItsSelectorsValidated() {
        ObjectNode created = client.create(CLUSTER_ROLES, null, json("{'apiVersion':'rbac.authorization.k8s.io/v1',"
                + "'kind':'ClusterRole','metadata':{'name':'monitoring'},'aggregationRule':{'clusterRoleSelectors':"
                + "[{'matchLabels':{'rbac.example.com/aggregate-to-monitoring':'true'}}]}}"));

        assertThat(created.path("aggregationRule").path("clusterRoleSelectors")).hasSize(1);
        ApiException e = failure(() -> client.create(CLUSTER_ROLES, null, json("{'apiVersion':"
                + "'rbac.authorization.k8s.io/v1','kind':'ClusterRole','metadata':{'name':'bad'},'aggregationRule':"
                + "{'clusterRoleSelectors':[{'matchExpressions':[{'key':'a','operator':'Is'}]}]}}")));
        assertThat(causes(e)).containsExactly("aggregationRule.clusterRoleSelectors[0].matchExpressions[0].operator: "
                + "Invalid value: \"Is\": not a valid selector operator");
    }

    @Test
    void discoveryListsTheFourKindsWithTheirScope() {
        assertThat(discovered("rbac.authorization.k8s.io", "roles").path("namespaced").asBoolean()).isTrue();
        assertThat(discovered("rbac.authorization.k8s.io", "rolebindings").path("namespaced").asBoolean()).isTrue();
        assertThat(discovered("rbac.authorization.k8s.io", "clusterroles").path("namespaced").asBoolean()).isFalse();
        assertThat(discovered("rbac.authorization.k8s.io", "clusterrolebindings").path("namespaced").asBoolean())
                .isFalse();
        assertThat(discovered("rbac.authorization.k8s.io", "roles").has("shortNames")).isFalse();
    }
}

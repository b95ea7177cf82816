package dev.drydock.api;

import static dev.drydock.api.RbacKindsTest.CLUSTER_ROLES;
import static dev.drydock.api.RbacKindsTest.CLUSTER_ROLE_BINDINGS;
import static dev.drydock.api.RbacKindsTest.READ_PODS;
import static dev.drydock.api.RbacKindsTest.ROLES;
import static dev.drydock.api.RbacKindsTest.ROLE_BINDINGS;
import static dev.drydock.api.RbacKindsTest.clusterRole;
import static dev.drydock.api.RbacKindsTest.clusterRoleBinding;
import static dev.drydock.api.RbacKindsTest.role;
import static dev.drydock.api.RbacKindsTest.roleBinding;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.auth.BootstrapPolicy;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Resource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * authorization.k8s.io/v1 reviews, answered from the RBAC objects that are stored with kube's RBAC authorizer rules,
 * and never stored themselves.
 */
class AccessReviewTest extends KindTestSupport {

    static final Resource SAR = new Resource("authorization.k8s.io", "v1", "subjectaccessreviews",
            "SubjectAccessReview", false);
    static final Resource LOCAL_SAR = new Resource("authorization.k8s.io", "v1", "localsubjectaccessreviews",
            "LocalSubjectAccessReview", true);
    static final Resource SELF_SAR = new Resource("authorization.k8s.io", "v1", "selfsubjectaccessreviews",
            "SelfSubjectAccessReview", false);
    static final Resource SELF_RULES = new Resource("authorization.k8s.io", "v1", "selfsubjectrulesreviews",
            "SelfSubjectRulesReview", false);

    /** The status of a SubjectAccessReview of {@code user} (in {@code groups}) for a resource. */
    JsonNode can(String user, String groups, String verb, String group, String resource, String subresource,
                 String namespace, String name) {
        ObjectNode sar = json("{'apiVersion':'authorization.k8s.io/v1','kind':'SubjectAccessReview','spec':{"
                + "'user':'" + user + "','groups':" + groups + ",'resourceAttributes':{'verb':'" + verb
                + "','group':'" + group + "','resource':'" + resource + "','subresource':'" + subresource
                + "','namespace':'" + namespace + "','name':'" + name + "'}}}");
        return client.create(SAR, null, sar).path("status");
    }

    boolean allowed(String user, String verb, String resource, String namespace) {
        return can(user, "[]", verb, "", resource, "", namespace, "").path("allowed").asBoolean();
    }

    @Test
    void aRoleBindingAllowsItsRolesVerbsInItsNamespaceOnly() {
        client.create(NAMESPACES, null, TestObjects.namespace("other").build());
        client.create(ROLES, NS, role("pod-reader", READ_PODS));
        client.create(ROLE_BINDINGS, NS, roleBinding("alice-reads", "Role", "pod-reader",
                "[{'kind':'User','name':'alice'}]"));

        JsonNode status = can("alice", "[]", "list", "", "pods", "", NS, "");

        assertThat(status.path("allowed").asBoolean()).isTrue();
        assertThat(status.path("reason").asText()).isEqualTo("RBAC: allowed by RoleBinding \"alice-reads/default\" "
                + "of Role \"pod-reader\" to User \"alice\"");
        assertThat(allowed("alice", "delete", "pods", NS)).isFalse();
        assertThat(allowed("alice", "list", "pods", "other")).isFalse();
        assertThat(allowed("alice", "list", "pods", "")).as("cluster-wide").isFalse();
        assertThat(allowed("alice", "list", "secrets", NS)).isFalse();
        assertThat(allowed("bob", "list", "pods", NS)).isFalse();
        JsonNode denied = can("bob", "[]", "list", "", "pods", "", NS, "");
        assertThat(denied.has("reason")).isFalse();
        assertThat(denied.has("denied")).as("RBAC has no opinion, it does not deny").isFalse();
    }

    @Test
    void aClusterRoleBindingGrantsEverywhereAndARoleBindingMayReferenceAClusterRole() {
        client.create(NAMESPACES, null, TestObjects.namespace("other").build());
        client.create(CLUSTER_ROLES, null, clusterRole("pod-reader", READ_PODS));
        client.create(CLUSTER_ROLE_BINDINGS, null, clusterRoleBinding("carol-reads", "pod-reader",
                "[{'kind':'User','name':'carol'}]"));
        client.create(ROLE_BINDINGS, NS, roleBinding("dave-reads", "ClusterRole", "pod-reader",
                "[{'kind':'User','name':'dave'}]"));

        assertThat(allowed("carol", "get", "pods", NS)).isTrue();
        assertThat(allowed("carol", "get", "pods", "other")).isTrue();
        assertThat(allowed("carol", "get", "pods", "")).isTrue();
        assertThat(can("carol", "[]", "get", "", "pods", "", "other", "").path("reason").asText())
                .isEqualTo("RBAC: allowed by ClusterRoleBinding \"carol-reads\" of ClusterRole \"pod-reader\" to "
                        + "User \"carol\"");
        assertThat(allowed("dave", "get", "pods", NS)).isTrue();
        assertThat(allowed("dave", "get", "pods", "other")).as("the ClusterRole applies in the binding's namespace")
                .isFalse();
    }

    @Test
    void rulesMatchVerbsResourcesSubresourcesNamesAndGroupsAsKubesDo() {
        client.create(CLUSTER_ROLES, null, clusterRole("mixed", "["
                + "{'apiGroups':[''],'resources':['pods/log'],'verbs':['get']},"
                + "{'apiGroups':['apps'],'resources':['*'],'verbs':['list']},"
                + "{'apiGroups':['*'],'resources':['*/scale'],'verbs':['update']},"
                + "{'apiGroups':[''],'resources':['configmaps'],'resourceNames':['settings'],'verbs':['*']}]"));
        client.create(CLUSTER_ROLE_BINDINGS, null, clusterRoleBinding("erin", "mixed",
                "[{'kind':'User','name':'erin'}]"));

        assertThat(can("erin", "[]", "get", "", "pods", "log", NS, "web").path("allowed").asBoolean()).isTrue();
        assertThat(can("erin", "[]", "get", "", "pods", "", NS, "web").path("allowed").asBoolean())
                .as("pods/log does not allow pods").isFalse();
        assertThat(can("erin", "[]", "list", "apps", "deployments", "", NS, "").path("allowed").asBoolean()).isTrue();
        assertThat(can("erin", "[]", "list", "batch", "jobs", "", NS, "").path("allowed").asBoolean()).isFalse();
        assertThat(can("erin", "[]", "update", "apps", "deployments", "scale", NS, "w").path("allowed").asBoolean())
                .isTrue();
        assertThat(can("erin", "[]", "update", "apps", "deployments", "", NS, "w").path("allowed").asBoolean())
                .isFalse();
        assertThat(can("erin", "[]", "delete", "", "configmaps", "", NS, "settings").path("allowed").asBoolean())
                .isTrue();
        assertThat(can("erin", "[]", "delete", "", "configmaps", "", NS, "other").path("allowed").asBoolean())
                .isFalse();
        assertThat(can("erin", "[]", "list", "", "configmaps", "", NS, "").path("allowed").asBoolean())
                .as("a rule with resourceNames does not allow a list of all").isFalse();
    }

    @Test
    void nonResourceUrlsMatchExactlyOrByATrailingStar() {
        client.create(CLUSTER_ROLES, null, clusterRole("metrics",
                "[{'nonResourceURLs':['/metrics','/logs/*'],'verbs':['get']}]"));
        client.create(CLUSTER_ROLE_BINDINGS, null, clusterRoleBinding("scraper", "metrics",
                "[{'kind':'Group','name':'scrapers'}]"));

        assertThat(nonResource("frank", "['scrapers']", "get", "/metrics")).isTrue();
        assertThat(nonResource("frank", "['scrapers']", "get", "/logs/kubelet")).isTrue();
        assertThat(nonResource("frank", "['scrapers']", "get", "/metricsx")).isFalse();
        assertThat(nonResource("frank", "['scrapers']", "post", "/metrics")).isFalse();
        assertThat(nonResource("frank", "[]", "get", "/metrics")).isFalse();
    }

    private boolean nonResource(String user, String groups, String verb, String path) {
        ObjectNode sar = json("{'spec':{'user':'" + user + "','groups':" + groups + ",'nonResourceAttributes':{"
                + "'verb':'" + verb + "','path':'" + path + "'}}}");
        return client.create(SAR, null, sar).path("status").path("allowed").asBoolean();
    }

    @Test
    void serviceAccountsAreMatchedByTheirUserNameAndGroups() {
        client.create(NAMESPACES, null, TestObjects.namespace("ci").build());
        client.create(ROLES, NS, role("pod-reader", READ_PODS));
        client.create(ROLE_BINDINGS, NS, roleBinding("sa", "Role", "pod-reader",
                "[{'kind':'ServiceAccount','name':'builder'}]"));
        client.create(ROLES, "ci", role("pod-reader", READ_PODS));
        client.create(ROLE_BINDINGS, "ci", roleBinding("all-sas", "Role", "pod-reader",
                "[{'kind':'Group','name':'system:serviceaccounts:ci'}]"));
        String defaultGroups = "['system:serviceaccounts','system:serviceaccounts:default','system:authenticated']";

        JsonNode own = can("system:serviceaccount:default:builder", defaultGroups, "list", "", "pods", "", NS, "");
        assertThat(own.path("allowed").asBoolean()).isTrue();
        assertThat(own.path("reason").asText()).isEqualTo("RBAC: allowed by RoleBinding \"sa/default\" of Role "
                + "\"pod-reader\" to ServiceAccount \"builder/default\"");
        assertThat(can("system:serviceaccount:ci:builder", "['system:serviceaccounts:ci']", "list", "", "pods", "",
                NS, "").path("allowed").asBoolean()).as("a service account of another namespace").isFalse();
        assertThat(can("system:serviceaccount:ci:anyone", "['system:serviceaccounts','system:serviceaccounts:ci']",
                "list", "", "pods", "", "ci", "").path("allowed").asBoolean()).isTrue();
    }

    @Test
    void aBindingToAMissingRoleLeavesTheReasonAsKubeWordsIt() {
        client.create(ROLE_BINDINGS, NS, roleBinding("dangling", "Role", "missing",
                "[{'kind':'Group','name':'system:authenticated'}]"));

        JsonNode status = can("gina", "['system:authenticated']", "get", "", "pods", "", NS, "");

        assertThat(status.path("allowed").asBoolean()).isFalse();
        assertThat(status.path("reason").asText())
                .isEqualTo("RBAC: role.rbac.authorization.k8s.io \"missing\" not found");
    }

    @Test
    void systemMastersIsAllowedEverythingAndTheBootstrapRolesWorkOnceCreated() {
        assertThat(can("root", "['system:masters']", "delete", "", "nodes", "", "", "n1").path("allowed").asBoolean())
                .isTrue();
        BootstrapPolicy.clusterRoles().forEach(r -> client.create(CLUSTER_ROLES, null, r));
        BootstrapPolicy.clusterRoleBindings().forEach(b -> client.create(CLUSTER_ROLE_BINDINGS, null, b));
        client.create(ROLE_BINDINGS, NS, roleBinding("helen-admin", "ClusterRole", "system:aggregate-to-edit",
                "[{'kind':'User','name':'helen'}]"));

        assertThat(allowed("helen", "create", "deployments", NS)).isFalse(); // apps group not asked
        assertThat(can("helen", "[]", "create", "apps", "deployments", "", NS, "").path("allowed").asBoolean())
                .isTrue();
        assertThat(can("ivan", "['system:authenticated']", "create", "authorization.k8s.io",
                "selfsubjectaccessreviews", "", "", "").path("allowed").asBoolean()).as("system:basic-user").isTrue();
    }

    @Test
    void theCallersSelfSubjectAccessReviewIsAllowedWhileThereIsNoAuthentication() {
        ObjectNode ssar = json("{'apiVersion':'authorization.k8s.io/v1','kind':'SelfSubjectAccessReview',"
                + "'metadata':{'creationTimestamp':null},'spec':{'resourceAttributes':{'verb':'delete',"
                + "'resource':'nodes'}}}");

        ApiResponse r = call(ApiRequest.Verb.CREATE, SELF_SAR, null, null, null, null, ssar, null);

        assertThat(r.code()).isEqualTo(201);
        assertThat(r.body().path("status").path("allowed").asBoolean()).isTrue();
        assertThat(r.body().path("spec").path("resourceAttributes").path("verb").asText()).isEqualTo("delete");
        assertThat(r.body().path("kind").asText()).isEqualTo("SelfSubjectAccessReview");
    }

    @Test
    void aLocalSubjectAccessReviewIsOfItsNamespace() {
        client.create(ROLES, NS, role("pod-reader", READ_PODS));
        client.create(ROLE_BINDINGS, NS, roleBinding("judy", "Role", "pod-reader", "[{'kind':'User','name':'judy'}]"));

        ObjectNode local = json("{'spec':{'user':'judy','resourceAttributes':{'namespace':'default','verb':'get',"
                + "'resource':'pods'}}}");
        ObjectNode answer = client.create(LOCAL_SAR, NS, local);
        assertThat(answer.path("status").path("allowed").asBoolean()).isTrue();
        assertThat(answer.path("metadata").path("namespace").asText()).isEqualTo(NS);

        ObjectNode elsewhere = json("{'spec':{'user':'judy','resourceAttributes':{'namespace':'other','verb':'get',"
                + "'resource':'pods'}}}");
        ApiException e = failure(() -> client.create(LOCAL_SAR, NS, elsewhere));
        assertThat(causes(e)).containsExactly("spec.resourceAttributes.namespace: Invalid value: \"other\": must "
                + "match metadata.namespace");
    }

    @Test
    void aReviewIsValidatedWithKubesWords() {
        ApiException none = failure(() -> client.create(SAR, null, json("{'spec':{}}")));
        assertThat(none.getMessage()).startsWith("SubjectAccessReview.authorization.k8s.io \"\" is invalid: ");
        assertThat(causes(none)).containsExactly(
                "spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or "
                        + "resourceAttributes must be specified",
                "spec.user: Invalid value: \"\": at least one of user or group must be specified");
        ApiException named = failure(() -> client.create(SAR, null, json("{'metadata':{'name':'x'},'spec':{"
                + "'user':'u','resourceAttributes':{'verb':'get','resource':'pods'}}}")));
        assertThat(causes(named)).singleElement().asString().startsWith("metadata: Invalid value: ")
                .endsWith(": must be empty");
    }

    @Test
    void reviewsAreNeverStoredAndOnlyCreated() {
        long revision = store.revision();
        client.create(SAR, null, json("{'spec':{'user':'u','resourceAttributes':{'verb':'get','resource':'pods'}}}"));

        assertThat(store.revision()).isEqualTo(revision);
        ApiException list = failure(() -> client.list(SAR, null, Map.of()));
        assertThat(list.code()).isEqualTo(405);
        assertThat(list.reason()).isEqualTo("MethodNotAllowed");
        assertThat(failure(() -> client.get(SAR, null, "x")).code()).isEqualTo(405);
        assertThat(failure(() -> client.delete(SAR, null, "x")).code()).isEqualTo(405);
        assertThat(texts(discovered("authorization.k8s.io", "subjectaccessreviews").path("verbs")))
                .containsExactly("create");
        assertThat(discovered("authorization.k8s.io", "localsubjectaccessreviews").path("namespaced").asBoolean())
                .isTrue();
    }

    @Test
    void aSelfSubjectRulesReviewListsTheCallersRulesFromRbac() {
        BootstrapPolicy.clusterRoles().forEach(r -> client.create(CLUSTER_ROLES, null, r));
        BootstrapPolicy.clusterRoleBindings().forEach(b -> client.create(CLUSTER_ROLE_BINDINGS, null, b));

        ObjectNode answer = client.create(SELF_RULES, null, json("{'spec':{'namespace':'default'}}"));

        JsonNode status = answer.path("status");
        assertThat(status.path("incomplete").asBoolean()).isFalse();
        assertThat(status.path("resourceRules").toString()).contains("{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],"
                + "\"resources\":[\"*\"]}");
        assertThat(status.path("nonResourceRules").toString()).contains("{\"verbs\":[\"*\"],\"nonResourceURLs\":"
                + "[\"*\"]}");
        ApiException noNamespace = failure(() -> client.create(SELF_RULES, null, json("{'spec':{}}")));
        assertThat(noNamespace.code()).isEqualTo(400);
        assertThat(noNamespace.getMessage()).isEqualTo("no namespace on request");
    }
}

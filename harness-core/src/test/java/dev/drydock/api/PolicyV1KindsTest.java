package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * policy/v1 PodDisruptionBudget and the pods' eviction subresource, which honours budgets as kube's EvictionREST.
 * No disruption controller runs here: the tests write the budgets' status as that controller would.
 */
class PolicyV1KindsTest extends KindTestSupport {

    static final Resource PDBS = Resource.PODDISRUPTIONBUDGETS;

    static ObjectNode pdb(String name, String spec) {
        return json("{'apiVersion':'policy/v1','kind':'PodDisruptionBudget','metadata':{'name':'" + name + "'},"
                + "'spec':" + spec + "}");
    }

    /** A pod labelled app=web in phase Running, ready or not. */
    ObjectNode runningPod(String name, boolean ready) {
        createPod(TestObjects.pod(name).labels("app", "web"));
        return patchStatus(PODS, name, "{'status':{'phase':'Running','conditions':[{'type':'Ready','status':'"
                + (ready ? "True" : "False") + "'}]}}");
    }

    /** The budget's status as the disruption controller writes it, for the budget's current generation. */
    void budgetStatus(String name, int allowed, int healthy, int desired) {
        long generation = client.get(PDBS, NS, name).path("metadata").path("generation").asLong();
        patchStatus(PDBS, name, "{'status':{'observedGeneration':" + generation + ",'disruptionsAllowed':" + allowed
                + ",'currentHealthy':" + healthy + ",'desiredHealthy':" + desired + ",'expectedPods':" + healthy
                + "}}");
    }

    ApiResponse evict(String pod, String deleteOptions) {
        ObjectNode eviction = json("{'apiVersion':'policy/v1','kind':'Eviction','metadata':{'name':'" + pod
                + "','namespace':'" + NS + "'}" + (deleteOptions == null ? "" : ",'deleteOptions':" + deleteOptions)
                + "}");
        return post(PODS, pod, "eviction", eviction, Map.of());
    }

    // ---- PodDisruptionBudget

    @Test
    void aBudgetIsCreatedWithAZeroStatusAndReadListedPatchedAndDeleted() {
        ObjectNode created = client.create(PDBS, NS, pdb("web", "{'minAvailable':2,'selector':{'matchLabels':"
                + "{'app':'web'}}}"));

        assertThat(created.path("status")).isEqualTo(json("{'disruptionsAllowed':0,'currentHealthy':0,"
                + "'desiredHealthy':0,'expectedPods':0}"));
        assertThat(created.path("metadata").path("generation").asLong()).isEqualTo(1);
        assertThat(client.get(PDBS, NS, "web")).isEqualTo(created);
        client.create(PDBS, NS, pdb("db", "{'maxUnavailable':'25%','selector':{'matchLabels':{'app':'db'}}}"));
        assertThat(names(list(PDBS, NS, Map.of()))).containsExactly("db", "web");

        ObjectNode patched = mergePatch(PDBS, "web", "{'spec':{'minAvailable':'50%'}}");
        assertThat(patched.path("spec").path("minAvailable").asText()).isEqualTo("50%");
        assertThat(patched.path("metadata").path("generation").asLong()).isEqualTo(2);
        ObjectNode updated = client.modify(PDBS, NS, "web", p -> Json.with(p, "spec")
                .put("unhealthyPodEvictionPolicy", "AlwaysAllow"));
        assertThat(updated.path("spec").path("unhealthyPodEvictionPolicy").asText()).isEqualTo("AlwaysAllow");

        client.delete(PDBS, NS, "db");
        assertThat(names(list(PDBS, NS, Map.of("fieldSelector", "metadata.name=db")))).isEmpty();
    }

    @Test
    void aBudgetHasAtMostOneOfMinAvailableAndMaxUnavailableEachAnIntegerOrAPercentage() {
        ApiException both = failure(() -> client.create(PDBS, NS, pdb("web", "{'minAvailable':1,"
                + "'maxUnavailable':1}")));
        assertThat(both.getMessage()).startsWith("PodDisruptionBudget.policy \"web\" is invalid: spec: Invalid "
                + "value: ").endsWith(": minAvailable and maxUnavailable cannot be both set");

        ApiException percent = failure(() -> client.create(PDBS, NS, pdb("web", "{'minAvailable':'half'}")));
        assertThat(percent.getMessage()).isEqualTo("PodDisruptionBudget.policy \"web\" is invalid: "
                + "spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"half\"}: a valid "
                + "percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex "
                + "used for validation is '[0-9]+%')");
        ApiException negative = failure(() -> client.create(PDBS, NS, pdb("web", "{'maxUnavailable':-1}")));
        assertThat(negative.getMessage()).endsWith("spec.maxUnavailable: Invalid value: -1: must be greater than or "
                + "equal to 0");
        ApiException policy = failure(() -> client.create(PDBS, NS, pdb("web", "{'minAvailable':1,"
                + "'unhealthyPodEvictionPolicy':'Never'}")));
        assertThat(causeFields(policy)).containsExactly("spec.unhealthyPodEvictionPolicy");
    }

    // ---- eviction

    @Test
    void aPodWithoutABudgetIsEvictedAtOnce() {
        runningPod("web-1", true);

        ApiResponse r = evict("web-1", null);

        assertThat(r.code()).isEqualTo(201);
        assertThat(r.body()).isEqualTo(json("{'kind':'Status','apiVersion':'v1','metadata':{},'status':'Success',"
                + "'code':201}"));
        assertThat(client.find(PODS, NS, "web-1")).isNull();
    }

    @Test
    void aBudgetThatAllowsNoDisruptionRefusesTheEvictionWithA429() {
        runningPod("web-1", true);
        runningPod("web-2", true);
        client.create(PDBS, NS, pdb("web", "{'minAvailable':2,'selector':{'matchLabels':{'app':'web'}}}"));
        budgetStatus("web", 0, 2, 2);

        ApiResponse r = evict("web-1", null);

        assertThat(r.code()).isEqualTo(429);
        assertThat(r.body().path("reason").asText()).isEqualTo("TooManyRequests");
        assertThat(r.body().path("message").asText())
                .isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
        assertThat(r.body().path("details").path("causes")).isEqualTo(tree("[{'reason':'DisruptionBudget',"
                + "'message':'The disruption budget web needs 2 healthy pods and has 2 currently'}]"));
        assertThat(client.find(PODS, NS, "web-1")).isNotNull();
    }

    @Test
    void anAllowedEvictionTakesADisruptionFromTheBudgetAndDeletesThePod() {
        runningPod("web-1", true);
        runningPod("web-2", true);
        client.create(PDBS, NS, pdb("web", "{'minAvailable':1,'selector':{'matchLabels':{'app':'web'}}}"));
        budgetStatus("web", 1, 2, 1);

        assertThat(evict("web-1", null).code()).isEqualTo(201);

        assertThat(client.find(PODS, NS, "web-1")).isNull();
        JsonNode status = client.get(PDBS, NS, "web").path("status");
        assertThat(status.path("disruptionsAllowed").asInt()).isZero();
        assertThat(status.path("disruptedPods").has("web-1")).isTrue();
        assertThat(status.path("conditions").get(0).path("reason").asText()).isEqualTo("InsufficientPods");
        assertThat(evict("web-2", null).code()).as("the budget is spent").isEqualTo(429);
    }

    @Test
    void aBudgetWhoseSpecTheControllerHasNotSeenRefusesWithRetryAfter() {
        runningPod("web-1", true);
        client.create(PDBS, NS, pdb("web", "{'maxUnavailable':1,'selector':{'matchLabels':{'app':'web'}}}"));
        budgetStatus("web", 1, 1, 0);
        mergePatch(PDBS, "web", "{'spec':{'maxUnavailable':0}}");

        ApiResponse r = evict("web-1", null);

        assertThat(r.code()).isEqualTo(429);
        assertThat(r.body().path("details").path("retryAfterSeconds").asInt()).isEqualTo(10);
        assertThat(r.body().path("details").path("causes").get(0).path("message").asText())
                .isEqualTo("The disruption budget web is still being processed by the server.");
    }

    @Test
    void overHttpTheRetryDelayIsAlsoARetryAfterHeader() throws Exception {
        runningPod("web-1", true);
        client.create(PDBS, NS, pdb("web", "{'maxUnavailable':1,'selector':{'matchLabels':{'app':'web'}}}"));
        budgetStatus("web", 1, 1, 0);
        mergePatch(PDBS, "web", "{'spec':{'maxUnavailable':0}}");
        HttpApiServer http = new HttpApiServer(api, api,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "t");
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http.url()
                            + "/api/v1/namespaces/" + NS + "/pods/web-1/eviction"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\","
                            + "\"metadata\":{\"name\":\"web-1\",\"namespace\":\"" + NS + "\"}}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("10");
        } finally {
            http.close();
        }
    }

    @Test
    void aPodMatchedByTwoBudgetsCannotBeEvicted() {
        runningPod("web-1", true);
        client.create(PDBS, NS, pdb("a", "{'minAvailable':0,'selector':{'matchLabels':{'app':'web'}}}"));
        client.create(PDBS, NS, pdb("b", "{'minAvailable':0,'selector':{'matchExpressions':[{'key':'app',"
                + "'operator':'Exists'}]}}"));

        ApiResponse r = evict("web-1", null);

        assertThat(r.code()).isEqualTo(500);
        assertThat(r.body().path("message").asText()).isEqualTo("This pod has more than one PodDisruptionBudget, "
                + "which the eviction subresource does not support.");
        assertThat(r.body().has("reason")).isFalse();
    }

    @Test
    void aPendingPodOrOneBeingDeletedIgnoresItsBudget() {
        createPod(TestObjects.pod("pending").labels("app", "web"));
        client.create(PDBS, NS, pdb("web", "{'minAvailable':5,'selector':{'matchLabels':{'app':'web'}}}"));
        budgetStatus("web", 0, 0, 5);

        assertThat(evict("pending", null).code()).isEqualTo(201);
        assertThat(client.find(PODS, NS, "pending")).isNull();
        assertThat(client.get(PDBS, NS, "web").path("status").has("disruptedPods")).isFalse();
    }

    @Test
    void anUnreadyPodIsEvictedWithoutTakingADisruptionWhenTheBudgetIsHealthy() {
        runningPod("web-1", true);
        runningPod("web-2", false);
        client.create(PDBS, NS, pdb("web", "{'minAvailable':1,'selector':{'matchLabels':{'app':'web'}}}"));
        budgetStatus("web", 0, 1, 1);

        assertThat(evict("web-2", null).code()).isEqualTo(201);

        assertThat(client.find(PODS, NS, "web-2")).isNull();
        assertThat(client.get(PDBS, NS, "web").path("status").path("disruptionsAllowed").asInt()).isZero();
    }

    @Test
    void theEvictionsDeleteOptionsApplyToThePod() {
        ObjectNode pod = runningPod("web-1", true);

        ApiResponse wrongUid = evict("web-1", "{'preconditions':{'uid':'not-it'}}");
        assertThat(wrongUid.code()).isEqualTo(409);
        assertThat(wrongUid.body().path("message").asText()).isEqualTo("Operation cannot be fulfilled on pods "
                + "\"web-1\": Precondition failed: UID in precondition: not-it, UID in object meta: " + Json.uid(pod));
        ApiResponse dryRun = evict("web-1", "{'dryRun':['All']}");
        assertThat(dryRun.code()).isEqualTo(201);
        assertThat(client.find(PODS, NS, "web-1")).as("a dry run deletes nothing").isNotNull();
        assertThat(evict("web-1", "{'preconditions':{'uid':'" + Json.uid(pod) + "'}}").code()).isEqualTo(201);
        assertThat(client.find(PODS, NS, "web-1")).isNull();
    }

    @Test
    void aPolicyV1beta1EvictionIsTakenToo() {
        runningPod("web-1", true);
        ObjectNode eviction = json("{'apiVersion':'policy/v1beta1','kind':'Eviction','metadata':{'name':'web-1'}}");

        assertThat(post(PODS, "web-1", "eviction", eviction, Map.of()).code()).isEqualTo(201);

        assertThat(client.find(PODS, NS, "web-1")).isNull();
    }

    @Test
    void theEvictionMustNameThePodOfThePath() {
        runningPod("web-1", true);
        ObjectNode eviction = json("{'apiVersion':'policy/v1','kind':'Eviction','metadata':{'name':'other'}}");

        ApiResponse r = post(PODS, "web-1", "eviction", eviction, Map.of());

        assertThat(r.code()).isEqualTo(400);
        assertThat(r.body().path("message").asText()).isEqualTo("name in URL does not match name in Eviction object");
        assertThat(evict("gone", null).code()).isEqualTo(404);
        assertThat(call(ApiRequest.Verb.GET, PODS, NS, "web-1", "eviction", Map.of(), null, null).code())
                .isEqualTo(405);
    }

    @Test
    void discoveryListsBudgetsAndTheEvictionSubresourceAsKubeDoes() {
        JsonNode pdbs = discovered("poddisruptionbudgets", PDBS);
        assertThat(texts(pdbs.path("shortNames"))).containsExactly("pdb");
        assertThat(pdbs.has("categories")).isFalse();
        discovered("poddisruptionbudgets/status", PDBS);
        JsonNode eviction = discovered("pods/eviction", PODS);
        assertThat(eviction.path("kind").asText()).isEqualTo("Eviction");
        assertThat(eviction.path("group").asText()).isEqualTo("policy");
        assertThat(eviction.path("version").asText()).isEqualTo("v1");
        assertThat(texts(eviction.path("verbs"))).containsExactly("create");
    }
}

package dev.drydock.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.ApiServer;
import dev.drydock.api.KindRegistry;
import dev.drydock.base.Clock;
import dev.drydock.base.ComponentContext;
import dev.drydock.base.Timers;
import dev.drydock.base.Timings;
import dev.drydock.client.InformerFactory;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.store.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DisruptionControllerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ObjectNode pdb(String spec, String status) {
        return json("{'metadata':{'name':'web','namespace':'default','generation':3},'spec':" + spec + ",'status':"
                + status + "}");
    }

    /** A pod of the ReplicaSet with uid rs-1, ready or not. */
    private static ObjectNode pod(String name, boolean ready, String owner) {
        return json("{'metadata':{'name':'" + name + "','namespace':'default','labels':{'app':'web'}"
                + (owner == null ? "" : ",'ownerReferences':[{'apiVersion':'apps/v1','kind':'ReplicaSet','name':'"
                + owner + "','uid':'" + owner + "-uid','controller':true}]") + "},'status':{'phase':'Running',"
                + "'conditions':[{'type':'Ready','status':'" + (ready ? "True" : "False") + "'}]}}");
    }

    private static final DisruptionController.ScaleFinder THREE_REPLICAS = (ref, ns) ->
            new DisruptionController.Scale(ref.path("uid").asText(), 3);

    @Nested
    class Status {

        @Test
        void anIntegerMinAvailableCountsTheMatchingPods() throws Exception {
            var result = DisruptionController.status(pdb("{'minAvailable':2}", "{}"),
                    List.of(pod("a", true, null), pod("b", true, null), pod("c", false, null)), THREE_REPLICAS, NOW);

            JsonNode s = result.status();
            assertThat(s.path("expectedPods").asInt()).isEqualTo(3);
            assertThat(s.path("desiredHealthy").asInt()).isEqualTo(2);
            assertThat(s.path("currentHealthy").asInt()).isEqualTo(2);
            assertThat(s.path("disruptionsAllowed").asInt()).isZero();
            assertThat(s.path("observedGeneration").asInt()).isEqualTo(3);
            assertThat(s.path("conditions").get(0).toString()).isEqualTo(json("{'type':'DisruptionAllowed',"
                    + "'status':'False','observedGeneration':3,'lastTransitionTime':'2025-06-01T12:00:00Z','reason':"
                    + "'InsufficientPods','message':''}").toString());
        }

        @Test
        void maxUnavailableAndPercentagesAreTakenOfTheControllersScaleRoundingUp() throws Exception {
            List<ObjectNode> pods = List.of(pod("a", true, "rs"), pod("b", true, "rs"));

            JsonNode max = DisruptionController.status(pdb("{'maxUnavailable':1}", "{}"), pods, THREE_REPLICAS, NOW)
                    .status();
            JsonNode percent = DisruptionController.status(pdb("{'minAvailable':'50%'}", "{}"), pods, THREE_REPLICAS,
                    NOW).status();

            assertThat(max.path("expectedPods").asInt()).as("the scale, not the pods").isEqualTo(3);
            assertThat(max.path("desiredHealthy").asInt()).isEqualTo(2);
            assertThat(max.path("disruptionsAllowed").asInt()).isZero();
            assertThat(percent.path("desiredHealthy").asInt()).as("50% of 3, rounded up").isEqualTo(2);
            JsonNode allowed = DisruptionController.status(pdb("{'maxUnavailable':'34%'}", "{}"), pods,
                    (ref, ns) -> new DisruptionController.Scale("rs-uid", 2), NOW).status();
            assertThat(allowed.path("disruptionsAllowed").asInt()).isEqualTo(1);
            assertThat(allowed.path("conditions").get(0).path("reason").asText()).isEqualTo("SufficientPods");
        }

        @Test
        void aPodOfAnUnknownControllerFailsTheSyncAndUnmanagedPodsAreLeftOut() throws Exception {
            List<ObjectNode> pods = List.of(pod("a", true, "rs"), pod("loose", true, null));

            assertThatThrownBy(() -> DisruptionController.status(pdb("{'maxUnavailable':1}", "{}"), pods,
                    (ref, ns) -> null, NOW)).hasMessage("found no controllers for pod \"a\"");
            var result = DisruptionController.status(pdb("{'maxUnavailable':1}", "{}"), pods, THREE_REPLICAS, NOW);
            assertThat(result.unmanagedPods()).containsExactly("loose");
            assertThat(result.status().path("expectedPods").asInt()).isEqualTo(3);
        }

        @Test
        void aRecentlyEvictedPodIsNotHealthyUntilTheDeletionTimeoutPasses() throws Exception {
            String evicted = NOW.minusSeconds(30).toString();
            String stale = NOW.minus(Duration.ofMinutes(5)).toString();
            ObjectNode budget = pdb("{'minAvailable':1}", "{'disruptedPods':{'a':'" + evicted + "','b':'" + stale
                    + "','gone':'" + evicted + "'}}");

            var result = DisruptionController.status(budget, List.of(pod("a", true, null), pod("b", true, null)),
                    THREE_REPLICAS, NOW);

            assertThat(result.status().path("currentHealthy").asInt()).isEqualTo(1);
            assertThat(result.status().path("disruptedPods")).isEqualTo(json("{'a':'" + evicted + "'}"));
            assertThat(result.recheckAt()).isEqualTo(NOW.minusSeconds(30).plus(Duration.ofMinutes(2)));
        }

        @Test
        void aBudgetWithoutPodsAllowsNothing() throws Exception {
            JsonNode s = DisruptionController.status(pdb("{'maxUnavailable':5}", "{}"), List.of(), THREE_REPLICAS, NOW)
                    .status();

            assertThat(s.path("expectedPods").asInt()).isZero();
            assertThat(s.path("disruptionsAllowed").asInt()).isZero();
        }
    }

    /** The controller over an API server, with the evictions it makes possible. */
    @Test
    void theControllerComputesBudgetsThatTheEvictionSubresourceHonours() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(2);
        Timers timers = Timers.create("t", Clock.SYSTEM, workers);
        MemoryStore store = new MemoryStore("drydock-t-store");
        try {
            ApiServer api = new ApiServer(store, KindRegistry.builtIn(), Clock.SYSTEM,
                    timers.asScheduledExecutorService(), 7L, workers);
            KubeClient client = new KubeClient(api);
            ComponentContext ctx = new ComponentContext("t", 7L, Timings.compressed(), timers, workers);
            InformerFactory informers = new InformerFactory(client, ctx);
            DisruptionController controller = new DisruptionController(client, informers, ctx);
            informers.start();
            client.create(Resource.NAMESPACES, null, json("{'metadata':{'name':'default'}}"));
            ObjectNode rs = client.create(Resource.REPLICASETS, "default", json("{'metadata':{'name':'web'},'spec':"
                    + "{'replicas':3,'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':"
                    + "{'app':'web'}},'spec':{'containers':[{'name':'a','image':'nginx:1'}]}}}}"));
            for (String name : List.of("web-1", "web-2", "web-3")) {
                ObjectNode pod = json("{'metadata':{'name':'" + name + "','labels':{'app':'web'}},'spec':"
                        + "{'containers':[{'name':'a','image':'nginx:1'}]}}");
                Json.with(pod, "metadata").putArray("ownerReferences").add(Controllers.controllerRef(rs));
                client.create(Resource.PODS, "default", pod);
                client.mergePatch(Resource.PODS, "default", name, "status", json("{'status':{'phase':'Running',"
                        + "'conditions':[{'type':'Ready','status':'True'}]}}"));
            }
            client.create(Resource.PODDISRUPTIONBUDGETS, "default", json("{'metadata':{'name':'web'},'spec':"
                    + "{'maxUnavailable':1,'selector':{'matchLabels':{'app':'web'}}}}"));

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.get(Resource.PODDISRUPTIONBUDGETS,
                    "default", "web").path("status").path("disruptionsAllowed").asInt() == 1);
            JsonNode status = client.get(Resource.PODDISRUPTIONBUDGETS, "default", "web").path("status");
            assertThat(status.path("expectedPods").asInt()).isEqualTo(3);
            assertThat(status.path("currentHealthy").asInt()).isEqualTo(3);
            assertThat(status.path("desiredHealthy").asInt()).isEqualTo(2);
            assertThat(status.path("observedGeneration").asInt()).isEqualTo(1);

            assertThat(evict(api, "web-1").code()).isEqualTo(201);
            ApiResponse refused = evict(api, "web-2");
            assertThat(refused.code()).isEqualTo(429);
            // the controller may or may not have seen web-1 go yet: 3 healthy, or 2
            assertThat(refused.body().path("details").path("causes").get(0).path("message").asText())
                    .matches("The disruption budget web needs 2 healthy pods and has [23] currently");

            // web-1 is gone: the controller drops it from disruptedPods and still allows nothing
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.get(Resource.PODDISRUPTIONBUDGETS,
                    "default", "web").path("status").path("currentHealthy").asInt() == 2);
            JsonNode after = client.get(Resource.PODDISRUPTIONBUDGETS, "default", "web").path("status");
            assertThat(after.path("disruptionsAllowed").asInt()).isZero();
            assertThat(after.has("disruptedPods")).isFalse();

            // a pod of an unknown controller: the fail-safe allows nothing and says why
            ObjectNode stray = json("{'metadata':{'name':'stray','labels':{'app':'web'},'ownerReferences':"
                    + "[{'apiVersion':'apps/v1','kind':'ReplicaSet','name':'nope','uid':'x','controller':true}]},"
                    + "'spec':{'containers':[{'name':'a','image':'nginx:1'}]}}");
            client.create(Resource.PODS, "default", stray);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "SyncFailed".equals(client.get(
                    Resource.PODDISRUPTIONBUDGETS, "default", "web").path("status").path("conditions").get(0)
                    .path("reason").asText()));
            assertThat(client.get(Resource.PODDISRUPTIONBUDGETS, "default", "web").path("status").path("conditions")
                    .get(0).path("message").asText()).isEqualTo("found no controllers for pod \"stray\"");
            controller.shutdown();
            informers.close();
            api.close();
        } finally {
            store.close();
            timers.close();
            workers.shutdownNow();
        }
    }

    private static ApiResponse evict(ApiServer api, String pod) {
        ObjectNode eviction = json("{'apiVersion':'policy/v1','kind':'Eviction','metadata':{'name':'" + pod + "'}}");
        return api.call(new ApiRequest(ApiRequest.Verb.CREATE, Resource.PODS, "default", pod, "eviction", Map.of(),
                eviction, null));
    }
}

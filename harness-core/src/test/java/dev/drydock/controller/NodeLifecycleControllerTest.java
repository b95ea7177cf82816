package dev.drydock.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.ApiServer;
import dev.drydock.api.KindRegistry;
import dev.drydock.base.ComponentContext;
import dev.drydock.base.ManualClock;
import dev.drydock.base.Timers;
import dev.drydock.base.Timings;
import dev.drydock.client.Informer;
import dev.drydock.client.InformerFactory;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.store.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node lifecycle controller on a manual clock: a node whose Lease is not renewed for the grace period goes
 * {@code Ready=Unknown} and is tainted unreachable, its pods are evicted when their toleration runs out, and a node
 * heard from again is untainted. The clock moves only by {@link ManualClock#advance(Duration)}, so minutes of
 * Kubernetes time take milliseconds, and each health check sees exactly the time it is due at.
 */
class NodeLifecycleControllerTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final String LEASES_NS = "kube-node-lease";

    private final ManualClock clock = new ManualClock(START);
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> daemon(r, "drydock-t-worker"));
    private final ScheduledThreadPoolExecutor apiTimer = new ScheduledThreadPoolExecutor(1,
            r -> daemon(r, "drydock-t-api-timer"));
    private final MemoryStore store = new MemoryStore("drydock-t-store");
    private final Timers timers = Timers.create("t", clock, workers);
    private ApiServer api;
    private KubeClient client;
    private InformerFactory informers;
    private NodeLifecycleController controller;
    private Timings timings;

    private void start(Timings t) {
        timings = t;
        api = new ApiServer(store, KindRegistry.builtIn(), clock, apiTimer, 7L, workers);
        client = new KubeClient(api);
        for (String ns : List.of("default", LEASES_NS)) {
            ObjectNode obj = Json.object();
            Json.with(obj, "metadata").put("name", ns);
            client.create(Resource.NAMESPACES, null, obj);
        }
        ComponentContext ctx = new ComponentContext("t", 7L, timings, timers, workers);
        informers = new InformerFactory(client, ctx);
        controller = new NodeLifecycleController(client, informers, ctx);
        informers.start();
        controller.start();
    }

    @AfterEach
    void stop() {
        if (controller != null) {
            controller.shutdown();
            informers.close();
            api.close();
        }
        timers.close();
        store.close();
        apiTimer.shutdownNow();
        workers.shutdownNow();
    }

    @Test
    void aNodeStaysReadyWhileItsLeaseIsRenewedAndGoesUnknownAfterTheGracePeriodOfSilence() {
        start(Timings.compressed()); // checked every 100 ms, Unknown after 1 s of silence
        readyNode("n1");
        settle();

        for (int i = 0; i < 10; i++) { // 3 s, renewed every 300 ms
            advance(Duration.ofMillis(300));
            renewLease("n1");
        }
        assertThat(ready("n1")).isEqualTo("True");

        Instant lastRenewal = clock.now();
        advanceUntil(() -> !"True".equals(ready("n1")), Duration.ofSeconds(5));

        // silent for more than 1 s, seen at the first check after it: within one period of the grace
        Duration silence = Duration.between(lastRenewal, clock.now());
        assertThat(silence).isGreaterThan(timings.nodeMonitorGracePeriod())
                .isLessThanOrEqualTo(timings.nodeMonitorGracePeriod()
                        .plus(timings.nodeMonitorPeriod().multipliedBy(2)));
        JsonNode node = client.get(Resource.NODES, null, "n1");
        JsonNode readyCondition = condition(node, "Ready");
        assertThat(readyCondition.path("status").asText()).isEqualTo("Unknown");
        assertThat(readyCondition.path("reason").asText()).isEqualTo("NodeStatusUnknown");
        assertThat(readyCondition.path("message").asText()).isEqualTo("Kubelet stopped posting node status.");
        assertThat(readyCondition.path("lastHeartbeatTime").asText()).isEqualTo("2030-01-01T00:00:00Z"); // kept
        assertThat(readyCondition.path("lastTransitionTime").asText())
                .isEqualTo(clock.now().truncatedTo(ChronoUnit.SECONDS).toString());
        assertThat(condition(node, "MemoryPressure").path("status").asText()).isEqualTo("Unknown");
        eventually().untilAsserted(() -> assertThat(client.items(Resource.EVENTS, "default", null))
                .extracting(e -> e.path("reason").asText()).contains("NodeNotReady")); // recorded on the workers
    }

    @Test
    void anUnknownNodeIsTaintedAndItsPodsAreEvictedWhenTheirTolerationRunsOut() {
        start(Timings.compressed()); // default eviction 500 ms after the taint
        readyNode("n1");
        pod("plain", "n1", null);
        pod("tolerates-2s", "n1", 2L);
        pod("tolerates-forever", "n1", -1L);
        pod("elsewhere", "n2", null);
        settle();

        advanceUntil(() -> hasUnreachableTaint("n1"), Duration.ofSeconds(5));
        Instant tainted = clock.now();
        JsonNode taint = client.get(Resource.NODES, null, "n1").path("spec").path("taints").get(0);
        assertThat(taint.path("effect").asText()).isEqualTo("NoExecute");
        assertThat(taint.path("timeAdded").asText()).isEqualTo(tainted.truncatedTo(ChronoUnit.SECONDS).toString());
        assertThat(deleting()).isEmpty();

        advanceUntil(() -> deleting().contains("plain"), Duration.ofSeconds(5));
        assertThat(Duration.between(tainted, clock.now())).isGreaterThanOrEqualTo(timings.podEvictionTimeout())
                .isLessThan(Duration.ofSeconds(1));
        assertThat(deleting()).containsExactly("plain");

        advanceUntil(() -> deleting().contains("tolerates-2s"), Duration.ofSeconds(5));
        assertThat(Duration.between(tainted, clock.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2))
                .isLessThan(Duration.ofMillis(2500));

        clock.advance(Duration.ofMinutes(1)); // 600 checks at once: nothing left for them to change
        settle();
        assertThat(deleting()).containsExactlyInAnyOrder("plain", "tolerates-2s");
        eventually().untilAsserted(() -> assertThat(client.items(Resource.EVENTS, "default", null))
                .extracting(e -> e.path("reason").asText()).contains("TaintManagerEviction")); // recorded on the workers
    }

    @Test
    void aNodeHeardFromAgainIsUntaintedOnceItsKubeletReportsReady() {
        start(Timings.compressed());
        readyNode("n1");
        settle();
        advanceUntil(() -> hasUnreachableTaint("n1"), Duration.ofSeconds(5));

        renewLease("n1");
        ObjectNode node = client.get(Resource.NODES, null, "n1");
        setReady(node);
        client.updateStatus(Resource.NODES, node);
        settle();
        advance(timings.nodeMonitorPeriod());

        assertThat(hasUnreachableTaint("n1")).isFalse();
        assertThat(ready("n1")).isEqualTo("True");
    }

    @Test
    void withKubernetesOwnTimingsANodeIsUnknownAfter40sAndItsPodsAreEvicted5MinutesLater() {
        start(Timings.kubernetes()); // checked every 5 s; Unknown after 40 s; pods evicted 300 s after the taint
        readyNode("n1");
        pod("plain", "n1", null);
        settle();

        advance(Duration.ofSeconds(40));
        assertThat(ready("n1")).isEqualTo("True");
        advanceUntil(() -> hasUnreachableTaint("n1"), Duration.ofSeconds(60));
        assertThat(ready("n1")).isEqualTo("Unknown");
        Instant tainted = clock.now();

        advance(Duration.ofSeconds(290));
        assertThat(deleting()).isEmpty();
        advanceUntil(() -> deleting().contains("plain"), Duration.ofSeconds(60));
        assertThat(Duration.between(tainted, clock.now())).isBetween(Duration.ofMinutes(5),
                Duration.ofMinutes(5).plusSeconds(10));
    }

    // ---- the clock

    /** Advances the clock a health check at a time, the controller's informers caught up before each check. */
    private void advance(Duration by) {
        Duration period = timings.nodeMonitorPeriod();
        Instant until = clock.now().plus(by);
        while (clock.now().isBefore(until)) {
            Duration step = Duration.between(clock.now(), until);
            clock.advance(step.compareTo(period) < 0 ? step : period);
            settle();
        }
    }

    /** Advances a health check at a time until {@code condition} holds; fails after {@code atMost} of cluster time. */
    private void advanceUntil(java.util.function.BooleanSupplier condition, Duration atMost) {
        Instant deadline = clock.now().plus(atMost);
        while (!condition.getAsBoolean()) {
            assertThat(clock.now()).as("cluster time waited for the condition").isBefore(deadline);
            advance(timings.nodeMonitorPeriod());
        }
    }

    /** Waits until the controller's caches hold what the API holds: the next check then sees the latest state. */
    private void settle() {
        eventually().untilAsserted(() -> {
            assertCaught(Resource.NODES, null);
            assertCaught(Resource.LEASES, LEASES_NS);
            assertCaught(Resource.PODS, "default");
        });
    }

    private void assertCaught(Resource resource, String namespace) {
        Informer informer = informers.informer(resource);
        List<ObjectNode> stored = client.items(resource, namespace, null);
        assertThat(informer.list().stream().filter(o -> Objects.equals(Json.namespace(o), namespace)).count())
                .isEqualTo(stored.size());
        for (ObjectNode o : stored) {
            ObjectNode cached = informer.get(Json.key(o));
            assertThat(cached).isNotNull();
            assertThat(Json.resourceVersion(cached)).isEqualTo(Json.resourceVersion(o));
        }
    }

    // ---- objects

    private void readyNode(String name) {
        ObjectNode node = Json.object().put("apiVersion", "v1").put("kind", "Node");
        Json.with(node, "metadata").put("name", name);
        node = client.create(Resource.NODES, null, node);
        setReady(node);
        client.updateStatus(Resource.NODES, node);
        ObjectNode lease = Json.object().put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
        Json.with(lease, "metadata").put("name", name).put("namespace", LEASES_NS);
        Json.with(lease, "spec").put("holderIdentity", name).put("leaseDurationSeconds", 40)
                .put("renewTime", microTime());
        client.create(Resource.LEASES, LEASES_NS, lease);
    }

    private void setReady(ObjectNode node) {
        String now = clock.now().truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode status = Json.with(node, "status");
        status.putArray("conditions").addObject().put("type", "Ready").put("status", "True")
                .put("reason", "KubeletReady").put("lastHeartbeatTime", now).put("lastTransitionTime", now);
        ((com.fasterxml.jackson.databind.node.ArrayNode) status.get("conditions")).addObject()
                .put("type", "MemoryPressure").put("status", "False").put("reason", "KubeletHasSufficientMemory")
                .put("lastHeartbeatTime", now).put("lastTransitionTime", now);
    }

    private void renewLease(String name) {
        ObjectNode lease = client.get(Resource.LEASES, LEASES_NS, name);
        Json.with(lease, "spec").put("renewTime", microTime());
        client.update(Resource.LEASES, lease);
        settle();
    }

    /** A pod on {@code node}; tolerating the unreachable taint for {@code seconds} (-1: forever), or not at all. */
    private void pod(String name, String node, Long seconds) {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(pod, "metadata").put("name", name);
        ObjectNode spec = Json.with(pod, "spec").put("nodeName", node);
        spec.putArray("containers").addObject().put("name", "app").put("image", "nginx");
        if (seconds != null) {
            ObjectNode toleration = spec.putArray("tolerations").addObject()
                    .put("key", NodeLifecycleController.UNREACHABLE).put("operator", "Exists")
                    .put("effect", "NoExecute");
            if (seconds >= 0) {
                toleration.put("tolerationSeconds", seconds);
            }
        }
        client.create(Resource.PODS, "default", pod);
    }

    private List<String> deleting() {
        return client.items(Resource.PODS, "default", null).stream().filter(Json::isDeleting).map(Json::name)
                .toList();
    }

    private String ready(String node) {
        return Json.condition(client.get(Resource.NODES, null, node), "Ready");
    }

    private boolean hasUnreachableTaint(String node) {
        return client.get(Resource.NODES, null, node).path("spec").path("taints").toString()
                .contains(NodeLifecycleController.UNREACHABLE);
    }

    private static JsonNode condition(JsonNode node, String type) {
        for (JsonNode c : node.path("status").path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c;
            }
        }
        throw new AssertionError("no condition " + type + " in " + node.path("status"));
    }

    private String microTime() {
        return clock.now().truncatedTo(ChronoUnit.MICROS).toString();
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

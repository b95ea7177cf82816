package dev.drydock.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.ApiServer;
import dev.drydock.api.KindRegistry;
import dev.drydock.base.ComponentContext;
import dev.drydock.base.ManualClock;
import dev.drydock.base.Timers;
import dev.drydock.base.Timings;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.store.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The heartbeats of a cluster's nodes share one lane: a thousand nodes cost the same two timers as one, every node
 * still renews its Lease once per {@code nodeLeaseRenewInterval} (spread over the period, none later than a period
 * after its last), and the lane is gone with its last node.
 */
class NodeHeartbeatsTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final int NODES = 25;

    private final ManualClock clock = new ManualClock(START);
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> daemon(r, "drydock-t-worker"));
    private final ScheduledThreadPoolExecutor apiTimer = new ScheduledThreadPoolExecutor(1,
            r -> daemon(r, "drydock-t-api-timer"));
    private final MemoryStore store = new MemoryStore("drydock-t-store");
    private final Timers timers = Timers.create("t", clock, workers);
    private final Timings timings = Timings.kubernetes();
    private final List<Kubelet> kubelets = new ArrayList<>();
    private ApiServer api;
    private KubeClient client;

    @AfterEach
    void stop() {
        kubelets.forEach(Kubelet::close);
        if (api != null) {
            api.close();
        }
        timers.close();
        store.close();
        apiTimer.shutdownNow();
        workers.shutdownNow();
    }

    private Kubelet startNode(String name, int i) {
        Kubelet k = new Kubelet(new NodeConfig(name, Map.of(), "4", "8Gi", 110, "10.244." + i + ".0/24",
                "10.0.0." + (i + 1)), client, new StubRuntime(clock, workers),
                new ComponentContext("t", 7L, timings, timers, workers));
        kubelets.add(k);
        k.start();
        return k;
    }

    private Instant renewTime(String node) {
        ObjectNode lease = client.find(Resource.LEASES, "kube-node-lease", node);
        return lease == null ? null : Instant.parse(lease.path("spec").path("renewTime").asText());
    }

    @Test
    void manyNodesShareTwoTimersAndEachRenewsItsLeaseOncePerInterval() {
        api = new ApiServer(store, KindRegistry.builtIn(), clock, apiTimer, 7L, workers);
        client = new KubeClient(api);
        for (String ns : List.of("default", "kube-node-lease")) {
            ObjectNode obj = Json.object();
            Json.with(obj, "metadata").put("name", ns);
            client.create(Resource.NAMESPACES, null, obj);
        }
        int before = clock.pendingTimers();
        startNode("node-0", 0);
        int withOne = clock.pendingTimers();
        for (int i = 1; i < NODES; i++) {
            startNode("node-" + i, i);
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> kubelets.stream()
                .allMatch(k -> START.equals(renewTime(k.nodeName()))
                        && client.find(Resource.NODES, null, k.nodeName()) != null));

        assertThat(clock.pendingTimers()).as("timers with %d nodes", NODES).isEqualTo(withOne);
        assertThat(withOne - before).as("the kubelets' pod informers set none: the lane's two").isEqualTo(2);

        Duration interval = timings.nodeLeaseRenewInterval();
        for (int period = 1; period <= 3; period++) {
            clock.advance(interval);
            Instant now = clock.now();
            for (Kubelet k : kubelets) {
                Instant renewed = renewTime(k.nodeName());
                assertThat(renewed).as(k.nodeName() + " at period " + period)
                        .isAfter(now.minus(interval)).isBeforeOrEqualTo(now);
            }
        }
        long distinct = kubelets.stream().map(k -> renewTime(k.nodeName())).distinct().count();
        assertThat(distinct).as("renewals spread over the period").isGreaterThan(1);

        kubelets.forEach(Kubelet::close);
        kubelets.clear();
        assertThat(clock.pendingTimers()).as("the lane is gone with its last node").isEqualTo(before);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

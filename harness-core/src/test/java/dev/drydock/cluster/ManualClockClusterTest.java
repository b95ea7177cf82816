package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ManualClock;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * A whole cluster on a {@link ManualClock} ({@link ClusterSpec#clock}): it starts with the clock standing still, and
 * notices a crashed node and evicts its pods as the test advances the clock, however little real time passes. Its
 * nodes run on harness-core's stub runtime.
 */
class ManualClockClusterTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aCrashedNodeGoesUnknownAndLosesItsPodsAsTheClockIsAdvanced() {
        ManualClock clock = new ManualClock(START);
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().name("manual").runtime("stub")
                .nodes(2).clock(clock))) {
            KubeClient k = cluster.client();
            assertThat(clock.now()).isEqualTo(START); // started, both nodes Ready, and no time has passed
            AtomicReference<String> leaseSeen = new AtomicReference<>("");
            Watch leases = k.watch(Resource.LEASES, "kube-node-lease", "0", Map.of(), new WatchHandler() {
                @Override
                public void onEvent(String type, ObjectNode lease) {
                    if (Json.name(lease).equals("node-2")) {
                        leaseSeen.set(Json.resourceVersion(lease));
                    }
                }

                @Override
                public void onClose(ApiException error) {
                    leaseSeen.set("watch closed: " + error);
                }
            });
            ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
            Json.with(pod, "metadata").put("name", "web");
            Json.with(pod, "spec").put("nodeName", "node-1").putArray("containers").addObject().put("name", "app")
                    .put("image", "nginx");
            k.create(Resource.PODS, "default", pod);
            eventually().until(() -> "Running".equals(Json.text(k.get(Resource.PODS, "default", "web"), "status",
                    "phase")));

            cluster.node("node-1").crash();
            Instant crashed = clock.now();
            advanceUntil(cluster, leaseSeen, () -> "Unknown".equals(ready(k, "node-1")));

            Duration silence = Duration.between(crashed, clock.now());
            assertThat(silence).isGreaterThan(cluster.timings().nodeMonitorGracePeriod())
                    .isLessThan(cluster.timings().nodeMonitorGracePeriod().plusMillis(500));
            assertThat(ready(k, "node-2")).isEqualTo("True"); // renewed its lease at every step
            advanceUntil(cluster, leaseSeen, () -> Json.isDeleting(k.get(Resource.PODS, "default", "web")));
            assertThat(Duration.between(crashed, clock.now())).isGreaterThan(cluster.timings()
                    .nodeMonitorGracePeriod().plus(cluster.timings().podEvictionTimeout()));
            leases.close();
        }
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("drydock-manual-")).toList()).isEmpty();
        assertThat(clock.pendingTimers()).isZero();
    }

    /**
     * Advances the clock a node-monitor period at a time until {@code condition} holds, each step once the running
     * kubelet's lease renewal has reached a watch of leases (as it reaches the controllers' informers), so that the
     * controllers see it before the next step: a manual clock jumps, but watch events still take real time.
     */
    private static void advanceUntil(DrydockCluster cluster, AtomicReference<String> leaseSeen,
                                     BooleanSupplier condition) {
        KubeClient k = cluster.client();
        Instant deadline = cluster.clock().now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            assertThat(cluster.clock().now()).as("cluster time waited").isBefore(deadline);
            String rv = Json.resourceVersion(k.get(Resource.LEASES, "kube-node-lease", "node-2"));
            ((ManualClock) cluster.clock()).advance(cluster.timings().nodeMonitorPeriod());
            String renewed = Json.resourceVersion(k.get(Resource.LEASES, "kube-node-lease", "node-2"));
            if (!renewed.equals(rv)) {
                eventually().until(() -> leaseSeen.get().equals(renewed));
            }
        }
    }

    private static String ready(KubeClient k, String node) {
        return Json.condition(k.get(Resource.NODES, null, node), "Ready");
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1));
    }
}

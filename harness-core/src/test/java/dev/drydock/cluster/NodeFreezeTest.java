package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ManualClock;
import dev.drydock.chaos.NodeFault;
import dev.drydock.chaos.Timeline;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import dev.drydock.kubelet.StubRuntime;
import dev.drydock.runtime.ContainerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code freeze()} and {@code thaw()} of a node, on a manual clock: a frozen node is a hung VM, silent to the control
 * plane, which marks it Unknown, taints it and evicts its pods as kube does; thawed, it reports Ready again and
 * reconciles: the pods evicted meanwhile have their containers stopped, the others run on.
 */
class NodeFreezeTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aFrozenNodeIsNotReadyThenLosesItsPodsAndThawedItReconcilesWithTheApi() {
        ManualClock clock = new ManualClock(START);
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().name("freeze").runtime("stub")
                .nodes(2).clock(clock))) {
            KubeClient k = cluster.client();
            AtomicReference<String> leaseSeen = new AtomicReference<>("");
            Watch leases = watchLeaseOf(k, "node-2", leaseSeen);
            createPod(k, "web", false);
            createPod(k, "tolerant", true);
            eventually().until(() -> running(k, "web") && running(k, "tolerant"));
            NodeHandle node = cluster.node("node-1");
            StubRuntime runtime = (StubRuntime) node.runtime();
            String web = node.kubelet().containerId("default", "web", "app");
            String tolerant = node.kubelet().containerId("default", "tolerant", "app");

            NodeFault frozen = node.freeze();
            Instant frozenAt = clock.now();

            assertThat(node.isFrozen()).isTrue();
            assertThat(runtime.isPaused(web)).isTrue();
            advanceUntil(cluster, leaseSeen, () -> "Unknown".equals(ready(k, "node-1")));
            assertThat(Duration.between(frozenAt, clock.now())).isGreaterThan(cluster.timings()
                    .nodeMonitorGracePeriod());
            assertThat(ready(k, "node-2")).isEqualTo("True");
            advanceUntil(cluster, leaseSeen, () -> Json.isDeleting(k.get(Resource.PODS, "default", "web")));
            assertThat(k.get(Resource.NODES, null, "node-1").path("spec").path("taints").toString())
                    .contains("node.kubernetes.io/unreachable");
            // the node says nothing: the evicted pod waits for its kubelet, its container still there, frozen
            assertThat(runtime.containerStatus(web).state()).isEqualTo(ContainerStatus.State.RUNNING);
            assertThat(Json.isDeleting(k.get(Resource.PODS, "default", "tolerant"))).isFalse();

            node.thaw();

            eventually().until(() -> "True".equals(ready(k, "node-1")));
            eventually().until(() -> k.find(Resource.PODS, "default", "web") == null);
            assertThat(runtime.containerStatus(web)).isNull();
            assertThat(runtime.isPaused(tolerant)).isFalse();
            assertThat(runtime.containerStatus(tolerant).state()).isEqualTo(ContainerStatus.State.RUNNING);
            assertThat(running(k, "tolerant")).isTrue();
            assertThat(node.isFrozen()).isFalse();
            frozen.close(); // healed already: a try-with-resources block ends quietly
            assertThatThrownBy(frozen::heal).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'freeze node-1' was healed already");
            assertThat(cluster.timeline().entries()).filteredOn(e -> e.kind().equals("fault"))
                    .extracting(Timeline.Entry::detail)
                    .contains("freeze node-1", "healed freeze node-1");
            assertThat(cluster.timeline().toString()).contains("event  node-1  2 container(s) paused by the freeze");
            leases.close();
        }
    }

    @Test
    void aFreezeOfACrashedOrFrozenNodeOrAThawOfARunningOneIsRefusedAndACrashEndsAFreeze() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().name("freeze-bad").runtime("stub")
                .nodes(2))) {
            NodeHandle node = cluster.node("node-1");
            assertThatThrownBy(node::thaw).isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot thaw node-1: it is not frozen (it is running)");

            NodeFault frozen = node.freeze();
            assertThatThrownBy(node::freeze).isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot freeze node-1: it is frozen already ('freeze node-1'); thaw() it first");

            node.crash();
            assertThat(frozen.isActive()).isFalse();
            frozen.close(); // the node went down: nothing left to thaw, and nothing thrown
            assertThat(node.isFrozen()).isFalse();
            assertThatThrownBy(node::freeze).isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot freeze node-1: it is crashed (not running); restart() it first. Nodes "
                            + "running: [node-2]");
            assertThatThrownBy(node::thaw).isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot thaw node-1: it is not frozen (it is crashed)");

            node.restart();
            try (NodeFault again = node.freeze()) {
                assertThat(node.isFrozen()).isTrue();
            }
            assertThat(node.isFrozen()).isFalse();
        }
    }

    @Test
    void aContainerHungOnAFrozenNodeRunsAgainOnlyOnceBothFaultsAreHealed() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().name("freeze-hang").runtime("stub")
                .nodes(1))) {
            KubeClient k = cluster.client();
            createPod(k, "web", false);
            eventually().until(() -> running(k, "web"));
            NodeHandle node = cluster.node("node-1");
            StubRuntime runtime = (StubRuntime) node.runtime();
            String id = node.kubelet().containerId("default", "web", "app");

            NodeFault hung = cluster.pod("default", "web").container("app").hang();
            node.freeze();
            node.thaw();
            assertThat(runtime.isPaused(id)).as("still hung").isTrue();

            node.freeze();
            hung.close();
            assertThat(runtime.isPaused(id)).as("still frozen").isTrue();
            node.thaw();
            assertThat(runtime.isPaused(id)).isFalse();
            assertThat(cluster.timeline().entries()).filteredOn(e -> e.kind().equals("fault"))
                    .extracting(Timeline.Entry::detail)
                    .contains("hang container app of pod default/web", "healed hang container app of pod default/web");
        }
    }

    // ---- helpers

    private static void createPod(KubeClient k, String name, boolean toleratesUnreachable) {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(pod, "metadata").put("name", name);
        ObjectNode spec = Json.with(pod, "spec").put("nodeName", "node-1");
        spec.putArray("containers").addObject().put("name", "app").put("image", "nginx");
        if (toleratesUnreachable) {
            spec.putArray("tolerations").addObject().put("key", "node.kubernetes.io/unreachable")
                    .put("operator", "Exists").put("effect", "NoExecute");
        }
        k.create(Resource.PODS, "default", pod);
    }

    private static boolean running(KubeClient k, String pod) {
        return "Running".equals(Json.text(k.get(Resource.PODS, "default", pod), "status", "phase"));
    }

    private static Watch watchLeaseOf(KubeClient k, String node, AtomicReference<String> seen) {
        return k.watch(Resource.LEASES, "kube-node-lease", "0", Map.of(), new WatchHandler() {
            @Override
            public void onEvent(String type, ObjectNode lease) {
                if (Json.name(lease).equals(node)) {
                    seen.set(Json.resourceVersion(lease));
                }
            }

            @Override
            public void onClose(ApiException error) {
                seen.set("watch closed: " + error);
            }
        });
    }

    /**
     * Advances the clock a node-monitor period at a time until {@code condition} holds, each step once node-2's lease
     * renewal has reached a watch (as it reaches the controllers' informers): a manual clock jumps, but watch events
     * still take real time.
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

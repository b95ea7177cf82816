package dev.drydock.fake;

import static dev.drydock.fake.Objects.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.Timings;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.cluster.WriteLog;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A converged cluster writes only its heartbeats: after Deployments, a scale, a rollout and a node crash and restart
 * have settled, the store takes nothing but node Lease renewals (and node statuses whose only change is their
 * heartbeat time), at the rate the timings explain. Each Deployment has a Service, so the endpoint controllers
 * must be quiet too. A controller that writes in a loop fails here.
 */
class QuietClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration QUIET_WINDOW = Duration.ofSeconds(3);

    @Test
    void aConvergedClusterWritesOnlyItsHeartbeats() {
        Timings timings = Timings.compressed();
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().nodes(3).timings(timings))) {
            KubeClient k = cluster.client();
            for (String name : List.of("web", "api", "worker")) {
                k.create(Resource.DEPLOYMENTS, "default", deployment(name, 3, "nginx:1.27"));
                k.create(Resource.SERVICES, "default", EndpointsClusterTest.service(name, name, 80, null));
            }
            awaitConverged(k);

            k.modify(Resource.DEPLOYMENTS, "default", "web", d -> Json.with(d, "spec").put("replicas", 5));
            k.modify(Resource.DEPLOYMENTS, "default", "api", d -> ((ObjectNode) d.path("spec").path("template")
                    .path("spec").path("containers").get(0)).put("image", "nginx:1.28"));
            awaitConverged(k);

            String victim = Json.text(k.items(Resource.PODS, "default", "app=worker").get(0), "spec", "nodeName");
            cluster.node(victim).crash();
            await().atMost(WAIT).until(() -> !"True".equals(Json.condition(k.get(Resource.NODES, null, victim),
                    "Ready")));
            cluster.node(victim).restart();
            awaitConverged(k);

            try (WriteLog writes = cluster.recordWrites()) {
                // Settling may take a moment (events, the last status writes); then nothing but heartbeats for 3 s.
                await("only heartbeats for " + QUIET_WINDOW).atMost(WAIT).untilAsserted(() -> {
                    assertThat(writes.recordedFor()).isGreaterThanOrEqualTo(QUIET_WINDOW);
                    List<WriteLog.Write> recent = writes.lastWindow(QUIET_WINDOW);
                    assertThat(recent.stream().filter(w -> !w.heartbeat()).toList())
                            .as(() -> WriteLog.summary(recent)).isEmpty();
                });
                List<WriteLog.Write> window = writes.lastWindow(QUIET_WINDOW);
                // 3 Leases renewed every nodeLeaseRenewInterval; node statuses are due only every
                // nodeStatusReportFrequency (minutes), so none are expected in the window.
                long leaseRenewals = 3 * QUIET_WINDOW.toMillis() / timings.nodeLeaseRenewInterval().toMillis();
                assertThat(window).as(() -> WriteLog.summary(window))
                        .allMatch(WriteLog.Write::heartbeat)
                        .hasSizeBetween((int) (leaseRenewals / 2), (int) (leaseRenewals * 3 / 2));
            }
        }
    }

    private static void awaitConverged(KubeClient k) {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(k.items(Resource.NODES, null, null)).allMatch(n -> "True".equals(Json.condition(n, "Ready")));
            for (ObjectNode d : k.items(Resource.DEPLOYMENTS, "default", null)) {
                long want = d.path("spec").path("replicas").asLong();
                assertThat(d.path("status").path("observedGeneration").asLong())
                        .isEqualTo(d.path("metadata").path("generation").asLong());
                assertThat(d.path("status").path("updatedReplicas").asLong()).isEqualTo(want);
                assertThat(d.path("status").path("availableReplicas").asLong()).isEqualTo(want);
                assertThat(d.path("status").path("replicas").asLong()).isEqualTo(want);
            }
            assertThat(k.items(Resource.PODS, "default", null))
                    .allMatch(p -> "Running".equals(Json.text(p, "status", "phase")) && !Json.isDeleting(p));
        });
    }
}

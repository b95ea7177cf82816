package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.chaos.NetworkFault;
import dev.drydock.chaos.Parties;
import dev.drydock.chaos.Timeline;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A node's kubelet cut off by the network fault API, as the node lifecycle controller sees it. */
class NodePartitionTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private DrydockCluster cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aNodePartitionedFromTheControlPlaneGoesNotReadyAndComesBackWhenHealed() {
        cluster = DrydockCluster.start(ClusterSpec.create().name("node-partition").nodes(2));

        try (NetworkFault f = cluster.networkFaults().partition(Parties.nodes("node-1"), Parties.controlPlane())) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(ready("node-1"))
                    .as("node-1's kubelet cannot renew its Lease or post its status; the node lifecycle controller "
                            + "notices its silence").isEqualTo("Unknown"));
            assertThat(ready("node-2")).as("the other node").isEqualTo("True");
        }

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ready("node-1")).isEqualTo("True"));
        String cut = "[node-1] | [apiserver, etcd-0, etcd-1, etcd-2, scheduler, controller-manager]";
        assertThat(cluster.timeline().entries()).filteredOn(e -> e.kind().equals("fault"))
                .extracting(Timeline.Entry::detail).containsExactly("partition " + cut, "healed partition " + cut);
    }

    @Test
    void aKubeletWhoseWayToTheApiServerIsCutOneWayGoesNotReadyAndBack() {
        cluster = DrydockCluster.start(ClusterSpec.create().name("node-one-way").nodes(1));

        try (NetworkFault f = cluster.networkFaults().cut("node-1", "apiserver")) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(ready("node-1")).isEqualTo("Unknown"));
        }

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(ready("node-1")).isEqualTo("True"));
    }

    private String ready(String node) {
        return Json.condition(cluster.client().get(Resource.NODES, null, node), "Ready");
    }
}

package dev.drydock.fake;

import static dev.drydock.fake.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Past 256 nodes the cluster's pod network is {@code 10.240.0.0/12}, a {@code /24} per node as kube-controller-manager's
 * node IPAM hands them out, and every node keeps a distinct InternalIP.
 */
class LargeClusterNetworkTest {

    private static final int NODES = 300;
    private static DrydockCluster cluster;

    @BeforeAll
    static void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().nodes(NODES));
    }

    @AfterAll
    static void close() {
        cluster.close();
    }

    @Test
    void everyNodeHasADistinctSlash24OfTheClusterCidrAndADistinctInternalIp() {
        List<ObjectNode> nodes = cluster.client().items(Resource.NODES, null, null);

        assertThat(nodes).hasSize(NODES);
        Set<String> ranges = new HashSet<>();
        Set<String> ips = new HashSet<>();
        for (ObjectNode n : nodes) {
            String cidr = Json.text(n, "spec", "podCIDR");
            assertThat(cidr).as(Json.name(n)).matches("10\\.(24[0-9]|25[0-5])\\.\\d{1,3}\\.0/24");
            assertThat(n.path("spec").path("podCIDRs")).hasSize(1).first()
                    .extracting(JsonNode::asText).isEqualTo(cidr);
            ranges.add(cidr);
            JsonNode internal = null;
            for (JsonNode a : n.path("status").path("addresses")) {
                if (a.path("type").asText().equals("InternalIP")) {
                    internal = a;
                }
            }
            assertThat(internal).as(Json.name(n) + " has an InternalIP").isNotNull();
            assertThat(internal.path("address").asText()).matches("10\\.0\\.\\d{1,3}\\.\\d{1,3}");
            ips.add(internal.path("address").asText());
        }
        assertThat(ranges).hasSize(NODES);
        assertThat(ips).hasSize(NODES);
        assertThat(Json.text(cluster.client().get(Resource.NODES, null, "node-1"), "spec", "podCIDR"))
                .isEqualTo("10.240.0.0/24");
    }

    @Test
    void aPodOnTheThreeHundredthNodeGetsAnIpInThatNodesRange() {
        KubeClient k = cluster.client();
        ObjectNode p = pod("on-300", null);
        Json.with(p, "spec", "nodeSelector").put("kubernetes.io/hostname", "node-300");
        k.create(Resource.PODS, "default", p);

        String cidr = Json.text(k.get(Resource.NODES, null, "node-300"), "spec", "podCIDR");
        assertThat(cidr).isEqualTo("10.241.43.0/24");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            ObjectNode running = k.get(Resource.PODS, "default", "on-300");
            assertThat(Json.text(running, "spec", "nodeName")).isEqualTo("node-300");
            assertThat(Json.text(running, "status", "phase")).isEqualTo("Running");
            assertThat(Json.text(running, "status", "podIP")).matches("10\\.241\\.43\\.(\\d{1,3})")
                    .isNotEqualTo("10.241.43.0").isNotEqualTo("10.241.43.255");
            assertThat(running.path("status").path("podIPs").get(0).path("ip").asText())
                    .isEqualTo(Json.text(running, "status", "podIP"));
            assertThat(Json.text(running, "status", "hostIP")).isEqualTo("10.0.1.51");
        });
    }
}

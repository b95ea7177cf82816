package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cluster's pod and node address plan: kube's cluster CIDR with a /24 per node, for up to 4,096 nodes. */
class PodNetworkTest {

    @Test
    void upTo256NodesShareKubesUsualSlash16OneSlash24EachInOrder() {
        PodNetwork network = PodNetwork.forNodes(256);

        assertThat(network.clusterCidr()).isEqualTo("10.244.0.0/16");
        assertThat(network.podCidr(0)).isEqualTo("10.244.0.0/24");
        assertThat(network.podCidr(1)).isEqualTo("10.244.1.0/24");
        assertThat(network.podCidr(255)).isEqualTo("10.244.255.0/24");
        assertThatThrownBy(() -> network.podCidr(256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node index 256 is outside 10.244.0.0/16, which holds 256 /24s");
    }

    @Test
    void largerClustersGetASlash12AndEveryNodeADistinctSlash24InIt() {
        PodNetwork network = PodNetwork.forNodes(4096);

        assertThat(network.clusterCidr()).isEqualTo("10.240.0.0/12");
        assertThat(PodNetwork.forNodes(257).clusterCidr()).isEqualTo("10.240.0.0/12");
        Set<String> ranges = new HashSet<>();
        for (int i = 0; i < 4096; i++) {
            String cidr = network.podCidr(i);
            assertThat(cidr).matches("10\\.(24[0-9]|25[0-5])\\.\\d{1,3}\\.0/24");
            ranges.add(cidr);
        }
        assertThat(ranges).hasSize(4096);
        assertThat(network.podCidr(299)).isEqualTo("10.241.43.0/24");
        assertThat(network.podCidr(4095)).isEqualTo("10.255.255.0/24");
    }

    @Test
    void nodeAddressesStayDistinctAndValidForThousandsOfNodes() {
        assertThat(PodNetwork.internalIp(0)).isEqualTo("10.0.0.2");
        Set<String> ips = new HashSet<>();
        for (int i = 0; i < PodNetwork.MAX_NODES; i++) {
            String ip = PodNetwork.internalIp(i);
            String[] octets = ip.split("\\.");
            assertThat(octets[0] + "." + octets[1]).isEqualTo("10.0");
            assertThat(Integer.parseInt(octets[2])).isBetween(0, 255);
            assertThat(Integer.parseInt(octets[3])).as(ip).isBetween(1, 254);
            ips.add(ip);
        }
        assertThat(ips).hasSize(PodNetwork.MAX_NODES);
    }

    @Test
    void moreNodesThanThePodNetworkHoldsAreRejectedNamingTheLimit() {
        assertThatThrownBy(() -> ClusterSpec.create().nodes(4097)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("4097 nodes: the pod network 10.240.0.0/12 holds a /24 for at most 4096 nodes");
        assertThat(ClusterSpec.create().nodes(300).nodeSpecs().get(299).config(ClusterSpec.create().nodes(300), 300)
                .podCidr()).isEqualTo("10.241.43.0/24");
    }
}

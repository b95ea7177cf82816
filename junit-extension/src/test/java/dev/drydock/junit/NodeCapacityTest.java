package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Quantity;
import dev.drydock.kube.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** {@code @Cluster}'s node capacity reaches the nodes, and a bad value fails the test naming it. */
@Cluster(nodes = 2)
class NodeCapacityTest {

    @Test
    void byDefaultEachNodeHas4Cpu8GiAnd110Pods(DrydockCluster cluster) {
        List<ObjectNode> nodes = cluster.client().items(Resource.NODES, null, null);

        assertThat(nodes).hasSize(2).allSatisfy(n -> {
            assertCapacity(n.path("status").path("capacity"), "4", "8Gi", "110");
            assertCapacity(n.path("status").path("allocatable"), "4", "8Gi", "110");
        });
    }

    @Test
    @Cluster(nodes = 2, nodeCpu = "2500m", nodeMemory = "3Gi", nodeMaxPods = 12)
    void theAnnotationsCapacityReachesEveryNodesStatus(DrydockCluster cluster) {
        List<ObjectNode> nodes = cluster.client().items(Resource.NODES, null, null);

        assertThat(nodes).hasSize(2).allSatisfy(n -> {
            assertCapacity(n.path("status").path("capacity"), "2500m", "3Gi", "12");
            assertCapacity(n.path("status").path("allocatable"), "2500m", "3Gi", "12");
        });
    }

    @Test
    void anUnparseableCpuOnTheClassFailsEachTestNamingTheValue() {
        Throwable failure = onlyFailure(BadCpuSample.class);

        assertThat(failure).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("@Cluster on " + BadCpuSample.class.getName() + " (nodeCpu = \"lots\"")
                .hasMessageContaining("cpu \"lots\" is not a Kubernetes quantity");
    }

    @Test
    void anUnparseableMemoryOnAMethodFailsThatTestNamingTheValue() {
        Throwable failure = onlyFailure(BadMemorySample.class);

        assertThat(failure).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("@Cluster on " + BadMemorySample.class.getName() + ".fails() (")
                .hasMessageContaining("nodeMemory = \"8 GB\"")
                .hasMessageContaining("memory \"8 GB\" is not a Kubernetes quantity");
    }

    private static void assertCapacity(JsonNode list, String cpu, String memory, String pods) {
        assertThat(Quantity.parse(list.path("cpu").asText())).isEqualByComparingTo(Quantity.parse(cpu));
        assertThat(Quantity.parse(list.path("memory").asText())).isEqualByComparingTo(Quantity.parse(memory));
        assertThat(Quantity.parse(list.path("pods").asText())).isEqualByComparingTo(Quantity.parse(pods));
    }

    private static Throwable onlyFailure(Class<?> sample) {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().testEvents();
        events.assertStatistics(s -> s.started(1).failed(1));
        return events.failed().list().get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable()
                .orElseThrow();
    }

    /** Run only through the test kit above. */
    @Cluster(nodeCpu = "lots")
    static class BadCpuSample {
        @Test
        void fails(DrydockCluster cluster) {
            assertThat(cluster).isNotNull();
        }
    }

    /** Run only through the test kit above. */
    static class BadMemorySample {
        @Test
        @Cluster(nodeMemory = "8 GB")
        void fails() {
        }
    }
}

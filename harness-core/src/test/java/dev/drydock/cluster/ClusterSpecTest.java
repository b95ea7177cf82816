package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.base.Timings;
import dev.drydock.kubelet.NodeConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterSpecTest {

    @Test
    void anUnparseableCpuIsRejectedAtTheCallNamingTheArgumentAndTheValue() {
        assertThatThrownBy(() -> ClusterSpec.create().nodeCapacity("lots", "8Gi"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nodeCapacity: cpu \"lots\" is not a Kubernetes quantity")
                .hasMessageContaining("quantities must match the regular expression");
    }

    @Test
    void anUnparseableMemoryIsRejectedNamingTheMemoryArgument() {
        assertThatThrownBy(() -> ClusterSpec.create().nodeCapacity("4", "8 GB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("nodeCapacity: memory \"8 GB\" is not a Kubernetes quantity");
    }

    @Test
    void negativeMissingAndOverflowingCapacitiesAreRejected() {
        assertThatThrownBy(() -> ClusterSpec.create().nodeCapacity("-1", "8Gi"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodeCapacity: cpu \"-1\" must not be negative");
        assertThatThrownBy(() -> ClusterSpec.create().nodeCapacity("4", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodeCapacity: memory must not be null");
        assertThatThrownBy(() -> ClusterSpec.create().nodeCapacity("4", "100Ei"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodeCapacity: memory \"100Ei\" is too large");
        assertThatThrownBy(() -> ClusterSpec.create().nodeMaxPods(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodeMaxPods must be >= 0, got -1");
    }

    @Test
    void validCapacitiesAreKeptAsGiven() {
        ClusterSpec spec = ClusterSpec.create().nodeCapacity("1500m", "512Mi").nodeMaxPods(12);

        assertThat(spec.nodeCpu()).isEqualTo("1500m");
        assertThat(spec.nodeMemory()).isEqualTo("512Mi");
        assertThat(spec.nodeMaxPods()).isEqualTo(12);
    }

    @Test
    void theDefaultsAreKubernetesLikeNodes() {
        ClusterSpec spec = ClusterSpec.create();

        assertThat(spec.nodeCpu()).isEqualTo("4");
        assertThat(spec.nodeMemory()).isEqualTo("8Gi");
        assertThat(spec.nodeMaxPods()).isEqualTo(110);
    }

    @Test
    void namedNodesReplaceTheCountAndTakeTheClustersCapacityWhereTheySetNone() {
        ClusterSpec spec = ClusterSpec.create().nodeCapacity("2", "4Gi").nodeMaxPods(20).nodes(
                NodeSpec.named("gpu-1").label("gpu", "true").taint("gpu", "true", "NoSchedule").capacity("8", "32Gi"),
                NodeSpec.named("cpu-1").maxPods(5));

        assertThat(spec.nodeCount()).isEqualTo(2);
        var gpu = spec.nodeSpecs().get(0).config(spec, 1);
        assertThat(gpu.name()).isEqualTo("gpu-1");
        assertThat(gpu.labels()).containsEntry("gpu", "true");
        assertThat(gpu.taints()).containsExactly(new NodeConfig.Taint("gpu", "true", "NoSchedule"));
        assertThat(gpu.cpu()).isEqualTo("8");
        assertThat(gpu.pods()).isEqualTo(20);
        var cpu = spec.nodeSpecs().get(1).config(spec, 2);
        assertThat(cpu.cpu()).isEqualTo("2");
        assertThat(cpu.memory()).isEqualTo("4Gi");
        assertThat(cpu.pods()).isEqualTo(5);
        assertThat(spec.nodes(4).nodeSpecs()).extracting(NodeSpec::name)
                .containsExactly("node-1", "node-2", "node-3", "node-4");
    }

    @Test
    void badNodeSpecsAreRejectedNamingTheValue() {
        assertThatThrownBy(() -> NodeSpec.named("GPU_1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got \"GPU_1\"");
        assertThatThrownBy(() -> NodeSpec.named("n").label("bad key", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("node n: invalid label key \"bad key\"");
        assertThatThrownBy(() -> NodeSpec.named("n").taint("gpu", "true", "NoSchedul"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node n: taint gpu has effect \"NoSchedul\"; a taint's effect is one of "
                        + "[NoSchedule, PreferNoSchedule, NoExecute]");
        assertThatThrownBy(() -> NodeSpec.named("n").cpu("lots")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("node n: nodeCapacity: cpu \"lots\" is not a Kubernetes quantity");
        assertThatThrownBy(() -> ClusterSpec.create().nodes(NodeSpec.named("a"), NodeSpec.named("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("nodes: two nodes are named \"a\"");
    }

    @Test
    void oneTimingIsChangedByItsName() {
        var timings = Timings.compressed().with("nodeMonitorGracePeriod", Duration.ofSeconds(3));

        assertThat(timings.nodeMonitorGracePeriod()).hasSeconds(3);
        assertThat(timings.nodeLeaseRenewInterval()).isEqualTo(Timings.compressed().nodeLeaseRenewInterval());
        assertThatThrownBy(() -> timings.with("nodeGrace", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no timing named \"nodeGrace\"; timings are [nodeLeaseRenewInterval, ");
        assertThatThrownBy(() -> timings.with("eventTTL", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timing eventTTL must not be negative or null, got PT-1S");
        assertThatThrownBy(() -> timings.with("nodeMonitorPeriod", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timing nodeMonitorPeriod must be positive, got PT0S");
        assertThat(timings.with("podEvictionTimeout", Duration.ZERO).podEvictionTimeout()).isZero();
    }
}

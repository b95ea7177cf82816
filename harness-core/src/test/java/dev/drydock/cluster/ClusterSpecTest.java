package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}

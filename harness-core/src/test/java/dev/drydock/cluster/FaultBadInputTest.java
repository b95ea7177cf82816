package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.chaos.NetworkFault;
import dev.drydock.chaos.Parties;
import dev.drydock.chaos.Timeline;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault API's bad input, through the cluster's shortcuts and handles: a clear exception naming what exists, and
 * nothing half-applied left behind (no rule in force, no timeline entry); a handle's close() after a heal is quiet,
 * an explicit second heal() is refused.
 */
class FaultBadInputTest {

    private static DrydockCluster cluster;

    @BeforeAll
    static void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().name("bad-faults").runtime("stub").nodes(2)
                .storeReplicas(3));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aFaultOnAPartyThatDoesNotExistNamesThePartiesAndLeavesNothingBehind() {
        List<Timeline.Entry> before = faults();

        assertThatThrownBy(() -> cluster.isolate("node-9")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no network party named 'node-9'; parties are [apiserver, test, scheduler, "
                        + "controller-manager, node-1, node-2, etcd-0, etcd-1, etcd-2");
        assertThatThrownBy(() -> cluster.partition(Parties.nodes("node-1", "node-7"), Parties.controlPlane()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no node named 'node-7'; nodes are [node-1, node-2]");
        assertThatThrownBy(() -> cluster.partition(List.of("node-1"), List.of("node-1", "apiserver")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a party cannot be on both sides of a partition: [node-1]");
        assertThatThrownBy(() -> cluster.networkFaults().delay("etcd-0", Duration.ofMillis(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be negative");
        assertThatThrownBy(() -> cluster.store().slowLinks(0, Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a link delay cannot be negative, got PT-0.005S");
        assertThatThrownBy(() -> cluster.store().slowDisk(1, Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a disk delay cannot be negative, got PT-0.005S");
        assertThatThrownBy(() -> cluster.store().slowDisk(3, Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no store replica 3; replicas are 0 to 2");
        assertThatThrownBy(() -> cluster.store().partition())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a partition needs replicas on both sides: name some of the replicas 0 to 2 for one "
                        + "side, not none");
        assertThatThrownBy(() -> cluster.store().partition(0, 1, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith("not all");

        assertThat(cluster.networkFaults().active()).isEmpty();
        assertThat(faults()).as("no fault recorded").isEqualTo(before);
    }

    private static List<Timeline.Entry> faults() {
        return cluster.timeline().entries().stream().filter(e -> e.kind().equals("fault")).toList();
    }

    @Test
    void aHandleClosesQuietlyAfterTheClusterHealedItButASecondExplicitHealIsRefused() {
        try (NetworkFault isolated = cluster.isolate("node-2");
             NetworkFault split = cluster.partition(Parties.nodes("node-1"), Parties.of("apiserver"))) {
            assertThat(cluster.networkFaults().active()).containsExactly(isolated, split);

            cluster.heal();

            assertThat(isolated.isActive()).isFalse();
            assertThat(split.isActive()).isFalse();
            assertThat(cluster.networkFaults().active()).isEmpty();
            assertThatThrownBy(isolated::heal).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the network fault 'isolate node-2' was healed already");
        } // closing both is quiet
        assertThat(cluster.timeline().entries()).filteredOn(e -> e.kind().equals("fault"))
                .extracting(Timeline.Entry::detail)
                .contains("isolate node-2", "healed isolate node-2", "partition [node-1] | [apiserver]");
    }
}

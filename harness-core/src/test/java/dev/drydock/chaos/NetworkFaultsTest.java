package dev.drydock.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.base.Clock;
import dev.drydock.net.Network;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The network fault API on a network of its own: what each fault cuts, slows or loses, that faults on one link
 * compose, that handles heal once, and that bad input changes nothing.
 */
class NetworkFaultsTest {

    private static final List<String> PARTIES = List.of("apiserver", "test", "scheduler", "controller-manager",
            "node-1", "node-2", "node-3", "etcd-0", "etcd-1", "etcd-2", "client:operator");

    private final Network network = new Network(7);
    private final Timeline timeline = new Timeline(Clock.SYSTEM);
    private final NetworkFaults faults = new NetworkFaults(network, timeline, () -> new Parties.Directory(
            List.of("apiserver", "test", "scheduler", "controller-manager"), List.of("node-1", "node-2", "node-3"),
            List.of("etcd-0", "etcd-1", "etcd-2"), List.of("client:operator")));

    @Test
    void aPartitionCutsEveryLinkBetweenTheGroupsBothWaysAndNoneWithinAGroup() {
        try (NetworkFault f = faults.partition(Parties.nodes("node-1", "node-2"), Parties.controlPlane())) {
            for (String node : List.of("node-1", "node-2")) {
                for (String cp : List.of("apiserver", "etcd-0", "etcd-1", "etcd-2", "scheduler",
                        "controller-manager")) {
                    assertThat(network.reachable(node, cp)).as(node + " -> " + cp).isFalse();
                    assertThat(network.reachable(cp, node)).as(cp + " -> " + node).isFalse();
                }
            }
            assertThat(network.reachable("node-1", "node-2")).as("within a group").isTrue();
            assertThat(network.reachable("etcd-0", "etcd-1")).as("within a group").isTrue();
            assertThat(network.reachable("node-3", "apiserver")).as("outside both groups").isTrue();
            assertThat(network.reachable("test", "node-1")).as("a party of neither group").isTrue();
            assertThat(f.isActive()).isTrue();
        }

        assertThat(network.reachable("node-1", "apiserver")).isTrue();
        assertThat(network.reachable("apiserver", "node-2")).isTrue();
        assertThat(network.rules()).isZero();
    }

    @Test
    void aOneWayCutLosesWhatItsSourceSendsAndCarriesTheAnswer() {
        try (NetworkFault f = faults.cut("node-1", "apiserver")) {
            assertThat(network.reachable("node-1", "apiserver")).isFalse();
            assertThat(network.reachable("apiserver", "node-1")).as("the other way").isTrue();
            assertThat(network.reachable("node-1", "etcd-0")).as("another link of the source").isTrue();
        }
        assertThat(network.reachable("node-1", "apiserver")).isTrue();
    }

    @Test
    void anIsolatedPartyReachesNoOneAndNoOneReachesIt() {
        NetworkFault f = faults.isolate("client:operator");

        for (String other : PARTIES) {
            if (!other.equals("client:operator")) {
                assertThat(network.reachable("client:operator", other)).isFalse();
                assertThat(network.reachable(other, "client:operator")).isFalse();
            }
        }
        assertThat(network.reachable("test", "apiserver")).isTrue();
        f.heal();
        assertThat(network.reachable("client:operator", "apiserver")).isTrue();
    }

    @Test
    void twoFaultsOnOneLinkComposeAndHealingOneLeavesTheOther() {
        NetworkFault isolated = faults.isolate("node-1");
        NetworkFault partitioned = faults.partition(List.of("node-1"), List.of("apiserver"));
        NetworkFault oneWay = faults.cut("node-1", "apiserver");

        isolated.heal();
        assertThat(network.reachable("node-1", "apiserver")).as("still partitioned").isFalse();
        assertThat(network.reachable("node-1", "scheduler")).as("no longer isolated").isTrue();

        partitioned.heal();
        assertThat(network.reachable("node-1", "apiserver")).as("still cut one way").isFalse();
        assertThat(network.reachable("apiserver", "node-1")).isTrue();

        oneWay.heal();
        assertThat(network.reachable("node-1", "apiserver")).isTrue();
        assertThat(faults.active()).isEmpty();
    }

    @Test
    void delaysOfTwoFaultsAddUpWithJitterWithinItsBoundAndLossesCompound() {
        NetworkFault slow = faults.delay("etcd-1", Duration.ofMillis(10), Duration.ofMillis(4));
        NetworkFault slowLink = faults.delay("etcd-0", "etcd-1", Duration.ofMillis(5), Duration.ZERO);

        for (int i = 0; i < 200; i++) {
            assertThat(network.delayNanos("etcd-0", "etcd-1")).isBetween(15_000_000L, 18_999_999L);
            assertThat(network.delayNanos("etcd-1", "etcd-2")).isBetween(10_000_000L, 13_999_999L);
        }
        assertThat(network.delayNanos("etcd-0", "etcd-2")).isZero();
        slow.heal();
        assertThat(network.delayNanos("etcd-1", "etcd-0")).isEqualTo(5_000_000L);
        slowLink.heal();
        assertThat(network.delayNanos("etcd-1", "etcd-0")).isZero();

        NetworkFault a = faults.loss("etcd-0", 0.5);
        NetworkFault b = faults.loss("etcd-0", 0.5);
        Random random = new Random(3);
        int lost = 0;
        for (int i = 0; i < 10_000; i++) {
            lost += network.drops("etcd-0", "etcd-2", random) ? 1 : 0;
        }
        assertThat(lost).as("two faults of 50% lose 75%").isBetween(7_200, 7_800);
        a.heal();
        b.heal();
        assertThat(network.drops("etcd-0", "etcd-2", random)).isFalse();
    }

    @Test
    void aHandleHealsOnceAndClosingItAfterwardsDoesNothing() {
        NetworkFault f = faults.isolate("node-2");
        f.heal();

        assertThatThrownBy(f::heal).isInstanceOf(IllegalStateException.class)
                .hasMessage("the network fault 'isolate node-2' was healed already");
        f.close(); // no-op
        assertThat(f.isActive()).isFalse();
    }

    @Test
    void healingAllLiftsEveryFaultMadeHere() {
        NetworkFault a = faults.isolate("node-1");
        NetworkFault b = faults.cut("apiserver", "node-2");

        faults.heal();

        assertThat(a.isActive()).isFalse();
        assertThat(b.isActive()).isFalse();
        assertThat(network.rules()).isZero();
        assertThat(network.reachable("apiserver", "node-2")).isTrue();
    }

    @Test
    void eachFaultAndItsHealAreOnTheTimeline() {
        faults.partition(Parties.nodes("node-1"), Parties.of("apiserver", "etcd-0")).heal();
        faults.cut("node-2", "apiserver").close();

        assertThat(timeline.entries()).extracting(e -> e.kind() + " " + e.subject() + ": " + e.detail())
                .containsExactly(
                        "fault network: partition [node-1] | [apiserver, etcd-0]",
                        "fault network: healed partition [node-1] | [apiserver, etcd-0]",
                        "fault node-2: cut node-2 -> apiserver",
                        "fault node-2: healed cut node-2 -> apiserver");
    }

    @Test
    void aFaultOnAPartyThatDoesNotExistIsRefusedNamingThoseThatDoAndChangesNothing() {
        String known = "parties are " + PARTIES;
        assertThatThrownBy(() -> faults.isolate("node-9")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no network party named 'node-9'; " + known);
        assertThatThrownBy(() -> faults.cut("node-1", "etcd-7")).hasMessageContaining("'etcd-7'; " + known);
        assertThatThrownBy(() -> faults.partition(List.of("node-1"), List.of("apiserver", "kube-proxy")))
                .hasMessageContaining("'kube-proxy'; " + known);
        assertThatThrownBy(() -> faults.partition(Parties.nodes("node-4"), Parties.controlPlane()))
                .hasMessage("no node named 'node-4'; nodes are [node-1, node-2, node-3]");

        assertThat(network.rules()).isZero();
        assertThat(faults.active()).isEmpty();
        assertThat(timeline.entries()).isEmpty();
    }

    @Test
    void otherBadInputIsRefusedWithWhatWouldDoAndChangesNothing() {
        assertThatThrownBy(() -> faults.partition(List.of("node-1", "apiserver"), List.of("apiserver")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a party cannot be on both sides of a partition: [apiserver] is in [node-1, apiserver] "
                        + "and in [apiserver]");
        assertThatThrownBy(() -> faults.partition(List.of(), List.of("apiserver")))
                .hasMessageStartingWith("the group [] has no party in this cluster");
        assertThatThrownBy(() -> faults.cut("node-1", "node-1")).hasMessage("a party has no link to itself: node-1");
        assertThatThrownBy(() -> faults.delay("etcd-0", Duration.ofMillis(-1), Duration.ZERO))
                .hasMessage("a link's latency and jitter cannot be negative, got latency PT-0.001S and jitter PT0S");
        assertThatThrownBy(() -> faults.delay("etcd-0", Duration.ZERO, Duration.ZERO))
                .hasMessage("a delay needs a positive latency or jitter, got both zero");
        assertThatThrownBy(() -> faults.delay("apiserver", Duration.ofMillis(5), Duration.ZERO))
                .hasMessage("no link of 'apiserver' carries latency yet: only the Raft links between store replicas "
                        + "[etcd-0, etcd-1, etcd-2] do, and nodes' pod traffic (cluster.http()) (for latency on the "
                        + "API, use cluster.apiFaults()...delay(...))");
        assertThatThrownBy(() -> faults.duplicate("node-1", 0.5))
                .hasMessageStartingWith("no link of 'node-1' carries duplicates yet");
        for (double bad : new double[] {0, -0.5, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> faults.loss("etcd-1", bad))
                    .hasMessage("a link's loss probability must be above 0 and at most 1, got " + bad);
        }
        assertThatThrownBy(() -> faults.loss("apiserver", 0.5)).hasMessageStartingWith(
                "no link of 'apiserver' carries loss yet");

        assertThat(network.rules()).isZero();
        assertThat(faults.active()).isEmpty();
        assertThat(timeline.entries()).isEmpty();
    }
}

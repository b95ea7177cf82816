package dev.drydock.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scheduled chaos on a cluster without nodes (its store replicas are the targets): picks, ends, stopping and bad
 * input. The replay of a schedule by its seed, over nodes, is tested with a runtime, in the fake runtime's tests.
 */
class ChaosScheduleTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static DrydockCluster cluster;

    @BeforeAll
    static void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().name("chaos").apiServerOnly().seed(5));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aScheduleMakesItsPicksEachFaultEndsAtItsTimeAndThenItIsDone() {
        int before = cluster.timeline().entries().size();
        ChaosSchedule s = cluster.chaos().every(Duration.ofMillis(100)).times(4)
                .pick(Chaos.isolateRandomStoreReplica(Duration.ofMillis(50)));

        await().atMost(PATIENCE).until(s::isDone);

        assertThat(s.picks()).isEqualTo(4);
        assertThat(cluster.networkFaults().active()).isEmpty();
        List<String> entries = cluster.timeline().entries().subList(before, cluster.timeline().entries().size())
                .stream().filter(e -> e.kind().equals("fault")).map(e -> e.subject() + ": " + e.detail()).toList();
        assertThat(entries).hasSize(1 + 4 * 3);
        assertThat(entries.get(0)).matches("chaos: schedule \\d+ started: every 100ms, 4 picks, "
                + "one of \\[isolate a random store replica for 50ms]");
        for (int k = 0; k < 4; k++) {
            String pick = entries.get(1 + 3 * k);
            assertThat(pick).matches("chaos: schedule \\d+ pick " + (k + 1)
                    + ": isolate a random store replica for 50ms: etcd-[012]");
            String replica = pick.substring(pick.lastIndexOf(' ') + 1);
            assertThat(entries.get(2 + 3 * k)).isEqualTo(replica + ": isolate " + replica);
            assertThat(entries.get(3 + 3 * k)).as("ended before the next pick")
                    .isEqualTo(replica + ": healed isolate " + replica);
        }
    }

    @Test
    void closingAScheduleStopsItAndHealsWhatItStarted() {
        ChaosSchedule s = cluster.chaos().every(Duration.ofMillis(50))
                .pick(Chaos.isolateRandomStoreReplica(Duration.ofHours(1)));
        await().atMost(PATIENCE).until(() -> s.picks() >= 1);

        s.close();

        assertThat(s.isDone()).isTrue();
        assertThat(cluster.networkFaults().active()).as("every isolation healed").isEmpty();
        // faults only: an isolated leader's successor may be elected, and recorded, after the schedule stopped
        List<Timeline.Entry> entries = cluster.timeline().entries().stream()
                .filter(e -> e.kind().equals(Timeline.FAULT)).toList();
        assertThat(entries.get(entries.size() - 1).detail()).endsWith("stopped after " + s.picks() + " pick(s)");
        assertThat(cluster.chaos().running()).doesNotContain(s);
        s.close(); // a second time: nothing
    }

    @Test
    void badInputIsRefusedAndStartsNothing() {
        assertThatThrownBy(() -> cluster.chaos().every(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("chaos picks a fault every positive interval, got PT0S");
        assertThatThrownBy(() -> cluster.chaos().every(Duration.ofSeconds(1)).times(0))
                .hasMessage("a schedule makes at least one pick, got 0");
        assertThatThrownBy(() -> cluster.chaos().every(Duration.ofSeconds(1)).pick())
                .hasMessage("pick at least one fault, e.g. Chaos.isolateRandomNode(...)");
        assertThatThrownBy(() -> Chaos.crashRandomNode(Duration.ofMillis(-5)))
                .hasMessage("a fault of a schedule lasts a positive time, got PT-0.005S");
        assertThatThrownBy(() -> cluster.chaos().every(Duration.ofSeconds(1)).pick(
                Chaos.isolateRandomStoreReplica(Duration.ofMillis(10)), Chaos.crashRandomNode(Duration.ofMillis(100))))
                .as("a cluster without nodes")
                .hasMessage("'crash a random node for 100ms' has no node to pick from in this cluster");
        assertThat(cluster.chaos().running()).isEmpty();
    }

    @Test
    void aScheduleStillRunningWhenItsClusterClosesLeavesNoThreadBehind() {
        DrydockCluster other = DrydockCluster.start(ClusterSpec.create().name("chaos-closing").apiServerOnly());
        ChaosSchedule s = other.chaos().every(Duration.ofMillis(20))
                .pick(Chaos.isolateRandomStoreReplica(Duration.ofMillis(30)));
        await().atMost(PATIENCE).until(() -> s.picks() >= 2);

        other.close();

        assertThat(s.isDone()).isTrue();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(t -> t.getName().startsWith("drydock-chaos-closing-")).isEmpty());
    }
}

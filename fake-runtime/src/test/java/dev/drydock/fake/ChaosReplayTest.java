package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.chaos.Chaos;
import dev.drydock.chaos.ChaosSchedule;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scheduled chaos replays by its seed: same faults, same order, same targets. */
class ChaosReplayTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int PICKS = 8;

    @Test
    void theSameSeedReplaysTheSameScheduleAndAnotherSeedDrawsAnother() {
        List<String> first = run(42);
        List<String> again = run(42);
        List<String> other = run(43);

        assertThat(first).as("faults of seed 42: the schedule's start, each pick, and each fault and its end")
                .hasSizeGreaterThan(PICKS);
        assertThat(first.stream().filter(e -> e.contains(" pick "))).hasSize(PICKS);
        assertThat(first).as("seed 42 draws each kind of fault").anyMatch(e -> e.endsWith(": crash"))
                .anyMatch(e -> e.matches("node-\\d: isolate node-\\d"))
                .anyMatch(e -> e.matches("etcd-\\d: isolate etcd-\\d"));
        assertThat(again).as("seed 42 again").isEqualTo(first);
        assertThat(other).as("seed 43").isNotEqualTo(first);
    }

    @Test
    void aScheduleFreezesRandomRunningNodesAndThawsEachAtItsTime() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().name("freezes").nodes(2).seed(7))) {
            int before = cluster.timeline().entries().size();
            ChaosSchedule s = cluster.chaos().every(Duration.ofMillis(100)).times(4)
                    .pick(Chaos.freezeRandomNode(Duration.ofMillis(50)));
            await().atMost(PATIENCE).until(s::isDone);

            assertThat(cluster.nodes()).as("every freeze thawed").noneMatch(n -> n.isFrozen());
            List<String> faults = cluster.timeline().entries().subList(before, cluster.timeline().entries().size())
                    .stream().filter(e -> e.kind().equals("fault") && !e.subject().equals("chaos"))
                    .map(e -> e.subject() + ": " + e.detail()).toList();
            assertThat(faults).hasSize(8);
            for (int k = 0; k < 4; k++) {
                String node = faults.get(2 * k).substring(0, faults.get(2 * k).indexOf(':'));
                assertThat(faults.get(2 * k)).isEqualTo(node + ": freeze " + node);
                assertThat(faults.get(2 * k + 1)).isEqualTo(node + ": healed freeze " + node);
            }
        }
    }

    /** The fault entries (subject and detail) of a cluster of 3 nodes that ran the schedule to its end. */
    private static List<String> run(long seed) {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().name("replay-" + seed).nodes(3)
                .seed(seed))) {
            ChaosSchedule s = cluster.chaos().every(Duration.ofMillis(150)).times(PICKS).pick(
                    Chaos.isolateRandomNode(Duration.ofMillis(60)),
                    Chaos.crashRandomNode(Duration.ofMillis(60)),
                    Chaos.isolateRandomStoreReplica(Duration.ofMillis(60)));
            await().atMost(PATIENCE).until(s::isDone);
            // every crashed node booted again and registered
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(cluster.client().items(Resource.NODES, null, null))
                    .allSatisfy(n -> assertThat(Json.condition(n, "Ready")).isEqualTo("True")));
            return cluster.timeline().entries().stream().filter(e -> e.kind().equals("fault"))
                    .map(e -> e.subject() + ": " + e.detail()).toList();
        }
    }
}

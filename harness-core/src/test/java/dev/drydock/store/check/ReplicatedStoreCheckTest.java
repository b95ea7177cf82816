package dev.drydock.store.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The proof of correctness of the Raft-replicated store: the randomized workload against 3 replicas (5 in one seed)
 * while {@link RaftNemesis} stops, wipes, isolates and partitions them and the store snapshots often, and every
 * check of the history passes.
 */
class ReplicatedStoreCheckTest {

    @AfterEach
    void leavesNoThreadBehind() {
        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(Thread::isAlive)
                .extracting(Thread::getName)
                .noneMatch(n -> n.startsWith("drydock-check-"));
    }

    static Workload.Config config(long seed) {
        return Workload.Config.defaults(seed).withClients(4, 100_000).withMaxDuration(Duration.ofMillis(2500))
                .withNemesisInterval(Duration.ofMillis(150)).withCompaction(400, 200);
    }

    @ParameterizedTest(name = "seed {0}, {1} replicas")
    @CsvSource({"1, 3", "2, 3", "3, 3", "4, 3", "5, 3", "6, 3", "7, 3", "8, 3", "9, 3", "10, 5",
            "11, 3", "12, 3", "13, 3", "14, 3", "15, 3", "16, 3", "17, 3", "18, 3", "19, 3", "20, 3"})
    void theReplicatedStorePassesEveryCheckUnderFaults(long seed, int replicas) {
        Workload workload = new Workload(config(seed));
        CheckReport report;
        long faults;
        long stuck;
        Object kinds;
        try (ReplicatedStoreUnderTest sut = new ReplicatedStoreUnderTest(replicas, seed)) {
            report = workload.run(sut);
            faults = sut.nemesis().faults();
            kinds = sut.nemesis().kinds();
            stuck = sut.replicated().stuckReplicaRestarts();
        }
        System.out.printf("replicated store check: seed %d, %d replicas: %d ops (%d ok, %d failed, %d unknown), "
                        + "%d watch events, %d faults %s, %d stuck-replica restarts, run %d ms, check %d ms%n", seed,
                replicas, report.stats().ops(), report.stats().ok(), report.stats().failed(),
                report.stats().unknown(), report.stats().watchEvents(), faults, kinds, stuck,
                report.stats().runMillis(), report.checkMillis());
        System.out.println(report.valid() ? report.summary() : report.failureMessage());

        report.assertPasses();
        assertThat(report.stats().ok()).as("the workload ran").isGreaterThan(200);
        assertThat(faults).as("the nemesis broke the store").isGreaterThanOrEqualTo(3);
    }

    /**
     * A bug planted in the replicated store itself: its leader acknowledges some writes from its own state, never
     * committed. The leader changes then lose them, and the check says so. Its nemesis only changes the leader:
     * with the mixed faults, a run on a loaded CI machine once brought about no leader change in its 2.5 s (the
     * leader isolated once, healed before an election), and the bug went unseen.
     */
    @Test
    void aLeaderThatAcknowledgesUncommittedWritesIsCaught() {
        long seed = 31;
        CheckReport report;
        try (ReplicatedStoreUnderTest sut = new ReplicatedStoreUnderTest(ReplicatedStoreUnderTest.settings(3, 64),
                seed, s -> PlantedBugs.acknowledgeUncommitted(s, 50), true)) {
            report = new Workload(config(seed)).run(sut);
        }
        System.out.println(report.failureMessage());

        assertThat(report.valid()).as(report.failureMessage()).isFalse();
        assertThat(report.failedChecks()).contains("linearizability");
        assertThat(report.failureMessage()).contains("seed 31", "NOT LINEARIZABLE");
    }
}

package dev.drydock.store.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.store.MemoryStore;
import dev.drydock.store.Store;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The randomized workload and its checkers against the in-process store: it passes on several seeds, with and
 * without faults in front of it, and each planted bug makes a check fail with an explanation.
 */
class StoreCheckTest {

    private final String storeThread = "drydock-check-store-" + System.identityHashCode(this);

    @AfterEach
    void leavesNoThreadBehind() {
        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(Thread::isAlive)
                .extracting(Thread::getName)
                .noneMatch(n -> n.startsWith("drydock-check-"));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void theMemoryStorePassesEveryCheck(long seed) {
        CheckReport report = run(Workload.Config.defaults(seed), UnaryOperator.identity());

        report.assertPasses();
        assertThat(report.stats().ok()).as("the workload ran").isGreaterThan(1000);
        assertThat(report.stats().watchEvents()).as("the watchers heard the writes").isGreaterThan(500);
    }

    /**
     * The second run leaves every unknown write unknown for the search (no settling from the watches), as the
     * checker must also cope with that, and so has fewer operations.
     */
    @ParameterizedTest(name = "seed {0}, unknown writes settled from the watches: {1}")
    @CsvSource({"11, true, 1000", "12, false, 600"})
    void theMemoryStorePassesBehindRefusalsTimeoutsBrokenWatchesAndCompaction(long seed, boolean settle, int ops) {
        Workload.Config config = Workload.Config.defaults(seed).withClients(4, ops)
                .withNemesisInterval(Duration.ofMillis(5)).withCompaction(200, 500).withSettledUnknownWrites(settle);
        try (FaultyStore store = new FaultyStore(new MemoryStore(storeThread), seed, 1)) {
            Workload workload = new Workload(config);
            CheckReport report = workload.run(store);
            System.out.println(report.summary());

            report.assertPasses();
            assertThat(report.stats().failed()).as("some calls were refused").isPositive();
            assertThat(report.stats().unknown()).as("some writes timed out").isPositive();
            assertThat(store.appliedButUnknown.get()).as("some timed-out writes were applied").isPositive();
            assertThat(store.brokenWatches.get()).as("watches were broken").isPositive();
            assertThat(workload.history().nemesisEvents()).as("the store was compacted")
                    .anyMatch(e -> e.what().startsWith("compacted"));
            assertThat(report.stats().watchSegments()).as("broken watches were resumed")
                    .isGreaterThan(config.watchers());
        }
    }

    @Test
    void aWriteAcknowledgedButNeverCommittedIsCaught() {
        CheckReport report = run(Workload.Config.defaults(21), s -> PlantedBugs.acknowledgeWithoutCommit(s, 25));

        assertThat(report.valid()).as(report.failureMessage()).isFalse();
        assertThat(report.failedChecks()).contains("linearizability", "revisions");
        assertThat(report.failureMessage())
                .contains("seed 21", "NOT LINEARIZABLE", "two acknowledged writes got revision");
    }

    @Test
    void aWatchThatSkipsAnEventIsCaught() {
        CheckReport report = run(Workload.Config.defaults(22), s -> PlantedBugs.skipWatchEvent(s, 97));

        assertThat(report.valid()).as(report.failureMessage()).isFalse();
        assertThat(report.failedChecks()).containsExactly("watch");
        assertThat(report.failureMessage()).contains("seed 22", "missed the change at revision", "acknowledged by");
    }

    @Test
    void aReadFromAnOldSnapshotIsCaught() {
        CheckReport report = run(Workload.Config.defaults(23), s -> PlantedBugs.staleRead(s, 20, 3));

        assertThat(report.valid()).as(report.failureMessage()).isFalse();
        assertThat(report.failedChecks()).contains("linearizability");
        assertThat(report.failureMessage()).contains("seed 23", "NOT LINEARIZABLE", "cannot: read");
    }

    /** Timeouts and refusals make many writes unknown, which the checker must not take as licence for a bug. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"acknowledgeWithoutCommit, linearizability", "skipWatchEvent, watch", "staleRead, linearizability"})
    void eachPlantedBugIsCaughtBehindTimeoutsAndRefusals(String bug, String check) {
        long seed = 40 + bug.length();
        Workload.Config config = Workload.Config.defaults(seed).withClients(4, 1000)
                .withNemesisInterval(Duration.ofMillis(5)).withCompaction(200, 500);
        MemoryStore memory = new MemoryStore(storeThread);
        Store buggy = switch (bug) {
            case "acknowledgeWithoutCommit" -> PlantedBugs.acknowledgeWithoutCommit(memory, 50);
            case "skipWatchEvent" -> PlantedBugs.skipWatchEvent(memory, 300);
            default -> PlantedBugs.staleRead(memory, 50, 2);
        };
        try (FaultyStore store = new FaultyStore(buggy, seed, 1)) {
            CheckReport report = new Workload(config).run(store);
            System.out.println(report.failureMessage());

            assertThat(report.stats().unknown()).as("some writes timed out").isPositive();
            assertThat(report.valid()).as(report.failureMessage()).isFalse();
            assertThat(report.failedChecks()).contains(check);
        }
    }

    private CheckReport run(Workload.Config config, UnaryOperator<Store> wrap) {
        try (StoreUnderTest sut = StoreUnderTest.of(() -> wrap.apply(new MemoryStore(storeThread)))) {
            CheckReport report = new Workload(config).run(sut);
            System.out.println(report.valid() ? report.summary() : report.failureMessage());
            return report;
        }
    }
}

package dev.drydock.store.check;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The store's soak: the check's workload and {@link RaftNemesis} against the replicated store for longer and with more
 * clients than the CI seeds, in rounds of a fresh store and seed each (so that every round's history stays small
 * enough to check), printing one line per round and the totals. Run by {@code java -jar drydock.jar bench store
 * --soak[=SECONDS]} (the samples module packs this package from harness-core's test jar).
 */
public final class StoreSoak {

    /** Seconds of workload per round. */
    static final int ROUND_SECONDS = 15;

    private StoreSoak() {
    }

    /**
     * Runs rounds until {@code duration} is spent (at least one), on 3 replicas (every fifth round on 5).
     *
     * @param firstSeed the first round's seed; the next ones follow
     * @return the number of violations found (0: every check passed in every round)
     */
    public static int run(PrintStream out, Duration duration, int clients, long firstSeed) {
        long end = System.nanoTime() + duration.toNanos();
        long ops = 0;
        long ok = 0;
        long unknown = 0;
        long faults = 0;
        long violations = 0;
        long checkMillis = 0;
        long stuck = 0;
        int rounds = 0;
        long seed = firstSeed;
        do {
            long left = Math.max(1, (end - System.nanoTime()) / 1_000_000_000L);
            int seconds = (int) Math.min(ROUND_SECONDS, left);
            int replicas = rounds % 5 == 4 ? 5 : 3;
            Workload.Config config = Workload.Config.defaults(seed).withClients(clients, Integer.MAX_VALUE)
                    .withKeys(8).withWatchers(4).withMaxDuration(Duration.ofSeconds(seconds))
                    .withNemesisInterval(Duration.ofMillis(150)).withCompaction(400, 200);
            CheckReport report;
            int roundFaults;
            Object kinds;
            long roundStuck;
            try (ReplicatedStoreUnderTest sut = new ReplicatedStoreUnderTest(replicas, seed)) {
                report = new Workload(config).run(sut);
                roundFaults = sut.nemesis().faults();
                kinds = sut.nemesis().kinds();
                roundStuck = sut.replicated().stuckReplicaRestarts();
            }
            int roundViolations = report.valid() ? 0 : Math.max(1, report.violations().size());
            out.printf("soak round %d: seed %d, %d replicas, %d clients, %d s: %d ops (%d ok, %d failed, %d unknown),"
                            + " %d watch events, %d faults %s, %d stuck-replica restarts, %d violations, check %d ms%n",
                    rounds + 1, seed, replicas, clients, seconds, report.stats().ops(), report.stats().ok(),
                    report.stats().failed(), report.stats().unknown(), report.stats().watchEvents(), roundFaults, kinds,
                    roundStuck, roundViolations, report.checkMillis());
            if (!report.valid()) {
                out.println(report.failureMessage());
            }
            ops += report.stats().ops();
            ok += report.stats().ok();
            unknown += report.stats().unknown();
            faults += roundFaults;
            stuck += roundStuck;
            violations += roundViolations;
            checkMillis += report.checkMillis();
            rounds++;
            seed++;
        } while (System.nanoTime() < end);
        out.printf("store.soak.rounds %d%n", rounds);
        out.printf("store.soak.ops %d ops%n", ops);
        out.printf("store.soak.ok %d ops%n", ok);
        out.printf("store.soak.unknown %d ops%n", unknown);
        out.printf("store.soak.faults %d faults%n", faults);
        out.printf("store.soak.stuck_replica_restarts %d restarts%n", stuck);
        out.printf("store.soak.check_time %d ms%n", checkMillis);
        out.printf("store.soak.violations %d violations%n", violations);
        return (int) Math.min(Integer.MAX_VALUE, violations);
    }
}

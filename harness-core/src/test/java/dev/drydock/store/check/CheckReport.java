package dev.drydock.store.check;

import java.util.List;

/**
 * The outcome of a {@link Workload} run: what ran (seed, counts), the linearizability verdict per key with its
 * timing, and the violations of the other checks. {@link #assertPasses()} fails a test with the seed and every
 * explanation.
 */
public record CheckReport(Workload.Config config, Stats stats, LinearizabilityChecker.Report linearizability,
        List<Violation> violations, long checkMillis, List<History.NemesisEvent> nemesis) {

    /** Counts of what the run did. */
    public record Stats(int ops, int ok, int failed, int unknown, int watchSegments, int watchEvents,
            int nemesisActions, long runMillis, long finalRevision, String settled) {
        @Override
        public String toString() {
            return String.format("%d ops (%d ok, %d failed, %d unknown) in %d ms up to revision %d; %d watch segments"
                    + " heard %d events; %d nemesis actions; %s", ops, ok, failed, unknown, runMillis, finalRevision,
                    watchSegments, watchEvents, nemesisActions, settled);
        }
    }

    /** True if no check found anything wrong (an undecided key is not wrong, see {@link #decided()}). */
    public boolean valid() {
        return violations.isEmpty() && !linearizability.anyNotLinearizable();
    }

    /** True if the linearizability search reached a verdict on every key. */
    public boolean decided() {
        return linearizability.keys().stream()
                .noneMatch(k -> k.verdict() == LinearizabilityChecker.Verdict.UNDECIDED);
    }

    /** The names of the checks that failed ({@code linearizability} included). */
    public List<String> failedChecks() {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        if (linearizability.anyNotLinearizable()) {
            out.add("linearizability");
        }
        violations.forEach(v -> out.add(v.check()));
        return List.copyOf(out);
    }

    /** Seed, counts and the checker's timing, one paragraph. */
    public String summary() {
        return String.format("store check, seed %d: %s%n  linearizability: %d key-ops over %d keys checked in %.1f ms"
                + " (all checks %d ms)%n%s", config.seed(), stats, linearizability.ops(),
                linearizability.keys().size(), linearizability.micros() / 1000.0, checkMillis,
                linearizability.summary());
    }

    /** Everything a failure needs: the seed to rerun, then each violation. */
    public String failureMessage() {
        StringBuilder b = new StringBuilder();
        b.append("Store check FAILED with seed ").append(config.seed())
                .append(" (rerun: Workload.Config.defaults(").append(config.seed()).append(")...)\n");
        b.append(summary());
        for (Violation v : violations) {
            b.append(v).append('\n');
        }
        if (!decided()) {
            b.append("The linearizability search gave up on some key: raise its bounds or shorten the run.\n");
        }
        if (!nemesis.isEmpty()) {
            // Sequence numbers are those of the operations' [invoke..complete] above, to read the faults of a time.
            b.append("Nemesis actions (at sequence):\n");
            int shown = Math.min(nemesis.size(), 40);
            for (History.NemesisEvent e : nemesis.subList(0, shown)) {
                b.append("  ").append(e.seq()).append(": ").append(e.what()).append('\n');
            }
            if (shown < nemesis.size()) {
                b.append("  ... and ").append(nemesis.size() - shown).append(" more\n");
            }
        }
        return b.toString();
    }

    /** Throws an {@link AssertionError} with {@link #failureMessage()} unless every check passed and decided. */
    public void assertPasses() {
        if (!valid() || !decided()) {
            throw new AssertionError(failureMessage());
        }
    }
}

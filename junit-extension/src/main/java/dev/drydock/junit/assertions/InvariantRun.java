package dev.drydock.junit.assertions;

import dev.drydock.cluster.DrydockCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One invariant being checked while its block runs: the checker thread, and the first violation it saw. A violation
 * is remembered, not thrown, so that the block runs to its end (the fault healed, the test's cleanup done) and the
 * report can show what happened after it too.
 */
final class InvariantRun {

    private final DrydockCluster cluster;
    private final String name;
    private final Invariants.Check check;
    private final Duration interval;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private final Instant start;
    private int checks;
    private Violation first;
    private Instant heldAgain;

    /**
     * What the check said when the invariant first did not hold, when that check began, and what the API showed
     * right after.
     */
    private record Violation(Instant at, long nanosIntoBlock, Throwable error, String state) {
    }

    InvariantRun(DrydockCluster cluster, String name, Invariants.Check check, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("an invariant's check interval must be positive, not " + interval);
        }
        this.cluster = cluster;
        this.name = name;
        this.check = check;
        this.interval = interval;
        this.start = cluster.clock().now();
        this.thread = new Thread(this::loop, "drydock-" + cluster.name() + "-invariant");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        try {
            while (checkOnce()) {
                if (done.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody but a JVM shutting down would; end as asked
        }
    }

    /**
     * Checks once and remembers the first violation.
     *
     * @return false when the check failed in a way that checking again cannot help (an {@link Error} other than an
     *         assertion's, such as a missing class)
     */
    private boolean checkOnce() {
        // When the check began: whatever it read, it read after this moment.
        Instant now = cluster.clock().now();
        long into = System.nanoTime() - startNanos;
        Throwable error = null;
        try {
            check.check(cluster);
        } catch (Throwable t) {
            error = t;
        }
        boolean firstViolation;
        synchronized (this) {
            checks++;
            if (error == null) {
                if (first != null && heldAgain == null) {
                    heldAgain = now;
                }
                return true;
            }
            firstViolation = first == null;
        }
        if (firstViolation) {
            String state = Reads.state(cluster); // outside the lock: it reads the API
            synchronized (this) {
                first = new Violation(now, into, error, state);
            }
        }
        return error instanceof Exception || error instanceof AssertionError;
    }

    /**
     * Stops the checker (waiting until its thread is gone), checks once more on the caller's thread, and returns the
     * failure to report, or null if the invariant held throughout.
     */
    AssertionError finish() {
        done.countDown();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // the thread ends on its own once done; keep the interrupt for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        checkOnce();
        synchronized (this) {
            return first == null ? null : failure();
        }
    }

    private AssertionError failure() {
        Violation v = first;
        StringBuilder s = new StringBuilder("invariant \"").append(name).append("\" was violated at ").append(v.at())
                .append(", ").append(Reads.seconds(Duration.ofNanos(v.nanosIntoBlock()))).append(" into the block that began at ")
                .append(start).append(" (checked ").append(checks).append(" times); ")
                .append(heldAgain == null ? "it still did not hold when the block ended"
                        : "it held again at " + heldAgain)
                .append(".\nwhat the check saw:\n")
                .append(String.valueOf(v.error() instanceof AssertionError ? v.error().getMessage() : v.error())
                        .indent(2))
                .append("what the API showed then:\n").append(v.state().indent(2))
                .append(Reads.timelineAround(cluster, v.at(), Invariants.TIMELINE_BEFORE, Invariants.TIMELINE_AFTER));
        AssertionError error = new AssertionError(s.toString());
        error.initCause(v.error());
        return error;
    }

    /** Throws a checked exception unchanged from a method that does not declare it: what a block threw. */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}

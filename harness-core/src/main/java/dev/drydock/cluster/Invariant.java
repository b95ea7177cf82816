package dev.drydock.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.chaos.Timeline;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An invariant over a cluster, checked continuously from {@code cluster.invariant(...)} until its handle is closed:
 * after every write to the cluster's store (coalesced: one check at a time, the next one covers what came meanwhile)
 * and every {@link #POLL} of the cluster's clock (not on a {@code ManualClock}, which a test may move by minutes at
 * once: there the writes alone trigger checks), on a lane of the cluster's shared workers, never a thread per
 * invariant. The first time it does not hold is remembered (when, what the check said, the nodes and pods the API
 * showed right after) and recorded on the cluster's {@link Timeline}; {@link #check()} and {@link #close()} then throw
 * an {@link AssertionError} naming the invariant, when it broke, what the check saw, and the timeline around that
 * moment.
 *
 * <pre>{@code
 * try (Invariant minAvailable = cluster.invariant("web keeps 2 available",
 *         c -> c.client().get(Resource.DEPLOYMENTS, "default", "web").at("/status/availableReplicas").asInt() >= 2)) {
 *     cluster.node("node-2").crash();
 *     // ... wait until the Deployment has replaced the node's pods
 * } // throws if it was ever violated
 * }</pre>
 *
 * <p>A check reads the cluster through its API ({@code c.client()}); a check that throws (an {@link AssertionError}
 * or any other exception, e.g. the API refusing it under a fault aimed at the {@code test} party) is a violation.
 * Invariants still open are listed by {@code cluster.invariants()}, so that a test framework can fail a test whose
 * invariant broke even if the test never closed it.
 */
public final class Invariant implements AutoCloseable {

    /** How often an open invariant is checked on the cluster's clock, besides after every write. */
    public static final Duration POLL = Duration.ofMillis(10);
    /** How much of the timeline before a violation its report shows. */
    public static final Duration TIMELINE_BEFORE = Duration.ofSeconds(5);
    /** How much of the timeline after a violation its report shows. */
    public static final Duration TIMELINE_AFTER = Duration.ofSeconds(2);

    /** A check that holds when it returns and is violated when it throws (an {@link AssertionError} saying why). */
    @FunctionalInterface
    public interface Check {
        /**
         * Checks the invariant once.
         *
         * @param cluster the cluster, to read through its API
         * @throws Exception (an {@link AssertionError} or any other) when the invariant does not hold
         */
        void check(DrydockCluster cluster) throws Exception;
    }

    /** The first violation: when the check that saw it began, what it said, and what the API showed right after. */
    private record Violation(Instant at, Throwable error, String state) {
    }

    private final DrydockCluster cluster;
    private final String name;
    private final Check check;
    private final InvariantChecker checker;
    private final Instant openedAt;
    private final Thread openedBy = Thread.currentThread();
    /** Held while a check runs, so that close() waits for one under way. */
    private final Object checking = new Object();
    // guarded by this
    private int checks;
    private Violation first;
    private Instant heldAgain;
    private boolean open = true;
    private boolean reported;

    Invariant(DrydockCluster cluster, String name, Check check, InvariantChecker checker) {
        this.cluster = cluster;
        this.name = Objects.requireNonNull(name, "name");
        this.check = Objects.requireNonNull(check, "check");
        this.checker = checker;
        this.openedAt = cluster.clock().now();
    }

    /** What the invariant says, e.g. {@code "web keeps 2 available"}. */
    public String name() {
        return name;
    }

    /**
     * Whether {@code thread} opened it: a test framework closes, after a test, the invariants its thread opened and
     * left open, and no other test's running alongside on the same cluster.
     *
     * @param thread a thread
     * @return whether {@code cluster.invariant(...)} was called on it
     */
    public boolean openedBy(Thread thread) {
        return openedBy == thread;
    }

    /** Whether it is still being checked (not closed, and its cluster not closed). */
    public synchronized boolean isOpen() {
        return open;
    }

    /** How many times it was checked so far. */
    public synchronized int checks() {
        return checks;
    }

    /** When it was first violated, on the cluster's clock; empty while it always held. */
    public synchronized Optional<Instant> violatedAt() {
        return first == null ? Optional.empty() : Optional.of(first.at());
    }

    /**
     * Checks once more, now, on the caller's thread, and fails if the invariant was ever violated; it stays open.
     *
     * @throws AssertionError naming the invariant, when it broke, what the check saw, and the timeline around it
     */
    public void check() {
        checkOnce();
        AssertionError failure = failure(false);
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Stops checking (waiting for a check under way), checks once more on the caller's thread, and fails if the
     * invariant was ever violated. Only the first close reports: closing again does nothing, so a test framework may
     * close what a test left open.
     *
     * @throws AssertionError naming the invariant, when it broke, what the check saw, and the timeline around it
     */
    @Override
    public void close() {
        boolean wasOpen;
        synchronized (this) {
            wasOpen = open;
            open = false;
        }
        checker.remove(this);
        if (wasOpen) {
            checkOnce();
            cluster.timeline().event("invariant", "stopped checking \"" + name + "\"");
        }
        AssertionError failure;
        synchronized (this) {
            if (reported) {
                return;
            }
            reported = true;
            failure = failure(true);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The cluster closed: no more checks; a violation is still reported by {@link #close()}. */
    synchronized void stop() {
        open = false;
    }

    /** Checks once (one check of this invariant at a time) and remembers the first violation. */
    void checkOnce() {
        synchronized (checking) {
            Instant now = cluster.clock().now(); // whatever the check read, it read after this moment
            Throwable error = null;
            try {
                check.check(cluster);
            } catch (Throwable t) {
                error = t;
                if (t instanceof VirtualMachineError vm) {
                    throw vm;
                }
            }
            boolean firstViolation;
            synchronized (this) {
                checks++;
                if (error == null) {
                    if (first != null && heldAgain == null) {
                        heldAgain = now;
                        cluster.timeline().event("invariant", "\"" + name + "\" holds again");
                    }
                    return;
                }
                firstViolation = first == null;
            }
            if (firstViolation) {
                String state = state(cluster); // outside the lock: it reads the API
                synchronized (this) {
                    first = new Violation(now, error, state);
                }
                cluster.timeline().error("invariant", "\"" + name + "\" violated: " + firstLine(error));
            }
        }
    }

    /** The failure to report, or null if the invariant always held. */
    private synchronized AssertionError failure(boolean closed) {
        Violation v = first;
        if (v == null) {
            return null;
        }
        StringBuilder s = new StringBuilder("invariant \"").append(name).append("\" was violated at ").append(v.at())
                .append(", ").append(seconds(Duration.between(openedAt, v.at()))).append(" after it was opened at ")
                .append(openedAt).append(" (checked ").append(checks).append(" times); ")
                .append(heldAgain != null ? "it held again at " + heldAgain
                        : closed ? "it still did not hold when it was closed" : "it does not hold now")
                .append(".\nwhat the check saw:\n")
                .append(String.valueOf(v.error() instanceof AssertionError ? v.error().getMessage() : v.error())
                        .indent(2))
                .append("what the API showed then:\n").append(v.state().indent(2))
                .append(timelineAround(cluster.timeline(), v.at(), TIMELINE_BEFORE, TIMELINE_AFTER));
        AssertionError error = new AssertionError(s.toString());
        error.initCause(v.error());
        return error;
    }

    private static String firstLine(Throwable error) {
        String m = error instanceof AssertionError && error.getMessage() != null ? error.getMessage()
                : error.toString();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl) + " ...";
    }

    @Override
    public String toString() {
        return "invariant \"" + name + "\"";
    }

    // ---- what a violation's report shows; shared with the JUnit assertions' invariants

    /** The nodes and pods (of all namespaces) as the API shows them now, one a line. */
    public static String state(DrydockCluster cluster) {
        StringBuilder s = new StringBuilder();
        try {
            s.append("nodes:\n");
            for (ObjectNode n : cluster.client().items(Resource.NODES, null, null)) {
                s.append("  ").append(Lines.node(n)).append('\n');
            }
            s.append("pods:\n");
            for (ObjectNode p : cluster.client().items(Resource.PODS, null, null)) {
                s.append("  ").append(Json.namespace(p)).append('/').append(Lines.pod(p)).append('\n');
            }
        } catch (ApiException | IllegalStateException e) {
            s.append("  (could not read: ").append(e.getMessage()).append(")\n");
        }
        return s.toString();
    }

    /** The timeline's entries from {@code before} ahead of {@code at} to {@code after} past it, {@code at} marked. */
    public static String timelineAround(Timeline timeline, Instant at, Duration before, Duration after) {
        Instant from = at.minus(before);
        Instant to = at.plus(after);
        StringBuilder s = new StringBuilder("timeline from ").append(seconds(before)).append(" before to ")
                .append(seconds(after)).append(" after:\n");
        boolean marked = false;
        for (Timeline.Entry e : timeline.entries()) {
            if (!marked && e.at().isAfter(at)) {
                s.append("  ").append(at).append("  >>> invariant violated <<<\n");
                marked = true;
            }
            if (!e.at().isBefore(from) && !e.at().isAfter(to)) {
                s.append("  ").append(e).append('\n');
            }
        }
        if (!marked) {
            s.append("  ").append(at).append("  >>> invariant violated <<<\n");
        }
        return s.toString();
    }

    /** A duration as people read it in a message: {@code 30 s}, {@code 1.5 s}, {@code 200 ms}. */
    static String seconds(Duration d) {
        return Lines.seconds(d);
    }

}

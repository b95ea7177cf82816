package dev.drydock.chaos;

import dev.drydock.base.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One cluster's record of what happened, in order: every fault injected, every notable event (nodes registered,
 * crashed, restarted...) and every distinct error of a component's sync. A failing test prints it, so the order of
 * faults and consequences can be read.
 */
public final class Timeline {

    /** One entry: when, what kind of thing, about whom, and what. */
    public record Entry(Instant at, String kind, String subject, String detail) {
        @Override
        public String toString() {
            return at + "  " + kind + "  " + subject + (detail == null || detail.isEmpty() ? "" : "  " + detail);
        }
    }

    private final Clock clock;
    private final List<Entry> entries = new ArrayList<>();
    private long syncFailures;

    public Timeline(Clock clock) {
        this.clock = clock;
    }

    /** Records a fault injected by the test. */
    public void fault(String subject, String detail) {
        add("fault", subject, detail);
    }

    /** Records a notable event of the cluster. */
    public void event(String subject, String detail) {
        add("event", subject, detail);
    }

    /** Records an error that a fault caused, e.g. API requests that a fault failed. */
    public void error(String subject, String detail) {
        add("error", subject, detail);
    }

    /**
     * Counts a failed sync of a component (a controller, the scheduler, a kubelet), and records it as an
     * {@code error} entry unless it repeats the key's previous error. Given to the components as their
     * {@link dev.drydock.base.SyncFailures}.
     */
    public synchronized void syncFailed(String queue, String key, Throwable error, boolean repeat) {
        syncFailures++;
        if (!repeat) {
            add("error", queue, "sync of " + key + " failed: " + error);
        }
    }

    /**
     * How many syncs of the cluster's components have failed so far, repeats included. A converged cluster adds
     * none: a figure that keeps growing is a component retrying something it cannot do.
     */
    public synchronized long syncFailures() {
        return syncFailures;
    }

    private synchronized void add(String kind, String subject, String detail) {
        entries.add(new Entry(clock.now(), kind, subject, detail));
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    @Override
    public synchronized String toString() {
        StringBuilder s = new StringBuilder();
        entries.forEach(e -> s.append(e).append('\n'));
        return s.toString();
    }
}

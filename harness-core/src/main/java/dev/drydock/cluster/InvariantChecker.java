package dev.drydock.cluster;

import dev.drydock.base.SerialExecutor;
import dev.drydock.base.Timers;
import dev.drydock.store.Store;
import dev.drydock.store.Watch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a cluster's open {@link Invariant}s: after every write to its store and every {@link Invariant#POLL} of its
 * clock, on one lane of the shared workers. Requests coalesce: while a run is queued, more writes add nothing, and
 * the run checks what they wrote. Costs nothing while no invariant is open (no watch, no timer).
 */
final class InvariantChecker {

    private static final Logger LOG = LoggerFactory.getLogger(InvariantChecker.class);

    private final Store store;
    private final Timers timers;
    private final SerialExecutor lane;
    private final List<Invariant> open = new ArrayList<>(); // guarded by this
    private Watch writes;       // guarded by this; while any is open
    private Timers.Task poll;   // guarded by this; while any is open
    private boolean queued;     // guarded by this
    private boolean stopped;    // guarded by this

    /**
     * @param timers the cluster's timers for the poll, or null for none: on a manual clock a test may advance minutes
     *               at once, which a 10 ms poll would turn into thousands of ticks; its writes still trigger checks
     */
    InvariantChecker(Store store, Timers timers, Executor workers) {
        this.store = store;
        this.timers = timers;
        this.lane = new SerialExecutor(workers);
    }

    /**
     * Starts checking {@code invariant}, continuously from now on.
     *
     * @throws IllegalStateException if the cluster is closed
     */
    synchronized void add(Invariant invariant) {
        if (stopped) {
            throw new IllegalStateException("the cluster is closed: no invariant can be checked on it");
        }
        open.add(invariant);
        if (writes == null) {
            writes = store.watch("/registry/", store.revision() + 1, events -> request());
            poll = timers == null ? null
                    : timers.every("invariant checks", Invariant.POLL, Invariant.POLL, this::request);
        }
    }

    /** Stops checking {@code invariant}; the last one closed stops the watch and the timer. */
    void remove(Invariant invariant) {
        Watch w = null;
        Timers.Task t = null;
        synchronized (this) {
            open.remove(invariant);
            if (open.isEmpty() && writes != null) {
                w = writes;
                t = poll;
                writes = null;
                poll = null;
            }
        }
        close(w, t);
    }

    /** The invariants being checked now, oldest first. */
    /** Whether a poll timer runs now (never on a manual clock): for tests. */
    synchronized boolean polling() {
        return poll != null;
    }

    synchronized List<Invariant> open() {
        return List.copyOf(open);
    }

    /** The cluster closes: nothing is checked any more; the open invariants keep what they saw, to report it. */
    void stop() {
        List<Invariant> left;
        Watch w;
        Timers.Task t;
        synchronized (this) {
            stopped = true;
            left = List.copyOf(open);
            w = writes;
            t = poll;
            writes = null;
            poll = null;
        }
        close(w, t);
        left.forEach(Invariant::stop);
    }

    private static void close(Watch w, Timers.Task t) {
        if (t != null) {
            t.cancel();
        }
        if (w != null) {
            w.close();
        }
    }

    /** Something changed, or the poll is due: one run of the checks, unless one is queued already. */
    private void request() {
        synchronized (this) {
            if (queued || open.isEmpty() || stopped) {
                return;
            }
            queued = true;
        }
        try {
            lane.execute(this::run);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                queued = false; // the cluster is closing
            }
        }
    }

    /** On the lane: checks every open invariant once. */
    private void run() {
        List<Invariant> now;
        synchronized (this) {
            queued = false;
            now = List.copyOf(open);
        }
        for (Invariant i : now) {
            if (i.isOpen()) {
                try {
                    i.checkOnce();
                } catch (RuntimeException | Error e) {
                    LOG.warn("checking {} failed: {}", i, e.toString(), e);
                }
            }
        }
    }
}

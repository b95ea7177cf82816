package dev.drydock.base;

import java.util.concurrent.Executor;

/**
 * What every component of a cluster shares: its name (for threads and labels), the seed, the timings, the timers
 * (on the cluster's clock), one pool of workers, and where failed syncs are counted. Components own no
 * threads of their own, and read time and set timers only through {@link #clock()} and {@link #timers()}.
 */
public record ComponentContext(String cluster, long seed, Timings timings, Timers timers, Executor workers,
                               SyncFailures syncFailures) {

    /** A context whose failed syncs are counted nowhere. */
    public ComponentContext(String cluster, long seed, Timings timings, Timers timers, Executor workers) {
        this(cluster, seed, timings, timers, workers, SyncFailures.IGNORE);
    }

    /** The cluster's clock: the timers'. */
    public Clock clock() {
        return timers.clock();
    }
}

package dev.drydock.base;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every component of a cluster shares: its name (for threads and labels), the clock, the seed, the timings,
 * one timer and one pool of workers, and where failed syncs are counted. Components own no threads of their own.
 */
public record ComponentContext(String cluster, Clock clock, long seed, Timings timings,
                               ScheduledExecutorService timer, Executor workers, SyncFailures syncFailures) {

    /** A context whose failed syncs are counted nowhere. */
    public ComponentContext(String cluster, Clock clock, long seed, Timings timings, ScheduledExecutorService timer,
                            Executor workers) {
        this(cluster, clock, seed, timings, timer, workers, SyncFailures.IGNORE);
    }
}

package dev.drydock.base;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The timers of a cluster, on the cluster's {@link Clock}: every delayed or periodic piece of work of a component
 * (heartbeats, node monitoring, eviction, work-queue back-off, informer retries, compaction) is scheduled here, never
 * on a timer or a sleep of its own, so that a test can run the whole cluster on a {@link ManualClock} and move its time
 * with {@link ManualClock#advance(Duration)}.
 *
 * <p>On the system clock (or any clock but a {@link ManualClock}) the timers are one timer thread,
 * {@code drydock-<cluster>-timer}, that only tells the time: periodic work runs on the cluster's shared workers. On a
 * {@link ManualClock} they have no thread at all: timers fire inside {@code advance()}, in time order.
 *
 * <pre>{@code
 * Timers.Task renewals = ctx.timers().every("node-1 lease renewal", Duration.ZERO,
 *         ctx.timings().nodeLeaseRenewInterval(), this::renewLease);
 * ...
 * renewals.cancel();
 * }</pre>
 */
public interface Timers extends AutoCloseable {

    /** What was scheduled, to cancel it. */
    interface Task {
        /** Cancels the task: a one-shot task that has not started does not run, a periodic one runs no more. */
        void cancel();
    }

    /**
     * Timers on {@code clock}: a {@link ManualClock}'s own timers for a manual clock, otherwise one timer thread
     * named {@code drydock-<cluster>-timer} waiting real time. Periodic work runs on {@code workers}.
     */
    static Timers create(String cluster, Clock clock, Executor workers) {
        if (clock instanceof ManualClock manual) {
            return manual.timers(workers);
        }
        return new SystemTimers(clock, Threads.factory(cluster, "timer"), workers);
    }

    /** The clock whose time these timers wait for. */
    Clock clock();

    /**
     * Runs {@code task} once, {@code delay} from now on the clock; a zero or negative delay runs it at once. The task
     * runs on the timer (on a {@link ManualClock}: inside {@code advance()}, or on the workers if it is due at once
     * while no {@code advance()} is under way), so it must be short: enqueue a key, hand work to the workers. A task
     * that throws is logged at warn.
     *
     * @throws java.util.concurrent.RejectedExecutionException once the timers are closed
     */
    Task after(Duration delay, Runnable task);

    /**
     * Runs {@code work} on the shared workers after {@code initialDelay}, then every {@code period} after. On a
     * system clock a tick that finds the previous run still busy is skipped rather than queued, so one slow API call
     * never piles up runs; on a {@link ManualClock} no tick is skipped: {@code advance()} runs each tick at its time
     * and waits for it. A run that throws is logged at warn once per streak of failures (again when the error changes
     * and after 10, 100, 1000... failures in a row), and at info when the work succeeds again.
     *
     * @param name what the work is, for the log, e.g. {@code node-1 lease renewal}
     * @throws java.util.concurrent.RejectedExecutionException once the timers are closed
     */
    Task every(String name, Duration initialDelay, Duration period, Runnable work);

    /**
     * As {@link #every(String, Duration, Duration, Runnable)}, with each run handed to {@code executor} (e.g. the
     * workers' {@link Workers#urgent() urgent} lane) rather than to the shared workers' line. Timers that run their
     * work themselves (a {@link ManualClock}'s) ignore it.
     */
    default Task every(String name, Duration initialDelay, Duration period, Runnable work, Executor executor) {
        return every(name, initialDelay, period, work);
    }

    /**
     * Runs {@code work} once, at once, on the shared workers: as the first run of {@link #every} with no initial
     * delay, also on a {@link ManualClock}, whose next {@code advance()} waits for it before time moves on, so that
     * it ends at the time it was due at. A run that throws is logged at warn.
     *
     * @param name what the work is, for the log
     * @throws java.util.concurrent.RejectedExecutionException once the timers are closed
     */
    default void runNow(String name, Runnable work) {
        after(Duration.ZERO, work);
    }

    /**
     * These timers as a {@link ScheduledExecutorService}, for code that takes one (the API server, the container
     * runtime SPI's {@code NodeContext}): its tasks wait on this clock and run on the timer. Do not shut it down:
     * closing the timers stops it.
     */
    ScheduledExecutorService asScheduledExecutorService();

    /** Cancels every timer and stops the timer thread, if any, waiting until it is gone. */
    @Override
    void close();
}

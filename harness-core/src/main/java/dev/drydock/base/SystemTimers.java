package dev.drydock.base;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Timers waiting real time: one timer thread that only tells the time; periodic work runs on the workers. */
final class SystemTimers implements Timers {

    private static final Logger LOG = LoggerFactory.getLogger(SystemTimers.class);

    private final Clock clock;
    private final Threads.Factory threads;
    private final Executor workers;
    private final ScheduledThreadPoolExecutor timer;

    SystemTimers(Clock clock, Threads.Factory threads, Executor workers) {
        this.clock = clock;
        this.threads = threads;
        this.workers = workers;
        this.timer = new ScheduledThreadPoolExecutor(1, threads);
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Task after(Duration delay, Runnable task) {
        ScheduledFuture<?> f = timer.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("a timer task failed", e); // a scheduled future would keep it where no one looks
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void runNow(String name, Runnable work) {
        Periodic run = new Periodic(name, work);
        run.tryStart();
        workers.execute(run::run);
    }

    @Override
    public Task every(String name, Duration initialDelay, Duration period, Runnable work) {
        return every(name, initialDelay, period, work, workers);
    }

    @Override
    public Task every(String name, Duration initialDelay, Duration period, Runnable work, Executor executor) {
        requirePositive(period);
        Periodic periodic = new Periodic(name, work);
        ScheduledFuture<?> f = timer.scheduleWithFixedDelay(() -> {
            if (periodic.tryStart()) {
                try {
                    executor.execute(periodic::run);
                } catch (RejectedExecutionException e) {
                    periodic.release(); // shutting down
                }
            }
        }, Math.max(0, initialDelay.toNanos()), period.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    static void requirePositive(Duration period) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a period must be positive, not " + period);
        }
    }

    @Override
    public ScheduledExecutorService asScheduledExecutorService() {
        return timer;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            // A terminated executor may still have its thread on its way out: wait until it is gone.
            if (!timer.awaitTermination(5, TimeUnit.SECONDS) | !threads.join(5_000)) {
                LOG.warn("the timer thread is still running 5 s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.drydock.base;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic work of a component (heartbeats, health checks): the shared timer only tells the time, and the work runs
 * on the shared workers, so one slow API call never delays every other timer of the cluster. A tick that finds the
 * previous run still busy is skipped rather than queued.
 */
public final class Periodic {

    private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);

    private Periodic() {
    }

    public static ScheduledFuture<?> every(ComponentContext ctx, long initialDelayMillis, long periodMillis,
                                           Runnable task) {
        return every(ctx.timer(), ctx.workers(), initialDelayMillis, periodMillis, task);
    }

    public static ScheduledFuture<?> every(ScheduledExecutorService timer, Executor workers, long initialDelayMillis,
                                           long periodMillis, Runnable task) {
        AtomicBoolean busy = new AtomicBoolean();
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.debug("periodic task failed: {}", e.toString());
            } finally {
                busy.set(false);
            }
        };
        return timer.scheduleWithFixedDelay(() -> {
            if (busy.compareAndSet(false, true)) {
                try {
                    workers.execute(guarded);
                } catch (RejectedExecutionException e) {
                    busy.set(false); // shutting down
                }
            }
        }, initialDelayMillis, periodMillis, TimeUnit.MILLISECONDS);
    }
}

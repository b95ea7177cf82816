package dev.drydock.base;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A {@link ScheduledExecutorService} whose tasks wait on the clock of timers and run on its timer: the manual
 * clock's answer to {@link Timers#asScheduledExecutorService()}, for code that takes an executor service (the
 * container runtime SPI). It owns nothing: shutting it down does nothing, closing its timers stops it.
 */
final class ManualExecutorView extends AbstractExecutorService implements ScheduledExecutorService {

    private final Timers timers;
    private final BooleanSupplier closed;

    ManualExecutorView(Timers timers, BooleanSupplier closed) {
        this.timers = timers;
        this.closed = closed;
    }

    @Override
    public void execute(Runnable command) {
        timers.after(Duration.ZERO, command);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(Executors.callable(command), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return start(new Timed<>(callable, 0), unit.toNanos(delay));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        SystemTimers.requirePositive(Duration.ofNanos(unit.toNanos(period)));
        return start(new Timed<>(Executors.callable(command), unit.toNanos(period)), unit.toNanos(initialDelay));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        SystemTimers.requirePositive(Duration.ofNanos(unit.toNanos(delay)));
        return start(new Timed<>(Executors.callable(command), -unit.toNanos(delay)), unit.toNanos(initialDelay));
    }

    private <V> Timed<V> start(Timed<V> t, long delayNanos) {
        t.due = timers.clock().nanoTime() + delayNanos;
        t.task = timers.after(Duration.ofNanos(delayNanos), t);
        return t;
    }

    @Override
    public void shutdown() {
        // the timers' owner closes them
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return closed.getAsBoolean();
    }

    @Override
    public boolean isTerminated() {
        return closed.getAsBoolean();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return closed.getAsBoolean();
    }

    /** A task on the clock; {@code period} 0 for one shot, above 0 at a fixed rate, below 0 with a fixed delay. */
    private final class Timed<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private final long period;
        private volatile long due;
        private volatile Timers.Task task;

        Timed(Callable<V> callable, long period) {
            super(callable);
            this.period = period;
        }

        @Override
        public void run() {
            if (period == 0) {
                super.run();
            } else if (runAndReset() && !isCancelled()) {
                long now = timers.clock().nanoTime();
                due = period > 0 ? due + period : now - period;
                task = timers.after(Duration.ofNanos(due - now), this);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            Timers.Task t = task;
            if (t != null) {
                t.cancel();
            }
            return cancelled;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - timers.clock().nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}

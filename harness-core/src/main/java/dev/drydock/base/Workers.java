package dev.drydock.base;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cluster's shared worker threads: tasks run in the order they came, except that those handed to {@link #urgent()}
 * go before every ordinary one waiting, and those handed to {@link #background()} after them. Node heartbeats are
 * urgent: on Kubernetes a kubelet renews its Lease from its own machine, whatever the control plane is busy with, so
 * here a backlog of thousands of syncs (a burst of 10,000 pods) must not hold them back past
 * {@code nodeMonitorGracePeriod} and have healthy nodes declared unreachable. Urgent work must stay small, or it would
 * starve the rest in turn. Background work (writing Events) is what kube does on goroutines of its own beside a
 * component's work: here it waits until no heartbeat, sync or pod's work waits, so it never delays them; it must
 * bound what it queues meanwhile itself.
 */
public final class Workers implements Executor {

    private static final int URGENT = 0;
    private static final int ORDINARY = 1;
    private static final int BACKGROUND = 2;

    private final ThreadPoolExecutor pool;
    private final AtomicLong seq = new AtomicLong();
    private final Executor urgent = task -> submit(URGENT, task);
    private final Executor background = task -> submit(BACKGROUND, task);

    /** {@code threads} threads from {@code factory}, each ending after 30 s without work. */
    public Workers(int threads, ThreadFactory factory) {
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new PriorityBlockingQueue<>(),
                factory);
        pool.allowCoreThreadTimeOut(true);
    }

    /** The urgent lane of {@code workers} if they are a cluster's {@link Workers}, else {@code workers} itself. */
    public static Executor urgent(Executor workers) {
        return workers instanceof Workers w ? w.urgent() : workers;
    }

    /** The background lane of {@code workers} if they are a cluster's {@link Workers}, else {@code workers} itself. */
    public static Executor background(Executor workers) {
        return workers instanceof Workers w ? w.background() : workers;
    }

    @Override
    public void execute(Runnable task) {
        submit(ORDINARY, task);
    }

    /** Runs its tasks before the ordinary ones waiting (and in the order they came among themselves). */
    public Executor urgent() {
        return urgent;
    }

    /** Runs its tasks only when no urgent or ordinary task waits (and in the order they came among themselves). */
    public Executor background() {
        return background;
    }

    private void submit(int rank, Runnable task) {
        pool.execute(new RankedTask(rank, seq.getAndIncrement(), Objects.requireNonNull(task, "task")));
    }

    /** Stops taking tasks, drops those waiting and interrupts those running. */
    public void shutdownNow() {
        pool.shutdownNow();
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(timeout, unit);
    }
}

package dev.drydock.base;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks in the order they came on a shared executor, at most {@code parallelism} at once: tasks wait in one
 * queue of its own, and at most {@code parallelism} drainers on the backing executor take them in turn until it is
 * empty. A burst of a thousand tasks (a watch event fanned out to a thousand watchers) costs a few hand-offs to the
 * backing pool and a few thread wake-ups, not a thousand; a task that blocks holds one drainer while the others go
 * on, as it would hold one thread of a pool of {@code parallelism} threads.
 */
public final class BoundedExecutor implements Executor {

    private final Executor backing;
    private final int parallelism;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger drainers = new AtomicInteger();
    private final Runnable drain = this::drain;

    /**
     * @param backing     runs the drainers (a pool of at least {@code parallelism} threads, for them to run at once)
     * @param parallelism the most tasks run at once
     */
    public BoundedExecutor(Executor backing, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        }
        this.backing = Objects.requireNonNull(backing, "backing");
        this.parallelism = parallelism;
    }

    /**
     * {@code executor} itself if it is a bounded executor, else one over it that runs as many tasks at once as it
     * has threads at most (a {@link ThreadPoolExecutor}'s maximum pool size or a {@link ForkJoinPool}'s
     * parallelism), or else as many as the machine has processors, and at least 2.
     */
    public static BoundedExecutor over(Executor executor) {
        if (executor instanceof BoundedExecutor b) {
            return b;
        }
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        if (executor instanceof ThreadPoolExecutor t && t.getMaximumPoolSize() < 1024) {
            threads = t.getMaximumPoolSize();
        } else if (executor instanceof ForkJoinPool f) {
            threads = f.getParallelism();
        }
        return new BoundedExecutor(executor, threads);
    }

    /** The most tasks run at once. */
    public int parallelism() {
        return parallelism;
    }

    /**
     * Queues {@code task}.
     *
     * @throws RejectedExecutionException if the backing executor is shut down, or rejects a drainer
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (backing instanceof ExecutorService s && s.isShutdown()) {
            throw new RejectedExecutionException("the backing executor is shut down");
        }
        tasks.add(task);
        if (claimDrainer()) {
            try {
                backing.execute(drain);
            } catch (RejectedExecutionException e) {
                drainers.decrementAndGet();
                tasks.remove(task);
                throw e;
            }
        }
    }

    /**
     * Queues {@code batch} in its order as {@link #execute} would one by one, at the cost of one hand-off to the queue
     * and at most {@code parallelism} to the backing executor.
     *
     * @throws RejectedExecutionException if the backing executor is shut down, or rejects a drainer (then none of the
     *                                    batch is queued)
     */
    public void executeAll(List<? extends Runnable> batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (backing instanceof ExecutorService s && s.isShutdown()) {
            throw new RejectedExecutionException("the backing executor is shut down");
        }
        tasks.addAll(batch);
        for (int i = Math.min(parallelism, batch.size()); i > 0 && claimDrainer(); i--) {
            try {
                backing.execute(drain);
            } catch (RejectedExecutionException e) {
                drainers.decrementAndGet();
                tasks.removeAll(batch);
                throw e;
            }
        }
    }

    /** Counts one more drainer, if fewer than {@code parallelism} run. */
    private boolean claimDrainer() {
        while (true) {
            int n = drainers.get();
            if (n >= parallelism) {
                return false;
            }
            if (drainers.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    private void drain() {
        while (true) {
            Runnable next = tasks.poll();
            if (next == null) {
                drainers.decrementAndGet();
                // A task queued since the poll may have found every drainer still counted, and started none.
                if (tasks.isEmpty() || !claimDrainer()) {
                    return;
                }
                continue;
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                // The task's failure is its own: this drainer's thread goes (as a pool's does), another takes over.
                drainers.decrementAndGet();
                if (!tasks.isEmpty() && claimDrainer()) {
                    try {
                        backing.execute(drain);
                    } catch (RejectedExecutionException r) {
                        drainers.decrementAndGet();
                        e.addSuppressed(r);
                    }
                }
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return "BoundedExecutor[" + drainers.get() + "/" + parallelism + " drainers, " + tasks.size() + " waiting]";
    }
}

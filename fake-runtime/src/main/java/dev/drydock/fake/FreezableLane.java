package dev.drydock.fake;

import dev.drydock.base.SerialExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A serial lane on the node's shared workers that can be frozen, as the cgroup freezer freezes a container: while
 * frozen, what is submitted waits, in order, and runs when thawed. What must get through a freeze (a kill, a cancel)
 * is {@link #execute}d past it.
 */
final class FreezableLane {

    private final SerialExecutor lane;
    private final Runnable onRejected;
    private final List<Runnable> held = new ArrayList<>(); // guarded by itself
    private boolean frozen; // guarded by held

    /**
     * @param workers    the node's shared workers
     * @param onRejected what to do when the workers refuse a task (the cluster is closing)
     */
    FreezableLane(Executor workers, Runnable onRejected) {
        this.lane = new SerialExecutor(workers);
        this.onRejected = onRejected;
    }

    /** Runs {@code task} on the lane, or, while frozen, once thawed. */
    void submit(Runnable task) {
        synchronized (held) {
            if (frozen) {
                held.add(task);
                return;
            }
            execute(task);
        }
    }

    /** Runs {@code task} on the lane even while frozen. */
    void execute(Runnable task) {
        try {
            lane.execute(task);
        } catch (RejectedExecutionException e) {
            onRejected.run();
        }
    }

    /** From now on, what is submitted waits until {@link #thaw()}; a task already running finishes. Idempotent. */
    void freeze() {
        synchronized (held) {
            frozen = true;
        }
    }

    /** Runs what waited, first and in order, then what comes. Idempotent. */
    void thaw() {
        synchronized (held) {
            if (!frozen) {
                return;
            }
            frozen = false;
            held.forEach(this::execute);
            held.clear();
        }
    }
}

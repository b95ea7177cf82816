package dev.drydock.base;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in order, on a shared executor: a lane of its own for a component that must not run two
 * tasks at once (the scheduler's cycle), without a thread of its own and without holding pool threads while waiting.
 */
public final class SerialExecutor implements Executor {

    private final Executor backing;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    public SerialExecutor(Executor backing) {
        this.backing = backing;
    }

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(task);
        if (!running) {
            running = true;
            backing.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                // The task's failure is its own; the lane goes on with the next task on a fresh pool thread.
                synchronized (this) {
                    running = !tasks.isEmpty();
                    if (running) {
                        backing.execute(this::drain);
                    }
                }
                throw e;
            }
        }
    }
}

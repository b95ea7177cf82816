package dev.drydock.store;

import dev.drydock.base.SerialExecutor;
import io.microraft.executor.RaftNodeExecutor;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica incarnation's executor: its tasks run one at a time, in order, on the store's shared threads (no thread
 * per replica), and its timers run {@code speedUp} times sooner than asked, with a little seeded jitter so that two
 * replicas' timers never run in lockstep (which would split their votes again and again). Once stopped, it drops
 * every task.
 */
final class ReplicaLane implements RaftNodeExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaLane.class);

    private final String name;
    private final ScheduledExecutorService pool;
    private final SerialExecutor serial;
    private final long speedUp;
    private final Random random;
    private volatile boolean stopped;
    /** Whether this lane's first heartbeat check runs at once rather than a heartbeat period after start. */
    private volatile boolean eagerFirstHeartbeat;
    /** A slow replica (see {@link #slow}): each task waits this long, in order, in {@link #held}. */
    private long delayNanos;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    /** Whether tasks go through {@link #held}: while slowed, and until the held ones have run. */
    private volatile boolean holding;

    private record Held(long due, Runnable task) {
    }

    ReplicaLane(String name, ScheduledExecutorService pool, long speedUp, Random random) {
        this.name = name;
        this.pool = pool;
        this.serial = new SerialExecutor(pool);
        this.speedUp = speedUp;
        this.random = random;
    }

    @Override
    public void execute(Runnable task) {
        if (stopped) {
            return;
        }
        if (holding && hold(task)) {
            return;
        }
        try {
            serial.execute(() -> run(task));
        } catch (RejectedExecutionException e) {
            stopped = true; // the store is closing
        }
    }

    @Override
    public void submit(Runnable task) {
        execute(task);
    }

    @Override
    public void schedule(Runnable task, long delay, TimeUnit unit) {
        if (stopped) {
            return;
        }
        long nanos = unit.toNanos(delay) / speedUp;
        if (eagerFirstHeartbeat && task.getClass().getSimpleName().equals("HeartbeatTask")) {
            // MicroRaft's first heartbeat check of a follower without a leader starts an election.
            eagerFirstHeartbeat = false;
            execute(task);
            return;
        }
        double jitter;
        synchronized (random) {
            jitter = random.nextDouble();
        }
        nanos += (long) (nanos * 0.2 * jitter);
        try {
            pool.schedule(() -> execute(task), nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            stopped = true;
        }
    }

    /**
     * Makes the replica's first heartbeat check (MicroRaft's {@code HeartbeatTask}) run at once: a new group whose
     * first replica does so elects it in a round trip, instead of every replica starting an election a heartbeat
     * period later at the same moment and splitting the votes. Without effect if MicroRaft renames the task.
     */
    void startElectionAtOnce() {
        eagerFirstHeartbeat = true;
    }

    /**
     * Slows this replica down, as an etcd member on a slow disk: from now on each of its tasks (applying an entry,
     * persisting, answering a message, a timer) runs {@code nanos} after it was submitted, in submission order, without
     * holding a thread; 0 lifts it, and the tasks held run at once, in order.
     */
    synchronized void slow(long nanos) {
        delayNanos = nanos;
        if (nanos > 0) {
            holding = true;
        } else if (held.isEmpty()) {
            holding = false;
        } else {
            long now = System.nanoTime();
            for (int i = held.size(); i > 0; i--) {
                Held h = held.poll();
                held.add(new Held(Math.min(h.due(), now), h.task()));
            }
            scheduleRelease(0);
        }
    }

    /** Queues a task behind the held ones; false if the lane no longer holds tasks (run it at once). */
    private synchronized boolean hold(Runnable task) {
        if (!holding) {
            return false;
        }
        held.add(new Held(System.nanoTime() + delayNanos, task));
        if (held.size() == 1) {
            scheduleRelease(delayNanos);
        }
        return true;
    }

    private void scheduleRelease(long nanos) {
        try {
            pool.schedule(this::release, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            stopped = true;
        }
    }

    /** Hands the held tasks that are due to the lane, in order; schedules itself for the next one. */
    private synchronized void release() {
        long now = System.nanoTime();
        while (!held.isEmpty() && held.peek().due() - now <= 0) {
            Runnable task = held.poll().task();
            try {
                serial.execute(() -> run(task));
            } catch (RejectedExecutionException e) {
                stopped = true;
                return;
            }
        }
        if (!held.isEmpty()) {
            scheduleRelease(held.peek().due() - now);
        } else if (delayNanos == 0) {
            holding = false;
        }
    }

    /** Drops every task from now on. */
    void stop() {
        stopped = true;
    }

    boolean isStopped() {
        return stopped;
    }

    private void run(Runnable task) {
        if (stopped) {
            return;
        }
        try {
            task.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            LOG.warn("store replica {}: a task failed", name, e);
        }
    }
}

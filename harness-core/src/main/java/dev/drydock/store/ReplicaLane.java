package dev.drydock.store;

import io.microraft.executor.RaftNodeExecutor;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica incarnation's executor: its tasks run one at a time, in order, on the thread that found the lane idle
 * or on the store's shared threads (no thread per replica; see {@link #execute}), and its timers run {@code speedUp} times sooner than asked, with a little seeded jitter so that two
 * replicas' timers never run in lockstep (which would split their votes again and again). Once stopped, it drops
 * every task.
 */
final class ReplicaLane implements RaftNodeExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaLane.class);
    /** How deep lanes run one another's tasks on one thread: a leader's append running its followers' appends. */
    private static final int MAX_INLINE_DEPTH = 3;
    /** How many tasks a thread that found a lane idle runs before handing the rest to the store's threads. */
    private static final int MAX_INLINE_TASKS = 64;
    /**
     * For the current thread: how many lanes it is running tasks of, one inside another, and whether it asked for a
     * lane's tasks to run on it ({@link #runHere}).
     */
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[2]);

    private final String name;
    private final ScheduledExecutorService pool;
    /** The tasks waiting to run, in order; guarded by itself, as {@link #running} is. */
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    /** Whether some thread is running this lane's tasks (and runs those queued meanwhile). */
    private boolean running;
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
        this.speedUp = speedUp;
        this.random = random;
    }

    /** Runs {@code task} after the lane's earlier tasks (on which thread: see {@link #enqueue}). */
    @Override
    public void execute(Runnable task) {
        if (stopped) {
            return;
        }
        if (holding && hold(task)) {
            return;
        }
        enqueue(task);
    }

    /**
     * Queues a task; if the lane is idle and the caller asked for it ({@link #runHere}) or is running another lane's
     * task, runs it (and what is queued meanwhile) at once on the caller's thread, as
     * etcd's raft loop handles a proposal without a hand-off: a write proposed, appended by the followers and
     * committed runs on the thread that asked for it, with no thread woken for each message between the replicas
     * (all in this JVM). A lane already running another lane's task on this thread runs at most
     * {@value #MAX_INLINE_DEPTH} deep; a caller runs at most {@value #MAX_INLINE_TASKS} tasks before handing the
     * rest of the lane to the store's threads.
     */
    private void enqueue(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        int[] depth = DEPTH.get();
        if (depth[0] == 0 && depth[1] == 0 || depth[0] >= MAX_INLINE_DEPTH) {
            handOff(); // a thread that did not ask (it may hold a lock a task needs), or deep enough
            return;
        }
        depth[0]++;
        try {
            drain(MAX_INLINE_TASKS);
        } finally {
            depth[0]--;
        }
    }

    /**
     * Runs {@code request} (a proposal or query handed to a replica) so that the lanes it finds idle run their tasks
     * on this thread at once. The caller must hold no lock a replica's task may take.
     */
    static <T> T runHere(Supplier<T> request) {
        int[] depth = DEPTH.get();
        int asked = depth[1];
        depth[1] = 1;
        try {
            return request.get();
        } finally {
            depth[1] = asked;
        }
    }

    /** Runs the lane's queued tasks on the store's threads. */
    private void handOff() {
        try {
            pool.execute(() -> {
                int[] depth = DEPTH.get();
                depth[0]++;
                try {
                    drain(Integer.MAX_VALUE);
                } finally {
                    depth[0]--;
                }
            });
        } catch (RejectedExecutionException e) {
            stopped = true; // the store is closing: the queued tasks are dropped
        }
    }

    /** Runs queued tasks in order until none is left, or hands the lane off after {@code max} of them. */
    private void drain(int max) {
        for (int n = 0; ; n++) {
            Runnable next;
            synchronized (tasks) {
                if (n >= max && !tasks.isEmpty()) {
                    handOff(); // still running: the pool's thread goes on with the rest
                    return;
                }
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            boolean ran = false;
            try {
                run(next);
                ran = true;
            } finally {
                if (!ran) {
                    handOff(); // an Error out of a task: the lane goes on with its next task elsewhere
                }
            }
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
            synchronized (tasks) {
                tasks.add(task);
                if (running) {
                    continue;
                }
                running = true;
            }
            handOff(); // not on this thread, which holds the lane's lock
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

package dev.drydock.store;

import dev.drydock.base.SerialExecutor;
import io.microraft.executor.RaftNodeExecutor;
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

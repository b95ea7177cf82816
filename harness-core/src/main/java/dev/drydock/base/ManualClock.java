package dev.drydock.base;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clock that moves only when a test moves it: {@link #now()} and {@link #nanoTime()} stand still until
 * {@link #advance(Duration)}, which runs every timer that falls due on the way, in time order (timers due at the
 * same instant in the order they were scheduled), each seeing the clock at its own due time. A cluster started on it
 * runs its heartbeats, node monitoring, eviction, back-offs and retries on this clock, so a test of node failure
 * takes milliseconds, not the minutes it models:
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().clock(clock))) {
 *     cluster.node("node-1").crash();
 *     clock.advance(cluster.timings().nodeMonitorGracePeriod().plusSeconds(1));
 *     await().untilAsserted(() -> assertThat(readyOf("node-1")).isEqualTo("Unknown"));
 * }
 * }</pre>
 *
 * <p>What moves only with {@code advance()}: every timer of the cluster's components, their periodic work, and work
 * queues' and informers' retries (a failed sync retries after its back-off, so a test that waits for a result of
 * retried work advances the clock in small steps while it waits). Periodic work runs on the cluster's workers and
 * {@code advance()} waits for each run, so it is over when {@code advance()} returns; what a timer only hands on (a
 * key added to a work queue, whose sync runs on the workers) may still be running: await its effects. Work due at
 * once ({@code Duration.ZERO}) outside an {@code advance()} runs at once on the workers, so a cluster starts without
 * being advanced; the next {@code advance()} waits for such periodic work to finish before it moves the time, so
 * that the work sees the time it was due at.
 *
 * <p>What the API server decides by time moves with this clock too: a watch's {@code timeoutSeconds} and the default
 * timeout of one that names none, bookmarks, and the break of a watch whose link is cut. What keeps real time is what
 * holds a thread until it is over (the thread that would advance the clock may be that one, or wait for it): the
 * replicated store's Raft heartbeats, elections and request timeouts, and its lease expiry (so Events expire after
 * their TTL in real time), the API server's waits for and retries against the store, and API faults' delays. These
 * keep a leader and a serving API whatever the test does with the clock.
 *
 * <p>One clock may serve several clusters in turn; {@code advance()} is called by one thread at a time (others wait)
 * and never from a timer's own task.
 */
public final class ManualClock implements Clock {

    private static final Logger LOG = LoggerFactory.getLogger(ManualClock.class);
    /** Where {@link #nanoTime()} starts: arbitrary, as {@link System#nanoTime()}'s origin is, but not zero. */
    private static final long ORIGIN = TimeUnit.HOURS.toNanos(1);

    private final Instant start;
    private final ReentrantLock advancing = new ReentrantLock();
    private final Object lock = new Object();
    private final TreeSet<Entry> timers = new TreeSet<>(Comparator.comparingLong((Entry e) -> e.due)
            .thenComparingLong(e -> e.seq));
    /** Nanoseconds advanced since the start; written under {@code lock}. */
    private volatile long elapsed;
    private long seq;
    private boolean inAdvance;
    /** Periodic work whose first run started at once, outside an advance: the next advance waits for it first. */
    private final Set<Periodic> startedAtOnce = ConcurrentHashMap.newKeySet();

    /** A clock standing at the current system time (to the second), until advanced. */
    public ManualClock() {
        this(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** A clock standing at {@code start} until advanced: the same timestamps on every run. */
    public ManualClock(Instant start) {
        if (start == null) {
            throw new IllegalArgumentException("start must not be null");
        }
        this.start = start;
    }

    @Override
    public Instant now() {
        return start.plusNanos(elapsed);
    }

    @Override
    public long nanoTime() {
        return ORIGIN + elapsed;
    }

    /**
     * Moves the clock forward by {@code by}, running every timer that falls due on the way in time order, and the
     * timers those schedule if they fall due too. Periodic work is over when this returns.
     *
     * @throws IllegalArgumentException if {@code by} is negative
     * @throws IllegalStateException    if called from a timer's task of this clock
     */
    public void advance(Duration by) {
        if (by == null || by.isNegative()) {
            throw new IllegalArgumentException("a clock advances by zero or more, not " + by);
        }
        if (advancing.isHeldByCurrentThread()) {
            throw new IllegalStateException("advance() called from a timer of the same clock");
        }
        advancing.lock();
        try {
            awaitRunsStartedAtOnce();
            long target;
            synchronized (lock) {
                target = Math.addExact(elapsed, by.toNanos());
                inAdvance = true;
            }
            while (true) {
                Entry next;
                synchronized (lock) {
                    next = timers.isEmpty() ? null : timers.first();
                    if (next == null || next.due > target) {
                        elapsed = target;
                        inAdvance = false;
                        return;
                    }
                    timers.pollFirst();
                    if (next.due > elapsed) {
                        elapsed = next.due;
                    }
                }
                try {
                    next.action.run();
                } catch (RuntimeException e) {
                    LOG.warn("a timer task failed", e);
                }
            }
        } finally {
            synchronized (lock) {
                inAdvance = false; // also when a task threw an Error
            }
            advancing.unlock();
        }
    }

    /**
     * Waits for the runs of periodic work that started at once, outside an advance, so that each ends at the time it
     * was due at before time moves on.
     */
    private void awaitRunsStartedAtOnce() {
        for (Periodic p : startedAtOnce) {
            try {
                p.awaitIdle();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            startedAtOnce.remove(p);
        }
    }

    /** How many timers wait for this clock (cancelled ones are gone at once): e.g. none once a cluster closed. */
    public int pendingTimers() {
        synchronized (lock) {
            return timers.size();
        }
    }

    @Override
    public String toString() {
        return "ManualClock[" + now() + "]";
    }

    /** Timers on this clock whose periodic work runs on {@code workers}. */
    Timers timers(Executor workers) {
        return new ManualTimers(workers);
    }

    /**
     * Enqueues {@code action} {@code delayNanos} from now; null if it is due now and no {@code advance()} is under
     * way to run it, in which case the caller runs it at once.
     */
    private Entry enqueue(ManualTimers owner, long delayNanos, Runnable action) {
        synchronized (lock) {
            if (owner.closed) {
                throw new RejectedExecutionException("the timers are closed");
            }
            if (delayNanos <= 0 && !inAdvance) {
                return null;
            }
            Entry e = new Entry(elapsed + Math.max(0, delayNanos), seq++, action, owner);
            timers.add(e);
            return e;
        }
    }

    private void remove(Entry e) {
        if (e != null) {
            synchronized (lock) {
                timers.remove(e);
            }
        }
    }

    /** One timer: what runs, when, and the n-th scheduled (the order of timers due at once). */
    private record Entry(long due, long seq, Runnable action, ManualTimers owner) {
    }

    /** The timers of one cluster on this clock. */
    private final class ManualTimers implements Timers {

        private final Executor workers;
        private volatile boolean closed;
        private final ManualExecutorView view;

        ManualTimers(Executor workers) {
            this.workers = workers;
            this.view = new ManualExecutorView(this, () -> closed);
        }

        @Override
        public Clock clock() {
            return ManualClock.this;
        }

        @Override
        public Task after(Duration delay, Runnable task) {
            OneShot shot = new OneShot(task);
            Entry e = enqueue(this, delay.toNanos(), shot);
            if (e == null) {
                workers.execute(shot);
            }
            shot.entry = e;
            return shot;
        }

        @Override
        public void runNow(String name, Runnable work) {
            Periodic run = new Periodic(name, work);
            run.tryStart();
            startedAtOnce.add(run);
            try {
                workers.execute(run::run);
            } catch (RejectedExecutionException e) {
                run.release();
                startedAtOnce.remove(run);
                throw e;
            }
        }

        @Override
        public Task every(String name, Duration initialDelay, Duration period, Runnable work) {
            SystemTimers.requirePositive(period);
            Repeating r = new Repeating(new Periodic(name, work), period.toNanos());
            synchronized (r) {
                Entry first = enqueue(this, initialDelay.toNanos(), r::tick);
                if (first == null) {
                    // Due at once and no advance() to run it: straight to the workers, as the system timers do.
                    r.periodic.tryStart();
                    startedAtOnce.add(r.periodic);
                    try {
                        workers.execute(r.periodic::run);
                    } catch (RejectedExecutionException e) {
                        r.periodic.release();
                        startedAtOnce.remove(r.periodic);
                        throw e;
                    }
                    r.next = enqueue(this, r.periodNanos, r::tick);
                } else {
                    r.next = first;
                }
            }
            return r;
        }

        @Override
        public ScheduledExecutorService asScheduledExecutorService() {
            return view;
        }

        @Override
        public void close() {
            synchronized (lock) {
                closed = true;
                timers.removeIf(e -> e.owner == this);
            }
        }

        /** A one-shot task: runs once unless cancelled first. */
        private final class OneShot implements Task, Runnable {
            private final Runnable task;
            private volatile boolean cancelled;
            private volatile Entry entry;

            OneShot(Runnable task) {
                this.task = task;
            }

            @Override
            public void run() {
                if (!cancelled) {
                    task.run();
                }
            }

            @Override
            public void cancel() {
                cancelled = true;
                remove(entry);
            }
        }

        /** Periodic work: each tick runs it on the workers and waits, then schedules the next tick. */
        private final class Repeating implements Task {
            private final Periodic periodic;
            private final long periodNanos;
            private boolean cancelled; // guarded by this
            private Entry next; // guarded by this

            Repeating(Periodic periodic, long periodNanos) {
                this.periodic = periodic;
                this.periodNanos = periodNanos;
            }

            void tick() {
                synchronized (this) {
                    if (cancelled) {
                        return;
                    }
                }
                try {
                    periodic.awaitIdleAndStart(); // a first run, started at once, may still be busy
                    try {
                        workers.execute(periodic::run);
                    } catch (RejectedExecutionException e) {
                        periodic.release(); // the cluster is closing
                        return;
                    }
                    periodic.awaitIdle();
                } catch (InterruptedException e) {
                    // The advancing thread was interrupted: this tick's run is skipped or left running, and the
                    // work keeps its schedule.
                    Thread.currentThread().interrupt();
                }
                synchronized (this) {
                    if (!cancelled && !closed) {
                        try {
                            next = enqueue(ManualTimers.this, periodNanos, this::tick);
                        } catch (RejectedExecutionException e) {
                            cancelled = true; // closed meanwhile
                        }
                    }
                }
            }

            @Override
            public synchronized void cancel() {
                cancelled = true;
                remove(next);
            }
        }
    }
}

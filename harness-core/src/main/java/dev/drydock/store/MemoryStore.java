package dev.drydock.store;

import dev.drydock.base.Clock;
import dev.drydock.base.Seeds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single in-process replica: an {@link MvccState} behind a lock, and one dispatch thread that delivers watch events
 * in revision order, so that writers never wait for watchers. The same thread expires leases on the store's clock:
 * it wakes at the earliest deadline and revokes every lease past it.
 */
public final class MemoryStore implements Store {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryStore.class);
    private static final Runnable STOP = () -> { };
    /** Wakes the dispatch thread to look at the lease deadlines again. */
    private static final Runnable WAKE = () -> { };
    /**
     * The shortest TTL this store grants. etcd's minimum outlasts a leader election; a single replica has none, and
     * its minimum only keeps a lease from expiring before its grant has returned.
     */
    public static final Duration MIN_LEASE_TTL = Duration.ofMillis(100);
    /** The longest the dispatch thread waits before it reads the clock again, for a clock that is not the system's. */
    private static final long MAX_LEASE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final MvccState state = new MvccState();
    private final Clock clock;
    private final LeaseDeadlines deadlines = new LeaseDeadlines();
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedBlockingQueue<Runnable> dispatch = new LinkedBlockingQueue<>();
    private final List<StoreWatch> watches = new CopyOnWriteArrayList<>();
    private final Thread dispatcher;
    /** The ids of leases granted without one: the same on every run (guarded by {@code lock}). */
    private final SplittableRandom leaseIds = Seeds.generator(0, "store/lease-ids");
    private volatile boolean closed;

    /** @param threadName the name of the watch dispatch thread, e.g. {@code drydock-c1-store} */
    public MemoryStore(String threadName) {
        this(threadName, Clock.SYSTEM);
    }

    /**
     * @param threadName the name of the watch dispatch thread, e.g. {@code drydock-c1-store}
     * @param clock      the clock on which leases expire
     */
    public MemoryStore(String threadName, Clock clock) {
        this.clock = clock;
        dispatcher = new Thread(this::dispatchLoop, threadName);
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    @Override
    public long revision() {
        lock.lock();
        try {
            return state.revision();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long compactRevision() {
        lock.lock();
        try {
            return state.compactRevision();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public KeyValue get(String key, long revision) {
        lock.lock();
        try {
            checkOpen();
            return state.get(key, revision);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public RangeResult range(String prefix, String fromKey, long revision, int limit) {
        lock.lock();
        try {
            checkOpen();
            return state.range(prefix, fromKey, revision, limit);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public TxnResult txn(Txn txn) {
        lock.lock();
        try {
            checkOpen();
            List<WatchEvent> events = new ArrayList<>();
            TxnResult result = state.apply(txn, events);
            if (!events.isEmpty()) {
                List<WatchEvent> batch = List.copyOf(events);
                long rev = result.revision();
                dispatch.add(() -> deliver(batch, rev));
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Lease leaseGrant(long id, Duration ttl) {
        Duration granted = ttl.compareTo(MIN_LEASE_TTL) < 0 ? MIN_LEASE_TTL : ttl;
        lock.lock();
        try {
            checkOpen();
            long leaseId = id;
            if (leaseId == 0) {
                do {
                    leaseId = leaseIds.nextLong(1, Long.MAX_VALUE);
                } while (state.leaseTtl(leaseId) != null);
            } else if (leaseId < 0) {
                throw new IllegalArgumentException("a lease id is positive, got " + id);
            }
            state.grantLease(leaseId, granted);
            deadlines.renew(leaseId, granted, clock.nanoTime());
            dispatch.add(WAKE);
            return new Lease(leaseId, granted, granted, List.of());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Duration leaseKeepAlive(long id) {
        lock.lock();
        try {
            checkOpen();
            Duration ttl = state.leaseTtl(id);
            if (ttl == null) {
                throw leaseNotFound();
            }
            deadlines.renew(id, ttl, clock.nanoTime());
            return ttl;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void leaseRevoke(long id) {
        lock.lock();
        try {
            checkOpen();
            revoke(id);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Lease leaseTimeToLive(long id) {
        lock.lock();
        try {
            checkOpen();
            Duration ttl = state.leaseTtl(id);
            return ttl == null ? null
                    : new Lease(id, ttl, deadlines.remaining(id, ttl, clock.nanoTime()), state.leaseKeys(id));
        } finally {
            lock.unlock();
        }
    }

    /** Holding the lock. */
    private void revoke(long id) {
        List<WatchEvent> events = new ArrayList<>();
        TxnResult result = state.revokeLease(id, events);
        deadlines.forget(id);
        if (!events.isEmpty()) {
            List<WatchEvent> batch = List.copyOf(events);
            long rev = result.revision();
            dispatch.add(() -> deliver(batch, rev));
        }
    }

    private StoreException leaseNotFound() {
        return new StoreException(StoreException.Reason.LEASE_NOT_FOUND, "etcdserver: requested lease not found",
                state.revision());
    }

    /**
     * On the dispatch thread: revokes every lease past its deadline; returns how long to wait for the next deadline
     * (nanoseconds), or -1 if there is none.
     */
    private long expireLeases() {
        lock.lock();
        try {
            if (closed) {
                return -1;
            }
            long now = clock.nanoTime();
            for (long id : deadlines.expired(state.leases(), now)) {
                LOG.debug("lease {} expired; revoking it", id);
                revoke(id);
            }
            Long next = deadlines.earliest();
            return next == null ? -1 : Math.min(MAX_LEASE_WAIT_NANOS, Math.max(1, next - now));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        lock.lock();
        try {
            checkOpen();
            long current = state.revision();
            List<WatchEvent> replay = fromRevision > 0 && fromRevision <= current
                    ? state.changesSince(prefix, fromRevision) : List.of();
            StoreWatch w = new StoreWatch(prefix, listener, Math.max(current, fromRevision - 1));
            watches.add(w);
            if (!replay.isEmpty()) {
                dispatch.add(() -> w.replay(replay));
            }
            return w;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void compact(long revision) {
        lock.lock();
        try {
            checkOpen();
            state.compact(revision);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            dispatch.add(STOP);
        } finally {
            lock.unlock();
        }
        try {
            if (Thread.currentThread() != dispatcher) { // closed from a listener: the thread ends after this task
                dispatcher.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        StoreException cause = new StoreException(StoreException.Reason.CLOSED, "store closed", 0);
        for (StoreWatch w : watches) {
            w.closeWith(cause);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreException(StoreException.Reason.CLOSED, "store closed", 0);
        }
    }

    private void dispatchLoop() {
        long nextExpiry = -1; // when to look at the lease deadlines next (clock nanos), -1: when woken
        while (true) {
            Runnable task;
            try {
                long wait = -1;
                if (nextExpiry != -1) {
                    wait = nextExpiry - clock.nanoTime();
                    if (wait <= 0) {
                        wait = expireLeases();
                        nextExpiry = wait < 0 ? -1 : clock.nanoTime() + wait;
                    }
                }
                task = wait < 0 ? dispatch.take() : dispatch.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) {
                return;
            }
            if (task == null) {
                continue;
            }
            if (task == WAKE) {
                long wait = expireLeases();
                nextExpiry = wait < 0 ? -1 : clock.nanoTime() + wait;
                continue;
            }
            try {
                task.run();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                LOG.warn("watch dispatch failed", e); // the thread must outlive any one task
            }
        }
    }

    private void deliver(List<WatchEvent> batch, long revision) {
        for (StoreWatch w : watches) {
            w.offer(batch, revision);
        }
    }

    private final class StoreWatch extends PrefixWatch {

        StoreWatch(String prefix, WatchListener listener, long liveAfter) {
            super(prefix, listener, liveAfter, watches);
        }

        @Override
        public void requestProgress() {
            lock.lock();
            try {
                if (closed || !open) {
                    return;
                }
                // Queued behind every change committed so far, so it is heard after them.
                long rev = state.revision();
                dispatch.add(() -> progress(rev));
            } finally {
                lock.unlock();
            }
        }
    }
}

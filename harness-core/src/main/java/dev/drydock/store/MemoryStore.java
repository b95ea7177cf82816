package dev.drydock.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single in-process replica: an {@link MvccState} behind a lock, and one dispatch thread that delivers watch events
 * in revision order, so that writers never wait for watchers.
 */
public final class MemoryStore implements Store {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryStore.class);
    private static final Runnable STOP = () -> { };

    private final MvccState state = new MvccState();
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedBlockingQueue<Runnable> dispatch = new LinkedBlockingQueue<>();
    private final List<StoreWatch> watches = new CopyOnWriteArrayList<>();
    private final Thread dispatcher;
    private volatile boolean closed;

    /** @param threadName the name of the watch dispatch thread, e.g. {@code drydock-c1-store} */
    public MemoryStore(String threadName) {
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
        while (true) {
            Runnable task;
            try {
                task = dispatch.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) {
                return;
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

    private final class StoreWatch implements Watch {
        private final String prefix;
        private final WatchListener listener;
        /** Events at or below this revision reach the watch through its replay, not live. */
        private final long liveAfter;
        private volatile boolean open = true;

        StoreWatch(String prefix, WatchListener listener, long liveAfter) {
            this.prefix = prefix;
            this.listener = listener;
            this.liveAfter = liveAfter;
        }

        void replay(List<WatchEvent> events) {
            // Group the replayed events by revision, as live ones are.
            int start = 0;
            for (int i = 1; i <= events.size() && open; i++) {
                if (i == events.size() || events.get(i).revision() != events.get(start).revision()) {
                    hand(events.subList(start, i));
                    start = i;
                }
            }
        }

        void offer(List<WatchEvent> batch, long revision) {
            if (!open || revision <= liveAfter) {
                return;
            }
            List<WatchEvent> mine = null;
            for (WatchEvent e : batch) {
                if (e.kv().key().startsWith(prefix)) {
                    if (mine == null) {
                        mine = new ArrayList<>(batch.size());
                    }
                    mine.add(e);
                }
            }
            if (mine != null) {
                hand(mine);
            }
        }

        /**
         * One listener's failure is its own: the dispatch thread goes on to the other watches, and this watch ends
         * (its owner may have missed part of the events, so it must list again, as a watcher does after any end).
         */
        private void hand(List<WatchEvent> events) {
            try {
                listener.onEvents(events);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                LOG.warn("watch listener on {} failed at revision {}; ending that watch", prefix,
                        events.get(0).revision(), e);
                closeWith(new StoreException(StoreException.Reason.UNAVAILABLE,
                        "watch listener failed: " + e, events.get(0).revision()));
            }
        }

        void closeWith(StoreException cause) {
            if (open) {
                open = false;
                watches.remove(this);
                listener.onClose(cause);
            }
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

        private void progress(long revision) {
            if (!open) {
                return;
            }
            try {
                listener.onProgress(revision);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                LOG.warn("watch listener on {} failed on progress at revision {}; ending that watch", prefix,
                        revision, e);
                closeWith(new StoreException(StoreException.Reason.UNAVAILABLE,
                        "watch listener failed: " + e, revision));
            }
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                watches.remove(this);
            }
        }
    }
}

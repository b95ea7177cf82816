package dev.drydock.store.check;

import dev.drydock.store.KeyValue;
import dev.drydock.store.RangeResult;
import dev.drydock.store.Store;
import dev.drydock.store.StoreException;
import dev.drydock.store.Txn;
import dev.drydock.store.TxnResult;
import dev.drydock.store.Watch;
import dev.drydock.store.WatchEvent;
import dev.drydock.store.WatchListener;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A correct store behind faults of the kinds a replicated store shows its clients, for testing the workload and
 * the checkers without one: writes refused before they apply (a definite failure), writes that time out before or
 * after they apply (an unknown outcome), reads refused, and watches broken (their watchers must resume). Faults
 * strike a seeded share of the calls, and every so many batches a watch breaks, so that every run has some; its
 * {@link #nemesis()} also breaks every open watch at once, and heals the store for the final read.
 */
final class FaultyStore extends ForwardingStore implements StoreUnderTest {

    static final String REFUSED = "refused before it was applied";
    /** The share of calls each kind of fault strikes by default, in percent. */
    static final int PERCENT = 2;
    private static final int BATCHES_PER_WATCH = 150;

    private final Random random;
    private final int percent;
    private volatile boolean healed;
    private final List<FaultyWatch> watches = new CopyOnWriteArrayList<>();
    final AtomicInteger appliedButUnknown = new AtomicInteger();
    final AtomicInteger brokenWatches = new AtomicInteger();

    FaultyStore(Store delegate, long seed) {
        this(delegate, seed, PERCENT);
    }

    /** @param percent the share of calls each kind of fault strikes */
    FaultyStore(Store delegate, long seed, int percent) {
        super(delegate);
        this.random = new Random(seed);
        this.percent = percent;
    }

    @Override
    public Store store() {
        return this;
    }

    @Override
    public boolean definitelyNotApplied(RuntimeException e) {
        return e.getMessage() != null && e.getMessage().contains(REFUSED);
    }

    @Override
    public KeyValue get(String key, long revision) {
        refuseRead();
        return super.get(key, revision);
    }

    @Override
    public RangeResult range(String prefix, String fromKey, long revision, int limit) {
        refuseRead();
        return super.range(prefix, fromKey, revision, limit);
    }

    private void refuseRead() {
        if (strikes()) {
            throw unavailable("read refused: no leader");
        }
    }

    @Override
    public TxnResult txn(Txn txn) {
        if (strikes()) {
            throw unavailable("write " + REFUSED + ": no leader");
        }
        if (strikes()) {
            throw unavailable("request timed out");
        }
        TxnResult r = super.txn(txn);
        if (strikes()) {
            appliedButUnknown.incrementAndGet();
            throw unavailable("request timed out");
        }
        return r;
    }

    private boolean strikes() {
        if (healed) {
            return false;
        }
        synchronized (random) {
            return random.nextInt(100) < percent;
        }
    }

    private StoreException unavailable(String message) {
        return new StoreException(StoreException.Reason.UNAVAILABLE, message, delegate.revision());
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        FaultyWatch w = new FaultyWatch(listener);
        w.inner = super.watch(prefix, fromRevision, w);
        watches.add(w);
        return w;
    }

    /** Breaks every open watch now and then; heals the store at the end. */
    @Override
    public Nemesis nemesis() {
        return new Nemesis() {
            @Override
            public String step(Random random) {
                if (random.nextInt(10) != 0) {
                    return null;
                }
                int broken = 0;
                for (FaultyWatch w : watches) {
                    broken += w.breakIt() ? 1 : 0;
                }
                return "broke " + broken + " watches";
            }

            @Override
            public String healAll() {
                healed = true;
                return "healed";
            }
        };
    }

    /** A watch the nemesis can break: it ends with UNAVAILABLE, as a watch on a replica that lost its leader. */
    private final class FaultyWatch implements Watch, WatchListener {
        private final WatchListener listener;
        private volatile Watch inner;
        private boolean ended;

        FaultyWatch(WatchListener listener) {
            this.listener = listener;
        }

        private int batches;

        @Override
        public void onEvents(List<WatchEvent> events) {
            boolean breakNow;
            synchronized (this) {
                if (ended) {
                    return;
                }
                listener.onEvents(events);
                breakNow = !healed && ++batches % BATCHES_PER_WATCH == 0;
            }
            if (breakNow) {
                breakIt();
            }
        }

        @Override
        public synchronized void onProgress(long revision) {
            if (!ended) {
                listener.onProgress(revision);
            }
        }

        @Override
        public synchronized void onClose(StoreException cause) {
            if (!ended) {
                ended = true;
                watches.remove(this);
                listener.onClose(cause);
            }
        }

        boolean breakIt() {
            Watch w = inner;
            if (w == null) {
                return false;
            }
            w.close();
            brokenWatches.incrementAndGet();
            onClose(new StoreException(StoreException.Reason.UNAVAILABLE, "watch broken by the nemesis", 0));
            return true;
        }

        @Override
        public void requestProgress() {
            inner.requestProgress();
        }

        @Override
        public synchronized void close() {
            ended = true;
            watches.remove(this);
            inner.close();
        }
    }
}

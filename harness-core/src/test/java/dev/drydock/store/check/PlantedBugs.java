package dev.drydock.store.check;

import dev.drydock.store.KeyValue;
import dev.drydock.store.PlantedRaftBugs;
import dev.drydock.store.RangeResult;
import dev.drydock.store.ReplicatedStore;
import dev.drydock.store.Store;
import dev.drydock.store.Txn;
import dev.drydock.store.TxnOp;
import dev.drydock.store.TxnResult;
import dev.drydock.store.Watch;
import dev.drydock.store.WatchEvent;
import dev.drydock.store.WatchListener;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Stores with a bug planted on purpose, which the checkers must catch. */
final class PlantedBugs {

    private PlantedBugs() {
    }

    /**
     * Acknowledges every {@code every}-th unconditional write without committing it: it answers the revision the
     * write would have had, and drops it (as a leader that answers before a quorum has the entry, then loses it).
     */
    static Store acknowledgeWithoutCommit(Store delegate, int every) {
        AtomicInteger writes = new AtomicInteger();
        return new ForwardingStore(delegate) {
            @Override
            public TxnResult txn(Txn txn) {
                if (!txn.compares().isEmpty() || txn.success().size() != 1
                        || writes.incrementAndGet() % every != 0) {
                    return super.txn(txn);
                }
                TxnOp op = txn.success().get(0);
                long next = delegate.revision() + 1;
                KeyValue prev = delegate.get(op.key(), 0);
                if (op.kind() == TxnOp.Kind.PUT) {
                    KeyValue kv = new KeyValue(op.key(), op.value(), prev == null ? next : prev.createRevision(),
                            next, prev == null ? 1 : prev.version() + 1);
                    return new TxnResult(true, next, List.of(kv));
                }
                if (op.kind() == TxnOp.Kind.DELETE && prev != null) {
                    return new TxnResult(true, next, java.util.Collections.singletonList(prev));
                }
                return super.txn(txn);
            }
        };
    }

    /**
     * A replicated store that acknowledges every {@code every}-th unconditional write from its leader's local apply of
     * an entry it never committed (see {@link PlantedRaftBugs#applyOnLeaderOnly}).
     */
    static Store acknowledgeUncommitted(ReplicatedStore store, int every) {
        AtomicInteger writes = new AtomicInteger();
        return new ForwardingStore(store) {
            @Override
            public TxnResult txn(Txn txn) {
                if (txn.compares().isEmpty() && writes.incrementAndGet() % every == 0) {
                    TxnResult result = PlantedRaftBugs.applyOnLeaderOnly(store, txn);
                    if (result != null) {
                        return result;
                    }
                }
                return super.txn(txn);
            }
        };
    }

    /** Drops every {@code every}-th batch of events a watch would deliver (counted over all watches). */
    static Store skipWatchEvent(Store delegate, int every) {
        AtomicInteger batches = new AtomicInteger();
        return new ForwardingStore(delegate) {
            @Override
            public Watch watch(String prefix, long fromRevision, WatchListener listener) {
                return super.watch(prefix, fromRevision, new WatchListener() {
                    @Override
                    public void onEvents(List<WatchEvent> events) {
                        if (batches.incrementAndGet() % every != 0) {
                            listener.onEvents(events);
                        }
                    }

                    @Override
                    public void onProgress(long revision) {
                        listener.onProgress(revision);
                    }

                    @Override
                    public void onClose(dev.drydock.store.StoreException cause) {
                        listener.onClose(cause);
                    }
                });
            }
        };
    }

    /**
     * Serves every {@code every}-th read from a snapshot {@code lag} revisions old (as a follower that answers a
     * read it should have sent through the leader).
     */
    static Store staleRead(Store delegate, int every, int lag) {
        AtomicInteger reads = new AtomicInteger();
        return new ForwardingStore(delegate) {
            @Override
            public KeyValue get(String key, long revision) {
                return super.get(key, revision == 0 ? stale() : revision);
            }

            @Override
            public RangeResult range(String prefix, String fromKey, long revision, int limit) {
                return super.range(prefix, fromKey, revision == 0 ? stale() : revision, limit);
            }

            private long stale() {
                if (reads.incrementAndGet() % every != 0) {
                    return 0;
                }
                long old = delegate.revision() - lag;
                return old >= Math.max(1, delegate.compactRevision()) ? old : 0;
            }
        };
    }
}

package dev.drydock.store;

import io.microraft.statemachine.StateMachine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One replica's state machine: its own {@link MvccState}, to which it applies the committed writes of the Raft log,
 * and on which it answers the leader's linearizable reads. Runs on the replica's lane; the store's watch hub and fault
 * handle read the state under {@link #lock}.
 *
 * <p>A write carries an id, and the machine remembers the results of the last {@value #REMEMBERED} writes (in its
 * snapshots too, so every replica agrees): a write that the store retries after an indeterminate outcome (the leader
 * lost its leadership before answering) applies once.
 *
 * <p>A snapshot that does not install (a chunk that is not one of a store snapshot) leaves the machine failed:
 * MicroRaft has already moved its commit index to the snapshot's, so the state no longer matches the log. The machine
 * tells the store ({@link Failure}), which stops the replica, and applies nothing more.
 */
final class ReplicaMachine implements StateMachine {

    static final int REMEMBERED = 10_000;
    /** Keys (and history events) per snapshot chunk. */
    static final int CHUNK = 1_000;

    /** The first chunk of a replica's snapshot: the ids and results of the last writes, oldest first. */
    record Recent(long[] ids, Object[] results) {
    }

    /** Hears what a replica applied, while its lock is held. */
    interface Applied {
        void applied(ReplicaMachine machine, long revision, List<WatchEvent> events);

        void installed(ReplicaMachine machine);
    }

    /** Hears that a machine could not install a snapshot. */
    interface Failure {
        /** Called on the replica's lane, with the machine's lock held. */
        void restoreFailed(ReplicaMachine machine, long commitIndex, RuntimeException cause);
    }

    final int replica;
    final ReentrantLock lock = new ReentrantLock();
    final MvccState state;
    private final Applied hub;
    private final Failure failure;
    /** Set once a snapshot failed to install: the state is no longer the log's. */
    private volatile boolean failed;
    /**
     * A test-only seam ({@code PlantedRaftBugs}): when set, what each chunk of this machine's snapshots becomes, so
     * that a test can hand a follower a corrupt snapshot.
     */
    volatile UnaryOperator<Object> plantedChunkFilter;
    private final LinkedHashMap<Long, Object> recent = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Object> eldest) {
            return size() > REMEMBERED;
        }
    };
    /** Where the store's replicas share equal records (the ids of the remembered writes too), or null. */
    private final SharedRecords shared;
    private volatile long applied;
    private volatile int snapshotsInstalled;

    /** @param shared where the store's replicas share the equal records they make */
    ReplicaMachine(int replica, Applied hub, Failure failure, SharedRecords shared) {
        this.replica = replica;
        this.state = new MvccState(shared);
        this.shared = shared;
        this.hub = hub;
        this.failure = failure;
    }

    /** Remembers the result of write {@code id}; the boxed id is one for all replicas. */
    private void remember(long id, Object result) {
        Long key = id;
        recent.put(shared == null ? key : shared.share(key), result);
    }

    /** The commit index of the last entry this machine applied (or of the snapshot it installed). */
    long appliedIndex() {
        return applied;
    }

    /** How many snapshots from the leader this machine installed. */
    int snapshotsInstalled() {
        return snapshotsInstalled;
    }

    /** The revision of this replica's state. */
    long revision() {
        lock.lock();
        try {
            return state.revision();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Object runOperation(long commitIndex, Object operation) {
        lock.lock();
        try {
            if (failed) {
                return new StoreException(StoreException.Reason.UNAVAILABLE,
                        "etcdserver: replica " + replica + " failed to install a snapshot", 0);
            }
            if (operation instanceof RaftOps.Write w) {
                applied = commitIndex;
                Object known = recent.get(w.id());
                if (known != null) {
                    return known;
                }
                List<WatchEvent> events = new ArrayList<>();
                Object result;
                try {
                    TxnResult r = state.apply(w.txn(), events);
                    hub.applied(this, r.revision(), events);
                    result = r;
                } catch (StoreException e) {
                    result = e;
                }
                remember(w.id(), result);
                return result;
            }
            if (operation instanceof RaftOps.Compaction c) {
                applied = commitIndex;
                Object known = recent.get(c.id());
                if (known != null) {
                    return known;
                }
                Object result;
                try {
                    state.compact(c.revision());
                    result = Boolean.TRUE;
                } catch (StoreException e) {
                    result = e;
                }
                remember(c.id(), result);
                return result;
            }
            if (operation instanceof RaftOps.LeaseGrant g) {
                applied = commitIndex;
                Object known = recent.get(g.id());
                if (known != null) {
                    return known;
                }
                Object result;
                try {
                    state.grantLease(g.lease(), g.ttl());
                    result = new Lease(g.lease(), g.ttl(), g.ttl(), List.of());
                } catch (StoreException e) {
                    result = e;
                }
                remember(g.id(), result);
                return result;
            }
            if (operation instanceof RaftOps.LeaseRevoke v) {
                applied = commitIndex;
                Object known = recent.get(v.id());
                if (known != null) {
                    return known;
                }
                List<WatchEvent> events = new ArrayList<>();
                Object result;
                try {
                    TxnResult r = state.revokeLease(v.lease(), events);
                    hub.applied(this, r.revision(), events);
                    result = r;
                } catch (StoreException e) {
                    result = e;
                }
                remember(v.id(), result);
                return result;
            }
            if (operation == RaftOps.NewTerm.INSTANCE) {
                applied = commitIndex;
                return null;
            }
            // Reads: errors (compacted, future revision) are answers too, thrown by the store's caller.
            try {
                if (operation instanceof RaftOps.Get g) {
                    return new Maybe(state.get(g.key(), g.revision()));
                }
                if (operation instanceof RaftOps.Range r) {
                    return state.range(r.prefix(), r.fromKey(), r.revision(), r.limit());
                }
                if (operation instanceof RaftOps.LeaseLookup l) {
                    java.time.Duration ttl = state.leaseTtl(l.lease());
                    if (ttl == null) {
                        return new StoreException(StoreException.Reason.LEASE_NOT_FOUND,
                                "etcdserver: requested lease not found", state.revision());
                    }
                    return new Lease(l.lease(), ttl, ttl, state.leaseKeys(l.lease()));
                }
                if (operation == RaftOps.Revision.INSTANCE) {
                    return state.revision();
                }
            } catch (StoreException e) {
                return e;
            }
            throw new IllegalArgumentException("not a store operation: " + operation);
        } finally {
            lock.unlock();
        }
    }

    /** A read's answer that may be {@code null}. */
    record Maybe(KeyValue kv) {
    }

    @Override
    public void takeSnapshot(long commitIndex, Consumer<Object> out) {
        UnaryOperator<Object> planted = plantedChunkFilter;
        Consumer<Object> chunks = planted == null ? out : chunk -> out.accept(planted.apply(chunk));
        lock.lock();
        try {
            long[] ids = new long[recent.size()];
            Object[] results = new Object[ids.length];
            int i = 0;
            for (Map.Entry<Long, Object> e : recent.entrySet()) {
                ids[i] = e.getKey();
                results[i++] = e.getValue();
            }
            chunks.accept(new Recent(ids, results));
            state.snapshot(CHUNK, chunks);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void installSnapshot(long commitIndex, List<Object> chunks) {
        lock.lock();
        try {
            if (chunks.isEmpty()) { // MicroRaft's initial, empty snapshot
                return;
            }
            if (failed) {
                return;
            }
            Recent r;
            try {
                if (!(chunks.get(0) instanceof Recent recentChunk)) {
                    throw new IllegalArgumentException("a replica's snapshot starts with its recent writes, got "
                            + chunks.get(0));
                }
                r = recentChunk;
                state.restore(chunks.subList(1, chunks.size()));
            } catch (RuntimeException e) {
                // Not rethrown: MicroRaft would go on as if installed (its commit index is the snapshot's already).
                failed = true;
                failure.restoreFailed(this, commitIndex, e);
                return;
            }
            recent.clear();
            // In the order the replica that took it applied them: the oldest results are evicted first, as there.
            for (int i = 0; i < r.ids().length; i++) {
                recent.put(r.ids()[i], r.results()[i]);
            }
            applied = commitIndex;
            snapshotsInstalled++;
            hub.installed(this);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Object getNewTermOperation() {
        return RaftOps.NewTerm.INSTANCE;
    }
}

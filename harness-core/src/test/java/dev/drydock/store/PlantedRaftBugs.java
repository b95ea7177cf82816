package dev.drydock.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bugs planted on purpose in the replicated store itself, which the store's check ({@code
 * dev.drydock.store.check.PlantedBugs#acknowledgeUncommitted}) must catch. Test-only: they reach the replicas' state
 * machines through the store's package-private seam {@link ReplicatedStore#machine(int)}.
 */
public final class PlantedRaftBugs {

    private static final AtomicLong IDS = new AtomicLong();

    private PlantedRaftBugs() {
    }

    /**
     * Makes every snapshot a replica takes from now on corrupt: its chunks of keys are replaced by something that
     * is no chunk of a store snapshot, as a snapshot damaged on its way. A follower given it cannot install it. Lasts
     * for the replica's current incarnation (until it is restarted).
     */
    public static void corruptSnapshots(ReplicatedStore store, int replica) {
        store.machine(replica).plantedChunkFilter = chunk -> chunk instanceof MvccState.SnapshotKeys
                ? "a corrupt snapshot chunk" : chunk;
    }

    /** Undoes {@link #corruptSnapshots}: the replica's next snapshots are sound (those it took stay corrupt). */
    public static void soundSnapshots(ReplicatedStore store, int replica) {
        store.machine(replica).plantedChunkFilter = null;
    }

    /**
     * Applies a write to the leader's own state only and returns its result, as a leader that acknowledges an entry
     * on append, before a quorum holds it: its watchers hear it, but the entry never reaches the Raft log, so no
     * follower has it and the next leader does not either. {@code null} if no replica leads now.
     */
    public static TxnResult applyOnLeaderOnly(ReplicatedStore store, Txn txn) {
        int leader = store.leader();
        if (leader < 0) {
            return null;
        }
        ReplicaMachine machine = store.machine(leader);
        // A negative id: never one of the store's own, which the machine remembers to apply a retry once.
        Object result = machine.runOperation(machine.appliedIndex(), new RaftOps.Write(-IDS.incrementAndGet(), txn));
        if (result instanceof StoreException e) {
            throw e;
        }
        return (TxnResult) result;
    }
}

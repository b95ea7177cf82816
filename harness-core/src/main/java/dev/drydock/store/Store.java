package dev.drydock.store;

import java.time.Duration;

/**
 * A key-value store with etcd's semantics: one global revision that every write bumps, per-key create revision,
 * mod revision and version, reads at a past revision, atomic compare-and-swap transactions, watches from any revision
 * that has not been compacted, and compaction of old history.
 *
 * <p>Leases are etcd's too: a lease is granted with a TTL, keys are attached to it by puts that name it
 * ({@link TxnOp#put(String, byte[], long)}), and it expires, deleting every attached key in one revision, unless it
 * is kept alive within its TTL. Grants, attachments and revocations are part of the store's state (replicated, in
 * snapshots); when a lease expires is decided by one clock (the leader's, for a replicated store), and a new leader
 * gives every lease its full TTL again, as etcd's lessor does when it is promoted.
 *
 * <p>Only the API server uses a store. Implementations: {@link MemoryStore} (one in-process replica); a Raft-replicated
 * one implements this same interface.
 */
public interface Store extends AutoCloseable {

    /** The revision of the last write. */
    long revision();

    /**
     * Reads the latest version of one key at {@code revision} ({@code 0} for the current revision), or {@code null}.
     *
     * @throws StoreException {@code COMPACTED} if {@code revision} is older than the compaction revision
     */
    KeyValue get(String key, long revision);

    /**
     * Reads every key that starts with {@code prefix}, in key order, as of {@code revision} (0: now), starting at
     * {@code fromKey} (inclusive; {@code null}: from the prefix), at most {@code limit} keys (0: no limit).
     */
    RangeResult range(String prefix, String fromKey, long revision, int limit);

    /** Runs a transaction atomically. */
    TxnResult txn(Txn txn);

    /** Puts a value unconditionally and returns the new key value. */
    default KeyValue put(String key, byte[] value) {
        return txn(new Txn(java.util.List.of(), java.util.List.of(TxnOp.put(key, value)), java.util.List.of()))
                .results().get(0);
    }

    /**
     * Puts a value unconditionally, attached to lease {@code lease} ({@code 0}: none), and returns the new key value.
     *
     * @throws StoreException {@code LEASE_NOT_FOUND} if there is no such lease
     */
    default KeyValue put(String key, byte[] value, long lease) {
        return txn(new Txn(java.util.List.of(), java.util.List.of(TxnOp.put(key, value, lease)), java.util.List.of()))
                .results().get(0);
    }

    /** Deletes a key unconditionally; returns its last value, or {@code null} if it did not exist. */
    default KeyValue delete(String key) {
        return txn(new Txn(java.util.List.of(), java.util.List.of(TxnOp.delete(key)), java.util.List.of()))
                .results().get(0);
    }

    /**
     * Watches every key starting with {@code prefix} for changes with a revision of at least {@code fromRevision}
     * (0: from the next write). Past events are replayed first, then live ones follow, in revision order.
     *
     * @throws StoreException {@code COMPACTED} if {@code fromRevision} is below the compaction revision (as etcd,
     *                        a watch from the compaction revision itself still starts)
     */
    Watch watch(String prefix, long fromRevision, WatchListener listener);

    /** Forgets the history older than {@code revision}: reads and watches below it fail with {@code COMPACTED}. */
    void compact(long revision);

    /** The revision of the last compaction (0 if none). */
    long compactRevision();

    /**
     * Grants a lease (etcd's {@code LeaseGrant}). The store grants at least its minimum TTL (etcd's: one and a half
     * election timeouts, so that a lease outlives a leader election), and more if asked. The lease expires unless
     * kept alive ({@link #leaseKeepAlive}) within its TTL.
     *
     * @param id  the lease's id, positive; {@code 0}: the store picks one
     * @param ttl how long the lease lives without a keep-alive
     * @return the lease: its id, the TTL granted, no keys
     * @throws StoreException {@code LEASE_EXISTS} if {@code id} names a lease that exists
     */
    default Lease leaseGrant(long id, Duration ttl) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no leases");
    }

    /** Grants a lease with an id the store picks, and returns the id (see {@link #leaseGrant(long, Duration)}). */
    default long leaseGrant(Duration ttl) {
        return leaseGrant(0, ttl).id();
    }

    /**
     * Renews a lease to its full TTL, from now (etcd's {@code LeaseKeepAlive}, one round), and returns that TTL.
     *
     * @throws StoreException {@code LEASE_NOT_FOUND} if there is no such lease (revoked or expired)
     */
    default Duration leaseKeepAlive(long id) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no leases");
    }

    /**
     * Revokes a lease (etcd's {@code LeaseRevoke}): deletes every key attached to it in one revision (watchers see
     * the deletes, with their previous values, at that revision), then forgets the lease.
     *
     * @throws StoreException {@code LEASE_NOT_FOUND} if there is no such lease
     */
    default void leaseRevoke(long id) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no leases");
    }

    /**
     * A lease's granted and remaining TTL and its keys (etcd's {@code LeaseTimeToLive}), or {@code null} if there is
     * no such lease (etcd answers a TTL of -1).
     */
    default Lease leaseTimeToLive(long id) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no leases");
    }

    /** Stops the store; open watches are closed. */
    @Override
    void close();
}

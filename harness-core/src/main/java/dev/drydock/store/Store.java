package dev.drydock.store;

/**
 * A key-value store with etcd's semantics: one global revision that every write bumps, per-key create revision,
 * mod revision and version, reads at a past revision, atomic compare-and-swap transactions, watches from any revision
 * that has not been compacted, and compaction of old history.
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

    /** Stops the store; open watches are closed. */
    @Override
    void close();
}

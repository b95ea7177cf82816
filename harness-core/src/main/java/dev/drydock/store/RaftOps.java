package dev.drydock.store;

/**
 * The operations a replica's state machine runs: writes come through the Raft log, reads through the leader's
 * linearizable query. Passed between in-process replicas by reference, never serialized.
 */
final class RaftOps {

    private RaftOps() {
    }

    /** A transaction, with the id that makes a retried one apply once. */
    record Write(long id, Txn txn) {
    }

    /** A compaction, with the id that makes a retried one apply once. */
    record Compaction(long id, long revision) {
    }

    /** A lease grant (its TTL the granted one), with the id that makes a retried one apply once. */
    record LeaseGrant(long id, long lease, java.time.Duration ttl) {
    }

    /** A lease revocation (asked for, or the leader's decision that it expired), applied once per id. */
    record LeaseRevoke(long id, long lease) {
    }

    /** A linearizable read of one lease: answered with a {@link Lease} (remaining = granted TTL), or not found. */
    record LeaseLookup(long lease) {
    }

    /** The operation a new leader appends to commit the entries of earlier terms. */
    enum NewTerm { INSTANCE }

    /** A linearizable read of one key. */
    record Get(String key, long revision) {
    }

    /** A linearizable range read. */
    record Range(String prefix, String fromKey, long revision, int limit) {
    }

    /** A linearizable read of the store's revision. */
    enum Revision { INSTANCE }
}

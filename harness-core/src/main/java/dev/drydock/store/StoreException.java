package dev.drydock.store;

/** A store request that failed, with the reason etcd would give. */
public class StoreException extends RuntimeException {

    /** Why the request failed. */
    public enum Reason {
        /** The requested revision has been compacted (etcd's {@code ErrCompacted}). */
        COMPACTED,
        /** The requested revision is newer than the store's (etcd's {@code ErrFutureRev}). */
        FUTURE_REVISION,
        /** The store could not answer in time, e.g. without quorum (etcd's request timeout). */
        UNAVAILABLE,
        /** The store is closed. */
        CLOSED,
        /**
         * The lease a request names does not exist: never granted, revoked, or expired (etcd's
         * {@code ErrLeaseNotFound}, "etcdserver: requested lease not found").
         */
        LEASE_NOT_FOUND,
        /** A lease grant named an id that a lease already has (etcd's {@code ErrLeaseExists}). */
        LEASE_EXISTS
    }

    private final Reason reason;
    private final long revision;

    public StoreException(Reason reason, String message, long revision) {
        super(message);
        this.reason = reason;
        this.revision = revision;
    }

    public Reason reason() {
        return reason;
    }

    /** For {@link Reason#COMPACTED}: the compaction revision; otherwise the store's revision when it failed. */
    public long revision() {
        return revision;
    }
}

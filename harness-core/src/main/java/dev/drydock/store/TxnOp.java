package dev.drydock.store;

/**
 * One operation inside a {@link Txn}: a put, a delete of one key, or a read of one key.
 *
 * @param lease for a put, the lease the key is attached to ({@code 0}: none; a put without a lease detaches the key
 *              from the lease it had, as etcd's); ignored otherwise
 */
public record TxnOp(Kind kind, String key, byte[] value, long lease) {

    /** What the operation does. */
    public enum Kind { PUT, DELETE, GET }

    /** An operation without a lease. */
    public TxnOp(Kind kind, String key, byte[] value) {
        this(kind, key, value, 0);
    }

    public static TxnOp put(String key, byte[] value) {
        return new TxnOp(Kind.PUT, key, value, 0);
    }

    /**
     * A put that attaches the key to lease {@code lease} (from {@link Store#leaseGrant}): the key is deleted when the
     * lease is revoked or expires. A transaction with a put to a lease that does not exist fails as a whole with
     * {@link StoreException.Reason#LEASE_NOT_FOUND}.
     */
    public static TxnOp put(String key, byte[] value, long lease) {
        return new TxnOp(Kind.PUT, key, value, lease);
    }

    public static TxnOp delete(String key) {
        return new TxnOp(Kind.DELETE, key, null, 0);
    }

    public static TxnOp get(String key) {
        return new TxnOp(Kind.GET, key, null, 0);
    }
}

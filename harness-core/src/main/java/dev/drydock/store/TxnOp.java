package dev.drydock.store;

/** One operation inside a {@link Txn}: a put, a delete of one key, or a read of one key. */
public record TxnOp(Kind kind, String key, byte[] value) {

    /** What the operation does. */
    public enum Kind { PUT, DELETE, GET }

    public static TxnOp put(String key, byte[] value) {
        return new TxnOp(Kind.PUT, key, value);
    }

    public static TxnOp delete(String key) {
        return new TxnOp(Kind.DELETE, key, null);
    }

    public static TxnOp get(String key) {
        return new TxnOp(Kind.GET, key, null);
    }
}

package dev.drydock.store;

import java.util.List;

/**
 * An atomic transaction as etcd's: if every {@link Compare} holds, the {@code success} operations run, else the
 * {@code failure} ones; all writes of a transaction share one new revision.
 */
public record Txn(List<Compare> compares, List<TxnOp> success, List<TxnOp> failure) {

    public Txn {
        compares = List.copyOf(compares);
        success = List.copyOf(success);
        failure = List.copyOf(failure);
    }

    /** A compare-and-swap: put {@code value} at {@code key} if the key's mod revision is {@code modRevision}. */
    public static Txn putIfModRevision(String key, long modRevision, byte[] value) {
        return new Txn(List.of(Compare.modRevision(key, Compare.Op.EQUAL, modRevision)),
                List.of(TxnOp.put(key, value)), List.of(TxnOp.get(key)));
    }
}

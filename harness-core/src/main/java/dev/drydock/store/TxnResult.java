package dev.drydock.store;

import java.util.List;

/**
 * What a {@link Txn} did: whether its compares held, the store revision after it, and for each operation that ran
 * the key value it touched ({@code null} for a missing key): the new value of a put, the previous value of a delete,
 * the current value of a get.
 */
public record TxnResult(boolean succeeded, long revision, List<KeyValue> results) {
}

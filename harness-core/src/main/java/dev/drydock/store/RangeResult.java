package dev.drydock.store;

import java.util.List;

/**
 * The answer to a range read: the key values in key order, the store revision the read saw, and whether more keys
 * matched than the limit let through.
 */
public record RangeResult(List<KeyValue> kvs, long revision, boolean more) {
}

package dev.drydock.store.check;

import dev.drydock.store.KeyValue;
import java.nio.charset.StandardCharsets;

/**
 * One version of a key as a client saw it, with its value as text (the workload writes unique text values), so that
 * histories compare by value rather than by array identity.
 */
public record Kv(String key, String value, long createRevision, long modRevision, long version) {

    /** The client's view of a store's key value; {@code null} stays {@code null}. */
    public static Kv of(KeyValue kv) {
        if (kv == null) {
            return null;
        }
        String value = kv.value() == null ? null : new String(kv.value(), StandardCharsets.UTF_8);
        return new Kv(kv.key(), value, kv.createRevision(), kv.modRevision(), kv.version());
    }

    @Override
    public String toString() {
        return "\"" + value + "\"@" + modRevision + " (create " + createRevision + ", version " + version + ")";
    }
}

package dev.drydock.store;

/**
 * One version of one key, as etcd's {@code mvccpb.KeyValue}: the value with the revisions that describe its history.
 *
 * @param key            the key
 * @param value          the serialized value (never modified after being stored)
 * @param createRevision revision of the put that created the key (since its last delete)
 * @param modRevision    revision of the last change of the key
 * @param version        number of puts since the key was created (1 after the creating put)
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {
}

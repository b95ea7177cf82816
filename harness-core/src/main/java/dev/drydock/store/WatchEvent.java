package dev.drydock.store;

/**
 * One change seen by a watch, as etcd's {@code mvccpb.Event}: a put (create or modify) or a delete, with the key value
 * after the change (for a delete: the key with an empty value and the delete's revision) and the one before it.
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prevKv) {

    /** The kind of change. */
    public enum Type { PUT, DELETE }

    /** The revision of the change. */
    public long revision() {
        return kv.modRevision();
    }
}

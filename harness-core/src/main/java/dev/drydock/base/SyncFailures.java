package dev.drydock.base;

/**
 * Told of every failed sync of a component's work queue, so that the cluster can count failures on its timeline
 * without the queue (in {@code client}) knowing of the timeline (in {@code chaos}).
 */
@FunctionalInterface
public interface SyncFailures {

    /** Counts nothing: for components built outside a cluster. */
    SyncFailures IGNORE = (queue, key, error, repeat) -> { };

    /**
     * One failed sync.
     *
     * @param queue  the work queue's name, e.g. {@code deployment}
     * @param key    the key whose sync failed, e.g. {@code default/web}
     * @param error  what the sync threw
     * @param repeat true if the queue logged it at debug only: the key's previous sync failed with the same error, or
     *               it is one of the first conflicts of a key (a write its informer had not seen yet)
     */
    void failed(String queue, String key, Throwable error, boolean repeat);
}

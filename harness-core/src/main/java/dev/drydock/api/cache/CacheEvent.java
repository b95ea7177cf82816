package dev.drydock.api.cache;

/**
 * One change as the watch cache keeps it (kube's {@code watchCacheEvent}): the object after it (null for a delete)
 * and before it (null for a create), both with what selectors need, so each watcher can tell whether the change
 * is an ADDED, MODIFIED or DELETED for it, or nothing.
 *
 * @param recordNanos when the cache recorded it, on the cluster's monotonic clock (for the window's freshness)
 */
record CacheEvent(CachedObject object, CachedObject prev, long revision, long recordNanos) {
}

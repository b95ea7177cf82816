package dev.drydock.api.cache;

/**
 * How a watch starts, from the request's parameters (already validated as kube's {@code ValidateListOptions} does).
 *
 * @param resourceVersion   null or empty: start at the most recent state, consistently; {@code "0"}: any recent
 *                          state; otherwise the revision after which to deliver changes
 * @param sendInitialEvents null: the legacy semantics of {@code resourceVersion}; true: the state as ADDED events
 *                          first (then, with bookmarks, a BOOKMARK annotated {@code k8s.io/initial-events-end});
 *                          false: changes only
 * @param allowBookmarks    whether the client takes BOOKMARK events
 * @param timeoutSeconds    0, or when the server ends the watch
 */
public record WatchOptions(String resourceVersion, Boolean sendInitialEvents, boolean allowBookmarks,
                           long timeoutSeconds) {

    /** The revision of {@link #resourceVersion()}: 0 for none or {@code "0"}. */
    long revision() {
        return resourceVersion == null || resourceVersion.isEmpty() ? 0 : Long.parseLong(resourceVersion);
    }

    boolean consistent() {
        return resourceVersion == null || resourceVersion.isEmpty();
    }
}

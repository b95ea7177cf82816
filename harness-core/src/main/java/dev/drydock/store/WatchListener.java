package dev.drydock.store;

import java.util.List;

/**
 * Receives a watch's events in revision order, on the store's dispatch thread: implementations must return quickly
 * (enqueue, don't block). Events of one revision come in one call.
 */
public interface WatchListener {

    void onEvents(List<WatchEvent> events);

    /**
     * A progress notification: every change up to {@code revision} has been delivered. The API turns it into a
     * BOOKMARK.
     */
    default void onProgress(long revision) {
    }

    /** The watch ended: the store closed, or the watch could not continue. No call follows. */
    default void onClose(StoreException cause) {
    }
}

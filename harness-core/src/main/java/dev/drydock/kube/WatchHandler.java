package dev.drydock.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Receives the events of an API watch, in order. Implementations return quickly: enqueue, don't block. */
public interface WatchHandler {

    /** One event: {@code ADDED}, {@code MODIFIED}, {@code DELETED} or {@code BOOKMARK}, with the object. */
    void onEvent(String type, ObjectNode object);

    /**
     * The watch ended, by the server or the network; {@code error} says why ({@code null}: a normal end, such as the
     * request's timeout). The watcher should list again and start a new watch.
     */
    void onClose(ApiException error);
}

package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.LabelSelector;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import dev.drydock.store.KeyValue;
import dev.drydock.store.StoreException;
import dev.drydock.store.WatchEvent;
import dev.drydock.store.WatchListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One API watch: turns store events into ADDED / MODIFIED / DELETED for objects that match the selectors, with kube's
 * transitions (an object that stops matching is DELETED for this watcher, one that starts matching is ADDED).
 */
final class ApiWatch implements WatchListener, Watch {

    private final LabelSelector labels;
    private final FieldSelector fields;
    private final WatchHandler handler;
    private final Function<KeyValue, ObjectNode> decode;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final List<Runnable> onEnd = new CopyOnWriteArrayList<>();
    private volatile dev.drydock.store.Watch storeWatch;

    ApiWatch(LabelSelector labels, FieldSelector fields, WatchHandler handler,
             Function<KeyValue, ObjectNode> decode) {
        this.labels = labels;
        this.fields = fields;
        this.handler = handler;
        this.decode = decode;
    }

    void initial(ObjectNode obj) {
        if (matches(obj)) {
            handler.onEvent("ADDED", obj);
        }
    }

    void start(dev.drydock.store.Watch w) {
        storeWatch = w;
        if (ended.get()) {
            w.close();
        }
    }

    void onEnd(Runnable r) {
        onEnd.add(r);
    }

    @Override
    public void onEvents(List<WatchEvent> events) {
        for (WatchEvent e : events) {
            // Under the watch's lock, so that end() waits for an event being handed over: the handler never hears
            // of an event after onClose (handlers only enqueue, so the wait is short).
            synchronized (this) {
                if (ended.get()) {
                    return;
                }
                deliver(e);
            }
        }
    }

    private void deliver(WatchEvent e) {
        ObjectNode prev = e.prevKv() == null ? null : decode.apply(e.prevKv());
        boolean was = prev != null && matches(prev);
        if (e.type() == WatchEvent.Type.DELETE) {
            if (was) {
                handler.onEvent("DELETED", lastSeen(prev, e));
            }
            return;
        }
        ObjectNode obj = decode.apply(e.kv());
        boolean is = matches(obj);
        if (is) {
            handler.onEvent(was ? "MODIFIED" : "ADDED", obj);
        } else if (was) {
            handler.onEvent("DELETED", lastSeen(prev, e));
        }
    }

    /**
     * The object a DELETED carries, as kube's watchers send it: the previous state (the one the watcher last saw
     * match), with the resourceVersion of the change that removed it.
     */
    private static ObjectNode lastSeen(ObjectNode prev, WatchEvent e) {
        Json.with(prev, "metadata").put("resourceVersion", Long.toString(e.revision()));
        return prev;
    }

    @Override
    public void onClose(StoreException cause) {
        end(cause == null ? null : ApiException.of(500, "InternalError", "watch ended: " + cause.getMessage()));
    }

    private boolean matches(ObjectNode obj) {
        return labels.matchesObject(obj) && fields.matches(obj);
    }

    /** Ends the watch and tells the handler, once. */
    void end(ApiException error) {
        if (!markEnded()) {
            return;
        }
        dev.drydock.store.Watch w = storeWatch;
        if (w != null) {
            w.close();
        }
        onEnd.forEach(Runnable::run);
        handler.onClose(error);
    }

    /**
     * Closed by the watcher: no close callback, as with client-go's {@code Stop()}. It does not wait for an event
     * being handed over (one may still arrive): a watcher closes while holding its own locks, which the handler it
     * is being called in may need.
     */
    @Override
    public void close() {
        if (ended.compareAndSet(false, true)) {
            dev.drydock.store.Watch w = storeWatch;
            if (w != null) {
                w.close();
            }
            onEnd.forEach(Runnable::run);
        }
    }

    /** Marks the watch ended, once, after any event being handed over; true if this call ended it. */
    private synchronized boolean markEnded() {
        return ended.compareAndSet(false, true);
    }
}

package dev.drydock.api.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch served by a {@link WatchCache} (kube's {@code cacheWatcher}): the cache offers it each change without
 * waiting, it keeps the ones its selection sees as ADDED, MODIFIED or DELETED in a bounded buffer, and a lane of the
 * shared watch threads hands them to its {@link WatchHandler} in order. When the buffer is full the watcher is too
 * slow: the cache ends it, its client sees the stream end and watches again from the last resourceVersion it saw
 * (or, once that has left the cache's window, gets 410 Gone and lists again), while every other watcher carries on.
 *
 * <p>The handler hears nothing after {@code onClose}, and {@code onClose} waits for an event being handed over.
 * {@link #close()} (the client's {@code Stop()}) gives no callback and does not wait.
 */
final class CacheWatcher implements Watch {

    private static final Logger LOG = LoggerFactory.getLogger(CacheWatcher.class);
    /** Events a lane hands over before it lets another watcher's lane have the thread. */
    private static final int BATCH = 64;
    static final String INITIAL_EVENTS_END = "k8s.io/initial-events-end";

    private enum State { OPEN, ENDING, STOPPED, DONE }

    /** An event to hand over: a type with the object and the resourceVersion it carries. */
    record Delivery(String type, CachedObject object, long revision) {
    }

    private final WatchCache cache;
    private final Selection selection;
    private final WatchHandler handler;
    private final boolean bookmarks;
    private final Executor lanes;
    private final Runnable drain = this::drain;
    private final int capacity;
    /** Live events at or below this revision are not this watcher's (they came with its initial events). */
    private final long startRevision;
    private final ArrayDeque<Delivery> initial;
    private final ArrayDeque<Delivery> live = new ArrayDeque<>();
    /** Where the cache's index keeps it: set by the cache under its lock. */
    Object indexBucket;
    String indexValue;

    private State state = State.OPEN;
    private boolean scheduled;
    private boolean drainOnEnd;
    private ApiException endError;
    /** The highest revision queued for the client: a bookmark never goes back before it. */
    private long lastRevision;
    private Future<?> timeout;
    /** How many changes the cache offered it (for tests of the index). */
    private volatile long offers;

    CacheWatcher(WatchCache cache, Selection selection, WatchHandler handler, boolean bookmarks, Executor lanes,
                 int capacity, long startRevision, List<Delivery> initial) {
        this.cache = cache;
        this.selection = selection;
        this.handler = handler;
        this.bookmarks = bookmarks;
        this.lanes = lanes;
        this.capacity = capacity;
        this.startRevision = startRevision;
        this.initial = new ArrayDeque<>(initial);
        this.lastRevision = startRevision;
    }

    Selection selection() {
        return selection;
    }

    boolean wantsBookmarks() {
        return bookmarks;
    }

    /** A watcher's view of a change, or null if it does not see it (kube's {@code convertToWatchEvent}). */
    static Delivery classify(Selection selection, CacheEvent e) {
        return classify(selection, e, null);
    }

    private static Delivery classify(Selection selection, CacheEvent e, SharedDeliveries shared) {
        boolean now = e.object() != null && selection.matches(e.object());
        boolean before = e.prev() != null && selection.matches(e.prev());
        if (now) {
            return shared != null ? shared.addedOrModified(before)
                    : new Delivery(before ? "MODIFIED" : "ADDED", e.object(), e.object().modRevision);
        }
        // An object that was deleted or stopped matching goes as it was last seen, at the change's revision.
        if (!before) {
            return null;
        }
        return shared != null ? shared.deleted() : new Delivery("DELETED", e.prev(), e.revision());
    }

    /**
     * The deliveries of the change being dispatched, each made once for all the watchers that see the change the
     * same way (a delivery is never changed): used by the cache's dispatch alone, under its lock.
     */
    static final class SharedDeliveries {
        private CacheEvent event;
        private Delivery added;
        private Delivery modified;
        private Delivery deleted;

        /** Starts on the deliveries of {@code e}. */
        void reset(CacheEvent e) {
            event = e;
            added = null;
            modified = null;
            deleted = null;
        }

        private Delivery addedOrModified(boolean modify) {
            if (modify) {
                if (modified == null) {
                    modified = new Delivery("MODIFIED", event.object(), event.object().modRevision);
                }
                return modified;
            }
            if (added == null) {
                added = new Delivery("ADDED", event.object(), event.object().modRevision);
            }
            return added;
        }

        private Delivery deleted() {
            if (deleted == null) {
                deleted = new Delivery("DELETED", event.prev(), event.revision());
            }
            return deleted;
        }
    }

    /**
     * Offers a live change, never waiting (called by the cache's dispatch under its lock); false if the buffer is
     * full, and the watcher must end.
     *
     * @param shared the deliveries of {@code e} made for the watchers offered it before, reset to {@code e}
     * @param ready  where the watcher adds itself if it now has events to hand over and no lane yet: the cache
     *               hands them to the lanes together ({@link #drainTask()}), or ends them if it cannot
     *               ({@link #rejected()})
     */
    boolean offer(CacheEvent e, SharedDeliveries shared, List<CacheWatcher> ready) {
        offers++; // only the dispatch thread writes it
        if (e.revision() <= startRevision) {
            return true;
        }
        Delivery d = classify(selection, e, shared);
        if (d == null) {
            return true;
        }
        synchronized (this) {
            if (state != State.OPEN) {
                return true;
            }
            if (live.size() >= capacity) {
                return false;
            }
            live.add(d);
            lastRevision = Math.max(lastRevision, e.revision());
            if (!scheduled) {
                scheduled = true;
                ready.add(this);
            }
        }
        return true;
    }

    /** What a lane runs to hand this watcher's events over. */
    Runnable drainTask() {
        return drain;
    }

    /** The lanes would not take this watcher that {@link #offer} made ready: the cluster is closing. */
    synchronized void rejected() {
        scheduled = false;
        state = State.DONE;
        initial.clear();
        live.clear();
    }

    /**
     * Queues a BOOKMARK at {@code revision} if the client asked for bookmarks and it tells something new; dropped
     * rather than waited for when the buffer is full, as kube drops them.
     */
    void offerBookmark(long revision, boolean initialEventsEnd) {
        if (!bookmarks) {
            return;
        }
        synchronized (this) {
            if (state != State.OPEN || live.size() >= capacity || revision <= lastRevision && !initialEventsEnd) {
                return;
            }
            live.add(new Delivery(initialEventsEnd ? INITIAL_EVENTS_END : "BOOKMARK", null, revision));
            lastRevision = Math.max(lastRevision, revision);
            schedule();
        }
    }

    /** Starts handing over the initial events, if any. */
    synchronized void start() {
        if (state == State.OPEN && !initial.isEmpty()) {
            schedule();
        }
    }

    synchronized void setTimeout(Future<?> task) {
        if (state == State.OPEN) {
            timeout = task;
        } else {
            task.cancel(false);
        }
    }

    /**
     * Ends the watch from the server's side (the cache has already forgotten it): the handler's {@code onClose} comes
     * after what is queued ({@code drain}) or after the event being handed over. False if it had already ended.
     */
    boolean end(ApiException error, boolean drain) {
        Future<?> t;
        synchronized (this) {
            if (state != State.OPEN) {
                return false;
            }
            state = State.ENDING;
            endError = error;
            drainOnEnd = drain;
            t = timeout;
            scheduleAlways();
        }
        if (t != null) {
            t.cancel(false);
        }
        return true;
    }

    /** Closed by the client: no more events and no close callback (client-go's {@code Stop()}). */
    @Override
    public void close() {
        Future<?> t;
        synchronized (this) {
            if (state == State.STOPPED || state == State.DONE) {
                return;
            }
            state = State.STOPPED;
            initial.clear();
            live.clear();
            t = timeout;
        }
        if (t != null) {
            t.cancel(false);
        }
        cache.forget(this);
    }

    /** Whether the watch has ended or been closed (for tests and diagnostics). */
    synchronized boolean isStopped() {
        return state != State.OPEN;
    }

    /** How many changes the cache has offered this watcher. */
    long offers() {
        return offers;
    }

    private void schedule() {
        if (!initial.isEmpty() || !live.isEmpty()) {
            scheduleAlways();
        }
    }

    private void scheduleAlways() {
        if (scheduled) {
            return;
        }
        scheduled = true;
        try {
            lanes.execute(drain);
        } catch (RejectedExecutionException e) {
            // The cluster is closing: its watch threads are gone, and so is whoever listened.
            rejected();
        }
    }

    /** The lane: hands queued events over one at a time, then the close, if any. */
    private void drain() {
        for (int n = 0; ; n++) {
            Delivery next = null;
            boolean close = false;
            ApiException error = null;
            synchronized (this) {
                switch (state) {
                    case STOPPED, DONE -> {
                        scheduled = false;
                        return;
                    }
                    case ENDING -> {
                        if (!drainOnEnd || initial.isEmpty() && live.isEmpty()) {
                            initial.clear();
                            live.clear();
                            state = State.DONE;
                            close = true;
                            error = endError;
                        }
                    }
                    case OPEN -> { }
                }
                if (!close) {
                    if (n == BATCH) { // fairness: the watcher goes to the back of the lanes' queue
                        scheduled = false;
                        scheduleAlways();
                        return;
                    }
                    next = initial.poll();
                    if (next == null) {
                        next = live.poll();
                    }
                    if (next == null) {
                        scheduled = false;
                        return;
                    }
                }
            }
            if (close) {
                try {
                    handler.onClose(error);
                } catch (RuntimeException e) {
                    LOG.warn("watch handler failed on close", e);
                }
                synchronized (this) {
                    scheduled = false;
                }
                return;
            }
            try {
                handler.onEvent(next.type().equals(INITIAL_EVENTS_END) ? "BOOKMARK" : next.type(), node(next));
            } catch (RuntimeException e) {
                LOG.warn("watch handler failed on a {} event ({}); ending that watch", next.type(), selection, e);
                cache.forget(this);
                end(ApiException.of(500, "InternalError", "watch handler failed: " + e), false);
            }
        }
    }

    private ObjectNode node(Delivery d) {
        if (d.object() != null) {
            return new CachedObjectNode(d.object(), d.revision(), cache.config().conversion());
        }
        ObjectNode bookmark = Json.object();
        bookmark.put("kind", cache.config().kind());
        bookmark.put("apiVersion", cache.config().apiVersion());
        ObjectNode meta = bookmark.putObject("metadata");
        meta.put("resourceVersion", Long.toString(d.revision()));
        if (d.type().equals(INITIAL_EVENTS_END)) {
            meta.putObject("annotations").put(INITIAL_EVENTS_END, "true");
        }
        return bookmark;
    }
}

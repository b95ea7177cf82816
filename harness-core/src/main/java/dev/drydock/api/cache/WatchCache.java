package dev.drydock.api.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.BoundedExecutor;
import dev.drydock.base.Clock;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import dev.drydock.store.KeyValue;
import dev.drydock.store.RangeResult;
import dev.drydock.store.Store;
import dev.drydock.store.StoreException;
import dev.drydock.store.WatchEvent;
import dev.drydock.store.WatchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch cache of one resource, as kube-apiserver's {@code cacher} with its {@code watchCache}: one store watch
 * keeps the current objects and a bounded window of recent changes; lists are served from the objects, watches from
 * the window and then live.
 *
 * <ul>
 *   <li>Each change is decoded once, on the store's dispatch thread, into what selectors need (labels and
 *       selectable fields); the object's bytes are the store's own, never copied or kept as a tree.</li>
 *   <li>Watchers are indexed by the value of the resource's index field ({@code spec.nodeName} for pods), else by
 *       namespace, so a change is offered only to the watchers that may see it. Each watcher has a bounded buffer
 *       drained by a lane of the shared watch threads: the dispatch thread never waits for a watcher, and one that
 *       falls a whole buffer behind is ended (its client watches again from its last resourceVersion, or lists
 *       again on 410 Gone) while the others carry on.</li>
 *   <li>A list without resourceVersion is consistent (kube's {@code ConsistentListFromCache}): it waits until the
 *       cache has seen the store's current revision, asking the store for a progress notification so that a quiet
 *       resource catches up at once, and falls back to the store if that takes longer than {@code blockTimeout}.
 *       {@code resourceVersion=0} is served as the cache is; {@code resourceVersion=N} once the cache has seen N.</li>
 *   <li>BOOKMARKs carry the cache's revision, kept current by the store's progress notifications.</li>
 * </ul>
 */
public final class WatchCache implements WatchListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchCache.class);
    /** Watchers made ready by a change that are handed to the lanes at once: the first start before the last. */
    private static final int READY_BATCH = 64;

    /**
     * The cache's settings, with kube's names and defaults.
     *
     * @param windowLowerBound   the smallest capacity of the window of changes (kube: 100)
     * @param windowUpperBound   the largest (kube: 100 * 1024)
     * @param eventFreshDuration how long a change should stay in the window (kube: 75 s)
     * @param watcherBuffer      the changes a watcher may fall behind before it is ended (kube: 10 to 1000 by
     *                           resource and index, plus a 100 ms time budget; drydock's watch threads are
     *                           shared, so it takes the largest)
     * @param bookmarkFrequency  how often watchers that allow bookmarks get one (kube: 1 min)
     * @param blockTimeout       how long a read waits for the cache to catch up with a resourceVersion (kube: 3 s)
     */
    public record Settings(int windowLowerBound, int windowUpperBound, Duration eventFreshDuration,
                           int watcherBuffer, Duration bookmarkFrequency, Duration blockTimeout) {

        /** kube-apiserver's values. */
        public static Settings defaults() {
            return new Settings(100, 100 * 1024, Duration.ofSeconds(75), 1000, Duration.ofMinutes(1),
                    Duration.ofSeconds(3));
        }

        public Settings withWatcherBuffer(int size) {
            return new Settings(windowLowerBound, windowUpperBound, eventFreshDuration, size, bookmarkFrequency,
                    blockTimeout);
        }

        public Settings withWindow(int lower, int upper) {
            return new Settings(lower, upper, eventFreshDuration, watcherBuffer, bookmarkFrequency, blockTimeout);
        }

        public Settings withBookmarkFrequency(Duration frequency) {
            return new Settings(windowLowerBound, windowUpperBound, eventFreshDuration, watcherBuffer, frequency,
                    blockTimeout);
        }
    }

    private final Store store;
    private final CacheConfig config;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    /** Watch timeouts: on the cluster's clock. */
    private final ScheduledExecutorService clockTimer;
    private final BoundedExecutor lanes;
    private final Settings settings;
    private final int indexFieldPosition;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // Written by the store's dispatch thread under the write lock; read under the read lock.
    private final TreeMap<String, CachedObject> objects = new TreeMap<>();
    private final EventWindow window;
    private final Set<CacheWatcher> unindexed = new LinkedHashSet<>();
    private final Map<String, Set<CacheWatcher>> byNamespace = new HashMap<>();
    private final Map<String, Set<CacheWatcher>> byIndexValue = new HashMap<>();
    private final Set<CacheWatcher> bookmarkWatchers = new LinkedHashSet<>();
    /** Watchers past their timeout, waiting for the store's progress to get a last, fresh BOOKMARK. */
    private final Set<CacheWatcher> timingOut = new LinkedHashSet<>();
    /** The deliveries of the change being dispatched, shared by its watchers (the dispatch's, under the lock). */
    private final CacheWatcher.SharedDeliveries shared = new CacheWatcher.SharedDeliveries();
    /**
     * Watchers the dispatch made ready, handed to the lanes together every {@link #READY_BATCH} and at the end of
     * each change: one hand-off for many (the dispatch's, under the lock).
     */
    private final List<CacheWatcher> readyWatchers = new ArrayList<>();
    private final List<Runnable> readyTasks = new ArrayList<>();
    private volatile long revision;
    private volatile boolean ready;
    /** The trees writes were encoded from (set by {@link WatchCaches} before start), or null: every event is parsed. */
    volatile WrittenTrees trees;
    private boolean closed;
    private boolean bookmarkDue;
    private dev.drydock.store.Watch storeWatch;

    private final Object freshness = new Object();
    private volatile int waitingForFreshness;

    /** A cache whose watch timeouts run on {@code timer} too (its clock is real time, or a test's own). */
    public WatchCache(Store store, CacheConfig config, Clock clock, ScheduledExecutorService timer, Executor lanes,
                      Settings settings) {
        this(store, config, clock, timer, timer, lanes, settings);
    }

    /**
     * A cache of the resource {@code config} names; {@link #start()} fills it.
     *
     * @param timer      runs what waits for the store (reloads, a timed-out watch's wait for its last bookmark), in
     *                   real time
     * @param clockTimer runs watch timeouts ({@code timeoutSeconds}), on the cluster's clock
     */
    public WatchCache(Store store, CacheConfig config, Clock clock, ScheduledExecutorService timer,
                      ScheduledExecutorService clockTimer, Executor lanes, Settings settings) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.timer = timer;
        this.clockTimer = clockTimer;
        this.lanes = BoundedExecutor.over(lanes);
        this.settings = settings;
        this.indexFieldPosition = config.indexField() == null ? -1 : config.fieldNames().indexOf(config.indexField());
        this.window = new EventWindow(settings.windowLowerBound(), settings.windowUpperBound(),
                settings.eventFreshDuration().toNanos());
    }

    public CacheConfig config() {
        return config;
    }

    /** The revision the cache has seen every change up to. */
    public long revision() {
        return revision;
    }

    /**
     * Fills the cache and starts watching the store. It starts from the store's compaction revision and replays
     * the history kept since, so that a watch from any revision the store still has is served, whenever the cache
     * was made.
     *
     * @throws StoreException if the store cannot be read
     */
    public void start() {
        while (true) {
            long from = store.compactRevision();
            RangeResult snapshot = from == 0 ? null : store.range(config.prefix(), null, from, 0);
            lock.writeLock().lock();
            try {
                if (closed) {
                    return;
                }
                objects.clear();
                if (snapshot != null) {
                    for (KeyValue kv : snapshot.kvs()) {
                        objects.put(kv.key(), CachedObject.decode(kv, config));
                    }
                }
                window.reset(from);
                revision = from;
                try {
                    storeWatch = store.watch(config.prefix(), from + 1, this);
                } catch (StoreException e) {
                    if (e.reason() == StoreException.Reason.COMPACTED) {
                        continue; // compacted in between: start again from the new compaction revision
                    }
                    throw e;
                }
                ready = true;
                return;
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    // ---- the store's side (its dispatch thread)

    @Override
    public void onEvents(List<WatchEvent> events) {
        long now = clock.nanoTime();
        List<CacheEvent> changes = new ArrayList<>(events.size());
        // Decoded before taking the lock: only this thread writes the objects, so it may read them unlocked.
        Map<String, CachedObject> written = events.size() > 1 ? new HashMap<>() : null;
        for (WatchEvent e : events) {
            String key = e.kv().key();
            if (e.type() == WatchEvent.Type.DELETE && e.prevKv() == null && !objects.containsKey(key)) {
                continue; // the delete of a key the cache never had: nothing to tell anyone
            }
            CachedObject prev = written != null && written.containsKey(key) ? written.get(key) : objects.get(key);
            if (prev == null && e.prevKv() != null) {
                prev = CachedObject.decode(e.prevKv(), config);
            }
            CachedObject current = e.type() == WatchEvent.Type.PUT
                    ? CachedObject.decode(e.kv(), config, trees == null ? null : trees.take(e.kv().value()))
                    : null;
            if (written != null) {
                written.put(key, current);
            }
            changes.add(new CacheEvent(current, prev, e.revision(), now));
        }
        List<CacheWatcher> slow = null;
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            for (CacheEvent c : changes) {
                String key = (c.object() != null ? c.object() : c.prev()).key;
                if (c.object() != null) {
                    objects.put(key, c.object());
                } else {
                    objects.remove(key);
                }
                window.add(c);
                revision = Math.max(revision, c.revision());
                slow = dispatch(c, slow);
            }
            if (slow != null) {
                for (CacheWatcher w : slow) {
                    forgetLocked(w);
                    LOG.info("{}: closing a watcher too slow to keep up ({} changes behind; {}); it will watch again",
                            config.prefix(), settings.watcherBuffer(), w.selection());
                    w.end(null, false);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        wakeWaiters();
    }

    /** Offers a change to every watcher that may see it; collects those whose buffer is full. */
    private List<CacheWatcher> dispatch(CacheEvent c, List<CacheWatcher> slow) {
        shared.reset(c);
        CachedObject any = c.object() != null ? c.object() : c.prev();
        slow = offer(unindexed, c, slow);
        Set<CacheWatcher> ns = byNamespace.get(any.namespace);
        if (ns != null) {
            slow = offer(ns, c, slow);
        }
        if (indexFieldPosition >= 0) {
            String now = c.object() == null ? null : c.object().field(indexFieldPosition);
            String before = c.prev() == null ? null : c.prev().field(indexFieldPosition);
            if (now != null) {
                slow = offer(byIndexValue.get(now), c, slow);
            }
            if (before != null && !before.equals(now)) {
                slow = offer(byIndexValue.get(before), c, slow);
            }
        }
        flushReady();
        return slow;
    }

    /** Hands the watchers made ready to the lanes. */
    private void flushReady() {
        if (readyWatchers.isEmpty()) {
            return;
        }
        for (CacheWatcher w : readyWatchers) {
            readyTasks.add(w.drainTask());
        }
        try {
            lanes.executeAll(readyTasks);
        } catch (RejectedExecutionException e) {
            // The cluster is closing: its watch threads are gone, and so is whoever listened.
            readyWatchers.forEach(CacheWatcher::rejected);
        } finally {
            readyWatchers.clear();
            readyTasks.clear();
        }
    }

    private List<CacheWatcher> offer(Collection<CacheWatcher> watchers, CacheEvent c, List<CacheWatcher> slow) {
        if (watchers == null) {
            return slow;
        }
        for (CacheWatcher w : watchers) {
            if (!w.offer(c, shared, readyWatchers)) {
                if (slow == null) {
                    slow = new ArrayList<>();
                }
                slow.add(w);
            } else if (readyWatchers.size() == READY_BATCH) {
                flushReady();
            }
        }
        return slow;
    }

    @Override
    public void onProgress(long progress) {
        List<CacheWatcher> ended = null;
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            revision = Math.max(revision, progress);
            if (bookmarkDue) {
                bookmarkDue = false;
                for (CacheWatcher w : bookmarkWatchers) {
                    w.offerBookmark(revision, false);
                }
            }
            if (!timingOut.isEmpty()) {
                ended = new ArrayList<>(timingOut);
                timingOut.clear();
                for (CacheWatcher w : ended) {
                    w.offerBookmark(revision, false);
                    forgetLocked(w);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        if (ended != null) {
            ended.forEach(w -> w.end(null, true));
        }
        wakeWaiters();
    }

    @Override
    public void onClose(StoreException cause) {
        if (cause == null || cause.reason() == StoreException.Reason.CLOSED) {
            endAll(ApiException.of(500, "InternalError", "watch ended: "
                    + (cause == null ? "store watch closed" : cause.getMessage())), true);
            return;
        }
        // The cache may have missed changes: its watchers must start again, and it must list again (kube's cacher
        // terminates all watchers and relists).
        LOG.warn("{}: the store watch failed ({}); ending every watch of the resource and reloading it",
                config.prefix(), cause.getMessage());
        endAll(null, false);
        scheduleRestart(1);
    }

    private void scheduleRestart(int attempt) {
        try {
            timer.schedule(() -> {
                try {
                    start();
                } catch (StoreException e) {
                    if (e.reason() == StoreException.Reason.CLOSED) {
                        return;
                    }
                    LOG.warn("{}: could not reload from the store ({}); retrying", config.prefix(), e.getMessage());
                    scheduleRestart(attempt + 1);
                }
            }, Math.min(1000, 10L << Math.min(attempt, 7)), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: timer stopped; the cache stays down", config.prefix());
        }
    }

    /** Ends every watcher: with {@code error} and closed for good ({@code forGood}), or for a reload. */
    private void endAll(ApiException error, boolean forGood) {
        List<CacheWatcher> all = new ArrayList<>();
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            ready = false;
            closed = forGood;
            all.addAll(unindexed);
            byNamespace.values().forEach(all::addAll);
            byIndexValue.values().forEach(all::addAll);
            unindexed.clear();
            byNamespace.clear();
            byIndexValue.clear();
            bookmarkWatchers.clear();
            timingOut.clear();
        } finally {
            lock.writeLock().unlock();
        }
        all.forEach(w -> w.end(error, false));
        wakeWaiters();
    }

    // ---- reads

    /**
     * Lists what {@code selection} matches, in key order, at most {@code limit} objects (0: all).
     *
     * @param minRevision for a read that is not consistent: 0 for the cache as it is, else the revision the cache
     *                    must have seen (waited for up to {@code blockTimeout}, then 504 Too large resource version)
     * @param consistent  a read without resourceVersion: as of the store's current revision
     * @return the list, or null when a consistent read cannot be served in time from the cache and should go to
     *         the store
     */
    public CacheList list(Selection selection, int limit, long minRevision, boolean consistent) {
        if (!ready) {
            return null;
        }
        if (consistent) {
            if (!waitFresh(store.revision())) {
                LOG.debug("{}: consistent list served by the store: the cache is at {}", config.prefix(), revision);
                return null;
            }
        } else if (minRevision > 0 && !waitFresh(minRevision)) {
            throw tooLarge(minRevision);
        }
        lock.readLock().lock();
        try {
            if (!ready) {
                return null;
            }
            List<CachedObject> items = new ArrayList<>();
            String next = null;
            for (CachedObject o : range(selection.namespace()).values()) {
                if (limit > 0 && items.size() == limit) {
                    next = o.key;
                    break;
                }
                if (selection.matches(o)) {
                    items.add(o);
                }
            }
            return new CacheList(revision, items, next);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The object stored under {@code key} as the cache holds it now, which may lag the store: what kube's
     * {@code Cacher} hands to {@code GuaranteedUpdate} as its optimistic first state, and what its admission plugins
     * read from their informers. Its {@code createRevision} and {@code version} are not kept (0).
     *
     * @return the object, or null when the cache is not filled yet or holds no such object
     */
    public KeyValue get(String key) {
        if (!ready) {
            return null;
        }
        lock.readLock().lock();
        try {
            CachedObject o = ready ? objects.get(key) : null;
            return o == null ? null : new KeyValue(key, o.bytes, 0, o.modRevision, 0);
        } finally {
            lock.readLock().unlock();
        }
    }

    private NavigableMap<String, CachedObject> range(String namespace) {
        if (namespace == null || !config.namespaced()) {
            return objects;
        }
        String from = config.prefix() + namespace + "/";
        return objects.subMap(from, true, from + Character.MAX_VALUE, false);
    }

    /**
     * Starts a watch (kube's {@code Cacher.Watch}).
     *
     * @throws ApiException 410 Expired when the resourceVersion has left the window; 504 when the cache cannot
     *                      catch up with what the watch asks for in time; 429 while the cache reloads
     */
    public Watch watch(Selection selection, WatchOptions options, WatchHandler handler) {
        if (!ready) {
            throw tooManyRequests();
        }
        long requested = options.revision();
        Boolean initialEvents = options.sendInitialEvents();
        if (options.consistent()) {
            if (!waitFresh(store.revision()) && Boolean.TRUE.equals(initialEvents)) {
                throw tooLarge(store.revision());
            }
        } else if (Boolean.TRUE.equals(initialEvents) && requested > 0 && !waitFresh(requested)) {
            throw tooLarge(requested);
        }
        CacheWatcher watcher;
        lock.writeLock().lock();
        try {
            if (!ready) {
                throw tooManyRequests();
            }
            List<CacheWatcher.Delivery> initial = new ArrayList<>();
            long start;
            if (Boolean.TRUE.equals(initialEvents) || initialEvents == null && requested == 0) {
                // The state as ADDED events, then changes (kube: "Get State and Start at Most Recent").
                for (CachedObject o : range(selection.namespace()).values()) {
                    if (selection.matches(o)) {
                        initial.add(new CacheWatcher.Delivery("ADDED", o, o.modRevision));
                    }
                }
                start = revision;
            } else if (requested == 0) {
                start = revision; // sendInitialEvents=false from now: changes only
            } else {
                List<CacheEvent> since = window.since(requested);
                if (since == null) {
                    throw ApiException.of(410, "Expired", "too old resource version: " + requested + " ("
                            + window.oldestServable() + ")");
                }
                start = Math.max(requested, revision);
                for (CacheEvent c : since) {
                    CacheWatcher.Delivery d = CacheWatcher.classify(selection, c);
                    if (d != null) {
                        initial.add(d);
                    }
                }
            }
            watcher = new CacheWatcher(this, selection, handler, options.allowBookmarks(), lanes,
                    settings.watcherBuffer(), start, initial);
            if (Boolean.TRUE.equals(initialEvents)) {
                watcher.offerBookmark(revision, true);
            }
            register(watcher);
        } finally {
            lock.writeLock().unlock();
        }
        watcher.start();
        if (options.timeoutSeconds() > 0) {
            CacheWatcher w = watcher;
            try {
                watcher.setTimeout(clockTimer.schedule(() -> timeout(w), options.timeoutSeconds(), TimeUnit.SECONDS));
            } catch (RejectedExecutionException e) {
                LOG.debug("{}: timer stopped; the watch has no timeout", config.prefix());
            }
        }
        return watcher;
    }

    private void register(CacheWatcher w) {
        String value = indexFieldPosition >= 0 ? w.selection().exactValue(config.indexField()) : null;
        String namespace = w.selection().namespaceScope();
        if (value != null) {
            w.indexBucket = byIndexValue;
            w.indexValue = value;
            byIndexValue.computeIfAbsent(value, v -> new LinkedHashSet<>()).add(w);
        } else if (namespace != null) {
            w.indexBucket = byNamespace;
            w.indexValue = namespace;
            byNamespace.computeIfAbsent(namespace, v -> new LinkedHashSet<>()).add(w);
        } else {
            w.indexBucket = unindexed;
            unindexed.add(w);
        }
        if (w.wantsBookmarks()) {
            bookmarkWatchers.add(w);
        }
    }

    /** Forgets a watcher that ended or was closed. */
    void forget(CacheWatcher w) {
        lock.writeLock().lock();
        try {
            forgetLocked(w);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void forgetLocked(CacheWatcher w) {
        bookmarkWatchers.remove(w);
        timingOut.remove(w);
        if (w.indexBucket == unindexed) {
            unindexed.remove(w);
        } else if (w.indexBucket != null) {
            @SuppressWarnings("unchecked")
            Map<String, Set<CacheWatcher>> index = (Map<String, Set<CacheWatcher>>) w.indexBucket;
            Set<CacheWatcher> set = index.get(w.indexValue);
            if (set != null && set.remove(w) && set.isEmpty()) {
                index.remove(w.indexValue);
            }
        }
        w.indexBucket = null;
    }

    /**
     * The watch's timeoutSeconds has passed: the stream ends normally, for a watcher that allows bookmarks after a
     * last BOOKMARK at the store's progress (kube sends one just before the deadline), so that it resumes from a
     * fresh resourceVersion. The watcher keeps getting changes until then, so the bookmark skips none.
     */
    private void timeout(CacheWatcher w) {
        dev.drydock.store.Watch progress = null;
        lock.writeLock().lock();
        try {
            if (w.wantsBookmarks() && !closed && w.indexBucket != null) {
                timingOut.add(w);
                progress = storeWatch;
            } else {
                forgetLocked(w);
            }
        } finally {
            lock.writeLock().unlock();
        }
        if (progress == null) {
            w.end(null, true);
            return;
        }
        progress.requestProgress();
        try { // should the store never answer
            timer.schedule(() -> {
                boolean pending;
                lock.writeLock().lock();
                try {
                    pending = timingOut.remove(w);
                    forgetLocked(w);
                } finally {
                    lock.writeLock().unlock();
                }
                if (pending) {
                    w.end(null, true);
                }
            }, settings.blockTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            forget(w);
            w.end(null, true);
        }
    }

    /** Asks the store for its progress, so that watchers that allow bookmarks get a BOOKMARK at it. */
    void requestBookmarks() {
        dev.drydock.store.Watch w;
        lock.writeLock().lock();
        try {
            if (closed || !ready || bookmarkWatchers.isEmpty()) {
                return;
            }
            bookmarkDue = true;
            w = storeWatch;
        } finally {
            lock.writeLock().unlock();
        }
        w.requestProgress();
    }

    /** The number of open watchers (for tests and diagnostics). */
    int watcherCount() {
        lock.readLock().lock();
        try {
            int n = unindexed.size();
            for (Set<CacheWatcher> s : byNamespace.values()) {
                n += s.size();
            }
            for (Set<CacheWatcher> s : byIndexValue.values()) {
                n += s.size();
            }
            return n;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Ends every watch normally (as an API server that shuts down) and stops watching the store. */
    @Override
    public void close() {
        dev.drydock.store.Watch w;
        lock.writeLock().lock();
        try {
            w = storeWatch;
        } finally {
            lock.writeLock().unlock();
        }
        endAll(null, true);
        if (w != null) {
            w.close();
        }
    }

    // ---- freshness

    /** Waits until the cache has seen {@code target}, up to {@code blockTimeout}; false if it has not by then. */
    private boolean waitFresh(long target) {
        if (revision >= target) {
            return true;
        }
        // Real time: this waits for the store's thread to deliver, whatever clock the cluster runs on (a manual
        // clock does not move while a test waits here).
        long deadline = System.nanoTime() + settings.blockTimeout().toNanos();
        synchronized (freshness) {
            waitingForFreshness++;
        }
        try {
            while (revision < target && ready) {
                requestProgress();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                synchronized (freshness) {
                    if (revision < target && ready) {
                        // Asked again every 100 ms: a replicated store may lose a request when its leader changes.
                        freshness.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
                    }
                }
            }
            return revision >= target;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            synchronized (freshness) {
                waitingForFreshness--;
            }
        }
    }

    private void requestProgress() {
        dev.drydock.store.Watch w;
        lock.readLock().lock();
        try {
            w = storeWatch;
        } finally {
            lock.readLock().unlock();
        }
        if (w != null) {
            w.requestProgress();
        }
    }

    private void wakeWaiters() {
        if (waitingForFreshness > 0) {
            synchronized (freshness) {
                freshness.notifyAll();
            }
        }
    }

    /** kube's {@code NewTooLargeResourceVersionError}: 504, retry after a second. */
    private ApiException tooLarge(long wanted) {
        ObjectNode details = Json.object();
        details.putArray("causes").addObject().put("reason", "ResourceVersionTooLarge")
                .put("message", "Too large resource version");
        details.put("retryAfterSeconds", 1);
        return new ApiException(ApiException.status(504, "Timeout", "Timeout: Too large resource version: "
                + wanted + ", current: " + revision, details));
    }

    private ApiException tooManyRequests() {
        ObjectNode details = Json.object();
        details.put("retryAfterSeconds", 1);
        return new ApiException(ApiException.status(429, "TooManyRequests", "storage is (re)initializing",
                details));
    }
}

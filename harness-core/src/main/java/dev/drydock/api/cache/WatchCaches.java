package dev.drydock.api.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.BoundedExecutor;
import dev.drydock.base.Clock;
import dev.drydock.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's watch caches, one per resource, made on first use (a resource added at runtime, such as a custom
 * resource, gets one the same way), and the one timer task that asks them for bookmarks. They use no thread of
 * their own: changes arrive on the store's dispatch thread, watchers are served on the shared watch lanes, watch
 * timeouts and bookmarks run on the cluster's clock, and retries against the store on a timer that keeps real time.
 */
public final class WatchCaches implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchCaches.class);

    private final Store store;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService clockTimer;
    private final Executor lanes;
    private final WatchCache.Settings settings;
    private final Map<Object, WatchCache> caches = new ConcurrentHashMap<>();
    private final WrittenTrees written = new WrittenTrees();
    private ScheduledFuture<?> bookmarks;
    private boolean closed;

    /** Caches whose watch timeouts and bookmarks run on {@code timer} too (real time, or a test's own clock). */
    public WatchCaches(Store store, Clock clock, ScheduledExecutorService timer, Executor lanes,
                       WatchCache.Settings settings) {
        this(store, clock, timer, timer, lanes, settings);
    }

    /**
     * @param timer      runs what waits for the store (reloads, a timed-out watch's wait for a last bookmark) in
     *                   real time
     * @param clockTimer runs watch timeouts and the bookmark task on the cluster's clock
     * @param lanes      the shared, bounded pool that watchers' lanes run on (named {@code drydock-<cluster>-watch}):
     *                   every cache's watchers share one ready queue over it ({@link BoundedExecutor#over})
     */
    public WatchCaches(Store store, Clock clock, ScheduledExecutorService timer, ScheduledExecutorService clockTimer,
                       Executor lanes, WatchCache.Settings settings) {
        this.store = store;
        this.clock = clock;
        this.timer = timer;
        this.clockTimer = clockTimer;
        this.lanes = BoundedExecutor.over(lanes);
        this.settings = settings;
    }

    /**
     * The cache of a resource, made and filled from the store on first use.
     *
     * @param resource identifies the resource (its served group, version and plural)
     * @return the cache, or null once closed (the API server is shutting down)
     * @throws dev.drydock.store.StoreException if the store cannot be read
     */
    public WatchCache cache(Object resource, Supplier<CacheConfig> config) {
        WatchCache cache = caches.get(resource);
        return cache != null ? cache : create(resource, config);
    }

    private synchronized WatchCache create(Object resource, Supplier<CacheConfig> config) {
        if (closed) {
            return null;
        }
        WatchCache cache = caches.get(resource);
        if (cache == null) {
            cache = new WatchCache(store, config.get(), clock, timer, clockTimer, lanes, settings);
            cache.trees = written;
            cache.start();
            caches.put(resource, cache);
            startBookmarks();
        }
        return cache;
    }

    /**
     * Tells the cache of {@code resource}, if there is one, the tree that {@code bytes} about to be stored were
     * encoded from (and in the form they are stored in), so that it need not parse them when their event comes. The
     * caller must not change {@code tree} from then on.
     */
    public void written(Object resource, byte[] bytes, ObjectNode tree) {
        if (caches.containsKey(resource)) {
            written.remember(bytes, tree);
        }
    }

    private void startBookmarks() {
        if (bookmarks != null) {
            return;
        }
        long every = settings.bookmarkFrequency().toMillis();
        try {
            bookmarks = clockTimer.scheduleWithFixedDelay(this::requestBookmarks, every, every, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("timer stopped; no bookmarks");
        }
    }

    private void requestBookmarks() {
        List<WatchCache> all;
        synchronized (this) {
            all = new ArrayList<>(caches.values());
        }
        for (WatchCache c : all) {
            try {
                c.requestBookmarks();
            } catch (RuntimeException e) {
                LOG.warn("{}: could not ask for bookmarks: {}", c.config().prefix(), e.toString());
            }
        }
    }

    /** Ends every watch served (their streams end, as when an API server stops) and stops watching the store. */
    @Override
    public void close() {
        List<WatchCache> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (bookmarks != null) {
                bookmarks.cancel(false);
            }
            all = new ArrayList<>(caches.values());
            caches.clear();
        }
        all.forEach(WatchCache::close);
    }
}

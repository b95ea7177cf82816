package dev.drydock.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache of one resource kept current by list-then-watch, as client-go's informer: handlers hear every add, update
 * and delete; when the watch ends the informer lists again and tells handlers what changed meanwhile. Handlers run on
 * the watch's delivery thread and must only enqueue work.
 */
public final class Informer implements AutoCloseable {

    /** Hears changes to the cache. */
    public interface Handler {
        default void onAdd(ObjectNode obj) {
        }

        default void onUpdate(ObjectNode oldObj, ObjectNode newObj) {
        }

        default void onDelete(ObjectNode obj) {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Informer.class);

    private final KubeClient client;
    private final Resource resource;
    private final String namespace;
    private final Map<String, String> selectors;
    private final ScheduledExecutorService timer;
    private final List<Handler> handlers = new ArrayList<>();
    private final Map<String, ObjectNode> cache = new ConcurrentHashMap<>();
    private volatile Watch watch;
    private volatile boolean synced;
    private volatile boolean closed;
    private int failures;

    /**
     * @param namespace null for all namespaces
     * @param selectors {@code labelSelector} and/or {@code fieldSelector}, or empty
     * @param timer     schedules relists after a watch ends
     */
    public Informer(KubeClient client, Resource resource, String namespace, Map<String, String> selectors,
                    ScheduledExecutorService timer) {
        this.client = client;
        this.resource = resource;
        this.namespace = namespace;
        this.selectors = Map.copyOf(selectors);
        this.timer = timer;
    }

    public Informer addHandler(Handler handler) {
        handlers.add(handler);
        return this;
    }

    /** Lists and starts watching; if the API cannot be reached, keeps retrying in the background. */
    public void start() {
        relist();
    }

    public boolean hasSynced() {
        return synced;
    }

    public ObjectNode get(String key) {
        return cache.get(key);
    }

    public ObjectNode get(String namespace, String name) {
        return cache.get(Json.key(namespace, name));
    }

    /** A snapshot of the cached objects. */
    public List<ObjectNode> list() {
        return new ArrayList<>(cache.values());
    }

    @Override
    public void close() {
        closed = true;
        Watch w = watch;
        if (w != null) {
            w.close();
        }
    }

    private synchronized void relist() {
        if (closed) {
            return;
        }
        ObjectNode list;
        try {
            list = client.list(resource, namespace, selectors);
        } catch (RuntimeException e) {
            LOG.debug("list of {} failed: {}", resource, e.getMessage());
            retryLater();
            return;
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode item : list.path("items")) {
            ObjectNode obj = (ObjectNode) item;
            seen.add(Json.key(obj));
            apply("ADDED", obj);
        }
        for (String key : new ArrayList<>(cache.keySet())) {
            if (!seen.contains(key)) {
                apply("DELETED", cache.get(key));
            }
        }
        synced = true;
        try {
            watch = client.watch(resource, namespace, Json.text(list, "metadata", "resourceVersion"), selectors,
                    new WatchHandler() {
                        @Override
                        public void onEvent(String type, ObjectNode object) {
                            apply(type, object);
                        }

                        @Override
                        public void onClose(ApiException error) {
                            if (!closed) {
                                LOG.debug("watch of {} closed: {}", resource, error == null ? "" : error.getMessage());
                                retryLater();
                            }
                        }
                    });
            failures = 0;
        } catch (RuntimeException e) {
            LOG.debug("watch of {} failed: {}", resource, e.getMessage());
            retryLater();
        }
        if (closed && watch != null) {
            watch.close();
        }
    }

    private void retryLater() {
        if (closed) {
            return;
        }
        long delay = Math.min(1000, 10L << Math.min(failures++, 7));
        try {
            timer.schedule(this::relist, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("timer stopped; informer of {} ends", resource);
        }
    }

    private synchronized void apply(String type, ObjectNode obj) {
        if (closed) {
            return;
        }
        String key = Json.key(obj);
        switch (type) {
            case "ADDED", "MODIFIED" -> {
                ObjectNode old = cache.put(key, obj);
                if (old == null) {
                    handlers.forEach(h -> h.onAdd(obj));
                } else if (!Json.resourceVersion(old).equals(Json.resourceVersion(obj))) {
                    handlers.forEach(h -> h.onUpdate(old, obj));
                }
            }
            case "DELETED" -> {
                ObjectNode old = cache.remove(key);
                if (old != null) {
                    handlers.forEach(h -> h.onDelete(obj));
                }
            }
            default -> { } // BOOKMARK: nothing to cache
        }
    }

    /** Builds selector parameters for an informer. */
    public static Map<String, String> selectors(String labelSelector, String fieldSelector) {
        Map<String, String> m = new HashMap<>();
        if (labelSelector != null) {
            m.put("labelSelector", labelSelector);
        }
        if (fieldSelector != null) {
            m.put("fieldSelector", fieldSelector);
        }
        return m;
    }
}

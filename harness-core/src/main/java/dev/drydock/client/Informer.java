package dev.drydock.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.Timers;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.FrozenJson;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.SharedObject;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache of one resource kept current by list-then-watch, as client-go's informer and its reflector: handlers hear
 * every add, update and delete. When a watch ends (its timeout, a watcher the server found too slow, a network
 * fault), the informer watches again from the last resourceVersion it saw, which BOOKMARK events keep fresh; only
 * when the server answers 410 Gone (that version has left its window) does it list again, and then it tells
 * handlers what changed meanwhile. Handlers run on the watch's delivery thread and must only enqueue work.
 *
 * <p>The cached objects, which handlers get too, are read-only ({@link FrozenJson}: a change throws), as client-go's
 * cache must not be changed either: a reader copies one ({@code deepCopy()}) to change it. Informers in process share
 * one tree per object version ({@link SharedObject}), so a pod seen by the scheduler, the controllers and its kubelet
 * is held once.
 *
 * <p>Indexes (client-go's {@code Indexer}) answer "which cached objects have this value" without a scan: a
 * controller asks for the pods of one owner or one namespace in time proportional to the answer, not to the cache.
 * <pre>{@code
 * pods.addIndex(Informer.BY_CONTROLLER_UID, Informer::controllerUid);
 * List<ObjectNode> owned = pods.byIndex(Informer.BY_CONTROLLER_UID, Json.uid(replicaSet));
 * }</pre>
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

    /** The index of objects by namespace (client-go's {@code NamespaceIndex}); see {@link #namespaceOf}. */
    public static final String BY_NAMESPACE = "namespace";
    /** The index of objects by the uid of their controller owner reference; see {@link #controllerUid}. */
    public static final String BY_CONTROLLER_UID = "controller-uid";

    private static final Logger LOG = LoggerFactory.getLogger(Informer.class);
    private static final java.util.function.UnaryOperator<ObjectNode> NO_TRANSFORM = o -> o;

    private final KubeClient client;
    private final Resource resource;
    private final String namespace;
    private final Map<String, String> selectors;
    private final Timers timers;
    private final List<Handler> handlers = new ArrayList<>();
    private final Map<String, ObjectNode> cache = new ConcurrentHashMap<>();
    /** Index name to its function, and to the keys of the cached objects under each of its values. */
    private final Map<String, Function<ObjectNode, Collection<String>>> indexFunctions = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Set<String>>> indexes = new ConcurrentHashMap<>();
    private volatile Watch watch;
    private volatile boolean synced;
    private volatile boolean closed;
    private volatile boolean stripManagedFields;
    private volatile java.util.function.UnaryOperator<ObjectNode> transform = NO_TRANSFORM;
    /** The resourceVersion of the last list, event or bookmark: where the next watch starts. */
    private String lastResourceVersion;
    /** Counts the watches started, so that the callbacks of one that was replaced are ignored. */
    private int generation;
    private int failures;

    /**
     * @param namespace null for all namespaces
     * @param selectors {@code labelSelector} and/or {@code fieldSelector}, or empty
     * @param timers    schedule relists and new watches after a watch ends, on the cluster's clock
     */
    public Informer(KubeClient client, Resource resource, String namespace, Map<String, String> selectors,
                    Timers timers) {
        this.client = client;
        this.resource = resource;
        this.namespace = namespace;
        this.selectors = Map.copyOf(selectors);
        this.timers = timers;
    }

    /**
     * Caches objects without their {@code metadata.managedFields}, which a component does not read and which make
     * up much of a small object (client-go's {@code TransformStripManagedFields}, as kube-scheduler and
     * kube-controller-manager set it). An update of such an object keeps the stored ones, as kube's does.
     */
    public Informer withoutManagedFields() {
        stripManagedFields = true;
        return this;
    }

    /**
     * Caches (and hands handlers) what {@code transform} makes of each object instead of the object, as client-go's
     * {@code SetTransform}: a reader that needs a few fields of many objects keeps only those. The result must keep
     * the object's namespace, name and resourceVersion, and the transform must leave what it made as it is (a
     * relist hands it cached objects again). The transform reads the object without changing it (in process it may be
     * the read-only tree informers share) and builds what it keeps; that is kept read-only. Set it before
     * {@link #start()}.
     */
    public Informer withTransform(java.util.function.UnaryOperator<ObjectNode> transform) {
        this.transform = java.util.Objects.requireNonNull(transform, "transform");
        return this;
    }

    public Informer addHandler(Handler handler) {
        handlers.add(handler);
        return this;
    }

    /**
     * Keeps an index of the cache: {@code function} names the values an object is found under (none: an empty
     * collection). Informers are shared, so a second index of the same name is the first one: the call does nothing.
     * An index added after the informer started is built from what the cache holds.
     */
    public synchronized Informer addIndex(String name, Function<ObjectNode, Collection<String>> function) {
        if (indexFunctions.putIfAbsent(name, function) == null) {
            indexes.put(name, new ConcurrentHashMap<>());
            cache.forEach((key, obj) -> index(name, function, key, obj));
        }
        return this;
    }

    /**
     * The cached objects found under {@code value} in the index {@code name}, in no particular order.
     *
     * @throws IllegalArgumentException if no such index was added
     */
    public List<ObjectNode> byIndex(String name, String value) {
        Map<String, Set<String>> index = indexes.get(name);
        if (index == null) {
            throw new IllegalArgumentException("informer of " + resource + " has no index " + name
                    + "; it has " + indexes.keySet());
        }
        Set<String> keys = index.get(value);
        if (keys == null) {
            return List.of();
        }
        Function<ObjectNode, Collection<String>> function = indexFunctions.get(name);
        List<ObjectNode> found = new ArrayList<>(keys.size());
        for (String key : keys.toArray(new String[0])) {
            ObjectNode obj = cache.get(key);
            // The index takes no lock: a key being moved to another value is under both for a moment, and the cached
            // object is already the new one. Only an object that has the value now is found under it.
            if (obj != null && function.apply(obj).contains(value)) {
                found.add(obj);
            }
        }
        return found;
    }

    /** For {@link #BY_NAMESPACE}: the object's namespace (none for a cluster-scoped object). */
    public static Collection<String> namespaceOf(ObjectNode obj) {
        String ns = Json.text(obj, "metadata", "namespace");
        return ns == null || ns.isEmpty() ? List.of() : List.of(ns);
    }

    /** For {@link #BY_CONTROLLER_UID}: the uid of the object's controller owner reference, if it has one. */
    public static Collection<String> controllerUid(ObjectNode obj) {
        JsonNode ref = Json.controllerOf(obj);
        String uid = ref == null ? null : ref.path("uid").asText(null);
        return uid == null ? List.of() : List.of(uid);
    }

    private void index(String name, Function<ObjectNode, Collection<String>> function, String key, ObjectNode obj) {
        Map<String, Set<String>> index = indexes.get(name);
        for (String value : function.apply(obj)) {
            index.computeIfAbsent(value, v -> ConcurrentHashMap.newKeySet()).add(key);
        }
    }

    /**
     * Moves {@code key} from the values of {@code old} to those of {@code obj} (either may be null): the new values
     * are added before the old ones are dropped, so a reader never misses an object whose values did not change.
     */
    private void reindex(String key, ObjectNode old, ObjectNode obj) {
        if (indexFunctions.isEmpty()) {
            return;
        }
        indexFunctions.forEach((name, function) -> {
            if (obj != null) {
                index(name, function, key, obj);
            }
            if (old != null) {
                Collection<String> kept = obj == null ? List.of() : function.apply(obj);
                Map<String, Set<String>> index = indexes.get(name);
                for (String value : function.apply(old)) {
                    if (!kept.contains(value)) {
                        index.computeIfPresent(value, (v, keys) -> {
                            keys.remove(key);
                            return keys.isEmpty() ? null : keys;
                        });
                    }
                }
            }
        });
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
            retryLater(this::relist);
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
        failures = 0;
        lastResourceVersion = Json.text(list, "metadata", "resourceVersion");
        startWatch();
    }

    /** Watches from the last resourceVersion seen (client-go's reflector: a watch that ends is resumed, not relisted). */
    private synchronized void startWatch() {
        if (closed) {
            return;
        }
        int current = ++generation;
        try {
            watch = client.watch(resource, namespace, lastResourceVersion, selectors, new WatchHandler() {
                @Override
                public void onEvent(String type, ObjectNode object) {
                    event(current, type, object);
                }

                @Override
                public void onClose(ApiException error) {
                    watchEnded(current, error);
                }
            });
        } catch (ApiException e) {
            if (isGone(e)) {
                LOG.debug("watch of {} from {} is too old: listing again", resource, lastResourceVersion);
                relist();
            } else {
                LOG.debug("watch of {} failed: {}", resource, e.getMessage());
                retryLater(this::startWatch);
            }
            return;
        } catch (RuntimeException e) {
            LOG.debug("watch of {} failed: {}", resource, e.getMessage());
            retryLater(this::startWatch);
            return;
        }
        if (closed && watch != null) {
            watch.close();
        }
    }

    private synchronized void event(int watchGeneration, String type, ObjectNode object) {
        if (watchGeneration != generation) {
            return;
        }
        apply(type, object);
        failures = 0; // the watch works: a later end is resumed at once
        String rv = Json.resourceVersion(object);
        if (rv != null) {
            lastResourceVersion = rv;
        }
    }

    private synchronized void watchEnded(int watchGeneration, ApiException error) {
        if (closed || watchGeneration != generation) {
            return;
        }
        if (error != null && isGone(error)) {
            LOG.debug("watch of {} ended: {}; listing again", resource, error.getMessage());
            retryLater(this::relist);
        } else if (error != null) {
            LOG.debug("watch of {} ended: {}", resource, error.getMessage());
            retryLater(this::startWatch);
        } else {
            // A normal end (the server's timeout, a watcher it found too slow): resumed at once if the watch had
            // worked, with back-off if it keeps ending before any event.
            retryLater(this::startWatch);
        }
    }

    /** 410 Gone: the resourceVersion has left the server's window, only a new list can catch up. */
    private static boolean isGone(ApiException e) {
        return e.code() == 410;
    }

    private void retryLater(Runnable attempt) {
        if (closed) {
            return;
        }
        long delay = failures == 0 ? 0 : Math.min(1000, 10L << Math.min(failures - 1, 7));
        failures++;
        try {
            timers.after(Duration.ofMillis(delay), attempt);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("timer stopped; informer of {} ends", resource);
        }
    }

    private synchronized void apply(String type, ObjectNode received) {
        if (closed) {
            return;
        }
        ObjectNode obj = cached(received);
        String key = Json.key(obj);
        switch (type) {
            case "ADDED", "MODIFIED" -> {
                key = key.intern(); // one string for the key in every informer and index of the cluster
                ObjectNode old = cache.put(key, obj);
                reindex(key, old, obj);
                if (old == null) {
                    handlers.forEach(h -> h.onAdd(obj));
                } else if (!Json.resourceVersion(old).equals(Json.resourceVersion(obj))) {
                    handlers.forEach(h -> h.onUpdate(old, obj));
                }
            }
            case "DELETED" -> {
                ObjectNode old = cache.remove(key);
                reindex(key, old, null);
                if (old != null) {
                    handlers.forEach(h -> h.onDelete(obj));
                }
            }
            default -> { } // BOOKMARK: nothing to cache
        }
    }

    /**
     * What the cache keeps of a received object: read-only ({@link FrozenJson}), and for an object from the API
     * server's cache in process, the one tree every informer of the cluster shares for that version.
     */
    private ObjectNode cached(ObjectNode received) {
        if (stripManagedFields && received instanceof SharedObject s) {
            ObjectNode shared = s.sharedWithoutManagedFields();
            if (shared != null) { // parsed once for all informers, a transform's too
                return transform == NO_TRANSFORM ? shared : FrozenJson.freeze(transform.apply(shared));
            }
        }
        if (stripManagedFields && received.get("metadata") instanceof ObjectNode meta) {
            meta.remove("managedFields"); // each object a list or watch hands out is its reader's own
        }
        return FrozenJson.freeze(transform.apply(received));
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

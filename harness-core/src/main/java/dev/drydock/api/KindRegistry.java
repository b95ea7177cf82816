package dev.drydock.api;

import dev.drydock.api.kinds.BuiltInKinds;
import dev.drydock.kube.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The kinds an API server serves, each a {@link KindDescriptor}, looked up by group/version/plural (paths) or
 * apiVersion/kind (bodies). One generic handler serves them all; a kind is an entry here, not a handler.
 *
 * <p>The registry changes at runtime (a CustomResourceDefinition adds and removes kinds); it is safe to read while
 * it changes, and listeners hear of every change (discovery and OpenAPI documents are rebuilt from it).
 */
public final class KindRegistry {

    private volatile Map<String, KindDescriptor> byPath = Map.of();
    private final List<Consumer<KindRegistry>> listeners = new CopyOnWriteArrayList<>();

    /** The built-in kinds of this version of drydock. */
    public static KindRegistry builtIn() {
        KindRegistry r = new KindRegistry();
        BuiltInKinds.register(r);
        return r;
    }

    /** Adds a kind, or replaces the one served at the same path. */
    public synchronized void add(KindDescriptor kind) {
        Map<String, KindDescriptor> next = new LinkedHashMap<>(byPath);
        next.put(path(kind.resource()), kind);
        byPath = next;
        listeners.forEach(l -> l.accept(this));
    }

    /** Stops serving a kind; returns whether it was served. */
    public synchronized boolean remove(Resource resource) {
        Map<String, KindDescriptor> next = new LinkedHashMap<>(byPath);
        boolean removed = next.remove(path(resource)) != null;
        if (removed) {
            byPath = next;
            listeners.forEach(l -> l.accept(this));
        }
        return removed;
    }

    /** Calls {@code listener} after every change. */
    public void onChange(Consumer<KindRegistry> listener) {
        listeners.add(listener);
    }

    /** The kind served at {@code /api(s)/<group>/<version>/<plural>}, or {@code null}. */
    public KindDescriptor find(String group, String version, String plural) {
        return byPath.get(group + "/" + version + "/" + plural);
    }

    public KindDescriptor find(Resource resource) {
        return find(resource.group(), resource.version(), resource.plural());
    }

    /** The kind of this apiVersion ({@code apps/v1}) and kind ({@code Deployment}), or null. */
    public KindDescriptor findKind(String apiVersion, String kind) {
        for (KindDescriptor k : byPath.values()) {
            if (k.resource().kind().equals(kind) && k.resource().apiVersion().equals(apiVersion)) {
                return k;
            }
        }
        return null;
    }

    public List<KindDescriptor> all() {
        return new ArrayList<>(byPath.values());
    }

    /** The API groups served (the core group as ""), each with its versions, in registration order. */
    public Map<String, List<String>> groups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (KindDescriptor k : byPath.values()) {
            List<String> versions = groups.computeIfAbsent(k.resource().group(), g -> new ArrayList<>());
            if (!versions.contains(k.resource().version())) {
                versions.add(k.resource().version());
            }
        }
        return groups;
    }

    private static String path(Resource r) {
        return r.group() + "/" + r.version() + "/" + r.plural();
    }
}

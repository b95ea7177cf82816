package dev.drydock.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.Informer;
import dev.drydock.kube.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys of an informer's objects by namespace (client-go's {@code cache.NamespaceIndex}), kept by a handler of
 * the informer: a controller that reads one namespace's objects reads those, not every object of the cluster. Add it
 * to the informer before the handlers that enqueue work, so that a sync finds the index as current as the cache.
 */
final class NamespaceIndex implements Informer.Handler {

    private final Informer informer;
    private final Map<String, Set<String>> keys = new ConcurrentHashMap<>();

    private NamespaceIndex(Informer informer) {
        this.informer = informer;
    }

    /** An index of {@code informer}'s objects, added as its handler. */
    static NamespaceIndex of(Informer informer) {
        NamespaceIndex index = new NamespaceIndex(informer);
        informer.addHandler(index);
        return index;
    }

    /** The cached objects of {@code namespace} now. */
    List<ObjectNode> list(String namespace) {
        Set<String> inNamespace = keys.get(namespace);
        List<ObjectNode> objects = new ArrayList<>();
        if (inNamespace != null) {
            for (String key : inNamespace) {
                ObjectNode obj = informer.get(key);
                if (obj != null) {
                    objects.add(obj);
                }
            }
        }
        return objects;
    }

    @Override
    public void onAdd(ObjectNode obj) {
        keys.computeIfAbsent(namespace(obj), n -> ConcurrentHashMap.newKeySet()).add(Json.key(obj));
    }

    @Override
    public void onUpdate(ObjectNode oldObj, ObjectNode newObj) {
        onAdd(newObj);
    }

    @Override
    public void onDelete(ObjectNode obj) {
        keys.computeIfPresent(namespace(obj), (n, set) -> {
            set.remove(Json.key(obj));
            return set.isEmpty() ? null : set;
        });
    }

    private static String namespace(ObjectNode obj) {
        String ns = Json.namespace(obj);
        return ns == null ? "" : ns;
    }
}

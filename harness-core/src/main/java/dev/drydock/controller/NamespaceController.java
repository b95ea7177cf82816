package dev.drydock.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.client.Informer;
import dev.drydock.client.InformerFactory;
import dev.drydock.client.KubeClient;
import dev.drydock.client.WorkQueue;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Empties namespaces being deleted, as kube's namespace controller: deletes every object of every namespaced
 * resource in it, and once nothing is left removes the {@code kubernetes} finalizer so the namespace goes.
 */
public final class NamespaceController {

    private final KubeClient client;
    private final Informer namespaces;
    private final WorkQueue queue;

    public NamespaceController(KubeClient client, InformerFactory informers, ComponentContext ctx) {
        this.client = client;
        this.namespaces = informers.informer(Resource.NAMESPACES);
        this.queue = new WorkQueue("namespace", ctx, this::sync);
        namespaces.addHandler(Controllers.onAnyChange(ns -> {
            if (Json.isDeleting(ns)) {
                queue.add(Json.name(ns));
            }
        }));
    }

    public void shutdown() {
        queue.shutdown();
    }

    void sync(String name) {
        ObjectNode ns = namespaces.get(name);
        if (ns == null || !Json.isDeleting(ns)) {
            return;
        }
        boolean empty = true;
        // As kube's controller, by discovery: every namespaced resource that can be listed and deleted, custom
        // resources included. Several versions of one resource share storage: one of them is enough.
        Set<String> seen = new HashSet<>();
        for (Map.Entry<Resource, List<String>> served : client.discover().entrySet()) {
            Resource r = served.getKey();
            if (!r.namespaced() || !served.getValue().contains("list") || !served.getValue().contains("delete")
                    || !seen.add(r.group() + "/" + r.plural())) {
                continue;
            }
            for (ObjectNode obj : client.items(r, name, null)) {
                empty = false;
                if (!Json.isDeleting(obj)) {
                    try {
                        client.delete(r, name, Json.name(obj));
                    } catch (ApiException e) {
                        if (!e.isNotFound()) {
                            throw e;
                        }
                    }
                }
            }
        }
        if (!empty) {
            queue.addAfter(name, Duration.ofMillis(100)); // wait for finalizers of the content to finish
            return;
        }
        ObjectNode updated = ns.deepCopy();
        JsonNode finalizers = updated.path("spec").path("finalizers");
        if (finalizers instanceof ArrayNode list) {
            for (int i = list.size() - 1; i >= 0; i--) {
                if (list.get(i).asText().equals("kubernetes")) {
                    list.remove(i);
                }
            }
        }
        client.update(Resource.NAMESPACES, updated);
    }
}

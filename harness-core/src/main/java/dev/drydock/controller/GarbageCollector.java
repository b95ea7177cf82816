package dev.drydock.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.client.Informer;
import dev.drydock.client.InformerFactory;
import dev.drydock.client.KubeClient;
import dev.drydock.client.WorkQueue;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes objects whose owners are gone, as kube's garbage collector does for background deletion: an object all of
 * whose {@code ownerReferences} name objects that no longer exist (by uid) is deleted. This first cut watches the
 * owner/dependent pairs drydock's controllers create (Deployment to ReplicaSet to Pod).
 */
public final class GarbageCollector {

    private final KubeClient client;
    private final List<Resource> dependents = List.of(Resource.REPLICASETS, Resource.PODS);
    private final List<Informer> owners;
    private final List<Informer> watched;
    private final WorkQueue queue;

    public GarbageCollector(KubeClient client, InformerFactory informers, ComponentContext ctx) {
        this.client = client;
        this.owners = List.of(informers.informer(Resource.DEPLOYMENTS), informers.informer(Resource.REPLICASETS));
        this.watched = dependents.stream().map(informers::informer).toList();
        this.queue = new WorkQueue("garbage-collector", ctx, this::sync);
        for (int i = 0; i < dependents.size(); i++) {
            int index = i;
            watched.get(i).addHandler(new Informer.Handler() {
                @Override
                public void onAdd(ObjectNode obj) {
                    if (obj.path("metadata").has("ownerReferences")) {
                        queue.add(index + "|" + Json.key(obj));
                    }
                }
            });
        }
        for (Informer owner : owners) {
            owner.addHandler(new Informer.Handler() {
                @Override
                public void onDelete(ObjectNode gone) {
                    for (int i = 0; i < dependents.size(); i++) {
                        for (ObjectNode d : watched.get(i).list()) {
                            if (ownedBy(d, Json.uid(gone))) {
                                queue.add(i + "|" + Json.key(d));
                            }
                        }
                    }
                }
            });
        }
    }

    public void shutdown() {
        queue.shutdown();
    }

    private static boolean ownedBy(JsonNode obj, String uid) {
        for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
            if (ref.path("uid").asText().equals(uid)) {
                return true;
            }
        }
        return false;
    }

    void sync(String item) {
        int bar = item.indexOf('|');
        int index = Integer.parseInt(item.substring(0, bar));
        ObjectNode obj = watched.get(index).get(item.substring(bar + 1));
        if (obj == null || Json.isDeleting(obj) || !owners.stream().allMatch(Informer::hasSynced)) {
            if (obj != null && !Json.isDeleting(obj)) {
                queue.addAfter(item, 50);
            }
            return;
        }
        Set<String> live = new HashSet<>();
        for (Informer owner : owners) {
            owner.list().forEach(o -> live.add(Json.uid(o)));
        }
        JsonNode refs = obj.path("metadata").path("ownerReferences");
        if (refs.isEmpty()) {
            return;
        }
        for (JsonNode ref : refs) {
            String kind = ref.path("kind").asText();
            boolean known = kind.equals("Deployment") || kind.equals("ReplicaSet");
            if (!known || live.contains(ref.path("uid").asText())) {
                return; // an owner lives (or is of a kind this first cut does not track)
            }
        }
        // The cache may lag: confirm with the API that every owner is gone before deleting, as kube's collector does.
        for (JsonNode ref : refs) {
            Resource kind = ref.path("kind").asText().equals("Deployment") ? Resource.DEPLOYMENTS
                    : Resource.REPLICASETS;
            ObjectNode owner = client.find(kind, Json.namespace(obj), ref.path("name").asText());
            if (owner != null && ref.path("uid").asText().equals(Json.uid(owner))) {
                return;
            }
        }
        try {
            client.delete(dependents.get(index), Json.namespace(obj), Json.name(obj));
        } catch (ApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }
}

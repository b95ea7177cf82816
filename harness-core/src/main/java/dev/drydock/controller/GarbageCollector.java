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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes objects whose owners are gone and carries out the propagation policies, as kube's garbage collector: it
 * keeps a graph of owner references over every resource that discovery shows (custom resources too, as their CRDs
 * come and go), and
 * <ul>
 *   <li>deletes a dependent once none of its owners exists (Background), removing references to owners that are
 *       gone while others remain;</li>
 *   <li>for an owner held by the {@code foregroundDeletion} finalizer, deletes its dependents and removes the
 *       finalizer once no dependent with {@code blockOwnerDeletion} is left (Foreground);</li>
 *   <li>for an owner held by the {@code orphan} finalizer, removes the references to it from its dependents, then
 *       the finalizer (Orphan).</li>
 * </ul>
 * Events are not collected, as in kube.
 */
public final class GarbageCollector {

    static final String FOREGROUND = "foregroundDeletion";
    static final String ORPHAN = "orphan";

    /** One object of the graph. */
    private record Node(Resource resource, String namespace, String name, String uid, List<JsonNode> owners,
                        boolean deleting, Set<String> finalizers) {
    }

    private final KubeClient client;
    private final InformerFactory shared;
    private final ComponentContext ctx;
    private final WorkQueue queue;
    private final Map<String, Node> graph = new HashMap<>();
    private final Map<String, Set<String>> dependents = new HashMap<>();
    /** group/kind to the resource serving it. */
    private final Map<String, Resource> byKind = new HashMap<>();
    /** group/plural of the resources watched, to their informer. */
    private final Map<String, Informer> watched = new HashMap<>();
    private final List<Informer> own = new ArrayList<>();
    private volatile boolean started;
    private volatile boolean stopped;

    public GarbageCollector(KubeClient client, InformerFactory informers, ComponentContext ctx) {
        this.client = client;
        this.shared = informers;
        this.ctx = ctx;
        this.queue = new WorkQueue("garbage-collector", ctx, this::sync);
        informers.informer(Resource.CUSTOM_RESOURCE_DEFINITIONS).addHandler(new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode obj) {
                if (started) {
                    queue.add(RESYNC);
                }
            }

            @Override
            public void onUpdate(ObjectNode oldObj, ObjectNode newObj) {
                onAdd(newObj);
            }

            @Override
            public void onDelete(ObjectNode obj) {
                onAdd(obj);
            }
        });
        discover();
    }

    /** The queue key that re-reads discovery. */
    private static final String RESYNC = "";

    /** Starts the informers that discovery found after the shared ones started (custom resources). */
    public void start() {
        started = true;
        queue.add(RESYNC);
    }

    public void shutdown() {
        stopped = true;
        queue.shutdown();
        synchronized (this) {
            own.forEach(Informer::close);
        }
    }

    /** Watches every resource that can be listed, watched and deleted, and that it does not watch yet. */
    private synchronized void discover() {
        Map<Resource, List<String>> served = client.discover();
        byKind.clear();
        Set<String> present = new HashSet<>();
        for (Map.Entry<Resource, List<String>> e : served.entrySet()) {
            Resource r = e.getKey();
            byKind.putIfAbsent(r.group() + "/" + r.kind(), r);
            String id = r.group() + "/" + r.plural();
            if (!e.getValue().containsAll(List.of("list", "watch", "delete")) || r.plural().equals("events")) {
                continue;
            }
            present.add(id);
            if (watched.containsKey(id)) {
                continue;
            }
            Informer informer;
            if (started) {
                informer = new Informer(client, r, null, Map.of(), ctx.timers()).withoutManagedFields();
                own.add(informer);
            } else {
                informer = shared.informer(r);
            }
            informer.addHandler(handler(r));
            watched.put(id, informer);
            if (started) {
                informer.start();
            }
        }
        for (String id : new ArrayList<>(watched.keySet())) {
            Informer informer = watched.get(id);
            if (!present.contains(id) && own.contains(informer)) {
                informer.close();
                own.remove(informer);
                watched.remove(id);
            }
        }
    }

    private Informer.Handler handler(Resource resource) {
        return new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode obj) {
                changed(resource, obj);
            }

            @Override
            public void onUpdate(ObjectNode oldObj, ObjectNode newObj) {
                changed(resource, newObj);
            }

            @Override
            public void onDelete(ObjectNode obj) {
                gone(obj);
            }
        };
    }

    private void changed(Resource resource, ObjectNode obj) {
        List<JsonNode> owners = new ArrayList<>();
        obj.path("metadata").path("ownerReferences").forEach(owners::add);
        Set<String> finalizers = new HashSet<>();
        obj.path("metadata").path("finalizers").forEach(f -> finalizers.add(f.asText()));
        Node node = new Node(resource, Json.namespace(obj), Json.name(obj), Json.uid(obj), owners,
                Json.isDeleting(obj), finalizers);
        Node before;
        synchronized (this) {
            before = graph.put(node.uid, node);
            if (before != null) {
                for (JsonNode ref : before.owners) {
                    Set<String> d = dependents.get(ref.path("uid").asText());
                    if (d != null) {
                        d.remove(node.uid);
                    }
                }
            }
            for (JsonNode ref : owners) {
                dependents.computeIfAbsent(ref.path("uid").asText(), k -> new HashSet<>()).add(node.uid);
            }
        }
        // As kube's graph builder: an update that changes neither the owner references nor the deletion (its
        // timestamp, its finalizers) asks nothing new of the collector (a status write, a Lease renewal).
        boolean news = before == null || before.deleting != node.deleting
                || !before.finalizers.equals(node.finalizers);
        if (!news && before.owners.equals(node.owners)) {
            return;
        }
        if (!owners.isEmpty() || node.deleting && (finalizers.contains(FOREGROUND) || finalizers.contains(ORPHAN))) {
            queue.add(node.uid);
        }
        if (news) {
            for (String uid : dependentsOf(node.uid)) {
                queue.add(uid); // an owner that appears or starts being deleted changes what its dependents need
            }
        }
    }

    private void gone(ObjectNode obj) {
        String uid = Json.uid(obj);
        Node node;
        synchronized (this) {
            node = graph.remove(uid);
        }
        for (String d : dependentsOf(uid)) {
            queue.add(d);
        }
        if (node != null) {
            for (JsonNode ref : node.owners) {
                queue.add(ref.path("uid").asText()); // a foreground owner may be waiting for this one
            }
        }
    }

    private synchronized Set<String> dependentsOf(String uid) {
        return new HashSet<>(dependents.getOrDefault(uid, Set.of()));
    }

    private synchronized Node node(String uid) {
        return graph.get(uid);
    }

    void sync(String uid) {
        if (stopped) {
            return;
        }
        if (uid.equals(RESYNC)) {
            discover();
            return;
        }
        Node node = node(uid);
        if (node == null) {
            return;
        }
        if (node.deleting && node.finalizers.contains(ORPHAN)) {
            orphanDependents(node);
        } else if (node.deleting && node.finalizers.contains(FOREGROUND)) {
            deleteDependents(node);
        }
        if (!node.owners.isEmpty() && !node.deleting) {
            attemptToDelete(node);
        }
    }

    /** A dependent whose owners are all gone is deleted; references to owners that are gone are removed. */
    private void attemptToDelete(Node node) {
        List<String> dangling = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        boolean solid = false;
        for (JsonNode ref : node.owners) {
            String ownerUid = ref.path("uid").asText();
            Node owner = node(ownerUid);
            if (owner == null) {
                if (resource(ref) == null) {
                    // An owner of a kind discovery does not show yet (a custom resource whose CRD has just been
                    // established): kube's collector does not call it absent, it tries again after its next
                    // discovery. Deciding now would delete what an operator has just made.
                    queue.add(RESYNC);
                    throw new WorkQueue.RetryLater("owner " + ref.path("apiVersion").asText() + " "
                            + ref.path("kind").asText() + " " + ref.path("name").asText() + " of " + node.namespace
                            + "/" + node.name + " is of a kind discovery does not show (yet)");
                }
                owner = liveOwner(node, ref);
            }
            if (owner == null) {
                dangling.add(ownerUid);
            } else if (owner.deleting && owner.finalizers.contains(FOREGROUND)) {
                waiting.add(ownerUid);
            } else {
                solid = true;
            }
        }
        if (solid) {
            if (!dangling.isEmpty() || !waiting.isEmpty()) {
                List<String> drop = new ArrayList<>(dangling);
                drop.addAll(waiting);
                removeOwnerReferences(node, drop);
            }
            return;
        }
        // kube deletes a dependent of a foreground owner in the foreground when it has dependents of its own that
        // block it, so that the wait propagates down; otherwise as its own finalizers or the default say.
        String policy = !waiting.isEmpty() && !dependentsOf(node.uid).isEmpty() ? "Foreground"
                : node.finalizers.contains(ORPHAN) ? "Orphan"
                : node.finalizers.contains(FOREGROUND) ? "Foreground" : "Background";
        try {
            client.delete(node.resource, node.namespace, node.name, policy, node.uid);
        } catch (ApiException e) {
            if (!e.isNotFound() && e.code() != 409) {
                throw e;
            }
        }
    }

    /** The resource of an owner reference's kind, as discovery last showed it, or null. */
    private synchronized Resource resource(JsonNode ref) {
        String apiVersion = ref.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return byKind.get(group + "/" + ref.path("kind").asText());
    }

    /**
     * The owner as the API has it now, when the graph does not know it: the cache may lag, so kube's collector
     * confirms with a live read before it deletes. Null when no object of that kind, name and uid exists.
     */
    private Node liveOwner(Node dependent, JsonNode ref) {
        Resource r = resource(ref);
        if (r == null) {
            return null;
        }
        ObjectNode owner = client.find(r, r.namespaced() ? dependent.namespace : null, ref.path("name").asText());
        if (owner == null || !ref.path("uid").asText().equals(Json.uid(owner))) {
            return null;
        }
        Set<String> finalizers = new HashSet<>();
        owner.path("metadata").path("finalizers").forEach(f -> finalizers.add(f.asText()));
        return new Node(r, Json.namespace(owner), Json.name(owner), Json.uid(owner), List.of(),
                Json.isDeleting(owner), finalizers);
    }

    /** Foreground: deletes the dependents, and lets the owner go once none that blocks it is left. */
    private void deleteDependents(Node owner) {
        boolean blocked = false;
        for (String uid : dependentsOf(owner.uid)) {
            Node d = node(uid);
            if (d == null) {
                continue;
            }
            for (JsonNode ref : d.owners) {
                if (ref.path("uid").asText().equals(owner.uid) && ref.path("blockOwnerDeletion").asBoolean(false)) {
                    blocked = true;
                }
            }
            if (!d.deleting) {
                queue.add(uid);
            }
        }
        if (!blocked) {
            removeFinalizer(owner, FOREGROUND);
        }
    }

    /** Orphan: removes the references to the owner from its dependents, then lets the owner go. */
    private void orphanDependents(Node owner) {
        for (String uid : dependentsOf(owner.uid)) {
            Node d = node(uid);
            if (d != null) {
                removeOwnerReferences(d, List.of(owner.uid));
            }
        }
        removeFinalizer(owner, ORPHAN);
    }

    private void removeOwnerReferences(Node node, List<String> uids) {
        try {
            client.modify(node.resource, node.namespace, node.name, obj -> {
                ArrayNode refs = Json.withArray(Json.with(obj, "metadata"), "ownerReferences");
                for (int i = refs.size() - 1; i >= 0; i--) {
                    if (uids.contains(refs.get(i).path("uid").asText())) {
                        refs.remove(i);
                    }
                }
                if (refs.isEmpty()) {
                    Json.with(obj, "metadata").remove("ownerReferences");
                }
            });
        } catch (ApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    private void removeFinalizer(Node node, String finalizer) {
        try {
            client.modify(node.resource, node.namespace, node.name, obj -> {
                ArrayNode finalizers = Json.withArray(Json.with(obj, "metadata"), "finalizers");
                for (int i = finalizers.size() - 1; i >= 0; i--) {
                    if (finalizers.get(i).asText().equals(finalizer)) {
                        finalizers.remove(i);
                    }
                }
            });
        } catch (ApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }
}

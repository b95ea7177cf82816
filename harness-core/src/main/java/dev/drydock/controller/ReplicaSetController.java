package dev.drydock.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.client.EventRecorder;
import dev.drydock.client.Informer;
import dev.drydock.client.InformerFactory;
import dev.drydock.client.KubeClient;
import dev.drydock.client.WorkQueue;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.LabelSelector;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Semantic;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each ReplicaSet's number of pods at {@code spec.replicas}, as kube's ReplicaSet controller: creates pods from
 * the template with an owner reference, deletes the least useful ones first (unscheduled, then pending, then not
 * ready), records expectations so that it never creates twice before its cache catches up, and writes status.
 */
public final class ReplicaSetController {

    /**
     * Creations and deletions asked for but not yet seen in the cache, per ReplicaSet (kube's expectations). Deletions
     * are tracked by pod key, as kube's {@code UIDTrackingControllerExpectations}: a pod is seen deleted when its
     * {@code deletionTimestamp} appears and again when it goes, and counts once.
     */
    private record Expectations(int adds, Set<String> deletes, long createdNanos) {
    }

    private final KubeClient client;
    private final ComponentContext ctx;
    private final Informer replicaSets;
    private final Informer pods;
    private final WorkQueue queue;
    private final EventRecorder events;
    private final Map<String, Expectations> expectations = new ConcurrentHashMap<>();

    public ReplicaSetController(KubeClient client, InformerFactory informers, ComponentContext ctx) {
        this.client = client;
        this.ctx = ctx;
        this.replicaSets = informers.informer(Resource.REPLICASETS);
        this.pods = informers.informer(Resource.PODS).addIndex(Informer.BY_CONTROLLER_UID, Informer::controllerUid);
        this.events = new EventRecorder(client, ctx, "replicaset-controller", null);
        this.queue = new WorkQueue("replicaset", ctx, this::sync);
        replicaSets.addHandler(Controllers.onAnyChange(rs -> queue.add(Json.key(rs))));
        pods.addHandler(new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode pod) {
                String owner = Controllers.ownerKey(pod, "ReplicaSet");
                if (owner != null) {
                    observeCreation(owner, 1);
                    queue.add(owner);
                }
            }

            @Override
            public void onUpdate(ObjectNode oldPod, ObjectNode newPod) {
                String owner = Controllers.ownerKey(newPod, "ReplicaSet");
                if (owner != null) {
                    // A graceful deletion is seen as a deletion at once (kube's updatePod): a pod on a node that
                    // is gone stays terminating until the node comes back, and its replacement must not wait.
                    if (Json.isDeleting(newPod)) {
                        observeDeletion(owner, Json.key(newPod));
                    }
                    queue.add(owner);
                }
            }

            @Override
            public void onDelete(ObjectNode pod) {
                String owner = Controllers.ownerKey(pod, "ReplicaSet");
                if (owner != null) {
                    observeDeletion(owner, Json.key(pod));
                    queue.add(owner);
                }
            }
        });
    }

    public void shutdown() {
        queue.shutdown();
        events.close();
    }

    private void observeCreation(String key, int creations) {
        expectations.computeIfPresent(key, (k, e) ->
                new Expectations(Math.max(0, e.adds() - creations), e.deletes(), e.createdNanos()));
    }

    private void observeDeletion(String key, String podKey) {
        expectations.computeIfPresent(key, (k, e) -> {
            if (!e.deletes().contains(podKey)) {
                return e;
            }
            Set<String> left = new HashSet<>(e.deletes());
            left.remove(podKey);
            return new Expectations(e.adds(), Set.copyOf(left), e.createdNanos());
        });
    }

    private boolean satisfied(String key) {
        Expectations e = expectations.get(key);
        return e == null || e.adds() <= 0 && e.deletes().isEmpty()
                || ctx.clock().nanoTime() - e.createdNanos() > ctx.timings().expectationsTimeout().toNanos();
    }

    void sync(String key) {
        ObjectNode rs = replicaSets.get(key);
        if (rs == null) {
            expectations.remove(key);
            return; // its pods go with it: the garbage collector deletes dependents
        }
        List<ObjectNode> owned = new ArrayList<>();
        LabelSelector selector = LabelSelector.fromObject(rs.path("spec").path("selector"));
        for (ObjectNode pod : pods.byIndex(Informer.BY_CONTROLLER_UID, Json.uid(rs))) {
            if (Json.namespace(pod).equals(Json.namespace(rs)) && Controllers.isControlledBy(pod, rs)
                    && selector.matchesObject(pod) && Controllers.isPodActive(pod)) {
                owned.add(pod);
            }
        }
        if (satisfied(key) && !Json.isDeleting(rs)) {
            int diff = (int) (Controllers.replicas(rs) - owned.size());
            if (diff > 0) {
                expectations.put(key, new Expectations(diff, Set.of(), ctx.clock().nanoTime()));
                for (int i = 0; i < diff; i++) {
                    try {
                        createPod(key, rs);
                    } catch (RuntimeException e) {
                        observeCreation(key, diff - i - 1); // the creations not tried will never be seen either
                        throw e;
                    }
                }
            } else if (diff < 0) {
                owned.sort(deletionOrder(owned));
                List<ObjectNode> victims = owned.subList(0, -diff);
                Set<String> keys = new HashSet<>();
                victims.forEach(v -> keys.add(Json.key(v)));
                expectations.put(key, new Expectations(0, Set.copyOf(keys), ctx.clock().nanoTime()));
                for (int i = 0; i < victims.size(); i++) {
                    try {
                        deletePod(key, rs, victims.get(i));
                    } catch (RuntimeException e) {
                        for (ObjectNode untried : victims.subList(i + 1, victims.size())) {
                            observeDeletion(key, Json.key(untried));
                        }
                        throw e;
                    }
                }
            }
        }
        updateStatus(rs, owned);
    }

    private void createPod(String key, ObjectNode rs) {
        ObjectNode pod = Json.object();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        JsonNode template = rs.path("spec").path("template");
        ObjectNode meta = template.path("metadata").isObject()
                ? ((ObjectNode) template.path("metadata")).deepCopy() : Json.object();
        meta.remove("name");
        meta.put("generateName", Json.name(rs) + "-");
        meta.put("namespace", Json.namespace(rs));
        meta.putArray("ownerReferences").add(Controllers.controllerRef(rs));
        pod.set("metadata", meta);
        pod.set("spec", template.path("spec").deepCopy());
        try {
            ObjectNode created = client.create(Resource.PODS, Json.namespace(rs), pod);
            events.normal(rs, "SuccessfulCreate", "Created pod: " + Json.name(created));
        } catch (RuntimeException e) {
            observeCreation(key, 1); // this creation will never be seen
            if (e instanceof ApiException a) {
                events.warning(rs, "FailedCreate", "Error creating: " + a.getMessage());
            }
            throw e;
        }
    }

    private void deletePod(String key, ObjectNode rs, ObjectNode pod) {
        try {
            client.delete(Resource.PODS, Json.namespace(pod), Json.name(pod));
            events.normal(rs, "SuccessfulDelete", "Deleted pod: " + Json.name(pod));
        } catch (ApiException e) {
            observeDeletion(key, Json.key(pod));
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    /**
     * Kube's {@code ActivePodsWithRanks} order, least useful first: unscheduled, then pending, then not ready, then
     * those whose node holds more of {@code owned} (so a surplus leaves a doubled-up node, and replicas stay spread),
     * then the newest.
     */
    private static Comparator<ObjectNode> deletionOrder(List<ObjectNode> owned) {
        Map<String, Integer> onNode = new HashMap<>();
        for (ObjectNode p : owned) {
            String node = Json.text(p, "spec", "nodeName");
            if (node != null) {
                onNode.merge(node, 1, Integer::sum);
            }
        }
        return Comparator
                .<ObjectNode>comparingInt(p -> Json.text(p, "spec", "nodeName") == null ? 0 : 1)
                .thenComparingInt(p -> rankPhase(Json.text(p, "status", "phase")))
                .thenComparingInt(p -> Controllers.isPodReady(p) ? 1 : 0)
                .thenComparing(p -> onNode.getOrDefault(Json.text(p, "spec", "nodeName"), 0),
                        Comparator.reverseOrder())
                .thenComparing(p -> Json.text(p, "metadata", "creationTimestamp"), Comparator.reverseOrder());
    }

    private static int rankPhase(String phase) {
        return "Pending".equals(phase) ? 0 : "Running".equals(phase) ? 2 : 1;
    }

    private void updateStatus(ObjectNode rs, List<ObjectNode> owned) {
        int ready = 0;
        int labelled = 0;
        JsonNode templateLabels = rs.path("spec").path("template").path("metadata").path("labels");
        for (ObjectNode p : owned) {
            if (Controllers.isPodReady(p)) {
                ready++;
            }
            JsonNode labels = p.path("metadata").path("labels");
            boolean all = true;
            for (var e : templateLabels.properties()) {
                all &= e.getValue().equals(labels.get(e.getKey()));
            }
            if (all) {
                labelled++;
            }
        }
        ObjectNode status = Json.object();
        status.put("replicas", owned.size());
        status.put("fullyLabeledReplicas", labelled);
        status.put("readyReplicas", ready);
        status.put("availableReplicas", ready); // minReadySeconds is 0 in this first cut
        status.put("observedGeneration", rs.path("metadata").path("generation").asLong());
        JsonNode old = rs.path("status");
        ObjectNode cmp = old.isObject() ? ((ObjectNode) old).deepCopy() : Json.object();
        cmp.remove("conditions");
        if (Semantic.equal(cmp, status)) {
            return;
        }
        if (old.has("conditions")) {
            status.set("conditions", old.get("conditions"));
        }
        ObjectNode updated = rs.deepCopy();
        updated.set("status", status);
        try {
            client.updateStatus(Resource.REPLICASETS, updated);
        } catch (ApiException e) {
            // On a conflict the informer brings the newer object and its update syncs the key again.
            if (!e.isConflict() && !e.isNotFound()) {
                throw e;
            }
        }
    }
}

package dev.drydock.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.client.EventRecorder;
import dev.drydock.client.Informer;
import dev.drydock.client.InformerFactory;
import dev.drydock.client.KubeClient;
import dev.drydock.client.WorkQueue;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Conditions;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Semantic;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rolls Deployments out through ReplicaSets, as kube's deployment controller: the ReplicaSet whose template matches
 * the Deployment's is the new one (named {@code <deployment>-<pod-template-hash>}); RollingUpdate scales it up and the
 * old ones down within {@code maxSurge} and {@code maxUnavailable}; Recreate scales the old ones to zero first.
 * Writes revisions, the {@code Available} and {@code Progressing} conditions and the replica counts that
 * {@code kubectl rollout status} reads.
 */
public final class DeploymentController {

    static final String HASH_LABEL = "pod-template-hash";
    static final String REVISION = "deployment.kubernetes.io/revision";
    private static final String ENCODE_CHARS = "bcdfghjklmnpqrstvwxz2456789";

    private final KubeClient client;
    private final ComponentContext ctx;
    private final Informer deployments;
    private final Informer replicaSets;
    private final Informer pods;
    private final WorkQueue queue;
    private final EventRecorder events;

    public DeploymentController(KubeClient client, InformerFactory informers, ComponentContext ctx) {
        this.client = client;
        this.ctx = ctx;
        this.deployments = informers.informer(Resource.DEPLOYMENTS);
        this.replicaSets = informers.informer(Resource.REPLICASETS)
                .addIndex(Informer.BY_CONTROLLER_UID, Informer::controllerUid);
        this.pods = informers.informer(Resource.PODS).addIndex(Informer.BY_CONTROLLER_UID, Informer::controllerUid);
        this.events = new EventRecorder(client, ctx, "deployment-controller", null);
        this.queue = new WorkQueue("deployment", ctx, this::sync);
        deployments.addHandler(Controllers.onAnyChange(d -> queue.add(Json.key(d))));
        replicaSets.addHandler(Controllers.onAnyChange(rs -> {
            String owner = Controllers.ownerKey(rs, "Deployment");
            if (owner != null) {
                queue.add(owner);
            }
        }));
    }

    public void shutdown() {
        queue.shutdown();
        events.close();
    }

    void sync(String key) {
        ObjectNode d = deployments.get(key);
        if (d == null || Json.isDeleting(d)) {
            return;
        }
        List<ObjectNode> owned = new ArrayList<>();
        for (ObjectNode rs : replicaSets.byIndex(Informer.BY_CONTROLLER_UID, Json.uid(d))) {
            if (Json.namespace(rs).equals(Json.namespace(d)) && Controllers.isControlledBy(rs, d)) {
                owned.add(rs);
            }
        }
        JsonNode template = d.path("spec").path("template");
        ObjectNode newRs = null;
        List<ObjectNode> old = new ArrayList<>();
        for (ObjectNode rs : owned) {
            if (newRs == null && sameTemplate(rs.path("spec").path("template"), template)) {
                newRs = rs;
            } else {
                old.add(rs);
            }
        }
        old.sort(Comparator.comparing(rs -> Json.text(rs, "metadata", "creationTimestamp")));
        long replicas = Controllers.replicas(d);
        boolean recreate = "Recreate".equals(Json.text(d, "spec", "strategy", "type"));
        if (newRs == null) {
            long initial = recreate ? 0 : Math.min(replicas, Math.max(0,
                    replicas + maxSurge(d) - total(owned, true)));
            newRs = createReplicaSet(d, old, initial);
            if (newRs == null) {
                return;
            }
            owned.add(newRs);
        }
        long newest = maxRevision(old);
        if (revision(newRs) <= newest) {
            // An old template came back (rollout undo): kube gives its ReplicaSet the next revision.
            ObjectNode patch = Json.object();
            Json.with(patch, "metadata", "annotations").put(REVISION, Long.toString(newest + 1));
            newRs = client.mergePatch(Resource.REPLICASETS, Json.namespace(newRs), Json.name(newRs), null, patch);
        }
        if (recreate) {
            rolloutRecreate(d, newRs, old, replicas);
        } else {
            rolloutRolling(d, newRs, old, owned, replicas);
        }
        cleanup(d, old);
        updateStatus(d, newRs, owned, replicas);
    }

    private void rolloutRolling(ObjectNode d, ObjectNode newRs, List<ObjectNode> old, List<ObjectNode> all,
                                long replicas) {
        long maxSurge = maxSurge(d);
        long maxUnavailable = maxUnavailable(d);
        long newReplicas = Controllers.replicas(newRs);
        if (newReplicas > replicas) {
            scale(d, newRs, replicas);
        } else if (newReplicas < replicas) {
            long room = replicas + maxSurge - total(all, true);
            if (room > 0) {
                scale(d, newRs, newReplicas + Math.min(room, replicas - newReplicas));
            }
        }
        long oldTotal = total(old, true);
        if (oldTotal == 0) {
            return;
        }
        long minAvailable = replicas - maxUnavailable;
        long newUnavailable = Controllers.replicas(newRs) - newRs.path("status").path("availableReplicas").asLong();
        long maxScaledDown = total(all, true) - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return;
        }
        // First the old replicas that are not available anyway, then available ones down to the minimum. The
        // objects are the informer's, shared with other controllers: what was scaled is kept aside, not written in.
        java.util.Map<String, Long> scaledTo = new java.util.HashMap<>();
        for (ObjectNode rs : old) {
            if (maxScaledDown <= 0) {
                break;
            }
            long unhealthy = Controllers.replicas(rs) - rs.path("status").path("availableReplicas").asLong();
            long down = Math.min(maxScaledDown, Math.max(0, unhealthy));
            if (down > 0) {
                scale(d, rs, Controllers.replicas(rs) - down);
                maxScaledDown -= down;
                scaledTo.put(Json.name(rs), Controllers.replicas(rs) - down);
            }
        }
        long available = 0;
        for (ObjectNode rs : all) {
            available += rs.path("status").path("availableReplicas").asLong();
        }
        long canDown = Math.min(maxScaledDown, available - minAvailable);
        for (ObjectNode rs : old) {
            if (canDown <= 0) {
                break;
            }
            long current = scaledTo.getOrDefault(Json.name(rs), Controllers.replicas(rs));
            long down = Math.min(canDown, current);
            if (down > 0) {
                scale(d, rs, current - down, Controllers.replicas(rs));
                canDown -= down;
            }
        }
    }

    private void rolloutRecreate(ObjectNode d, ObjectNode newRs, List<ObjectNode> old, long replicas) {
        boolean oldRunning = false;
        for (ObjectNode rs : old) {
            if (Controllers.replicas(rs) > 0) {
                scale(d, rs, 0);
            }
            oldRunning |= rs.path("status").path("replicas").asLong() > 0;
        }
        for (ObjectNode rs : old) {
            for (ObjectNode pod : pods.byIndex(Informer.BY_CONTROLLER_UID, Json.uid(rs))) {
                oldRunning |= Controllers.isControlledBy(pod, rs) && Controllers.isPodActive(pod);
            }
        }
        if (!oldRunning && Controllers.replicas(newRs) != replicas) {
            scale(d, newRs, replicas);
        }
    }

    private ObjectNode createReplicaSet(ObjectNode d, List<ObjectNode> old, long initialReplicas) {
        String hash = templateHash(d.path("spec").path("template"), d.path("status").path("collisionCount").asInt());
        ObjectNode rs = Json.object();
        rs.put("apiVersion", "apps/v1");
        rs.put("kind", "ReplicaSet");
        ObjectNode meta = Json.with(rs, "metadata");
        meta.put("name", Json.name(d) + "-" + hash);
        meta.put("namespace", Json.namespace(d));
        ObjectNode labels = d.path("spec").path("template").path("metadata").path("labels").isObject()
                ? ((ObjectNode) d.path("spec").path("template").path("metadata").path("labels")).deepCopy()
                : Json.object();
        labels.put(HASH_LABEL, hash);
        meta.set("labels", labels);
        long revision = maxRevision(old);
        ObjectNode annotations = meta.putObject("annotations");
        annotations.put(REVISION, Long.toString(revision + 1));
        annotations.put("deployment.kubernetes.io/desired-replicas", Long.toString(Controllers.replicas(d)));
        annotations.put("deployment.kubernetes.io/max-replicas", Long.toString(Controllers.replicas(d)
                + maxSurge(d)));
        meta.putArray("ownerReferences").add(Controllers.controllerRef(d));
        ObjectNode spec = Json.with(rs, "spec");
        spec.put("replicas", initialReplicas);
        ObjectNode selector = d.path("spec").path("selector").deepCopy();
        Json.with(selector, "matchLabels").put(HASH_LABEL, hash);
        spec.set("selector", selector);
        ObjectNode template = d.path("spec").path("template").deepCopy();
        Json.with(template, "metadata", "labels").put(HASH_LABEL, hash);
        spec.set("template", template);
        try {
            ObjectNode created = client.create(Resource.REPLICASETS, Json.namespace(d), rs);
            events.normal(d, "ScalingReplicaSet", "Scaled up replica set " + Json.name(created) + " to "
                    + initialReplicas + " from 0");
            return created;
        } catch (ApiException e) {
            if (e.code() == 409 && "AlreadyExists".equals(e.reason())) {
                // Ours not yet in the cache, or a hash collision: kube bumps collisionCount for the latter.
                ObjectNode existing = client.find(Resource.REPLICASETS, Json.namespace(d), Json.name(d) + "-" + hash);
                if (existing != null && !Controllers.isControlledBy(existing, d)) {
                    ObjectNode patch = Json.object();
                    Json.with(patch, "status").put("collisionCount",
                            d.path("status").path("collisionCount").asInt() + 1);
                    client.mergePatch(Resource.DEPLOYMENTS, Json.namespace(d), Json.name(d), "status", patch);
                }
                return null;
            }
            throw e;
        }
    }

    private static long revision(JsonNode rs) {
        try {
            String r = Json.text(rs, "metadata", "annotations", REVISION);
            return r == null ? 0 : Long.parseLong(r);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long maxRevision(List<ObjectNode> sets) {
        long max = 0;
        for (ObjectNode rs : sets) {
            max = Math.max(max, revision(rs));
        }
        return max;
    }

    private void scale(ObjectNode d, ObjectNode rs, long replicas) {
        scale(d, rs, replicas, Controllers.replicas(rs));
    }

    private void scale(ObjectNode d, ObjectNode rs, long replicas, long from) {
        if (from == replicas) {
            return;
        }
        ObjectNode patch = Json.object();
        Json.with(patch, "spec").put("replicas", replicas);
        Json.with(patch, "metadata", "annotations").put("deployment.kubernetes.io/desired-replicas",
                Long.toString(Controllers.replicas(d)));
        client.mergePatch(Resource.REPLICASETS, Json.namespace(rs), Json.name(rs), null, patch);
        events.normal(d, "ScalingReplicaSet", "Scaled " + (replicas > from ? "up" : "down") + " replica set "
                + Json.name(rs) + " to " + replicas + " from " + from);
    }

    /** Deletes old ReplicaSets scaled to zero beyond {@code revisionHistoryLimit}, oldest first. */
    private void cleanup(ObjectNode d, List<ObjectNode> old) {
        long limit = d.path("spec").path("revisionHistoryLimit").asLong(10);
        List<ObjectNode> idle = new ArrayList<>();
        for (ObjectNode rs : old) {
            if (Controllers.replicas(rs) == 0 && rs.path("status").path("replicas").asLong() == 0
                    && !Json.isDeleting(rs)) {
                idle.add(rs);
            }
        }
        for (int i = 0; i < idle.size() - limit; i++) {
            try {
                client.delete(Resource.REPLICASETS, Json.namespace(idle.get(i)), Json.name(idle.get(i)));
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
    }

    private void updateStatus(ObjectNode d, ObjectNode newRs, List<ObjectNode> all, long replicas) {
        long total = 0;
        long ready = 0;
        long available = 0;
        for (ObjectNode rs : all) {
            total += rs.path("status").path("replicas").asLong();
            ready += rs.path("status").path("readyReplicas").asLong();
            available += rs.path("status").path("availableReplicas").asLong();
        }
        long updated = newRs.path("status").path("replicas").asLong();
        String revision = Json.text(newRs, "metadata", "annotations", REVISION);
        if (revision != null && !revision.equals(Json.text(d, "metadata", "annotations", REVISION))) {
            ObjectNode patch = Json.object();
            Json.with(patch, "metadata", "annotations").put(REVISION, revision);
            client.mergePatch(Resource.DEPLOYMENTS, Json.namespace(d), Json.name(d), null, patch);
            return; // the change comes back through the informer and syncs again
        }
        ObjectNode status = Json.object();
        status.put("observedGeneration", d.path("metadata").path("generation").asLong());
        status.put("replicas", total);
        status.put("updatedReplicas", updated);
        status.put("readyReplicas", ready);
        status.put("availableReplicas", available);
        status.put("unavailableReplicas", Math.max(0, replicas - available));
        Instant now = ctx.clock().now();
        JsonNode oldConditions = d.path("status").path("conditions");
        ArrayNode conditions = status.putArray("conditions");
        boolean minAvailable = available >= replicas - maxUnavailable(d);
        Conditions.set(conditions, oldConditions, "Available", minAvailable ? "True" : "False",
                minAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                minAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum "
                        + "availability.", Conditions.UPDATE, now);
        boolean complete = updated == replicas && total == replicas && available == replicas
                && Controllers.replicas(newRs) == replicas;
        Conditions.set(conditions, oldConditions, "Progressing", "True",
                complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                "ReplicaSet \"" + Json.name(newRs) + "\" " + (complete ? "has successfully progressed."
                        : "is progressing."), Conditions.UPDATE, now);
        if (d.path("status").has("collisionCount")) {
            status.set("collisionCount", d.path("status").get("collisionCount"));
        }
        if (sameIgnoringTimes(status, d.path("status"))) {
            return;
        }
        ObjectNode next = d.deepCopy();
        next.set("status", status);
        try {
            client.updateStatus(Resource.DEPLOYMENTS, next);
        } catch (ApiException e) {
            // On a conflict the informer brings the newer object and its update syncs the key again.
            if (!e.isConflict() && !e.isNotFound()) {
                throw e;
            }
        }
    }


    private static boolean sameIgnoringTimes(ObjectNode a, JsonNode b) {
        return Semantic.equal(strip(a), b.isObject() ? strip((ObjectNode) b) : null);
    }

    private static ObjectNode strip(ObjectNode status) {
        ObjectNode s = status.deepCopy();
        for (JsonNode c : s.path("conditions")) {
            ((ObjectNode) c).remove("lastUpdateTime");
            ((ObjectNode) c).remove("lastTransitionTime");
        }
        return s;
    }

    private static long total(List<ObjectNode> sets, boolean spec) {
        long sum = 0;
        for (ObjectNode rs : sets) {
            sum += spec ? Controllers.replicas(rs) : rs.path("status").path("replicas").asLong();
        }
        return sum;
    }

    private static long maxSurge(JsonNode d) {
        if (!"RollingUpdate".equals(Json.text(d, "spec", "strategy", "type"))) {
            return 0;
        }
        return intOrPercent(Json.at(d, "spec", "strategy", "rollingUpdate", "maxSurge"), Controllers.replicas(d),
                true);
    }

    /** As kube's {@code ResolveFenceposts}: surge rounds up, unavailable down, and both zero means one unavailable. */
    private static long maxUnavailable(JsonNode d) {
        if (!"RollingUpdate".equals(Json.text(d, "spec", "strategy", "type"))) {
            return 0;
        }
        long replicas = Controllers.replicas(d);
        long unavailable = intOrPercent(Json.at(d, "spec", "strategy", "rollingUpdate", "maxUnavailable"),
                replicas, false);
        if (unavailable == 0 && maxSurge(d) == 0) {
            unavailable = 1;
        }
        return Math.min(unavailable, replicas);
    }

    static long intOrPercent(JsonNode value, long total, boolean roundUp) {
        if (value == null || value.isNull()) {
            return 0;
        }
        if (value.isNumber()) {
            return value.asLong();
        }
        String s = value.asText().trim();
        if (s.endsWith("%")) {
            long pct = Long.parseLong(s.substring(0, s.length() - 1));
            return roundUp ? (pct * total + 99) / 100 : pct * total / 100;
        }
        return Long.parseLong(s);
    }

    /** Whether a ReplicaSet's template is the Deployment's, ignoring the pod-template-hash label it adds. */
    static boolean sameTemplate(JsonNode rsTemplate, JsonNode deploymentTemplate) {
        ObjectNode a = rsTemplate.deepCopy();
        JsonNode labels = Json.at(a, "metadata", "labels");
        if (labels instanceof ObjectNode l) {
            l.remove(HASH_LABEL);
            if (l.isEmpty() && !deploymentTemplate.path("metadata").has("labels")) {
                ((ObjectNode) a.get("metadata")).remove("labels");
            }
        }
        return Semantic.equal(a, deploymentTemplate);
    }

    /** A stable hash of the template, encoded as kube encodes pod-template-hash (no vowels, no look-alikes). */
    static String templateHash(JsonNode template, int collisionCount) {
        int h = 0x811c9dc5;
        byte[] bytes = (canonical(template) + (collisionCount > 0 ? "#" + collisionCount : ""))
                .getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        String digits = Long.toString(Integer.toUnsignedLong(h));
        StringBuilder out = new StringBuilder(digits.length());
        for (char c : digits.toCharArray()) {
            out.append(ENCODE_CHARS.charAt(c % ENCODE_CHARS.length()));
        }
        return out.toString();
    }

    /** JSON with object keys sorted, so that equal templates hash equal whatever their field order. */
    private static String canonical(JsonNode n) {
        if (n.isObject()) {
            StringBuilder s = new StringBuilder("{");
            List<String> keys = new ArrayList<>();
            n.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            for (String k : keys) {
                s.append(Json.string(com.fasterxml.jackson.databind.node.TextNode.valueOf(k))).append(':')
                        .append(canonical(n.get(k))).append(',');
            }
            return s.append('}').toString();
        }
        if (n.isArray()) {
            StringBuilder s = new StringBuilder("[");
            n.forEach(x -> s.append(canonical(x)).append(','));
            return s.append(']').toString();
        }
        return n.toString();
    }
}

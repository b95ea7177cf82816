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
import dev.drydock.kube.Json;
import dev.drydock.kube.LabelSelector;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Semantic;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes each PodDisruptionBudget's status, as kube's disruption controller: the pods its selector matches, how
 * many of them are healthy (ready, not being deleted, not just evicted), how many must be ({@code minAvailable} as an
 * integer, or a percentage or {@code maxUnavailable} of the scale of the pods' controllers: Deployments,
 * ReplicaSets, StatefulSets, ReplicationControllers), and so how many disruptions the eviction subresource may
 * allow. Evictions it has not seen complete ({@code status.disruptedPods}) stop counting as healthy for kube's
 * {@code DeletionTimeout}. When the status cannot be computed, the budget allows no disruption (kube's fail-safe).
 *
 * <p>The sync step ({@link #status}) is a plain function of the budget, its pods and the controllers' scale.
 */
public final class DisruptionController {

    /** kube's {@code DeletionTimeout}: how long an evicted pod is expected to take to go away. */
    static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);

    static final Resource REPLICATIONCONTROLLERS = new Resource("", "v1", "replicationcontrollers",
            "ReplicationController", true);

    /** The scale of the controller of a pod, or null if it has none of the kinds the controller knows. */
    interface ScaleFinder {
        Scale find(JsonNode controllerRef, String namespace);
    }

    /** A controller's uid and desired replicas. */
    record Scale(String uid, long replicas) {
    }

    /** The computed status, and when the budget must be looked at again (an eviction expected to complete). */
    record Result(ObjectNode status, Instant recheckAt, List<String> unmanagedPods) {
    }

    /** Why a budget's status cannot be computed; its message is kube's. */
    static final class SyncException extends Exception {
        SyncException(String message) {
            super(message);
        }
    }

    private final KubeClient client;
    private final ComponentContext ctx;
    private final Informer budgets;
    private final Informer pods;
    private final Informer replicaSets;
    private final Informer deployments;
    private final Informer statefulSets;
    private final WorkQueue queue;
    private final EventRecorder events;

    public DisruptionController(KubeClient client, InformerFactory informers, ComponentContext ctx) {
        this.client = client;
        this.ctx = ctx;
        this.budgets = informers.informer(Resource.PODDISRUPTIONBUDGETS);
        this.pods = informers.informer(Resource.PODS).addIndex(Informer.BY_NAMESPACE, Informer::namespaceOf);
        this.replicaSets = informers.informer(Resource.REPLICASETS);
        this.deployments = informers.informer(Resource.DEPLOYMENTS);
        this.statefulSets = informers.informer(Resource.STATEFULSETS);
        this.events = new EventRecorder(client, ctx, "controllermanager", null);
        this.queue = new WorkQueue("disruption", ctx, this::sync);
        budgets.addHandler(Controllers.onAnyChange(pdb -> queue.add(Json.key(pdb))));
        pods.addHandler(new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode pod) {
                enqueueBudgetsOf(pod);
            }

            @Override
            public void onUpdate(ObjectNode oldPod, ObjectNode newPod) {
                enqueueBudgetsOf(newPod);
                if (!Semantic.equal(oldPod.path("metadata").path("labels"), newPod.path("metadata").path("labels"))) {
                    enqueueBudgetsOf(oldPod);
                }
            }

            @Override
            public void onDelete(ObjectNode pod) {
                enqueueBudgetsOf(pod);
            }
        });
    }

    public void shutdown() {
        queue.shutdown();
        events.close();
    }

    private void enqueueBudgetsOf(JsonNode pod) {
        for (ObjectNode pdb : budgets.list()) {
            if (Json.namespace(pdb).equals(Json.namespace(pod)) && selects(pdb, pod)) {
                queue.add(Json.key(pdb));
            }
        }
    }

    /** kube's {@code getPdbForPod}: a budget with no or an empty selector matches no pod here. */
    private static boolean selects(JsonNode pdb, JsonNode pod) {
        try {
            LabelSelector selector = LabelSelector.fromObject(pdb.path("spec").path("selector"));
            return !selector.isEmpty() && selector.matchesObject(pod);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    void sync(String key) {
        ObjectNode pdb = budgets.get(key);
        if (pdb == null || Json.isDeleting(pdb)) {
            return;
        }
        if (!pods.hasSynced() || !replicaSets.hasSynced() || !deployments.hasSynced()
                || !statefulSets.hasSynced()) {
            queue.addAfter(key, Duration.ofMillis(100)); // as kube's controllers, compute nothing from filling caches
            return;
        }
        Instant now = ctx.clock().now();
        Result result;
        try {
            List<ObjectNode> matching = podsOf(pdb);
            result = status(pdb, matching, this::findScale, now);
        } catch (SyncException e) {
            failSafe(pdb, e.getMessage(), now);
            return;
        }
        if (!result.unmanagedPods().isEmpty() && changes(pdb, result.status())) {
            events.warning(pdb, "UnmanagedPods", "Pods selected by this PodDisruptionBudget (selector: "
                    + LabelSelector.toString(pdb.path("spec").path("selector")) + ") were found to be unmanaged. As "
                    + "a result, the status of the PDB cannot be calculated correctly, which may result in undefined "
                    + "behavior. To account for these pods please set \".spec.minAvailable\" field of the PDB to an "
                    + "integer value.");
        }
        write(pdb, result.status());
        if (result.recheckAt() != null) {
            queue.addAfter(key, Duration.ofMillis(Math.max(1, Duration.between(now, result.recheckAt())
                    .toMillis())));
        }
    }

    private List<ObjectNode> podsOf(ObjectNode pdb) throws SyncException {
        LabelSelector selector;
        try {
            selector = LabelSelector.fromObject(pdb.path("spec").path("selector"));
        } catch (IllegalArgumentException e) {
            throw new SyncException(e.getMessage());
        }
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode pod : pods.byIndex(Informer.BY_NAMESPACE, Json.namespace(pdb))) {
            if (Json.namespace(pod).equals(Json.namespace(pdb)) && selector.matchesObject(pod)) {
                out.add(pod);
            }
        }
        return out;
    }

    /**
     * The budget's status from its pods, as kube's {@code trySync}: the expected pods and the healthy ones the
     * budget wants, the healthy ones there are, and the disruptions that leaves.
     *
     * @throws SyncException when a pod's controller cannot be found, or a percentage cannot be resolved
     */
    static Result status(ObjectNode pdb, List<ObjectNode> pods, ScaleFinder scales, Instant now)
            throws SyncException {
        JsonNode spec = pdb.path("spec");
        long expected;
        long desired;
        List<String> unmanaged = new ArrayList<>();
        JsonNode maxUnavailable = spec.get("maxUnavailable");
        JsonNode minAvailable = spec.get("minAvailable");
        if (maxUnavailable != null && !maxUnavailable.isNull()) {
            expected = expectedScale(pods, scales, unmanaged);
            desired = Math.max(0, expected - scaled(maxUnavailable, expected));
        } else if (minAvailable != null && !minAvailable.isNull()) {
            if (minAvailable.isTextual()) {
                expected = expectedScale(pods, scales, unmanaged);
                desired = scaled(minAvailable, expected);
            } else {
                desired = minAvailable.asLong();
                expected = pods.size();
            }
        } else {
            expected = 0;
            desired = 0;
        }
        Map<String, String> disrupted = new LinkedHashMap<>();
        Instant recheck = null;
        JsonNode before = pdb.path("status").path("disruptedPods");
        for (ObjectNode pod : pods) {
            if (Json.isDeleting(pod) || !before.has(Json.name(pod))) {
                continue;
            }
            String at = before.get(Json.name(pod)).asText();
            Instant expectedDeletion = time(at).plus(DELETION_TIMEOUT);
            if (!expectedDeletion.isBefore(now)) {
                disrupted.put(Json.name(pod), at);
                recheck = recheck == null || expectedDeletion.isBefore(recheck) ? expectedDeletion : recheck;
            }
        }
        long healthy = 0;
        for (ObjectNode pod : pods) {
            if (Json.isDeleting(pod)) {
                continue;
            }
            String at = disrupted.get(Json.name(pod));
            if (at != null && time(at).plus(DELETION_TIMEOUT).isAfter(now)) {
                continue; // expected to be deleted soon
            }
            if (Controllers.isPodReady(pod)) {
                healthy++;
            }
        }
        long allowed = healthy - desired;
        if (expected <= 0 || allowed <= 0) {
            allowed = 0;
        }
        ObjectNode status = pdb.path("status").isObject() ? ((ObjectNode) pdb.get("status")).deepCopy()
                : Json.object();
        status.put("observedGeneration", pdb.path("metadata").path("generation").asLong(0));
        status.put("disruptionsAllowed", allowed);
        status.put("currentHealthy", healthy);
        status.put("desiredHealthy", desired);
        status.put("expectedPods", expected);
        if (disrupted.isEmpty()) {
            status.remove("disruptedPods");
        } else {
            ObjectNode map = status.putObject("disruptedPods");
            disrupted.forEach(map::put);
        }
        condition(status, allowed > 0 ? "True" : "False", allowed > 0 ? "SufficientPods" : "InsufficientPods", "",
                now);
        return new Result(status, recheck, unmanaged);
    }

    /** kube's {@code getExpectedScale}: the sum of the scales of the pods' controllers, each counted once. */
    private static long expectedScale(List<ObjectNode> pods, ScaleFinder scales, List<String> unmanaged)
            throws SyncException {
        Map<String, Long> byController = new LinkedHashMap<>();
        for (ObjectNode pod : pods) {
            JsonNode ref = Json.controllerOf(pod);
            if (ref == null) {
                unmanaged.add(Json.name(pod));
                continue;
            }
            if (byController.containsKey(ref.path("uid").asText())) {
                continue;
            }
            Scale scale = scales.find(ref, Json.namespace(pod));
            if (scale == null) {
                throw new SyncException("found no controllers for pod \"" + Json.name(pod) + "\"");
            }
            byController.put(scale.uid(), scale.replicas());
        }
        return byController.values().stream().mapToLong(Long::longValue).sum();
    }

    /** kube's {@code GetScaledValueFromIntOrPercent} rounding up. */
    static long scaled(JsonNode intOrPercent, long total) throws SyncException {
        if (!intOrPercent.isTextual()) {
            return intOrPercent.asLong();
        }
        String s = intOrPercent.asText();
        if (!s.endsWith("%")) {
            throw new SyncException("invalid value for IntOrString: invalid type: string is not a percentage");
        }
        long percent;
        try {
            percent = Long.parseLong(s.substring(0, s.length() - 1));
        } catch (NumberFormatException e) {
            throw new SyncException("invalid value \"" + s + "\": strconv.Atoi: parsing \""
                    + s.substring(0, s.length() - 1) + "\": invalid syntax");
        }
        return (percent * total + 99) / 100;
    }

    private Scale findScale(JsonNode ref, String namespace) {
        String kind = ref.path("kind").asText();
        String group = group(ref.path("apiVersion").asText());
        String uid = ref.path("uid").asText();
        boolean apps = group.equals("apps") || group.equals("extensions");
        if (kind.equals("ReplicaSet") && apps) {
            ObjectNode rs = replicaSets.get(namespace, ref.path("name").asText());
            if (rs == null || !Json.uid(rs).equals(uid)) {
                return null;
            }
            JsonNode owner = Json.controllerOf(rs);
            if (owner != null && owner.path("kind").asText().equals("Deployment")) {
                ObjectNode d = deployments.get(namespace, owner.path("name").asText());
                if (d == null || !Json.uid(d).equals(owner.path("uid").asText())) {
                    return null;
                }
                return new Scale(Json.uid(d), Controllers.replicas(d));
            }
            return new Scale(Json.uid(rs), Controllers.replicas(rs));
        }
        if (kind.equals("StatefulSet") && apps) {
            ObjectNode sts = statefulSets.get(namespace, ref.path("name").asText());
            return sts == null || !Json.uid(sts).equals(uid) ? null
                    : new Scale(Json.uid(sts), Controllers.replicas(sts));
        }
        if (kind.equals("ReplicationController") && group.isEmpty()) {
            ObjectNode rc = client.find(REPLICATIONCONTROLLERS, namespace, ref.path("name").asText());
            return rc == null || !Json.uid(rc).equals(uid) ? null : new Scale(Json.uid(rc), Controllers.replicas(rc));
        }
        return null;
    }

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** kube's {@code failSafe}: no disruption allowed, and the condition saying why. */
    private void failSafe(ObjectNode pdb, String why, Instant now) {
        ObjectNode status = pdb.path("status").isObject() ? ((ObjectNode) pdb.get("status")).deepCopy()
                : Json.object();
        status.put("disruptionsAllowed", 0);
        condition(status, "False", "SyncFailed", why, now);
        if (changes(pdb, status)) {
            events.warning(pdb, "CalculateExpectedPodCountFailed", "Failed to calculate the number of expected "
                    + "pods: " + why);
        }
        write(pdb, status);
    }

    private static boolean changes(JsonNode pdb, ObjectNode status) {
        return !Semantic.equal(pdb.path("status"), status);
    }

    private void write(ObjectNode pdb, ObjectNode status) {
        if (!changes(pdb, status)) {
            return; // a converged budget is not written
        }
        ObjectNode updated = pdb.deepCopy();
        updated.set("status", status);
        try {
            client.updateStatus(Resource.PODDISRUPTIONBUDGETS, updated);
        } catch (ApiException e) {
            // On a conflict the informer brings the newer budget and its update syncs the key again.
            if (!e.isConflict() && !e.isNotFound()) {
                throw e;
            }
        }
    }

    /**
     * Sets the {@code DisruptionAllowed} condition as apimachinery's {@code SetStatusCondition}: the transition time
     * moves only when the status changes.
     */
    static void condition(ObjectNode status, String value, String reason, String message, Instant now) {
        ArrayNode conditions = Json.withArray(status, "conditions");
        long generation = status.path("observedGeneration").asLong(0);
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        for (JsonNode c : conditions) {
            if (c.path("type").asText().equals("DisruptionAllowed") && c instanceof ObjectNode cond) {
                if (!cond.path("status").asText().equals(value)) {
                    cond.put("lastTransitionTime", time);
                }
                cond.put("status", value).put("reason", reason).put("message", message)
                        .put("observedGeneration", generation);
                return;
            }
        }
        conditions.addObject().put("type", "DisruptionAllowed").put("status", value)
                .put("observedGeneration", generation).put("lastTransitionTime", time).put("reason", reason)
                .put("message", message);
    }

    private static Instant time(String rfc3339) {
        try {
            return java.time.OffsetDateTime.parse(rfc3339).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH; // an entry that cannot be read has long expired
        }
    }
}

package dev.drydock.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.base.Timers;
import dev.drydock.client.EventRecorder;
import dev.drydock.client.Informer;
import dev.drydock.client.InformerFactory;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Conditions;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches node heartbeats (their Leases in {@code kube-node-lease}), as kube's node lifecycle controller: a node not
 * heard from for {@code nodeMonitorGracePeriod} goes {@code Ready=Unknown} and gets the
 * {@code node.kubernetes.io/unreachable:NoExecute} taint; its pods that do not tolerate the taint are evicted
 * (deleted) after {@code podEvictionTimeout}, so their controllers replace them elsewhere; meanwhile their pods are
 * marked not Ready, so endpoints drop them. Silence is measured on this
 * controller's own clock (the cluster's, on which its check runs every {@code nodeMonitorPeriod}), from when it last
 * saw the lease change, never from the kubelet's timestamps.
 */
public final class NodeLifecycleController {

    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycleController.class);

    /** When this controller last saw a node's lease renewed, and the renewal it saw. */
    private record Heard(String renewTime, long atNanos) {
    }

    private final KubeClient client;
    private final ComponentContext ctx;
    private final Informer nodes;
    private final Informer leases;
    private final Informer pods;
    private final EventRecorder events;
    private final Map<String, Heard> heard = new ConcurrentHashMap<>();
    private final Map<String, Long> taintedAt = new ConcurrentHashMap<>();
    private Timers.Task monitor;

    public NodeLifecycleController(KubeClient client, InformerFactory informers, ComponentContext ctx) {
        this.client = client;
        this.ctx = ctx;
        this.nodes = informers.informer(Resource.NODES);
        this.leases = informers.informer(Resource.LEASES);
        this.pods = informers.informer(Resource.PODS).addIndex(BY_NODE_NAME, NodeLifecycleController::nodeNameOf);
        this.events = new EventRecorder(client, ctx, "node-controller", null);
    }

    public void start() {
        monitor = ctx.timers().every("node lifecycle controller: node health check",
                ctx.timings().nodeMonitorPeriod(), ctx.timings().nodeMonitorPeriod(), this::monitorNodeHealth);
    }

    public void shutdown() {
        if (monitor != null) {
            monitor.cancel();
        }
        events.close();
    }

    /** The pod informer's index of pods by {@code spec.nodeName}, for the pods of a node to mark or evict. */
    static final String BY_NODE_NAME = "spec.nodeName";

    private static Collection<String> nodeNameOf(ObjectNode pod) {
        String node = Json.text(pod, "spec", "nodeName");
        return node == null || node.isEmpty() ? List.of() : List.of(node);
    }

    void monitorNodeHealth() {
        if (!nodes.hasSynced() || !leases.hasSynced()) {
            return;
        }
        long now = ctx.clock().nanoTime();
        long grace = ctx.timings().nodeMonitorGracePeriod().toNanos();
        for (ObjectNode node : nodes.list()) {
            String name = Json.name(node);
            ObjectNode lease = leases.get("kube-node-lease", name);
            String renew = lease == null ? "" : lease.path("spec").path("renewTime").asText("");
            Heard h = heard.get(name);
            if (h == null || !h.renewTime().equals(renew)) {
                heard.put(name, h = new Heard(renew, now));
            }
            boolean silent = now - h.atNanos() > grace;
            String ready = Json.condition(node, "Ready");
            if (silent && !"Unknown".equals(ready)) {
                markUnknown(node);
            } else if (!silent && "True".equals(ready) && hasUnreachableTaint(node)) {
                setUnreachableTaint(node, false);
                taintedAt.remove(name);
            } else if ("Unknown".equals(ready) && !hasUnreachableTaint(node)) {
                setUnreachableTaint(node, true);
            }
            if ("Unknown".equals(ready) || "False".equals(ready)) {
                markPodsNotReady(node);
            }
            if (hasUnreachableTaint(node)) {
                long since = taintedAt.computeIfAbsent(name, n -> now);
                evictPods(node, now - since);
            } else {
                taintedAt.remove(name);
            }
        }
        heard.keySet().retainAll(nodes.list().stream().map(Json::name).collect(Collectors.toSet()));
    }

    private void markUnknown(ObjectNode node) {
        ObjectNode updated = node.deepCopy();
        // As kube's node lifecycle controller: every condition the kubelet reported goes Unknown, keeping the
        // kubelet's last heartbeat.
        ArrayNode conditions = Json.withArray(Json.with(updated, "status"), "conditions");
        for (JsonNode c : conditions.deepCopy()) {
            String heartbeat = c.path("lastHeartbeatTime").asText(null);
            ObjectNode cond = Conditions.set(conditions, c.path("type").asText(), "Unknown", "NodeStatusUnknown",
                    "Kubelet stopped posting node status.", Conditions.HEARTBEAT, ctx.clock().now());
            if (heartbeat != null) {
                cond.put(Conditions.HEARTBEAT, heartbeat);
            }
        }
        try {
            client.updateStatus(Resource.NODES, updated);
            events.normal(node, "NodeNotReady", "Node " + Json.name(node) + " status is now: NodeNotReady");
        } catch (ApiException e) {
            LOG.debug("could not mark {} Unknown: {}", Json.name(node), e.getMessage());
        }
    }

    /**
     * kube's {@code MarkPodsNotReady}: the pods of a node that is not Ready are not Ready either (their {@code Ready}
     * condition goes False), so that endpoints stop sending them traffic long before they are evicted.
     */
    private void markPodsNotReady(ObjectNode node) {
        for (ObjectNode pod : pods.byIndex(BY_NODE_NAME, Json.name(node))) {
            if (!Json.name(node).equals(Json.text(pod, "spec", "nodeName")) || !"True".equals(Json.condition(pod,
                    "Ready"))) {
                continue;
            }
            ObjectNode updated = pod.deepCopy();
            for (JsonNode c : updated.path("status").path("conditions")) {
                if ("Ready".equals(c.path("type").asText()) && c instanceof ObjectNode cond) {
                    cond.put("status", "False");
                    cond.put("lastTransitionTime", ctx.clock().now().truncatedTo(ChronoUnit.SECONDS).toString());
                }
            }
            try {
                client.updateStatus(Resource.PODS, updated);
            } catch (ApiException e) {
                LOG.debug("could not mark {} not ready: {}", Json.key(pod), e.getMessage());
            }
        }
    }

    private void setUnreachableTaint(ObjectNode node, boolean present) {
        ObjectNode updated = node.deepCopy();
        ArrayNode taints = Json.withArray(Json.with(updated, "spec"), "taints");
        for (int i = taints.size() - 1; i >= 0; i--) {
            if (taints.get(i).path("key").asText().equals(UNREACHABLE)) {
                taints.remove(i);
            }
        }
        if (present) {
            taints.addObject().put("key", UNREACHABLE).put("effect", "NoExecute")
                    .put("timeAdded", ctx.clock().now().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        if (taints.isEmpty()) {
            ((ObjectNode) updated.get("spec")).remove("taints");
        }
        try {
            client.update(Resource.NODES, updated);
        } catch (ApiException e) {
            LOG.debug("could not update taints of {}: {}", Json.name(node), e.getMessage());
        }
    }

    /** Deletes the node's pods whose toleration of the unreachable taint (if any) has run out. */
    private void evictPods(ObjectNode node, long taintedNanos) {
        for (ObjectNode pod : pods.byIndex(BY_NODE_NAME, Json.name(node))) {
            if (!Json.name(node).equals(Json.text(pod, "spec", "nodeName")) || Json.isDeleting(pod)) {
                continue;
            }
            long allowed = tolerationNanos(pod);
            if (allowed < 0 || taintedNanos < allowed) {
                continue;
            }
            try {
                events.normal(pod, "TaintManagerEviction", "Marking for deletion Pod " + Json.key(pod));
                client.delete(Resource.PODS, Json.namespace(pod), Json.name(pod));
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    LOG.debug("could not evict {}: {}", Json.key(pod), e.getMessage());
                }
            }
        }
    }

    /**
     * How long a pod may stay on an unreachable node: its toleration's {@code tolerationSeconds}, forever (-1) if it
     * tolerates the taint without a limit, or drydock's compressed {@code podEvictionTimeout} (standing for the 300 s
     * toleration kube's admission adds to every pod) if it has none.
     */
    private long tolerationNanos(JsonNode pod) {
        for (JsonNode t : pod.path("spec").path("tolerations")) {
            String key = t.path("key").asText("");
            String effect = t.path("effect").asText("");
            boolean matches = (key.equals(UNREACHABLE) || key.isEmpty() && "Exists".equals(t.path("operator")
                    .asText())) && (effect.isEmpty() || effect.equals("NoExecute"));
            if (matches) {
                return t.has("tolerationSeconds") ? t.path("tolerationSeconds").asLong() * 1_000_000_000L : -1;
            }
        }
        return ctx.timings().podEvictionTimeout().toNanos();
    }

    private static boolean hasUnreachableTaint(JsonNode node) {
        for (JsonNode t : node.path("spec").path("taints")) {
            if (t.path("key").asText().equals(UNREACHABLE)) {
                return true;
            }
        }
        return false;
    }
}

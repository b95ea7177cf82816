package dev.drydock.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.kube.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scheduler's view of the cluster, kept by informer events rather than rebuilt per pod (kube's scheduler
 * {@code internal/cache}): each node's {@link NodeInfo} with what its pods request, and the pods this scheduler
 * assumed bound before the informer shows them bound. A scheduling cycle takes a {@link #snapshot()}, so its cost
 * grows with the nodes, not with the pods.
 *
 * <p>A pod counts on its node while it is bound (or assumed) and not Succeeded or Failed. An assumed pod counts until
 * the informer shows it bound, or shows it no longer in need of scheduling (deleted, being deleted), or the binding
 * fails ({@link #forget}). Thread-safe: informer events and the scheduling lane call it concurrently.
 */
final class SchedulerCache {

    /** Where a pod counts and what it requests; {@code assumed} while only this scheduler knows the binding. */
    private record PodState(String node, NodeInfo.PodRequests requests, boolean assumed) {
    }

    /** Node name to its facts and usage; only nodes the informer has. Sorted, as the algorithm's ties need. */
    private final TreeMap<String, NodeInfo> nodes = new TreeMap<>();
    /** Node name to what its pods request, also for nodes the informer does not have (yet, or any more). */
    private final Map<String, NodeInfo.Usage> usage = new HashMap<>();
    private final Map<String, PodState> pods = new HashMap<>();
    /**
     * The nodes' infos in name order, kept up to date in place (a pod assumed changes one slot), and each node's slot:
     * a cycle's snapshot is a copy of the array, not a walk of the tree, as kube's scheduler updates its snapshot
     * incrementally. Rebuilt when a node comes or goes; null until then.
     */
    private NodeInfo[] sorted;
    private Map<String, Integer> slots;
    private List<NodeInfo> snapshot;

    /** Every node's info, sorted by name; taken at once, it does not change afterwards. */
    synchronized List<NodeInfo> snapshot() {
        if (sorted == null) {
            sorted = nodes.values().toArray(new NodeInfo[0]);
            slots = new HashMap<>();
            for (int i = 0; i < sorted.length; i++) {
                slots.put(sorted[i].name(), i);
            }
        }
        if (snapshot == null) {
            snapshot = java.util.Collections.unmodifiableList(java.util.Arrays.asList(sorted.clone()));
        }
        return snapshot;
    }

    synchronized void setNode(JsonNode node) {
        String name = Json.name(node);
        NodeInfo info = NodeInfo.of(node).with(usage.getOrDefault(name, NodeInfo.Usage.NONE));
        if (nodes.put(name, info) == null) {
            sorted = null; // a new node: the order changes
        } else {
            changed(name, info);
        }
        snapshot = null;
    }

    synchronized void removeNode(JsonNode node) {
        nodes.remove(Json.name(node));
        sorted = null;
        snapshot = null;
    }

    /** An existing node's info changed: its slot in the sorted array follows. */
    private void changed(String name, NodeInfo info) {
        if (sorted != null) {
            sorted[slots.get(name)] = info;
        }
    }

    /**
     * The informer's view of a pod (added or updated): where it is bound counts; an assumption is dropped once the
     * pod is bound, or no longer {@code needsScheduling}.
     */
    synchronized void updatePod(String key, JsonNode pod, boolean needsScheduling) {
        PodState old = pods.get(key);
        String node = Json.text(pod, "spec", "nodeName");
        PodState now;
        if (node != null && !node.isEmpty()) {
            now = isTerminal(pod) ? null : new PodState(node, NodeInfo.PodRequests.of(pod), false);
        } else if (old != null && old.assumed() && needsScheduling) {
            now = old;
        } else {
            now = null;
        }
        replace(key, old, now);
    }

    synchronized void removePod(String key) {
        replace(key, pods.get(key), null);
    }

    /** This scheduler bound (is binding) the pod to {@code node}: it counts there from now on. */
    synchronized void assume(String key, JsonNode pod, String node) {
        replace(key, pods.get(key), new PodState(node, NodeInfo.PodRequests.of(pod), true));
    }

    /** The binding of an assumed pod failed: it counts nowhere (unless the informer has shown it bound meanwhile). */
    synchronized void forget(String key) {
        PodState old = pods.get(key);
        if (old != null && old.assumed()) {
            replace(key, old, null);
        }
    }

    synchronized boolean isAssumed(String key) {
        PodState state = pods.get(key);
        return state != null && state.assumed();
    }

    private void replace(String key, PodState old, PodState now) {
        if (old == now) {
            return;
        }
        if (now == null) {
            pods.remove(key);
        } else {
            pods.put(key, now);
        }
        if (old != null && now != null && old.node().equals(now.node()) && old.requests().equals(now.requests())) {
            return; // only the assumption changed: the node's usage did not
        }
        if (old != null) {
            count(old.node(), old.requests(), -1);
        }
        if (now != null) {
            count(now.node(), now.requests(), 1);
        }
    }

    private void count(String node, NodeInfo.PodRequests requests, int sign) {
        NodeInfo.Usage u = usage.getOrDefault(node, NodeInfo.Usage.NONE).plus(requests, sign);
        if (u.pods() == 0) {
            usage.remove(node);
        } else {
            usage.put(node, u);
        }
        NodeInfo info = nodes.get(node);
        if (info != null) {
            NodeInfo now = info.with(u);
            nodes.put(node, now);
            changed(node, now);
            snapshot = null;
        }
    }

    private static boolean isTerminal(JsonNode pod) {
        String phase = Json.text(pod, "status", "phase");
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }
}

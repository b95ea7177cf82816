package dev.drydock.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.base.Seeds;
import dev.drydock.kube.Json;
import dev.drydock.kube.Quantity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scheduling cycle as a pure function: filter the nodes a pod fits on, score them, pick the best. No threads, no
 * clock, no client: the {@link Scheduler} feeds it a snapshot of its {@link SchedulerCache}. Filters and scores are
 * {@link Plugins} over a {@link NodeInfo}: NodeName, NodeUnschedulable, TaintToleration (a node not Ready counts as
 * tainted not-ready), NodeAffinity (nodeSelector), NodeResourcesFit (pod count, cpu, memory). Score: LeastAllocated; ties
 * broken by the seed and the pod (its namespace, name and uid), so that a pod's tie-break does not depend on which
 * pods were scheduled before it: a replayed run places the same pods on the same nodes.
 *
 * <p>As kube's scheduler ({@code percentageOfNodesToScore}, adaptive by default), a cycle over 100 nodes or more stops
 * filtering once it found enough feasible nodes: 50% of them less one point per 125 nodes, at least 5% and at least
 * 100 nodes (420 of 1,000). Kube starts each cycle where the previous one stopped; here the first node looked at is
 * drawn for the pod from the seed, as its tie-break is, so that a replay does not depend on the order pods came in.
 */
public final class SchedulingAlgorithm {

    /** The outcome: a node, or why none fits, in kube's words. */
    public record Result(String node, String message) {
        public boolean scheduled() {
            return node != null;
        }
    }

    private final long seed;

    /** @param seed the cluster's seed, from which ties are broken */
    public SchedulingAlgorithm(long seed) {
        this.seed = Seeds.derive(seed, "scheduler/ties");
    }

    /** Kube's {@code minFeasibleNodesToFind}: under this many nodes, every node is filtered. */
    static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    /** Kube's {@code minFeasibleNodesPercentageToFind}. */
    static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

    /** Two draws for this pod alone: where its search starts, and which of equally good nodes it goes to. */
    private java.nio.ByteBuffer draws(JsonNode pod) {
        JsonNode meta = pod.path("metadata");
        return Seeds.digest(seed, "tie", meta.path("namespace").asText(), meta.path("name").asText(),
                meta.path("uid").asText());
    }

    /** Kube's {@code numFeasibleNodesToFind} with the adaptive percentage (the default, percentageOfNodesToScore 0). */
    static int numFeasibleNodesToFind(int allNodes) {
        if (allNodes < MIN_FEASIBLE_NODES_TO_FIND) {
            return allNodes;
        }
        int percentage = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - allNodes / 125);
        return Math.max(MIN_FEASIBLE_NODES_TO_FIND, (int) ((long) allNodes * percentage / 100));
    }

    /**
     * Schedules over nodes and the pods they have, building their {@link NodeInfo}s first: for tests and one-off
     * decisions; the {@link Scheduler} keeps them in its {@link SchedulerCache} instead.
     *
     * @param pods the pods each node already has (bound or assumed), by node name
     */
    public Result schedule(JsonNode pod, Collection<? extends JsonNode> nodes, Map<String, List<JsonNode>> pods) {
        List<NodeInfo> infos = new ArrayList<>();
        for (JsonNode node : nodes) {
            NodeInfo info = NodeInfo.of(node);
            for (JsonNode p : pods.getOrDefault(info.name(), List.of())) {
                info = info.plus(p);
            }
            infos.add(info);
        }
        infos.sort(Comparator.comparing(NodeInfo::name));
        return schedule(pod, infos);
    }

    /**
     * One scheduling cycle over a snapshot: the filter plugins in order (the first that rejects a node gives its
     * reason), the score plugins summed over the nodes that passed, the best node, ties broken for this pod alone.
     *
     * @param snapshot every node, sorted by name
     */
    public Result schedule(JsonNode pod, List<NodeInfo> snapshot) {
        PodInfo info = PodInfo.of(pod);
        Map<String, Integer> reasons = new TreeMap<>();
        List<String> best = new ArrayList<>();
        double bestScore = -1;
        int nodeCount = snapshot.size();
        java.nio.ByteBuffer draws = draws(pod);
        int toFind = numFeasibleNodesToFind(nodeCount);
        int start = nodeCount < MIN_FEASIBLE_NODES_TO_FIND ? 0 : (int) Math.floorMod(draws.getLong(8), (long) nodeCount);
        int feasible = 0;
        for (int i = 0; i < nodeCount && feasible < toFind; i++) {
            NodeInfo node = snapshot.get((start + i) % nodeCount);
            String reason = filter(info, node);
            if (reason != null) {
                reasons.merge(reason, 1, Integer::sum);
                continue;
            }
            feasible++;
            double score = 0;
            for (Plugins.ScorePlugin plugin : Plugins.SCORES) {
                score += plugin.score(info, node);
            }
            if (score > bestScore) {
                bestScore = score;
                best.clear();
            }
            if (score == bestScore) {
                best.add(node.name()); // in the order looked at: by name, from the pod's start
            }
        }
        if (!best.isEmpty()) {
            return new Result(best.get(best.size() == 1 ? 0
                    : (int) Math.floorMod(draws.getLong(0), (long) best.size())), null);
        }
        int nodes = snapshot.size();
        StringBuilder msg = new StringBuilder().append(0).append('/').append(nodes)
                .append(" nodes are available");
        if (!reasons.isEmpty()) {
            msg.append(": ");
            int i = 0;
            for (Map.Entry<String, Integer> r : reasons.entrySet()) {
                msg.append(i++ > 0 ? ", " : "").append(r.getValue()).append(' ').append(r.getKey());
            }
        }
        msg.append('.');
        if (nodes > 0) {
            msg.append(" preemption: 0/").append(nodes).append(" nodes are available: ").append(nodes)
                    .append(" Preemption is not helpful for scheduling.");
        }
        return new Result(null, msg.toString());
    }

    /** Why the pod does not fit on the node, as the first filter plugin that rejects it words it, or null. */
    private static String filter(PodInfo pod, NodeInfo node) {
        for (Plugins.FilterPlugin plugin : Plugins.FILTERS) {
            String reason = plugin.filter(pod, node);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    /**
     * As kube's {@code Toleration.ToleratesTaint}: an empty effect matches every effect, an empty key with
     * {@code Exists} every key; {@code Exists} ignores the value, {@code Equal} (the default) compares it.
     */
    static boolean tolerates(JsonNode toleration, JsonNode taint) {
        String effect = toleration.path("effect").asText();
        if (!effect.isEmpty() && !effect.equals(taint.path("effect").asText())) {
            return false;
        }
        String key = toleration.path("key").asText();
        if (!key.isEmpty() && !key.equals(taint.path("key").asText())) {
            return false;
        }
        String operator = toleration.path("operator").asText();
        if (operator.equals("Exists")) {
            return true;
        }
        return (operator.isEmpty() || operator.equals("Equal"))
                && toleration.path("value").asText().equals(taint.path("value").asText());
    }

    static boolean isReady(JsonNode node) {
        return "True".equals(Json.condition(node, "Ready"));
    }

    /** The pod's request of cpu (millicores) or memory (bytes): the sum over its containers. */
    static long requests(JsonNode pod, String resource) {
        long sum = 0;
        for (JsonNode c : pod.path("spec").path("containers")) {
            JsonNode q = c.path("resources").path("requests").get(resource);
            if (q == null) {
                q = c.path("resources").path("limits").get(resource); // kube defaults requests to limits
            }
            if (q != null) {
                sum += resource.equals("cpu") ? Quantity.milli(q.asText()) : Quantity.value(q.asText());
            }
        }
        return sum;
    }
}

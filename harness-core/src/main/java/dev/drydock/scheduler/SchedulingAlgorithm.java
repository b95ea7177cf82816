package dev.drydock.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.base.Seeds;
import dev.drydock.kube.Json;
import dev.drydock.kube.Quantity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scheduling cycle as a pure function: filter the nodes a pod fits on, score them, pick the best. No threads, no
 * clock, no client: the {@link Scheduler} feeds it the cache. Filters of this first cut: node ready and schedulable,
 * NodeName, TaintToleration, NodeSelector, NodeResourcesFit (cpu, memory, pod count). Score: LeastAllocated; ties
 * broken by the seed and the pod (its namespace, name and uid), so that a pod's tie-break does not depend on which
 * pods were scheduled before it: a replayed run places the same pods on the same nodes.
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

    /** Which of {@code ties} equally good nodes the pod goes to: drawn for this pod alone. */
    private int tieBreak(JsonNode pod, int ties) {
        JsonNode meta = pod.path("metadata");
        long draw = Seeds.digest(seed, "tie", meta.path("namespace").asText(), meta.path("name").asText(),
                meta.path("uid").asText()).getLong();
        return (int) Math.floorMod(draw, (long) ties);
    }

    /**
     * @param pods the pods each node already has (bound or assumed), by node name
     */
    public Result schedule(JsonNode pod, Collection<? extends JsonNode> nodes, Map<String, List<JsonNode>> pods) {
        long cpu = requests(pod, "cpu");
        long memory = requests(pod, "memory");
        Map<String, Integer> reasons = new TreeMap<>();
        List<String> best = new ArrayList<>();
        double bestScore = -1;
        for (JsonNode node : nodes) {
            String name = Json.name(node);
            String reason = filter(pod, node, pods.getOrDefault(name, List.of()), cpu, memory);
            if (reason != null) {
                reasons.merge(reason, 1, Integer::sum);
                continue;
            }
            double score = score(node, pods.getOrDefault(name, List.of()), cpu, memory);
            if (score > bestScore) {
                bestScore = score;
                best.clear();
            }
            if (score == bestScore) {
                best.add(name);
            }
        }
        if (!best.isEmpty()) {
            best.sort(null);
            return new Result(best.get(best.size() == 1 ? 0 : tieBreak(pod, best.size())), null);
        }
        StringBuilder msg = new StringBuilder().append(0).append('/').append(nodes.size())
                .append(" nodes are available");
        if (!reasons.isEmpty()) {
            msg.append(": ");
            int i = 0;
            for (Map.Entry<String, Integer> r : reasons.entrySet()) {
                msg.append(i++ > 0 ? ", " : "").append(r.getValue()).append(' ').append(r.getKey());
            }
        }
        msg.append('.');
        if (!nodes.isEmpty()) {
            msg.append(" preemption: 0/").append(nodes.size()).append(" nodes are available: ").append(nodes.size())
                    .append(" Preemption is not helpful for scheduling.");
        }
        return new Result(null, msg.toString());
    }

    /** Why the pod does not fit on the node, as kube's filter plugins word it, or null if it fits. */
    private static String filter(JsonNode pod, JsonNode node, List<JsonNode> podsOnNode, long cpu, long memory) {
        String wanted = Json.text(pod, "spec", "nodeName");
        if (wanted != null && !wanted.isEmpty() && !wanted.equals(Json.name(node))) {
            return "node(s) didn't match the requested node name";
        }
        if (node.path("spec").path("unschedulable").asBoolean(false)) {
            return "node(s) were unschedulable";
        }
        if (!isReady(node)) {
            return "node(s) had untolerated taint {node.kubernetes.io/not-ready: }";
        }
        String untolerated = untoleratedTaint(pod, node);
        if (untolerated != null) {
            return "node(s) had untolerated taint {" + untolerated + "}";
        }
        JsonNode selector = pod.path("spec").path("nodeSelector");
        JsonNode labels = node.path("metadata").path("labels");
        for (Map.Entry<String, JsonNode> e : selector.properties()) {
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return "node(s) didn't match Pod's node affinity/selector";
            }
        }
        JsonNode allocatable = node.path("status").path("allocatable");
        long maxPods = allocatable.has("pods") ? Quantity.value(allocatable.path("pods").asText()) : 110;
        if (podsOnNode.size() + 1 > maxPods) {
            return "Too many pods";
        }
        if (cpu > 0 && used(podsOnNode, "cpu") + cpu > capacity(allocatable, "cpu")) {
            return "Insufficient cpu";
        }
        if (memory > 0 && used(podsOnNode, "memory") + memory > capacity(allocatable, "memory")) {
            return "Insufficient memory";
        }
        return null;
    }

    /**
     * TaintToleration: the first of the node's {@code NoSchedule} or {@code NoExecute} taints that none of the pod's
     * tolerations tolerates, as {@code key: value}, or null. ({@code PreferNoSchedule} only weighs in kube's scoring.)
     */
    private static String untoleratedTaint(JsonNode pod, JsonNode node) {
        for (JsonNode taint : node.path("spec").path("taints")) {
            String effect = taint.path("effect").asText();
            if (!effect.equals("NoSchedule") && !effect.equals("NoExecute")) {
                continue;
            }
            boolean tolerated = false;
            for (JsonNode toleration : pod.path("spec").path("tolerations")) {
                if (tolerates(toleration, taint)) {
                    tolerated = true;
                    break;
                }
            }
            if (!tolerated) {
                return taint.path("key").asText() + ": " + taint.path("value").asText();
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

    /** LeastAllocated: the mean share of cpu and memory left free after placing the pod (0..100). */
    private static double score(JsonNode node, List<JsonNode> podsOnNode, long cpu, long memory) {
        JsonNode allocatable = node.path("status").path("allocatable");
        // kube scores pods without requests as if they asked for 100m cpu and 200Mi memory.
        long cpuReq = used(podsOnNode, "cpu", 100) + (cpu > 0 ? cpu : 100);
        long memReq = used(podsOnNode, "memory", 200L << 20) + (memory > 0 ? memory : 200L << 20);
        long cpuCap = capacity(allocatable, "cpu");
        long memCap = capacity(allocatable, "memory");
        double cpuFree = cpuCap == 0 ? 0 : Math.max(0, cpuCap - cpuReq) * 100.0 / cpuCap;
        double memFree = memCap == 0 ? 0 : Math.max(0, memCap - memReq) * 100.0 / memCap;
        return Math.floor((cpuFree + memFree) / 2);
    }

    static boolean isReady(JsonNode node) {
        return "True".equals(Json.condition(node, "Ready"));
    }

    private static long capacity(JsonNode allocatable, String resource) {
        JsonNode q = allocatable.get(resource);
        if (q == null) {
            return 0;
        }
        return resource.equals("cpu") ? Quantity.milli(q.asText()) : Quantity.value(q.asText());
    }

    private static long used(List<JsonNode> pods, String resource) {
        return used(pods, resource, 0);
    }

    private static long used(List<JsonNode> pods, String resource, long defaultRequest) {
        long sum = 0;
        for (JsonNode p : pods) {
            long r = requests(p, resource);
            sum += r > 0 ? r : defaultRequest;
        }
        return sum;
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

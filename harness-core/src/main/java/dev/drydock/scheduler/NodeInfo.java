package dev.drydock.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.kube.Json;
import dev.drydock.kube.Quantity;
import java.util.ArrayList;
import java.util.List;

/**
 * What the scheduler knows of one node at the start of a scheduling cycle (kube's {@code framework.NodeInfo}): the
 * node's own facts, read once when the node changes, and what the pods on it (bound or assumed, not terminal)
 * request. Immutable: the {@link SchedulerCache} replaces a node's entry when the node or its pods change, so a
 * snapshot stays as it was taken.
 *
 * @param node              the Node object as cached
 * @param ready             its {@code Ready} condition is {@code True}
 * @param unschedulable     it is cordoned ({@code spec.unschedulable})
 * @param hardTaints        its taints of effect {@code NoSchedule} or {@code NoExecute}
 * @param allocatableCpu    millicores; 0 when not reported
 * @param allocatableMemory bytes; 0 when not reported
 * @param maxPods           {@code status.allocatable.pods}, 110 when not reported
 * @param pods              how many pods it has
 * @param requestedCpu      the sum of its pods' cpu requests (millicores)
 * @param requestedMemory   the sum of its pods' memory requests (bytes)
 * @param nonZeroCpu        as {@code requestedCpu}, counting a pod without a request as 100m (kube's scoring)
 * @param nonZeroMemory     as {@code requestedMemory}, counting a pod without a request as 200Mi
 */
public record NodeInfo(String name, JsonNode node, boolean ready, boolean unschedulable, List<JsonNode> hardTaints, long allocatableCpu,
                       long allocatableMemory, long maxPods, int pods, long requestedCpu, long requestedMemory,
                       long nonZeroCpu, long nonZeroMemory) {

    /** kube's scoring counts a pod without a cpu request as asking for this much (millicores). */
    static final long DEFAULT_CPU_REQUEST = 100;
    /** kube's scoring counts a pod without a memory request as asking for this much (bytes). */
    static final long DEFAULT_MEMORY_REQUEST = 200L << 20;

    /** A node's facts with no pods on it. */
    public static NodeInfo of(JsonNode node) {
        List<JsonNode> hard = new ArrayList<>();
        for (JsonNode taint : node.path("spec").path("taints")) {
            String effect = taint.path("effect").asText();
            if (effect.equals("NoSchedule") || effect.equals("NoExecute")) {
                hard.add(taint);
            }
        }
        JsonNode allocatable = node.path("status").path("allocatable");
        long maxPods = allocatable.has("pods") ? Quantity.value(allocatable.path("pods").asText()) : 110;
        return new NodeInfo(Json.name(node), node, "True".equals(Json.condition(node, "Ready")),
                node.path("spec").path("unschedulable").asBoolean(false), List.copyOf(hard),
                capacity(allocatable, "cpu"), capacity(allocatable, "memory"), maxPods, 0, 0, 0, 0, 0);
    }

    /** This node with {@code usage} instead of the pods it had. */
    NodeInfo with(Usage usage) {
        return new NodeInfo(name, node, ready, unschedulable, hardTaints, allocatableCpu, allocatableMemory, maxPods, usage.pods(),
                usage.cpu(), usage.memory(), usage.nonZeroCpu(), usage.nonZeroMemory());
    }

    /** This node with {@code pod} added. */
    NodeInfo plus(JsonNode pod) {
        return with(new Usage(pods, requestedCpu, requestedMemory, nonZeroCpu, nonZeroMemory)
                .plus(PodRequests.of(pod), 1));
    }

    /** The requests of the pods on a node, summed. */
    record Usage(int pods, long cpu, long memory, long nonZeroCpu, long nonZeroMemory) {
        static final Usage NONE = new Usage(0, 0, 0, 0, 0);

        /** With {@code r} added ({@code sign} 1) or taken away (-1). */
        Usage plus(PodRequests r, int sign) {
            return new Usage(pods + sign, cpu + sign * r.cpu(), memory + sign * r.memory(),
                    nonZeroCpu + sign * r.nonZeroCpu(), nonZeroMemory + sign * r.nonZeroMemory());
        }
    }

    /** A pod's requests: the sums over its containers, a limit standing in for a missing request as in kube. */
    record PodRequests(long cpu, long memory) {
        static PodRequests of(JsonNode pod) {
            return new PodRequests(SchedulingAlgorithm.requests(pod, "cpu"),
                    SchedulingAlgorithm.requests(pod, "memory"));
        }

        long nonZeroCpu() {
            return cpu > 0 ? cpu : DEFAULT_CPU_REQUEST;
        }

        long nonZeroMemory() {
            return memory > 0 ? memory : DEFAULT_MEMORY_REQUEST;
        }
    }

    private static long capacity(JsonNode allocatable, String resource) {
        JsonNode q = allocatable.get(resource);
        if (q == null) {
            return 0;
        }
        return resource.equals("cpu") ? Quantity.milli(q.asText()) : Quantity.value(q.asText());
    }
}

package dev.drydock.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The filter and score plugins of kube's scheduling framework that drydock has, each a pure function of the pod and
 * one node's {@link NodeInfo}. Filters run in {@link #FILTERS}' order and the first that rejects a node gives its
 * reason, in kube's words; scores are summed.
 */
final class Plugins {

    private Plugins() {
    }

    /** Whether a pod may go to a node: null if it may, else why not ("node(s) were unschedulable"). */
    interface FilterPlugin {
        String filter(PodInfo pod, NodeInfo node);
    }

    /** How good a node is for a pod, 0..100. */
    interface ScorePlugin {
        double score(PodInfo pod, NodeInfo node);
    }

    /** NodeName: a pod that names its node goes there only. */
    static final FilterPlugin NODE_NAME = (pod, node) -> pod.nodeName() != null && !pod.nodeName().equals(node.name())
            ? "node(s) didn't match the requested node name" : null;

    /** NodeUnschedulable: a cordoned node takes no pods. */
    static final FilterPlugin NODE_UNSCHEDULABLE = (pod, node) ->
            node.unschedulable() ? "node(s) were unschedulable" : null;

    /**
     * TaintToleration: the first of the node's {@code NoSchedule} or {@code NoExecute} taints that none of the pod's
     * tolerations tolerates. A node not Ready counts as tainted {@code node.kubernetes.io/not-ready}, as the node
     * lifecycle controller would taint it. ({@code PreferNoSchedule} only weighs in kube's scoring.)
     */
    static final FilterPlugin TAINT_TOLERATION = (pod, node) -> {
        if (!node.ready()) {
            return "node(s) had untolerated taint {node.kubernetes.io/not-ready: }";
        }
        for (JsonNode taint : node.hardTaints()) {
            boolean tolerated = false;
            for (JsonNode toleration : pod.tolerations()) {
                if (SchedulingAlgorithm.tolerates(toleration, taint)) {
                    tolerated = true;
                    break;
                }
            }
            if (!tolerated) {
                return "node(s) had untolerated taint {" + taint.path("key").asText() + ": "
                        + taint.path("value").asText() + "}";
            }
        }
        return null;
    };

    /** NodeAffinity, as far as {@code nodeSelector} goes. */
    static final FilterPlugin NODE_AFFINITY = (pod, node) -> {
        JsonNode selector = pod.nodeSelector();
        if (selector.isEmpty()) {
            return null;
        }
        JsonNode labels = node.node().path("metadata").path("labels");
        for (Map.Entry<String, JsonNode> e : selector.properties()) {
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return "node(s) didn't match Pod's node affinity/selector";
            }
        }
        return null;
    };

    /** NodeResourcesFit: pod count, cpu and memory against the node's allocatable. */
    static final FilterPlugin NODE_RESOURCES_FIT = (pod, node) -> {
        if (node.pods() + 1 > node.maxPods()) {
            return "Too many pods";
        }
        if (pod.cpu() > 0 && node.requestedCpu() + pod.cpu() > node.allocatableCpu()) {
            return "Insufficient cpu";
        }
        if (pod.memory() > 0 && node.requestedMemory() + pod.memory() > node.allocatableMemory()) {
            return "Insufficient memory";
        }
        return null;
    };

    /** NodeResourcesFit's LeastAllocated score: the mean share of cpu and memory left free after placing the pod. */
    static final ScorePlugin LEAST_ALLOCATED = (pod, node) -> {
        long cpuReq = node.nonZeroCpu() + (pod.cpu() > 0 ? pod.cpu() : NodeInfo.DEFAULT_CPU_REQUEST);
        long memReq = node.nonZeroMemory() + (pod.memory() > 0 ? pod.memory() : NodeInfo.DEFAULT_MEMORY_REQUEST);
        long cpuCap = node.allocatableCpu();
        long memCap = node.allocatableMemory();
        double cpuFree = cpuCap == 0 ? 0 : Math.max(0, cpuCap - cpuReq) * 100.0 / cpuCap;
        double memFree = memCap == 0 ? 0 : Math.max(0, memCap - memReq) * 100.0 / memCap;
        return Math.floor((cpuFree + memFree) / 2);
    };

    static final List<FilterPlugin> FILTERS = List.of(NODE_NAME, NODE_UNSCHEDULABLE, TAINT_TOLERATION, NODE_AFFINITY,
            NODE_RESOURCES_FIT);
    static final List<ScorePlugin> SCORES = List.of(LEAST_ALLOCATED);
}

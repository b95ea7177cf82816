package dev.drydock.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.ContainerStats;
import dev.drydock.runtime.NodeStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kubelet's summary API ({@code /stats/summary}, kube's stats provider): the usage of the running containers of
 * the pods it runs, as its runtime measures them, and the node's as their sum. Computed when asked: it costs nothing
 * while nobody asks.
 */
final class NodeSummary {

    private NodeSummary() {
    }

    /** The summary of {@code kubelet}'s node now; null while it is frozen (a hung machine answers nothing). */
    static NodeStats of(Kubelet kubelet) {
        if (kubelet.isFrozen()) {
            return null;
        }
        ContainerRuntime runtime = kubelet.runtime();
        List<NodeStats.PodStats> pods = new ArrayList<>();
        long cpu = 0;
        long memory = 0;
        Instant latest = kubelet.now();
        for (ObjectNode pod : kubelet.runningPods()) {
            Map<String, ContainerStats> containers = new LinkedHashMap<>();
            for (JsonNode c : pod.path("spec").path("containers")) {
                String name = c.path("name").asText();
                String id = kubelet.containerId(Json.namespace(pod), Json.name(pod), name);
                ContainerStats stats = id == null ? null : runtime.containerStats(id);
                if (stats != null) {
                    containers.put(name, stats);
                    cpu += stats.cpuUsageNanoCores();
                    memory += stats.memoryWorkingSetBytes();
                }
            }
            if (!containers.isEmpty()) {
                pods.add(new NodeStats.PodStats(Json.namespace(pod), Json.name(pod), Json.uid(pod), containers));
            }
        }
        return new NodeStats(kubelet.nodeName(), latest, cpu, memory, pods);
    }
}

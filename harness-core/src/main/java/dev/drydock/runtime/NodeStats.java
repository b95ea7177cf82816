package dev.drydock.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A node's resource usage as its kubelet's summary API ({@code /stats/summary}) reports it, which metrics-server
 * turns into {@code metrics.k8s.io}'s NodeMetrics and PodMetrics: the node's, and each running pod's containers'.
 *
 * @param cpuUsageNanoCores     the CPU the node uses now (its pods' containers), in billionths of a core
 * @param memoryWorkingSetBytes the memory it uses now (its pods' containers), in bytes
 */
public record NodeStats(String node, Instant timestamp, long cpuUsageNanoCores, long memoryWorkingSetBytes,
                        List<PodStats> pods) {

    public NodeStats {
        pods = List.copyOf(pods);
    }

    /** A running pod's usage: its running containers', by container name. */
    public record PodStats(String namespace, String name, String uid, Map<String, ContainerStats> containers) {

        public PodStats {
            containers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(containers));
        }
    }
}

package dev.drydock.runtime;

import java.time.Instant;

/**
 * A running container's resource usage as CRI's {@code ContainerStats} reports it, which the kubelet serves to
 * metrics (kube's summary API, then {@code metrics.k8s.io}).
 *
 * @param timestamp               when it was measured, on the cluster's clock
 * @param cpuUsageNanoCores       the CPU it uses now, in billionths of a core
 * @param cpuUsageCoreNanoSeconds the CPU it used since it started, in core-nanoseconds
 * @param memoryWorkingSetBytes   the memory it uses now (its working set), in bytes
 */
public record ContainerStats(String id, Instant timestamp, long cpuUsageNanoCores, long cpuUsageCoreNanoSeconds,
                             long memoryWorkingSetBytes) {
}

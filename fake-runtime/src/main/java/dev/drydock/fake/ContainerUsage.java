package dev.drydock.fake;

import dev.drydock.base.Clock;
import dev.drydock.runtime.ContainerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resource usage of one fake container: the sum of what its processes said they use
 * ({@link ProgramContext#useMemory}, {@link ProgramContext#useCpu}), CPU capped at the container's limit as the CFS
 * quota caps it, and the CPU time it used so far, integrated on the cluster's clock.
 */
final class ContainerUsage {

    private final String id;
    private final Clock clock;
    private final long cpuLimitMillis;
    private final long memoryLimitBytes;
    private final Map<Object, Long> memory = new ConcurrentHashMap<>();
    private final Map<Object, Long> cpu = new ConcurrentHashMap<>();
    // guarded by this
    private Instant since;
    private long cpuNanoSeconds;
    private long cpuRateMillis;

    /** @param cpuLimitMillis and {@code memoryLimitBytes}: 0 for none */
    ContainerUsage(String id, Clock clock, long cpuLimitMillis, long memoryLimitBytes) {
        this.id = id;
        this.clock = clock;
        this.cpuLimitMillis = cpuLimitMillis;
        this.memoryLimitBytes = memoryLimitBytes;
        this.since = clock.now();
    }

    /** Sets what {@code process} uses; returns whether the container is over its memory limit now. */
    boolean memory(Object process, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("memory use must not be negative, got " + bytes);
        }
        if (bytes == 0) {
            memory.remove(process);
        } else {
            memory.put(process, bytes);
        }
        return memoryLimitBytes > 0 && memoryBytes() > memoryLimitBytes;
    }

    synchronized void cpu(Object process, long millicores) {
        if (millicores < 0) {
            throw new IllegalArgumentException("CPU use must not be negative, got " + millicores + "m");
        }
        advance();
        if (millicores == 0) {
            cpu.remove(process);
        } else {
            cpu.put(process, millicores);
        }
        long sum = cpu.values().stream().mapToLong(Long::longValue).sum();
        cpuRateMillis = cpuLimitMillis > 0 ? Math.min(sum, cpuLimitMillis) : sum;
    }

    /** A process ended: what it used is freed. */
    void exited(Object process) {
        memory.remove(process);
        if (cpu.containsKey(process)) {
            cpu(process, 0);
        }
    }

    long memoryBytes() {
        return memory.values().stream().mapToLong(Long::longValue).sum();
    }

    synchronized ContainerStats stats() {
        advance();
        return new ContainerStats(id, since, cpuRateMillis * 1_000_000L, cpuNanoSeconds, memoryBytes());
    }

    /** Holding the lock: the CPU time used since the last change is added. */
    private void advance() {
        Instant now = clock.now();
        if (now.isAfter(since)) {
            cpuNanoSeconds += Duration.between(since, now).toNanos() * cpuRateMillis / 1000;
            since = now;
        }
    }
}

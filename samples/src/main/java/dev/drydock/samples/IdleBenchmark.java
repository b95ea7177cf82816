package dev.drydock.samples;

import dev.drydock.base.Timings;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.cluster.WriteLog;
import dev.drydock.kube.Resource;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;

/**
 * {@code bench idle}: what a converged cluster costs while nothing happens. For 3 nodes with 10 Deployments of 3
 * replicas, and for 100 nodes with 1,000 pods, it converges the cluster, lets the JIT settle for a warm-up, then over
 * a window prints the writes per second (all, heartbeats, the heartbeat rate the timings explain, and anything
 * else) and the CPU used by the whole process as a share of one core. Then it measures the heap apart (its full GCs
 * would count as CPU): the store keeps one to two {@code compactionInterval}s of history, so the live heap is a
 * sawtooth; the lowest live heap over one interval, then over the next, tells a leak from that sawtooth.
 */
final class IdleBenchmark {

    private static final Duration CONVERGE = Duration.ofMinutes(3);

    private IdleBenchmark() {
    }

    static void run(PrintStream out, Duration warmUp, Duration window) throws Exception {
        measure(out, "idle.3_nodes_10_deployments", 3, 10, 3, warmUp, window);
        measure(out, "idle.100_nodes_1000_pods", 100, 50, 20, warmUp, window);
    }

    private static void measure(PrintStream out, String name, int nodes, int deployments, int replicas,
                                Duration warmUp, Duration window) throws Exception {
        Timings timings = Timings.compressed();
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().nodes(nodes).seed(7)
                .timings(timings))) {
            KubeClient client = cluster.client();
            for (int i = 0; i < deployments; i++) {
                client.create(Resource.DEPLOYMENTS, "default", Benchmarks.deployment("app-" + i, replicas));
            }
            long start = System.nanoTime();
            awaitAvailable(client, deployments);
            cluster.awaitQuiet(Duration.ofSeconds(2), CONVERGE);
            out.printf("%s.converged_after %.1f s%n", name, (System.nanoTime() - start) / 1e9);
            awaitElapsed(System.nanoTime(), warmUp);

            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long count;
            long heartbeats;
            String others;
            try (WriteLog writes = cluster.recordWrites()) {
                awaitElapsed(t0, window);
                List<WriteLog.Write> all = writes.writes();
                count = all.size();
                heartbeats = all.stream().filter(WriteLog.Write::heartbeat).count();
                others = WriteLog.summary(writes.beyondHeartbeats());
            }
            long cpu = os.getProcessCpuTime() - cpuBefore;
            long elapsed = System.nanoTime() - t0;
            double seconds = elapsed / 1e9;
            double expected = nodes * (1000.0 / timings.nodeLeaseRenewInterval().toMillis()
                    + 1000.0 / timings.nodeStatusReportFrequency().toMillis());
            out.printf("%s.window %.0f s%n", name, seconds);
            out.printf("%s.writes_per_s %.1f /s%n", name, count / seconds);
            out.printf("%s.heartbeat_writes_per_s %.1f /s%n", name, heartbeats / seconds);
            out.printf("%s.heartbeat_rate_expected %.1f /s%n", name, expected);
            out.printf("%s.other_writes %d writes%n", name, count - heartbeats);
            out.printf("%s.cpu_share_of_one_core %.2f %%%n", name, 100.0 * cpu / elapsed);

            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            Duration interval = timings.compactionInterval();
            long first = lowestLiveHeap(memory, interval);
            long second = lowestLiveHeap(memory, interval);
            out.printf("%s.heap_live_low %.1f MB%n", name, second / 1e6);
            out.printf("%s.heap_growth_per_min %.2f MB/min%n", name,
                    (second - first) / 1e6 / (interval.toMillis() / 60_000.0));
            if (count > heartbeats) {
                out.println("# " + name + ": " + others.replace("\n", "\n# "));
            }
        }
    }

    /** The lowest live heap (after a full GC) of samples taken 12 times over {@code span}. */
    private static long lowestLiveHeap(MemoryMXBean memory, Duration span) throws InterruptedException {
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 12; i++) {
            awaitElapsed(System.nanoTime(), span.dividedBy(12));
            System.gc();
            lowest = Math.min(lowest, memory.getHeapMemoryUsage().getUsed());
        }
        return lowest;
    }

    /** Waits out the measuring window; the cluster's own threads do the work meanwhile. */
    private static void awaitElapsed(long t0, Duration window) throws InterruptedException {
        Object lock = new Object();
        synchronized (lock) {
            long left;
            while ((left = window.toNanos() - (System.nanoTime() - t0)) > 0) {
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Waits until every Deployment reports all its replicas updated and available for its latest generation. */
    private static void awaitAvailable(KubeClient client, int deployments) throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (true) {
            long available = client.items(Resource.DEPLOYMENTS, "default", null).stream()
                    .filter(d -> d.path("status").path("observedGeneration").asLong()
                            == d.path("metadata").path("generation").asLong()
                            && d.path("status").path("availableReplicas").asLong()
                            == d.path("spec").path("replicas").asLong()
                            && d.path("status").path("updatedReplicas").asLong()
                            == d.path("spec").path("replicas").asLong())
                    .count();
            if (available >= deployments) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(available + " of " + deployments + " Deployments available after "
                        + CONVERGE);
            }
            awaitElapsed(System.nanoTime(), Duration.ofMillis(100));
        }
    }
}

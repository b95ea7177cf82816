package dev.drydock.samples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.Clock;
import dev.drydock.base.Timings;
import dev.drydock.base.Timers;
import dev.drydock.client.Informer;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.cluster.WriteLog;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench scale}: a cluster of 1,000 nodes (fake runtime) takes 10,000 pods through 100 Deployments. It prints
 * the time until every pod is Running, the peak heap and the live heap once converged, the threads alive, and, over
 * an idle window afterwards, the process's CPU as a share of one core and the store's writes per second. Every wait
 * is bounded: a run that does not converge within {@code --timeout} (all Running, then 2 s with no writes but
 * heartbeats) prints how far it got and exits 1.
 *
 * <p>Issue 17's targets on a 2-core machine: all Running in under 20 s, under 1 GiB of heap, fewer than 64 threads,
 * idle CPU under 5% of one core. This benchmark measures; it does not judge.
 */
final class ScaleBenchmark {

    static final String USAGE = "--nodes=N (1000; quick 50), --deployments=D (100; quick 10), --replicas=R per "
            + "Deployment (100; quick 50), --idle-seconds=S (30; quick 1), --settle-seconds=S at most, for the JIT to "
            + "finish compiling after the burst, before the idle window (60; quick 5), --timeout=S to all Running (300), "
            + "--compressed-timings (the cluster's compressed heartbeats, 200 ms Lease renewals, instead of kube's own "
            + "timings, the default but with --quick: 10 s), --kubernetes-timings (kube's, also with --quick), --quick";

    /** What to run. */
    record Settings(int nodes, int deployments, int replicas, Duration idle, Duration settle, Duration timeout,
                    Timings timings) {

        static Settings parse(List<String> args) {
            boolean quick = args.contains("--quick");
            int nodes = quick ? 50 : 1000;
            int deployments = quick ? 10 : 100;
            int replicas = quick ? 50 : 100;
            long idle = quick ? 1 : 30;
            long settle = quick ? 5 : 60;
            long timeout = 300;
            // kube's own timings: a 1,000-node cluster on compressed ones (a Lease renewal per node every 200 ms) asks
            // 5,000 writes/s of its store, 50 times what a real one of that size gets. --quick, a smoke test with a
            // 1 s idle window, keeps the compressed ones, so that the window sees heartbeats.
            Timings timings = quick ? Timings.compressed() : Timings.kubernetes();
            for (String a : args) {
                if (a.equals("--quick")) {
                    continue;
                } else if (a.equals("--kubernetes-timings")) {
                    timings = Timings.kubernetes();
                } else if (a.equals("--compressed-timings")) {
                    timings = Timings.compressed();
                } else if (a.matches("--nodes=\\d{1,5}")) {
                    nodes = Integer.parseInt(a.substring(a.indexOf('=') + 1));
                } else if (a.matches("--deployments=\\d{1,5}")) {
                    deployments = Integer.parseInt(a.substring(a.indexOf('=') + 1));
                } else if (a.matches("--replicas=\\d{1,5}")) {
                    replicas = Integer.parseInt(a.substring(a.indexOf('=') + 1));
                } else if (a.matches("--idle-seconds=\\d{1,4}")) {
                    idle = Long.parseLong(a.substring(a.indexOf('=') + 1));
                } else if (a.matches("--settle-seconds=\\d{1,4}")) {
                    settle = Long.parseLong(a.substring(a.indexOf('=') + 1));
                } else if (a.matches("--timeout=\\d{1,5}")) {
                    timeout = Long.parseLong(a.substring(a.indexOf('=') + 1));
                } else {
                    throw new IllegalArgumentException("bench scale: unknown option " + a + " (" + USAGE + ")");
                }
            }
            if (nodes < 1 || deployments < 1 || replicas < 1 || idle < 1 || timeout < 1) {
                throw new IllegalArgumentException("bench scale: every count and time must be at least 1 ("
                        + USAGE + ")");
            }
            return new Settings(nodes, deployments, replicas, Duration.ofSeconds(idle), Duration.ofSeconds(settle),
                    Duration.ofSeconds(timeout), timings);
        }

        int pods() {
            return deployments * replicas;
        }
    }

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** How long the cluster writes nothing but heartbeats before the idle window starts. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    private ScaleBenchmark() {
    }

    /** Runs it; 0 when every pod ran and the figures were taken, 1 when the cluster did not get there in time. */
    static int run(PrintStream out, Settings s) throws Exception {
        Runtime rt = Runtime.getRuntime();
        out.printf("# bench scale: %d nodes, %d Deployments of %d replicas (%d pods), fake runtime; %d cores, load "
                        + "average %.2f at start, max heap %d MiB; %s timings: each node renews its Lease every %d ms "
                        + "and reports an unchanged status every %d ms%n", s.nodes(), s.deployments(), s.replicas(),
                s.pods(), rt.availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), rt.maxMemory() >> 20,
                s.timings().equals(Timings.compressed()) ? "compressed" : "kube's own",
                s.timings().nodeLeaseRenewInterval().toMillis(), s.timings().nodeStatusReportFrequency().toMillis());
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        long t0 = System.nanoTime();
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().name("scale").nodes(s.nodes())
                .timings(s.timings()).seed(17))) {
            out.printf("scale.start_to_nodes_ready %.1f s%n", (System.nanoTime() - t0) / 1e9);
            long created;
            long running;
            long elapsed;
            long cpuAtStart;
            long cpu;
            Timers timers = Timers.create("bench", Clock.SYSTEM, Runnable::run);
            Set<String> runningPods = ConcurrentHashMap.newKeySet();
            CountDownLatch allRunning = new CountDownLatch(1);
            // The bench is a user of the cluster, not part of it: it keeps of each pod only what it counts.
            Informer pods = new Informer(cluster.client(), Resource.PODS, "default", Map.of(), timers)
                    .withTransform(ScaleBenchmark::nameAndPhase);
            try {
                pods.addHandler(new Informer.Handler() {
                    @Override
                    public void onAdd(ObjectNode obj) {
                        seen(obj);
                    }

                    @Override
                    public void onUpdate(ObjectNode oldObj, ObjectNode newObj) {
                        seen(newObj);
                    }

                    @Override
                    public void onDelete(ObjectNode obj) {
                        runningPods.remove(Json.name(obj));
                    }

                    private void seen(ObjectNode pod) {
                        if ("Running".equals(Json.text(pod, "status", "phase"))) {
                            runningPods.add(Json.name(pod));
                            if (runningPods.size() >= s.pods()) {
                                allRunning.countDown();
                            }
                        } else {
                            runningPods.remove(Json.name(pod));
                        }
                    }
                });
                pods.start();
                KubeClient client = cluster.client();
                cpuAtStart = processCpu();
                long start = System.nanoTime();
                for (int i = 0; i < s.deployments(); i++) {
                    client.create(Resource.DEPLOYMENTS, "default", Benchmarks.deployment("scale-" + i, s.replicas()));
                }
                out.printf("scale.deployments_created_in %.1f s%n", (System.nanoTime() - start) / 1e9);
                long deadline = start + s.timeout().toNanos();
                long left;
                while ((left = deadline - System.nanoTime()) > 0
                        && !allRunning.await(Math.min(left, PROGRESS_EVERY.toNanos()), TimeUnit.NANOSECONDS)) {
                    out.printf("# %.0f s: %d pods, %d Running%n", (System.nanoTime() - start) / 1e9,
                            pods.list().size(), runningPods.size());
                }
                elapsed = System.nanoTime() - start;
                cpu = processCpu() - cpuAtStart;
                created = pods.list().size();
                running = runningPods.size();
            } finally {
                pods.close();
                timers.close();
            }
            if (running < s.pods()) {
                out.printf("# not converged: %d of %d pods Running (%d created) after %.1f s%n", running, s.pods(),
                        created, elapsed / 1e9);
                out.printf("scale.pods_running_at_timeout %d pods%n", running);
                out.printf("scale.pods_created_at_timeout %d pods%n", created);
                printHeapAndThreads(out, heapPools, cluster);
                return 1;
            }
            out.printf("scale.all_running %.1f s%n", elapsed / 1e9);
            out.printf("scale.pods_running_per_s %.0f pods/s%n", s.pods() / (elapsed / 1e9));
            // On a machine that others share, the wall time says how much CPU the process got as much as what it
            // needed: the CPU it used says the latter (the process's, JIT and GC included, over all its threads).
            out.printf("scale.all_running_cpu %.1f s%n", cpu / 1e9);
            printHeapAndThreads(out, heapPools, cluster);
            long quietStart = System.nanoTime();
            boolean quiet = true;
            try {
                cluster.awaitQuiet(QUIET, s.timeout());
                out.printf("scale.quiet_after_all_running %.1f s%n", (System.nanoTime() - quietStart) / 1e9);
                printEvents(out, cluster.client());
            } catch (AssertionError e) {
                quiet = false;
                out.println("# not quiet (writes beyond heartbeats) within " + s.timeout() + ": "
                        + e.getMessage().replace("\n", "\n# "));
            }
            idle(out, cluster, s);
            return quiet ? 0 : 1;
        }
    }

    /**
     * The Events the cluster holds once it is quiet: how many objects, and how many occurrences their counts add up
     * to. Components record about 4 events per pod (Scheduled, SuccessfulCreate, Pulled, Created, Started...); what
     * falls short of that was dropped from a full recorder queue or held back by the spam filter, as in kube.
     */
    private static void printEvents(PrintStream out, KubeClient client) {
        long objects = 0;
        long occurrences = 0;
        for (ObjectNode e : client.items(Resource.EVENTS, null, null)) {
            objects++;
            occurrences += Math.max(1, e.path("count").asLong(1));
        }
        out.printf("scale.events %d objects%n", objects);
        out.printf("scale.events_counted %d occurrences%n", occurrences);
    }

    /**
     * Peak heap (each heap pool's peak since the start, summed: an upper bound, as pools peak at different
     * moments), live heap after a full GC, and threads: all the JVM's and the cluster's own.
     */
    private static void printHeapAndThreads(PrintStream out, List<MemoryPoolMXBean> heapPools,
                                            DrydockCluster cluster) {
        long peak = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        out.printf("scale.heap_peak %.0f MiB%n", peak / 1048576.0);
        System.gc();
        out.printf("scale.heap_live_after_gc %.0f MiB%n",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0);
        Set<Thread> threads = Thread.getAllStackTraces().keySet();
        String prefix = "drydock-" + cluster.name() + "-";
        out.printf("scale.threads_alive %d threads%n", ManagementFactory.getThreadMXBean().getThreadCount());
        out.printf("scale.threads_alive.cluster %d threads%n",
                threads.stream().filter(t -> t.getName().startsWith(prefix)).count());
    }

    /** What the bench keeps of a pod: its namespace, name, resourceVersion and phase. */
    private static ObjectNode nameAndPhase(ObjectNode pod) {
        ObjectNode kept = Json.object();
        ObjectNode meta = Json.with(kept, "metadata");
        for (String field : List.of("namespace", "name", "resourceVersion")) {
            String value = Json.text(pod, "metadata", field);
            if (value != null) {
                meta.put(field, value);
            }
        }
        String phase = Json.text(pod, "status", "phase");
        if (phase != null) {
            Json.with(kept, "status").put("phase", phase);
        }
        return kept;
    }

    /** The CPU time this process used so far, in nanoseconds. */
    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The CPU time so far of the live threads whose names start with {@code prefix}, in nanoseconds. */
    private static long threadsCpu(String prefix) {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                long cpu = mx.getThreadCpuTime(t.getId());
                sum += Math.max(0, cpu);
            }
        }
        return sum;
    }

    /** How long a slice of the settling is, and how little of a core the JIT may use in one for the JVM to count as settled. */
    private static final Duration SETTLE_SLICE = Duration.ofSeconds(5);
    private static final double SETTLED_JIT_SHARE = 0.01;

    /**
     * Waits, at most {@code s.settle()}, until the JIT's compiler threads use under 1% of a core over a 5 s slice:
     * right after 10,000 pods the JIT is still compiling (C2, for tens of seconds on a shared machine), which is the
     * JVM warming up, not what an idle cluster costs. Prints how long it waited and whether the JIT did settle.
     */
    private static void settle(PrintStream out, Settings s) throws InterruptedException {
        if (!NativeThreadCpu.available() || s.settle().isZero()) {
            out.printf("scale.settle_wait %.1f s%n", 0.0);
            return;
        }
        long start = System.nanoTime();
        long deadline = start + s.settle().toNanos();
        boolean settled = false;
        double jitShare = 0;
        while (!settled && System.nanoTime() < deadline) {
            long jit0 = NativeThreadCpu.byKind().get(NativeThreadCpu.Kind.JIT);
            long t = System.nanoTime();
            Thread.sleep(Math.min(SETTLE_SLICE.toMillis(), Math.max(1, (deadline - t) / 1_000_000)));
            jitShare = (NativeThreadCpu.byKind().get(NativeThreadCpu.Kind.JIT) - jit0) / (double) (System.nanoTime() - t);
            settled = jitShare < SETTLED_JIT_SHARE;
        }
        out.printf("scale.settle_wait %.1f s%n", (System.nanoTime() - start) / 1e9);
        if (!settled) {
            out.printf("# the JIT did not settle within %d s: %.1f%% of a core in its last slice; the idle window "
                    + "counts it%n", s.settle().toSeconds(), 100 * jitShare);
        }
    }

    /**
     * CPU share of one core and store writes per second over an idle window, nothing asked of the cluster, once the
     * JIT settled: the whole process's CPU (every thread, the JVM's own included), then split into the cluster's
     * threads, the JIT's, the GC's and the rest (the bench's, the VM's).
     */
    private static void idle(PrintStream out, DrydockCluster cluster, Settings s) throws InterruptedException {
        settle(out, s);
        Duration window = s.idle();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        String prefix = "drydock-" + cluster.name() + "-";
        long clusterCpuBefore = threadsCpu(prefix);
        Map<NativeThreadCpu.Kind, Long> jvmBefore = NativeThreadCpu.byKind();
        long t0 = System.nanoTime();
        List<WriteLog.Write> writes;
        try (WriteLog log = cluster.recordWrites()) {
            Thread.sleep(window.toMillis()); // the measuring window itself: the cluster's threads work meanwhile
            writes = log.writes();
        }
        // The cluster's threads are read within the process's readings (before: after it; after: before it), so that
        // the process's interval holds theirs and the rest is never below zero.
        long clusterCpu = threadsCpu(prefix) - clusterCpuBefore;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        Map<NativeThreadCpu.Kind, Long> jvmAfter = NativeThreadCpu.byKind();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long heartbeats = writes.stream().filter(WriteLog.Write::heartbeat).count();
        out.printf("scale.idle_window %.1f s%n", seconds);
        out.printf("scale.idle_cpu_share_of_one_core %.1f %%%n", 100.0 * cpu / 1e9 / seconds);
        out.printf("scale.idle_cpu_share_of_one_core.cluster_threads %.1f %%%n", 100.0 * clusterCpu / 1e9 / seconds);
        out.printf("scale.idle_cpu_share_of_one_core.jvm_and_bench %.1f %%%n",
                100.0 * (cpu - clusterCpu) / 1e9 / seconds);
        if (!jvmBefore.isEmpty()) {
            for (NativeThreadCpu.Kind k : List.of(NativeThreadCpu.Kind.JIT, NativeThreadCpu.Kind.GC)) {
                out.printf("scale.idle_cpu_share_of_one_core.%s %.1f %%%n", k.name().toLowerCase(java.util.Locale.ROOT),
                        100.0 * (jvmAfter.get(k) - jvmBefore.get(k)) / 1e9 / seconds);
            }
        }
        out.printf("scale.idle_writes_per_s %.1f /s%n", writes.size() / seconds);
        out.printf("scale.idle_heartbeat_writes_per_s %.1f /s%n", heartbeats / seconds);
        out.printf("scale.idle_heartbeat_rate_expected %.1f /s%n", s.nodes()
                * (1000.0 / s.timings().nodeLeaseRenewInterval().toMillis()
                + 1000.0 / s.timings().nodeStatusReportFrequency().toMillis()));
        if (writes.size() > heartbeats) {
            out.println("# beyond heartbeats: " + WriteLog.summary(writes.stream().filter(w -> !w.heartbeat())
                    .toList()).replace("\n", "\n# "));
        }
    }
}

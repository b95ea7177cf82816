package dev.drydock.samples;

import dev.drydock.base.Clock;
import dev.drydock.base.Timings;
import dev.drydock.net.Network;
import dev.drydock.store.KeyValue;
import dev.drydock.store.ReplicatedStore;
import dev.drydock.store.Store;
import dev.drydock.store.StoreException;
import dev.drydock.store.Watch;
import dev.drydock.store.WatchEvent;
import dev.drydock.store.WatchListener;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * {@code drydock.jar bench store}: the store alone, as the API server uses it, for each replica count: sequential put
 * latency, puts per second from 1, 8 and 64 clients, the latency of a watch event (from just before the put to the
 * watcher), the time from isolating the leader to the next committed write, and the heap the store holds after a
 * million puts with compaction.
 */
final class StoreBenchmark {

    /** One store under test, with the faults the benchmark needs. */
    interface Subject extends AutoCloseable {

        Store store();

        /** Cuts the leader off from every other replica; a no-op with one replica (there is no failover to time). */
        void isolateLeader();

        /** Undoes every fault. */
        void heal();

        @Override
        void close();
    }

    /** What to run. */
    record Settings(Duration window, Duration warmUp, int sequentialPuts, int heapPuts, int failovers,
                    List<Integer> replicas) {

        static final String USAGE = "--quick, --seconds=S per figure (3; quick 0.5), --heap-puts=N (1000000; "
                + "quick 100000), --replicas=1,3 (1 and 3)";

        static Settings parse(List<String> args) {
            boolean quick = args.contains("--quick");
            double seconds = quick ? 0.5 : 3;
            int heapPuts = quick ? 100_000 : 1_000_000;
            List<Integer> replicas = List.of(1, 3);
            for (String a : args) {
                if (a.equals("--quick")) {
                    continue;
                } else if (a.matches("--seconds=\\d+(\\.\\d+)?")) {
                    seconds = Double.parseDouble(a.substring("--seconds=".length()));
                } else if (a.matches("--heap-puts=\\d+")) {
                    heapPuts = Integer.parseInt(a.substring("--heap-puts=".length()));
                } else if (a.matches("--replicas=[135](,[135])*")) {
                    replicas = Arrays.stream(a.substring("--replicas=".length()).split(","))
                            .map(Integer::valueOf).toList();
                } else {
                    throw new IllegalArgumentException("bench store: unknown option " + a + " (" + USAGE + ")");
                }
            }
            Duration window = Duration.ofMillis((long) (seconds * 1000));
            return new Settings(window, window.dividedBy(3), quick ? 2_000 : 20_000, heapPuts, quick ? 2 : 5,
                    replicas);
        }
    }

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Keys cycle over this many, as a cluster's objects do: the store holds a bounded live set. */
    private static final int KEYS = 10_000;
    /** About a small Kubernetes object. */
    private static final int VALUE_BYTES = 1_024;

    private StoreBenchmark() {
    }

    static void run(PrintStream out, Settings settings, IntFunction<Subject> open) throws Exception {
        out.printf("# bench store: %d cores; %d-byte values over %d keys; %.2f s per rate after %.2f s warm-up; "
                        + "load average at start: %.2f (other work on the machine skews every figure)%n",
                Runtime.getRuntime().availableProcessors(), VALUE_BYTES, KEYS, settings.window().toMillis() / 1e3,
                settings.warmUp().toMillis() / 1e3, ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) 'x');
        for (int replicas : settings.replicas()) {
            String prefix = "store." + replicas + (replicas == 1 ? "_replica" : "_replicas");
            try (Subject subject = open.apply(replicas)) {
                Store store = subject.store();
                sequential(out, prefix, store, value, settings.sequentialPuts());
                for (int clients : List.of(1, 8, 64)) {
                    rate(out, prefix, store, value, clients, settings);
                }
                watchLatency(out, prefix, store, value, settings.sequentialPuts() / 4);
                if (replicas > 1) {
                    failover(out, prefix, subject, value, settings.failovers());
                }
            }
            try (Subject subject = open.apply(replicas)) {
                heap(out, prefix, subject.store(), value, settings.heapPuts());
            }
        }
        out.printf("# load average at the end: %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** A store of {@code replicas} replicas, as a cluster makes it (compressed timings). */
    static Subject open(int replicas) {
        Network network = new Network();
        ReplicatedStore store = new ReplicatedStore("bench-store",
                ReplicatedStore.Settings.of(replicas, Timings.compressed()), network, Clock.SYSTEM, 1);
        return new Subject() {
            private final List<String> isolated = new ArrayList<>();

            @Override
            public Store store() {
                return store;
            }

            @Override
            public void isolateLeader() {
                int leader = store.leader();
                if (leader < 0) {
                    throw new IllegalStateException("no store replica leads");
                }
                isolated.add(store.replicaName(leader));
                network.isolate(store.replicaName(leader));
            }

            @Override
            public void heal() {
                isolated.forEach(network::rejoin);
                isolated.clear();
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }

    private static void sequential(PrintStream out, String prefix, Store store, byte[] value, int puts) {
        for (int i = 0; i < puts; i++) { // warm-up
            store.put(key(i), value);
        }
        long[] took = new long[puts];
        for (int i = 0; i < puts; i++) {
            long start = System.nanoTime();
            store.put(key(i), value);
            took[i] = System.nanoTime() - start;
        }
        Arrays.sort(took);
        out.printf("%s.put.sequential.p50 %.3f ms%n", prefix, percentile(took, 0.50));
        out.printf("%s.put.sequential.p99 %.3f ms%n", prefix, percentile(took, 0.99));
    }

    private static void rate(PrintStream out, String prefix, Store store, byte[] value, int clients,
                             Settings settings) throws InterruptedException {
        AtomicLong counted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong cpuFrom = new AtomicLong(-1);
        long start = System.nanoTime();
        long countFrom = start + settings.warmUp().toNanos();
        long end = countFrom + settings.window().toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                int i = client;
                long now;
                while ((now = System.nanoTime()) < end) {
                    try {
                        store.put(key(i), value);
                        if (now >= countFrom) {
                            if (cpuFrom.get() < 0) {
                                cpuFrom.compareAndSet(-1, processCpuNanos());
                            }
                            counted.incrementAndGet();
                        }
                    } catch (StoreException e) {
                        failed.incrementAndGet();
                    }
                    i += clients;
                }
            }, "bench-store-client-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long cpu = processCpuNanos() - cpuFrom.get();
        String name = prefix + ".put." + clients + (clients == 1 ? "_client" : "_clients");
        out.printf("%s.rate %.0f puts/s%n", name, counted.get() / (settings.window().toNanos() / 1e9));
        if (counted.get() > 0 && cpuFrom.get() >= 0) {
            // The JVM's CPU time (every thread, GC included) per counted put: less skewed by other work than the rate.
            out.printf("%s.cpu_per_put %.1f us%n", name, cpu / 1e3 / counted.get());
        }
        if (failed.get() > 0) {
            out.printf("%s.failed %d puts%n", name, failed.get());
        }
    }

    /** One put at a time, each waited for at the watcher: the latency of an event, not of a backlog. */
    private static void watchLatency(PrintStream out, String prefix, Store store, byte[] value, int events)
            throws InterruptedException {
        ConcurrentHashMap<Long, Long> seenAt = new ConcurrentHashMap<>();
        Watch watch = store.watch("/bench-watch/", 0, new WatchListener() {
            @Override
            public void onEvents(List<WatchEvent> batch) {
                long now = System.nanoTime();
                for (WatchEvent e : batch) {
                    seenAt.put(e.revision(), now);
                }
            }
        });
        try {
            long[] took = new long[events];
            for (int i = -events / 4; i < events; i++) { // the first quarter warms up
                long start = System.nanoTime();
                KeyValue kv = store.put("/bench-watch/" + (i & 63), value);
                long deadline = start + PATIENCE.toNanos();
                Long at;
                while ((at = seenAt.remove(kv.modRevision())) == null && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(20_000);
                }
                if (at == null) {
                    throw new IllegalStateException("the watch did not see revision " + kv.modRevision()
                            + " within " + PATIENCE);
                }
                if (i >= 0) {
                    took[i] = at - start;
                }
            }
            Arrays.sort(took);
            out.printf("%s.watch.event.p50 %.3f ms%n", prefix, percentile(took, 0.50));
            out.printf("%s.watch.event.p99 %.3f ms%n", prefix, percentile(took, 0.99));
        } finally {
            watch.close();
        }
    }

    /**
     * A writer puts in a loop; the leader is cut off; the figure is the time from the cut to the first put started
     * after it that commits (a put started before the cut may have reached the followers before it).
     */
    private static void failover(PrintStream out, String prefix, Subject subject, byte[] value, int times)
            throws InterruptedException {
        Store store = subject.store();
        long[] took = new long[times];
        for (int n = 0; n < times; n++) {
            store.put(key(n), value); // a leader serves
            AtomicLong firstAfter = new AtomicLong();
            AtomicLong cutAt = new AtomicLong(Long.MAX_VALUE);
            CountDownLatch done = new CountDownLatch(1);
            Thread writer = new Thread(() -> {
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                int i = 0;
                while (System.nanoTime() < deadline) {
                    long started = System.nanoTime();
                    try {
                        store.put(key(i++), value);
                        if (started > cutAt.get()) {
                            firstAfter.set(System.nanoTime());
                            break;
                        }
                    } catch (StoreException e) {
                        // no leader yet: the next attempt follows at once (the store waits before it fails)
                    }
                }
                done.countDown();
            }, "bench-store-failover-writer");
            writer.start();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // puts flowing before the cut
            long cut = System.nanoTime();
            subject.isolateLeader();
            cutAt.set(System.nanoTime()); // a put started before this may have been sent before the cut
            boolean ended = done.await(PATIENCE.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            subject.heal();
            if (!ended || firstAfter.get() == 0) {
                throw new IllegalStateException("no write committed within " + PATIENCE + " of isolating the leader");
            }
            took[n] = firstAfter.get() - cut;
            // Let the old leader rejoin before the next round: a put that commits proves a quorum again.
            store.put(key(0), value);
        }
        Arrays.sort(took);
        out.printf("%s.failover.p50 %.1f ms%n", prefix, percentile(took, 0.50));
        out.printf("%s.failover.max %.1f ms%n", prefix, took[took.length - 1] / 1e6);
    }

    /**
     * A million puts over the key space, compacting as kube-apiserver asks (here: every 10,000 puts, up to the
     * revision 10,000 puts ago); the figure is the live heap after a full collection, less the live heap before.
     */
    private static void heap(PrintStream out, String prefix, Store store, byte[] value, int puts) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = liveHeap(memory);
        long compactEvery = 10_000;
        for (int i = 1; i <= puts; i++) {
            // Distinct arrays, as objects written by the API are: the store must not be credited with sharing.
            KeyValue kv = store.put(key(i), value.clone());
            if (i % compactEvery == 0 && kv.modRevision() > compactEvery) {
                store.compact(kv.modRevision() - compactEvery);
            }
        }
        long after = liveHeap(memory);
        out.printf("%s.heap.after_%d_puts %.1f MB%n", prefix, puts, (after - before) / 1e6);
        out.printf("%s.heap.live_data %.1f MB%n", prefix, (double) KEYS * (VALUE_BYTES + 16) / 1e6);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long liveHeap(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static String key(int i) {
        return "/registry/bench/" + Math.floorMod(i, KEYS);
    }

    private static double percentile(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}

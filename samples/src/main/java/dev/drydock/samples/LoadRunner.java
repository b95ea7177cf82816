package dev.drydock.samples;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one operation from N client threads, each sending its next request as soon as its last one is answered (a
 * closed loop, as N sequential clients would): a warm-up, then a measuring window that ends after {@code window} or
 * {@code maxRequests} requests, whichever comes first (each client is measured at least once). Every request's latency
 * is kept, so that p50 and p99 are exact.
 */
final class LoadRunner {

    /** One request; {@code seq} is unique across the run (warm-up included), e.g. for names of created objects. */
    @FunctionalInterface
    interface Op {
        void call(long seq) throws Exception;
    }

    /** Work between the warm-up and the measuring window, untimed (e.g. deleting what the warm-up created). */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /**
     * What one measuring window saw, or several rounds of one ({@link #rounds}): requests per second, and every
     * request's latency.
     */
    record Stats(long requests, long elapsedNanos, long[] sortedLatencies, double perSecond) {

        Stats(long requests, long elapsedNanos, long[] sortedLatencies) {
            this(requests, elapsedNanos, sortedLatencies, requests / (elapsedNanos / 1e9));
        }

        /**
         * Rounds of one measurement taken in turn with other servers' (so that a change of load on the machine
         * falls on all of them alike): the median round's requests per second, and the latencies of all rounds.
         */
        static Stats rounds(List<Stats> rounds) {
            if (rounds.isEmpty()) {
                throw new IllegalArgumentException("no rounds");
            }
            double[] rates = rounds.stream().mapToDouble(Stats::perSecond).sorted().toArray();
            int n = rates.length;
            double median = n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
            long[] all = rounds.stream().flatMapToLong(r -> Arrays.stream(r.sortedLatencies())).sorted().toArray();
            return new Stats(rounds.stream().mapToLong(Stats::requests).sum(),
                    rounds.stream().mapToLong(Stats::elapsedNanos).sum(), all, median);
        }

        /** The latency at quantile {@code q} (0.5 for the median), in milliseconds. */
        double percentileMillis(double q) {
            if (sortedLatencies.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(q * sortedLatencies.length) - 1;
            return sortedLatencies[Math.max(0, Math.min(sortedLatencies.length - 1, i))] / 1e6;
        }
    }

    private final Duration warmUp;
    private final Duration window;
    private final long maxRequests;
    private final AtomicLong seq = new AtomicLong();

    LoadRunner(Duration warmUp, Duration window, long maxRequests) {
        this.warmUp = warmUp;
        this.window = window;
        this.maxRequests = maxRequests;
    }

    /** Runs {@code op} from {@code clients} threads: warm-up, then the measuring window. */
    Stats run(int clients, Op op) throws Exception {
        return run(clients, warmUp, window, maxRequests, () -> { }, op);
    }

    /**
     * Runs {@code op} from {@code clients} threads: warm-up, then {@code between}, then a measuring window of at most
     * {@code max} requests.
     */
    Stats run(int clients, long max, Step between, Op op) throws Exception {
        return run(clients, warmUp, window, Math.min(max, maxRequests), between, op);
    }

    /** Runs exactly {@code count} requests (no warm-up) from {@code clients} threads, within {@code atMost}. */
    Stats runCount(int clients, long count, Duration atMost, Op op) throws Exception {
        return run(clients, Duration.ZERO, atMost, count, () -> { }, op);
    }

    private Stats run(int clients, Duration warm, Duration measure, long max, Step between, Op op)
            throws Exception {
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        AtomicLong started = new AtomicLong();
        AtomicLong t0 = new AtomicLong();
        AtomicLong lastEnd = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CyclicBarrier measuring = new CyclicBarrier(clients, () -> {
            try {
                between.run();
            } catch (Exception e) {
                throw new IllegalStateException("before the measuring window: " + e.getMessage(), e);
            }
            t0.set(System.nanoTime());
        });
        long warmEnd = System.nanoTime() + warm.toNanos();
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            int me = c;
            latencies[me] = new long[1024];
            threads[c] = new Thread(() -> {
                try {
                    while (System.nanoTime() < warmEnd && failure.get() == null) {
                        op.call(seq.getAndIncrement());
                    }
                    if (failure.get() != null) {
                        return;
                    }
                    measuring.await(measure.toNanos() + warm.toNanos() + TimeUnit.MINUTES.toNanos(1),
                            TimeUnit.NANOSECONDS);
                    long end = t0.get() + measure.toNanos();
                    while (failure.get() == null && started.getAndIncrement() < max) {
                        long s = System.nanoTime();
                        if (s >= end && counts[me] > 0) { // every client is measured at least once
                            break;
                        }
                        op.call(seq.getAndIncrement());
                        long e = System.nanoTime();
                        if (counts[me] == latencies[me].length) {
                            latencies[me] = Arrays.copyOf(latencies[me], counts[me] * 2);
                        }
                        latencies[me][counts[me]++] = e - s;
                    }
                } catch (BrokenBarrierException | TimeoutException e) {
                    failure.compareAndSet(null, e); // another client failed first: its failure is the one kept
                } catch (Throwable e) {
                    failure.set(e);
                    measuring.reset();
                } finally {
                    lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
                }
            }, "bench-client-" + c);
            threads[c].setDaemon(true);
            threads[c].start();
        }
        long deadline = System.nanoTime() + warm.toNanos() + measure.toNanos() + TimeUnit.MINUTES.toNanos(2);
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) {
                failure.compareAndSet(null, new TimeoutException("a client is still waiting for an answer"));
            }
        }
        if (failure.get() != null) {
            Throwable f = failure.get();
            throw new IllegalStateException("benchmark request failed: " + f.getMessage(), f);
        }
        int total = 0;
        for (int n : counts) {
            total += n;
        }
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        return new Stats(total, Math.max(1, lastEnd.get() - t0.get()), all);
    }
}

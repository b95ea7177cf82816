package dev.drydock.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.base.Clock;
import dev.drydock.base.ManualClock;
import dev.drydock.base.Timers;
import dev.drydock.kube.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The controllers' work queue: one sync per key at a time, no key lost, failures retried with back-off. */
class WorkQueueTest {

    private final ExecutorService workers = Executors.newFixedThreadPool(4, daemon("drydock-t-worker"));
    private final Timers timer = Timers.create("t", Clock.SYSTEM, workers);
    /** Timers that record each retry's delay and run the retry at once: back-off checked without waiting. */
    private final RecordingTimers retries = new RecordingTimers();
    private final ExecutorService serial = Executors.newSingleThreadExecutor(daemon("drydock-t-serial"));

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timer.close();
        serial.shutdownNow();
    }

    @Test
    void aKeyAddedAgainWhileItWaitsIsSyncedOnce() {
        CountDownLatch release = new CountDownLatch(1);
        List<String> synced = new CopyOnWriteArrayList<>();
        ExecutorService single = Executors.newSingleThreadExecutor(daemon("drydock-t-single"));
        try {
            WorkQueue q = new WorkQueue("t", single, timer, key -> {
                if (key.equals("block")) {
                    release.await(10, TimeUnit.SECONDS);
                }
                synced.add(key);
            });
            q.add("block");
            q.add("a");
            q.add("a");
            q.add("a");
            release.countDown();

            eventually().until(() -> synced.contains("a"));
            q.add("b");
            eventually().until(() -> synced.contains("b"));
            assertThat(synced).containsExactly("block", "a", "b");
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void aKeyIsNeverSyncedByTwoWorkersAtOnceAndAnAddDuringASyncRunsItAgain() {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch inSync = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WorkQueue q = new WorkQueue("t", workers, timer, key -> {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            if (runs.incrementAndGet() == 1) {
                inSync.countDown();
                release.await(10, TimeUnit.SECONDS);
            }
            concurrent.decrementAndGet();
        });

        q.add("k");
        awaitLatch(inSync);
        q.add("k");
        q.add("k");
        release.countDown();

        eventually().until(() -> runs.get() == 2);
        assertThat(maxConcurrent.get()).isEqualTo(1);
        eventually().during(Duration.ofMillis(100)).until(() -> runs.get() == 2);
    }

    @Test
    void aFailedSyncIsRetriedUntilItSucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        WorkQueue q = new WorkQueue("t", workers, timer, key -> {
            if (attempts.incrementAndGet() < 4) {
                throw new IllegalStateException("not yet");
            }
        }, 1, 20);

        q.add("k");

        eventually().until(() -> attempts.get() == 4);
        eventually().during(Duration.ofMillis(100)).until(() -> attempts.get() == 4);
    }

    @Test
    void aSyncThatThrowsAnErrorDoesNotWedgeItsKey() {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        WorkQueue q = new WorkQueue("t", workers, timer, key -> {
            if (runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() == 1) {
                throw new AssertionError("a bug in the sync");
            }
        }, 1, 20);

        // The Error escapes to the worker thread on purpose: Awaitility must not take it for the test's failure.
        q.add("k");
        eventually().dontCatchUncaughtExceptions().until(() -> runs.get("k") != null && runs.get("k").get() >= 1);
        q.add("k");

        eventually().dontCatchUncaughtExceptions().until(() -> runs.get("k").get() >= 2);
    }

    @Test
    void afterShutdownNothingMoreIsSynced() {
        AtomicInteger runs = new AtomicInteger();
        WorkQueue q = new WorkQueue("t", workers, timer, key -> runs.incrementAndGet());
        q.add("a");
        eventually().until(() -> runs.get() == 1);

        q.shutdown();
        q.add("b");

        eventually().during(Duration.ofMillis(100)).until(() -> runs.get() == 1);
    }

    @Test
    void theBackOffOfAFailingKeyDoublesFrom5msUpTo1000s() {
        AtomicInteger attempts = new AtomicInteger();
        WorkQueue q = new WorkQueue("t", workers, retries, key -> {
            if (attempts.incrementAndGet() <= 24) {
                throw new IllegalStateException("not yet");
            }
        });

        q.add("k");

        eventually().until(() -> attempts.get() == 25);
        assertThat(retries.delays()).containsExactly(5L, 10L, 20L, 40L, 80L, 160L, 320L, 640L, 1_280L, 2_560L,
                5_120L, 10_240L, 20_480L, 40_960L, 81_920L, 163_840L, 327_680L, 655_360L,
                1_000_000L, 1_000_000L, 1_000_000L, 1_000_000L, 1_000_000L, 1_000_000L);
    }

    @Test
    void aKeyThatSyncsIsForgottenSoItsNextFailureBacksOffFrom5msAgain() {
        AtomicInteger attempts = new AtomicInteger();
        WorkQueue q = new WorkQueue("t", workers, retries, key -> {
            int n = attempts.incrementAndGet();
            if (n <= 3 || n == 5) { // 3 failures, a success, then one failure more
                throw new IllegalStateException("failure " + n);
            }
        });

        q.add("k");
        eventually().until(() -> attempts.get() == 4);
        q.add("k");

        eventually().until(() -> attempts.get() == 6);
        assertThat(retries.delays()).containsExactly(5L, 10L, 20L, 5L);
    }

    @Test
    void eachKeyBacksOffOnItsOwn() {
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        WorkQueue q = new WorkQueue("t", serial, retries, key -> {
            if (attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() <= 2) {
                throw new IllegalStateException("not yet");
            }
        });

        q.add("a");
        q.add("b");

        eventually().until(() -> attempts.get("b") != null && attempts.get("b").get() == 3
                && attempts.get("a").get() == 3);
        assertThat(retries.delays()).containsExactlyInAnyOrder(5L, 10L, 5L, 10L); // not 5, 10, 20, 40
    }

    @Test
    void aFailureIsReportedAsNewOncePerDistinctErrorOfAKey() {
        List<String> reported = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        List<String> script = List.of("boom", "boom", "boom", "bang", "ok", "boom", "ok");
        WorkQueue q = new WorkQueue("t", workers, retries, key -> {
            String step = script.get(Math.min(attempts.getAndIncrement(), script.size() - 1));
            if (!step.equals("ok")) {
                throw new IllegalStateException(step);
            }
        }, (queue, key, error, repeat) -> reported.add(queue + " " + key + " " + error.getMessage()
                + (repeat ? " (repeat)" : " (new)")), 5, 1_000_000);

        q.add("k");
        eventually().until(() -> attempts.get() == 5);
        q.add("k");

        eventually().untilAsserted(() -> assertThat(reported).containsExactly(
                "t k boom (new)", "t k boom (repeat)", "t k boom (repeat)", "t k bang (new)",
                "t k boom (new)")); // after a success the same error is news again
    }

    @Test
    void theSameErrorOnAnotherKeyIsNews() {
        List<String> reported = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        WorkQueue q = new WorkQueue("t", serial, retries, key -> {
            if (attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() <= 2) {
                throw new IllegalStateException("boom");
            }
        }, (queue, key, error, repeat) -> reported.add(key + (repeat ? " repeat" : " new")), 5, 1_000_000);

        q.add("a");
        q.add("b");

        eventually().untilAsserted(() -> assertThat(reported)
                .containsExactlyInAnyOrder("a new", "a repeat", "b new", "b repeat"));
    }

    @Test
    void theFirstConflictsOfAKeyAreQuietAndOneThatKeepsComingBackIsReported() {
        List<String> reported = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        WorkQueue q = new WorkQueue("t", workers, retries, key -> {
            if (attempts.incrementAndGet() <= 5) {
                throw ApiException.of(409, "Conflict", "Operation cannot be fulfilled on configmaps \"k\": the object "
                        + "has been modified; please apply your changes to the latest version and try again");
            }
        }, (queue, key, error, repeat) -> reported.add(repeat ? "quiet" : "reported"), 5, 1_000_000);

        q.add("k");

        eventually().until(() -> attempts.get() == 6);
        assertThat(reported).containsExactly("quiet", "quiet", "quiet", "reported", "quiet");
    }

    @Test
    void aNotFoundOnAKeysFirstTryIsQuietToo() {
        List<String> reported = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        WorkQueue q = new WorkQueue("t", workers, retries, key -> {
            if (attempts.incrementAndGet() == 1) {
                throw ApiException.of(404, "NotFound", "deployments.apps \"k\" not found");
            }
        }, (queue, key, error, repeat) -> reported.add(repeat ? "quiet" : "reported"), 5, 1_000_000);

        q.add("k");

        eventually().until(() -> attempts.get() == 2);
        assertThat(reported).containsExactly("quiet");
    }

    @Test
    void aRetryWaitsForItsBackOffOnTheClusterClock() {
        ManualClock clock = new ManualClock();
        AtomicInteger attempts = new AtomicInteger();
        try (Timers manual = Timers.create("t", clock, workers)) {
            WorkQueue q = new WorkQueue("t", workers, manual, key -> {
                if (attempts.incrementAndGet() < 3) {
                    throw new IllegalStateException("not yet");
                }
            });

            q.add("k");
            eventually().until(() -> attempts.get() == 1 && clock.pendingTimers() == 1);
            clock.advance(Duration.ofMillis(4));
            assertThat(attempts.get()).isEqualTo(1); // its retry's timer has not fired: nothing can have run it
            assertThat(clock.pendingTimers()).isEqualTo(1);
            clock.advance(Duration.ofMillis(1));
            eventually().until(() -> attempts.get() == 2 && clock.pendingTimers() == 1);
            clock.advance(Duration.ofMillis(9));
            assertThat(attempts.get()).isEqualTo(2);
            clock.advance(Duration.ofMillis(1)); // the second retry 10 ms after the second failure

            eventually().until(() -> attempts.get() == 3);
            assertThat(clock.pendingTimers()).isZero();
        }
    }

    // ---- helpers

    /** Timers that run every task at once on the workers, recording the delay it asked for. */
    private final class RecordingTimers implements Timers {
        private final List<Long> delays = new CopyOnWriteArrayList<>();

        @Override
        public Clock clock() {
            return Clock.SYSTEM;
        }

        @Override
        public Task after(Duration delay, Runnable task) {
            delays.add(delay.toMillis());
            workers.execute(task);
            return () -> { };
        }

        @Override
        public Task every(String name, Duration initialDelay, Duration period, Runnable work) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.concurrent.ScheduledExecutorService asScheduledExecutorService() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }

        List<Long> delays() {
            return List.copyOf(delays);
        }
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5));
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

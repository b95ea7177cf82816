package dev.drydock.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The controllers' work queue: one sync per key at a time, no key lost, failures retried. */
class WorkQueueTest {

    private final ExecutorService workers = Executors.newFixedThreadPool(4, daemon("drydock-t-worker"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("drydock-t-timer"));

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timer.shutdownNow();
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

    // ---- helpers

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

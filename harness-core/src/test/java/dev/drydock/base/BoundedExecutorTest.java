package dev.drydock.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tasks on a shared pool, at most N at once, drained by a few pool tasks rather than one pool task each. */
class BoundedExecutorTest {

    private final ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(4);
    private final AtomicInteger handedToPool = new AtomicInteger();
    private final ExecutorService counting = new java.util.concurrent.AbstractExecutorService() {
        @Override
        public void execute(Runnable command) {
            handedToPool.incrementAndGet();
            pool.execute(command);
        }

        @Override
        public void shutdown() {
            pool.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return pool.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return pool.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return pool.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return pool.awaitTermination(timeout, unit);
        }
    };

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5));
    }

    @Test
    void oneDrainerRunsEveryTaskInTheOrderTheyCame() throws InterruptedException {
        BoundedExecutor one = new BoundedExecutor(counting, 1);
        CountDownLatch hold = new CountDownLatch(1);
        List<Integer> ran = new CopyOnWriteArrayList<>();

        one.execute(() -> await(hold));
        IntStream.range(0, 1000).forEach(i -> one.execute(() -> ran.add(i)));
        hold.countDown();

        eventually().untilAsserted(() -> assertThat(ran).hasSize(1000));
        assertThat(ran).isSorted();
        // one drainer took them all while it ran (another may have started once it ran dry)
        assertThat(handedToPool.get()).isLessThan(10);
    }

    @Test
    void aBatchIsQueuedInItsOrderWithAtMostOneHandOffPerDrainer() {
        BoundedExecutor one = new BoundedExecutor(counting, 1);
        CountDownLatch hold = new CountDownLatch(1);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        List<Runnable> batch = new java.util.ArrayList<>();
        IntStream.range(0, 1000).forEach(i -> batch.add(() -> ran.add(i)));

        one.execute(() -> await(hold));
        one.executeAll(batch);
        one.executeAll(List.of());
        hold.countDown();

        eventually().untilAsserted(() -> assertThat(ran).hasSize(1000));
        assertThat(ran).isSorted();
        assertThat(handedToPool.get()).isLessThan(10);
        pool.shutdown();
        assertThatThrownBy(() -> one.executeAll(batch)).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void noMoreTasksRunAtOnceThanItsParallelism() {
        BoundedExecutor two = new BoundedExecutor(counting, 2);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();

        for (int i = 0; i < 200; i++) {
            two.execute(() -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                Thread.onSpinWait();
                running.decrementAndGet();
                done.incrementAndGet();
            });
        }

        eventually().untilAsserted(() -> assertThat(done.get()).isEqualTo(200));
        assertThat(most.get()).isBetween(1, 2);
        assertThat(handedToPool.get()).isLessThan(200);
    }

    @Test
    void aTaskThatBlocksHoldsOneDrainerWhileTheOthersGoOn() {
        BoundedExecutor two = new BoundedExecutor(counting, 2);
        CountDownLatch hold = new CountDownLatch(1);
        AtomicInteger done = new AtomicInteger();

        two.execute(() -> await(hold));
        for (int i = 0; i < 100; i++) {
            two.execute(done::incrementAndGet);
        }

        eventually().untilAsserted(() -> assertThat(done.get()).isEqualTo(100));
        hold.countDown();
    }

    @Test
    void aTaskThatFailsDoesNotStopTheOthers() {
        BoundedExecutor one = new BoundedExecutor(counting, 1);
        AtomicInteger done = new AtomicInteger();

        one.execute(() -> {
            throw new IllegalStateException("boom (expected by the test)");
        });
        for (int i = 0; i < 10; i++) {
            one.execute(done::incrementAndGet);
        }

        // The failure escapes to the pool's thread on purpose: Awaitility must not take it for the test's failure.
        eventually().dontCatchUncaughtExceptions().untilAsserted(() -> assertThat(done.get()).isEqualTo(10));
    }

    @Test
    void aShutDownPoolRejectsTasks() {
        BoundedExecutor two = new BoundedExecutor(counting, 2);
        pool.shutdown();

        assertThatThrownBy(() -> two.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void overAPoolItRunsAsManyAtOnceAsThePoolHasThreads() {
        BoundedExecutor over = BoundedExecutor.over(pool);

        assertThat(over.parallelism()).isEqualTo(4);
        assertThat(BoundedExecutor.over(over)).isSameAs(over);
        assertThatThrownBy(() -> new BoundedExecutor(pool, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the task go on");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

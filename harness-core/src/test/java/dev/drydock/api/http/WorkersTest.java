package dev.drydock.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkersTest {

    @Test
    void oneAfterAnotherNeedsOneWorker() throws Exception {
        Workers workers = new Workers(8, 30, TimeUnit.SECONDS, Thread::new);
        try {
            for (int i = 0; i < 50; i++) {
                CountDownLatch done = new CountDownLatch(1);
                workers.execute(done::countDown);
                assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> workers.getActiveCount() == 0);
            }
            assertThat(workers.getLargestPoolSize()).isEqualTo(1);
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void busyWorkersStartMoreUpToTheMaximumThenWorkWaits() throws Exception {
        Workers workers = new Workers(4, 30, TimeUnit.SECONDS, Thread::new);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        try {
            for (int i = 0; i < 10; i++) {
                workers.execute(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ran.incrementAndGet();
                });
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> workers.getActiveCount() == 4);
            assertThat(workers.getPoolSize()).isEqualTo(4);
            assertThat(workers.getQueue()).hasSize(6);
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 10);
            assertThat(workers.getLargestPoolSize()).isEqualTo(4);
        } finally {
            workers.shutdownNow();
        }
    }
}

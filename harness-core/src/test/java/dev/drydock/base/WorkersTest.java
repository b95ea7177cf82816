package dev.drydock.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster's shared workers: in order, but urgent work (node heartbeats) before the ordinary work waiting, and
 * background work (event writes) after it.
 */
class WorkersTest {

    private final Threads.Factory threads = Threads.factory("t", "worker");
    private final Workers workers = new Workers(1, threads);

    @AfterEach
    void stop() throws InterruptedException {
        workers.shutdownNow();
        assertThat(workers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(threads.join(5_000)).isTrue();
    }

    @Test
    void urgentTasksRunBeforeTheOrdinaryOnesWaitingBackgroundOnesAfterAndEachKindInItsOrder()
            throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        workers.execute(() -> {
            busy.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();

        workers.background().execute(() -> ran.add("event-1"));
        workers.execute(() -> ran.add("a"));
        workers.execute(() -> ran.add("b"));
        workers.urgent().execute(() -> ran.add("heartbeat-1"));
        workers.background().execute(() -> ran.add("event-2"));
        workers.execute(() -> ran.add("c"));
        workers.urgent().execute(() -> ran.add("heartbeat-2"));
        release.countDown();

        Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> ran.size() == 7);
        assertThat(ran).containsExactly("heartbeat-1", "heartbeat-2", "a", "b", "c", "event-1", "event-2");
    }

    @Test
    void anExecutorThatIsNotAClustersWorkersIsItsOwnUrgentAndBackgroundLane() {
        java.util.concurrent.Executor direct = Runnable::run;

        assertThat(Workers.urgent(direct)).isSameAs(direct);
        assertThat(Workers.urgent(workers)).isSameAs(workers.urgent());
        assertThat(Workers.background(direct)).isSameAs(direct);
        assertThat(Workers.background(workers)).isSameAs(workers.background());
    }
}

package dev.drydock.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A clock that moves only when advanced, and the timers on it. */
class ManualClockTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "drydock-t-worker");
        t.setDaemon(true);
        return t;
    });
    private final ManualClock clock = new ManualClock(START);
    private final Timers timers = Timers.create("t", clock, workers);

    @AfterEach
    void stop() {
        timers.close();
        workers.shutdownNow();
    }

    @Test
    void timeStandsStillUntilAdvanced() {
        long nanos = clock.nanoTime();

        assertThat(clock.now()).isEqualTo(START);
        clock.advance(Duration.ofMillis(1500));

        assertThat(clock.now()).isEqualTo(START.plusMillis(1500));
        assertThat(clock.nanoTime() - nanos).isEqualTo(1_500_000_000L);
        assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void advancingRunsTheTimersDueInTimeOrderEachAtItsOwnTime() {
        List<String> fired = new CopyOnWriteArrayList<>();
        timers.after(Duration.ofSeconds(3), () -> fired.add("c@" + clock.now()));
        timers.after(Duration.ofSeconds(1), () -> fired.add("a@" + clock.now()));
        timers.after(Duration.ofSeconds(1), () -> fired.add("b@" + clock.now())); // same time: in scheduling order
        timers.after(Duration.ofSeconds(2), () -> timers.after(Duration.ofMillis(500),
                () -> fired.add("scheduled by a timer@" + clock.now())));
        timers.after(Duration.ofSeconds(5), () -> fired.add("too late"));

        clock.advance(Duration.ofSeconds(4));

        assertThat(fired).containsExactly("a@2030-01-01T00:00:01Z", "b@2030-01-01T00:00:01Z",
                "scheduled by a timer@2030-01-01T00:00:02.500Z", "c@2030-01-01T00:00:03Z");
        assertThat(clock.now()).isEqualTo(START.plusSeconds(4));
        assertThat(clock.pendingTimers()).isEqualTo(1);
    }

    @Test
    void aCancelledTimerDoesNotRunAndIsNoLongerPending() {
        AtomicInteger runs = new AtomicInteger();
        Timers.Task task = timers.after(Duration.ofSeconds(1), runs::incrementAndGet);

        task.cancel();
        clock.advance(Duration.ofSeconds(2));

        assertThat(runs.get()).isZero();
        assertThat(clock.pendingTimers()).isZero();
    }

    @Test
    void periodicWorkRunsOnTheWorkersOnceForEachTickAndIsOverWhenAdvanceReturns() {
        List<String> runs = new CopyOnWriteArrayList<>();
        timers.every("work", Duration.ofMillis(100), Duration.ofMillis(100),
                () -> runs.add(clock.now().toEpochMilli() - START.toEpochMilli() + " on "
                        + Thread.currentThread().getName()));

        clock.advance(Duration.ofMillis(350));

        assertThat(runs).containsExactly("100 on drydock-t-worker", "200 on drydock-t-worker",
                "300 on drydock-t-worker");
    }

    @Test
    void workDueAtOnceRunsWithoutAnAdvanceSoAClusterStartsOnAStillClock() {
        AtomicInteger periodic = new AtomicInteger();
        AtomicInteger once = new AtomicInteger();
        timers.every("heartbeat", Duration.ZERO, Duration.ofSeconds(1), periodic::incrementAndGet);
        timers.after(Duration.ZERO, once::incrementAndGet);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> periodic.get() == 1 && once.get() == 1);
        clock.advance(Duration.ofMillis(999));
        assertThat(periodic.get()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(periodic.get()).isEqualTo(2);
    }

    @Test
    void aRunStartedAtOnceEndsBeforeTimeMovesAndNoTickIsSkipped() throws Exception {
        CountDownLatch firstRunStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        List<Instant> runs = new CopyOnWriteArrayList<>();
        timers.every("slow", Duration.ZERO, Duration.ofSeconds(1), () -> {
            if (entered.incrementAndGet() == 1) {
                firstRunStarted.countDown();
                await(release);
            }
            runs.add(clock.now());
        });
        assertThat(firstRunStarted.await(10, TimeUnit.SECONDS)).isTrue();

        Thread advancer = new Thread(() -> clock.advance(Duration.ofSeconds(2)), "drydock-t-advancer");
        advancer.start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> advancer.getState() == Thread.State.WAITING);
        assertThat(clock.now()).isEqualTo(START); // the advance waits for the run before it moves the time
        release.countDown();
        advancer.join(10_000);

        assertThat(runs).containsExactly(START, START.plusSeconds(1), START.plusSeconds(2));
    }

    @Test
    void periodicWorkThatFailsKeepsItsSchedule() {
        AtomicInteger runs = new AtomicInteger();
        timers.every("failing", Duration.ofSeconds(1), Duration.ofSeconds(1), () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("the API is down");
        });

        clock.advance(Duration.ofSeconds(12));

        assertThat(runs.get()).isEqualTo(12);
    }

    @Test
    void periodicWorkKeepsItsScheduleThroughAnInterruptedAdvance() {
        AtomicInteger runs = new AtomicInteger();
        timers.every("work", Duration.ofSeconds(1), Duration.ofSeconds(1), runs::incrementAndGet);

        Thread.currentThread().interrupt();
        clock.advance(Duration.ofSeconds(3)); // its waits for the work give up at once
        assertThat(Thread.interrupted()).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 1);
        int before = runs.get();
        clock.advance(Duration.ofSeconds(2));

        // the ticks at 4 s and 5 s, and perhaps a run the interrupted advance left going when 'before' was read
        assertThat(runs.get()).isBetween(before + 2, before + 3);
        assertThat(clock.pendingTimers()).isEqualTo(1);
    }

    @Test
    void aCancelledPeriodicTaskRunsNoMore() {
        AtomicInteger runs = new AtomicInteger();
        Timers.Task task = timers.every("work", Duration.ofSeconds(1), Duration.ofSeconds(1), runs::incrementAndGet);
        clock.advance(Duration.ofSeconds(2));

        task.cancel();
        clock.advance(Duration.ofSeconds(5));

        assertThat(runs.get()).isEqualTo(2);
        assertThat(clock.pendingTimers()).isZero();
    }

    @Test
    void closedTimersLeaveNothingPendingAndRefuseMore() {
        timers.every("work", Duration.ofSeconds(1), Duration.ofSeconds(1), () -> { });
        timers.after(Duration.ofSeconds(1), () -> { });

        timers.close();

        assertThat(clock.pendingTimers()).isZero();
        assertThatThrownBy(() -> timers.after(Duration.ofSeconds(1), () -> { }))
                .isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void advancingFromATimerOfTheSameClockIsRefused() {
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        timers.after(Duration.ofSeconds(1), () -> {
            try {
                clock.advance(Duration.ofSeconds(1));
            } catch (IllegalStateException e) {
                thrown.add(e);
            }
        });

        clock.advance(Duration.ofSeconds(1));

        assertThat(thrown).singleElement().extracting(Throwable::getMessage)
                .isEqualTo("advance() called from a timer of the same clock");
    }

    @Test
    void theExecutorServiceViewWaitsOnTheClock() throws Exception {
        ScheduledExecutorService view = timers.asScheduledExecutorService();
        List<Long> ticks = new CopyOnWriteArrayList<>();
        ScheduledFuture<String> once = view.schedule(() -> "done", 2, TimeUnit.SECONDS);
        ScheduledFuture<?> rate = view.scheduleAtFixedRate(() -> ticks.add(clock.now().getEpochSecond()
                - START.getEpochSecond()), 1, 1, TimeUnit.SECONDS);

        assertThat(once.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(2000);
        clock.advance(Duration.ofSeconds(3));
        rate.cancel(false);
        clock.advance(Duration.ofSeconds(3));

        assertThat(once.get(0, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(ticks).containsExactly(1L, 2L, 3L);
        assertThat(clock.pendingTimers()).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

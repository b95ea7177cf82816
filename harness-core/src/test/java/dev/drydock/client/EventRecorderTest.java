package dev.drydock.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.ApiServer;
import dev.drydock.api.KindRegistry;
import dev.drydock.base.ComponentContext;
import dev.drydock.base.ManualClock;
import dev.drydock.base.Timers;
import dev.drydock.base.Timings;
import dev.drydock.base.Workers;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Transport;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import dev.drydock.store.MemoryStore;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event recorder as client-go's: recording only queues; the queue is written on a lane of the workers through the
 * correlator (counts, aggregates, the spam filter); a full queue drops with a warning; a write that cannot reach the
 * server is tried again after {@code eventSleepDuration}, 12 times in all.
 */
class EventRecorderTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final Executor DIRECT = Runnable::run;

    private final ManualClock clock = new ManualClock(START);
    private final Workers workers = new Workers(2, r -> {
        Thread t = new Thread(r, "drydock-t-worker");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledThreadPoolExecutor apiTimer = new ScheduledThreadPoolExecutor(1);
    private final MemoryStore store = new MemoryStore("drydock-t-store");
    private final Timers timers = Timers.create("t", clock, workers);
    private final ComponentContext ctx = new ComponentContext("t", 7L, Timings.compressed(), timers, workers);
    private final ApiServer api = new ApiServer(store, KindRegistry.builtIn(), clock, apiTimer, 7L, workers);
    private final KubeClient client = new KubeClient(api);
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    /** Event writes that fail as a cut connection does while positive, counted down by each. */
    private final AtomicInteger unreachable = new AtomicInteger();
    private EventRecorder recorder;

    private EventRecorder recorder(Executor lane, int capacity) {
        Transport flaky = new Transport() {
            @Override
            public ApiResponse call(ApiRequest request) {
                if (request.resource().equals(Resource.EVENTS) && unreachable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new UncheckedIOException(new java.net.ConnectException("connection refused"));
                }
                return api.call(request);
            }

            @Override
            public Watch watch(ApiRequest request, WatchHandler handler) {
                return api.watch(request, handler);
            }

            @Override
            public Map<Resource, List<String>> discover() {
                return api.discover();
            }
        };
        recorder = new EventRecorder(new KubeClient(flaky), ctx, lane, capacity, warnings::add, "kubelet",
                "node-1");
        return recorder;
    }

    private static ObjectNode pod(String name) {
        ObjectNode p = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(p, "metadata").put("name", name).put("namespace", "default").put("uid", "uid-" + name);
        return p;
    }

    private List<ObjectNode> events() {
        List<ObjectNode> out = new ArrayList<>(client.items(Resource.EVENTS, "default", null));
        out.sort(Comparator.comparing(Json::name));
        return out;
    }

    @AfterEach
    void stop() {
        if (recorder != null) {
            recorder.close();
        }
        api.close();
        timers.close();
        store.close();
        apiTimer.shutdownNow();
        workers.shutdownNow();
    }

    @Test
    void recordingReturnsAtOnceAndTheWorkersWriteTheEvent() {
        List<Runnable> held = new ArrayList<>();
        EventRecorder r = recorder(held::add, EventRecorder.MAX_QUEUED);
        namespace();

        r.normal(pod("p"), "Scheduled", "Successfully assigned default/p to node-1");
        assertThat(events()).isEmpty();
        assertThat(held).hasSize(1);

        held.remove(0).run();
        JsonNode e = events().get(0);
        assertThat(e.path("reason").asText()).isEqualTo("Scheduled");
        assertThat(e.path("type").asText()).isEqualTo("Normal");
        assertThat(e.path("count").asInt()).isEqualTo(1);
        assertThat(e.path("involvedObject").path("uid").asText()).isEqualTo("uid-p");
        assertThat(e.path("source").path("host").asText()).isEqualTo("node-1");
        assertThat(e.path("firstTimestamp").asText()).isEqualTo(START.toString());
    }

    @Test
    void identicalEventsFoldIntoOneEventWithTheirCount() {
        EventRecorder r = recorder(Workers.background(workers), EventRecorder.MAX_QUEUED);
        namespace();
        for (int i = 0; i < 7; i++) {
            r.warning(pod("p"), "BackOff", "Back-off restarting failed container main");
            clock.advance(Duration.ofSeconds(1));
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events()).singleElement()
                .satisfies(e -> {
                    assertThat(e.path("count").asInt()).isEqualTo(7);
                    assertThat(e.path("firstTimestamp").asText()).isEqualTo(START.toString());
                    assertThat(e.path("lastTimestamp").asText()).isEqualTo(START.plusSeconds(6).toString());
                }));
    }

    @Test
    void moreThan25EventsAboutOneObjectAreThrottledUntilTheBucketRefills() {
        EventRecorder r = recorder(DIRECT, EventRecorder.MAX_QUEUED);
        namespace();
        for (int i = 0; i < 30; i++) {
            r.normal(pod("p"), "Reason" + i, "event " + i);
        }
        r.normal(pod("q"), "Reason", "another object");

        assertThat(events()).hasSize(26);
        assertThat(events()).filteredOn(e -> e.at("/involvedObject/name").asText().equals("p")).hasSize(25);

        clock.advance(Timings.compressed().eventSpamRefill()); // kube's 5 minutes, compressed
        r.normal(pod("p"), "Later", "one more after a refill");
        r.normal(pod("p"), "Later2", "but not two");
        assertThat(events()).hasSize(27).anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("Later"));
    }

    @Test
    void tenSimilarEventsBecomeOneAggregateEvent() {
        EventRecorder r = recorder(DIRECT, EventRecorder.MAX_QUEUED);
        namespace();
        ObjectNode rs = Json.object().put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
        Json.with(rs, "metadata").put("name", "web-1").put("namespace", "default").put("uid", "uid-rs");
        for (int i = 1; i <= 15; i++) {
            r.normal(rs, "SuccessfulCreate", "Created pod: web-1-" + i);
        }

        List<ObjectNode> events = events();
        assertThat(events).hasSize(10);
        assertThat(events).filteredOn(e -> e.path("message").asText().startsWith("(combined from similar events): "))
                .singleElement().satisfies(e -> {
                    assertThat(e.path("message").asText())
                            .isEqualTo("(combined from similar events): Created pod: web-1-15");
                    assertThat(e.path("count").asInt()).isEqualTo(6);
                    assertThat(e.path("reason").asText()).isEqualTo("SuccessfulCreate");
                });
    }

    @Test
    void aFullQueueDropsWithAWarningAndDoesNotBlockTheCaller() {
        List<Runnable> held = new ArrayList<>(); // the workers are busy: nothing is written meanwhile
        EventRecorder r = recorder(held::add, 100);

        long start = System.nanoTime();
        for (int i = 0; i < 120; i++) {
            r.normal(pod("p" + i), "Scheduled", "Successfully assigned default/p" + i + " to node-1");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

        assertThat(r.dropped()).isEqualTo(20);
        assertThat(warnings).hasSize(2); // the 1st and the 10th dropped, not one per event
        assertThat(warnings.get(0)).isEqualTo("kubelet on node-1: too many queued events (100), dropped Normal "
                + "Scheduled about Pod default/p100 (1 dropped so far)");
        assertThat(warnings.get(1)).endsWith("(10 dropped so far)");

        namespace();
        held.remove(0).run(); // a batch, then its turn ends
        while (!held.isEmpty()) {
            held.remove(0).run();
        }
        assertThat(events()).hasSize(100);
    }

    @Test
    void aWriteThatCannotReachTheServerIsTriedAgainAfterTheSleepDuration() {
        EventRecorder r = recorder(DIRECT, EventRecorder.MAX_QUEUED);
        namespace();
        unreachable.set(3);

        r.normal(pod("p"), "Pulled", "image already present");
        r.normal(pod("p"), "Created", "Created container main");
        assertThat(events()).isEmpty(); // the first failed; the second waits behind it

        clock.advance(Timings.compressed().eventSleepDuration().multipliedBy(3));
        assertThat(events()).extracting(e -> e.path("reason").asText()).containsExactlyInAnyOrder("Pulled",
                "Created");
        assertThat(warnings).isEmpty();
    }

    @Test
    void aWriteIsGivenUpAtWarnAfterTwelveTries() {
        EventRecorder r = recorder(DIRECT, EventRecorder.MAX_QUEUED);
        namespace();
        unreachable.set(12);

        r.normal(pod("p"), "Pulled", "image already present");
        for (int i = 0; i < 12; i++) {
            clock.advance(Timings.compressed().eventSleepDuration());
        }
        assertThat(events()).isEmpty();
        assertThat(warnings).singleElement().asString().startsWith("kubelet on node-1: unable to write event "
                + "Normal Pulled about Pod default/p (retry limit of 12 exceeded)");

        r.normal(pod("p"), "Created", "Created container main"); // the next one is written
        assertThat(events()).extracting(e -> e.path("reason").asText()).containsExactly("Created");
    }

    @Test
    void closingDropsWhatIsQueuedAndStopsRetries() {
        EventRecorder r = recorder(DIRECT, EventRecorder.MAX_QUEUED);
        namespace();
        unreachable.set(1);
        r.normal(pod("p"), "Pulled", "image already present");
        r.normal(pod("p"), "Created", "Created container main");

        r.close();
        clock.advance(Duration.ofMinutes(1));
        r.normal(pod("p"), "Started", "Started container main");
        assertThat(events()).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void lossesAreWarnedAtTheFirstAndEveryPowerOfTen() {
        assertThat(java.util.stream.LongStream.rangeClosed(0, 2000).filter(EventRecorder::isWarned).toArray())
                .containsExactly(1, 10, 100, 1000);
    }

    private void namespace() {
        ObjectNode ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
        Json.with(ns, "metadata").put("name", "default");
        if (client.find(Resource.NAMESPACES, null, "default") == null) {
            client.create(Resource.NAMESPACES, null, ns);
        }
    }
}

package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.ApiServer;
import dev.drydock.base.ManualClock;
import dev.drydock.chaos.NetworkFault;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On a {@link ManualClock}, what the API server decides by time runs on the cluster's clock: a watch's
 * {@code timeoutSeconds}, the default timeout of a watch that names none, bookmarks, and the break of a watch whose
 * link is cut all happen as the test advances the clock, not as real time passes. Each check would fail within its
 * real-time bound if the timer kept real time, since the times advanced are far longer than the bounds.
 */
class ManualClockWatchTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    /** How long, in real time, an effect of an advance may take to reach the watcher. */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    private ManualClock clock;
    private DrydockCluster cluster;

    @BeforeEach
    void start() {
        clock = new ManualClock(START);
        cluster = DrydockCluster.start(ClusterSpec.create().name("clockwatch").apiServerOnly().clock(clock).seed(3));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aWatchsTimeoutSecondsRunOnTheClusterClock() {
        Recorder r = watch(cluster.client(), Map.of("timeoutSeconds", "600"));

        clock.advance(Duration.ofSeconds(599));
        assertThat(r.ended).as("open a second before its timeout").isNotDone();
        clock.advance(Duration.ofSeconds(1));

        await().atMost(PROMPTLY).until(r.ended::isDone);
        assertThat(r.ended.join()).isEqualTo("ended normally");
    }

    @Test
    void aWatchThatNamesNoTimeoutEndsAfterTheMinRequestTimeoutOnTheClusterClock() {
        Recorder r = watch(cluster.client(), Map.of());
        Duration min = ApiServer.DEFAULT_MIN_REQUEST_TIMEOUT;

        clock.advance(min.minusSeconds(1));
        assertThat(r.ended).as("open before kube's minimum request timeout").isNotDone();
        clock.advance(min.plusSeconds(1)); // past twice the minimum: every draw has ended

        await().atMost(PROMPTLY).until(r.ended::isDone);
        assertThat(r.ended.join()).isEqualTo("ended normally");
    }

    @Test
    void bookmarksComeAsTheClusterClockPassesTheirFrequency() {
        Recorder r = watch(cluster.client(), Map.of("allowWatchBookmarks", "true", "timeoutSeconds", "3600"));

        clock.advance(Duration.ofMinutes(1).plusSeconds(1)); // kube's bookmark frequency

        await().atMost(PROMPTLY).until(() -> r.types.contains("BOOKMARK"));
        assertThat(r.ended).isNotDone();
    }

    @Test
    void aCutWatchBreaksWhenTheClusterClockPassesTheClientsTimeoutNotBefore() {
        ClientIdentity operator = cluster.identity("operator");
        Recorder r = watch(operator.client(), Map.of());

        try (NetworkFault cut = cluster.networkFaults().isolate(operator.party())) {
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                    .until(() -> !r.ended.isDone()); // silent, but not broken: the cluster's clock stands still
            clock.advance(Duration.ofSeconds(1));

            await().atMost(PROMPTLY).until(r.ended::isDone);
        }
        assertThat(r.ended.join()).startsWith("closed with 503").contains("connection lost");
    }

    /** A watch of ConfigMaps in {@code default} that records the types of its events and how it ended. */
    private static Recorder watch(KubeClient client, Map<String, String> params) {
        Recorder r = new Recorder();
        r.watch = client.watch(new Resource("", "v1", "configmaps", "ConfigMap", true), "default", "0", params, r);
        return r;
    }

    private static final class Recorder implements WatchHandler {
        final List<String> types = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> ended = new CompletableFuture<>();
        Watch watch;

        @Override
        public void onEvent(String type, ObjectNode object) {
            types.add(type);
        }

        @Override
        public void onClose(ApiException error) {
            ended.complete(error == null ? "ended normally" : "closed with " + error.code() + ": "
                    + error.getMessage());
        }
    }
}

package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ManualClock;
import dev.drydock.base.Timings;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * A probe's timing fields on a {@link ManualClock} with Kubernetes' own timings (a probe second is a second):
 * {@code initialDelaySeconds}, {@code periodSeconds}, {@code successThreshold} and {@code failureThreshold} hold to
 * the millisecond of the cluster's clock, however little real time passes.
 */
class ProbeTimingTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final AtomicInteger CALLS = new AtomicInteger();
    /** How many probes the kubelet took the result of: its exec's exit hands it over before {@code exit} returns. */
    private static final AtomicInteger DONE = new AtomicInteger();
    private static final AtomicInteger ANSWER = new AtomicInteger();

    @Test
    void aReadinessProbeRunsAfterItsInitialDelayThenEveryPeriodAndFlipsReadyAtItsThresholds() {
        ManualClock clock = new ManualClock(START);
        try (FakeImages.Registration image = FakeImages.register("probe-timing/app", new ImageBehaviour() {
            @Override
            public Program exec(List<String> argv) {
                return argv.get(0).equals("count") ? ctx -> {
                    CALLS.incrementAndGet();
                    ctx.exit(ANSWER.get());
                    DONE.incrementAndGet();
                } : ImageBehaviour.super.exec(argv);
            }
        }); DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().name("probe-timing").nodes(1)
                .clock(clock).timings(Timings.kubernetes()))) {
            ObjectNode pod = Json.parseTrusted("""
                    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "timed"},
                     "spec": {"containers": [{"name": "main", "image": "probe-timing/app:1",
                       "readinessProbe": {"exec": {"command": ["count"]}, "initialDelaySeconds": 5,
                         "periodSeconds": 10, "timeoutSeconds": 3, "successThreshold": 2, "failureThreshold": 3}}]}}
                    """.getBytes(StandardCharsets.UTF_8));
            cluster.client().create(Resource.PODS, "default", pod);
            eventually().until(() -> "Running".equals(phase(cluster)));

            clock.advance(Duration.ofMillis(4_999));
            assertThat(CALLS.get()).isZero();
            clock.advance(Duration.ofMillis(1)); // the initial delay is over: the first probe
            probed(1);
            assertThat(ready(cluster)).isEqualTo("False"); // one success of the two it takes

            clock.advance(Duration.ofMillis(9_999));
            assertThat(CALLS.get()).isEqualTo(1);
            clock.advance(Duration.ofMillis(1));
            probed(2);
            eventually().until(() -> "True".equals(ready(cluster)));

            ANSWER.set(1);
            clock.advance(Duration.ofSeconds(10));
            probed(3);
            clock.advance(Duration.ofSeconds(10));
            probed(4);
            assertThat(ready(cluster)).as("two failures of the three it takes").isEqualTo("True");
            clock.advance(Duration.ofSeconds(10));
            probed(5);
            eventually().until(() -> "False".equals(ready(cluster)));
            assertThat(clock.now()).isEqualTo(START.plusSeconds(45));
        }
        assertThat(clock.pendingTimers()).isZero();
    }

    /** The probe ran {@code calls} times, and the kubelet has the last result. */
    private static void probed(int calls) {
        eventually().until(() -> DONE.get() == calls);
        assertThat(CALLS.get()).isEqualTo(calls);
    }

    private static String phase(DrydockCluster cluster) {
        return Json.text(cluster.client().get(Resource.PODS, "default", "timed"), "status", "phase");
    }

    private static String ready(DrydockCluster cluster) {
        return Objects.condition(cluster.client().get(Resource.PODS, "default", "timed"), "Ready");
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1));
    }
}

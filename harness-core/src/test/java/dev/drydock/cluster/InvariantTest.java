package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.chaos.Timeline;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cluster.invariant(name, predicate)}: checked after every write and on a short poll, on the cluster's lane;
 * a violation is recorded on the timeline and fails the handle's close() with the invariant's name, the moment, the
 * API's state then and the timeline around it.
 */
class InvariantTest {

    private DrydockCluster cluster;

    @BeforeEach
    void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().name("invariants").runtime("stub").nodes(1));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aViolationSeenWhileTheTestRunsFailsTheCloseWithTheMomentAndTheTimelineAroundIt() {
        Invariant noBadPod = cluster.invariant("no pod named bad",
                c -> c.client().find(Resource.PODS, "default", "bad") == null);
        assertThat(cluster.invariants()).containsExactly(noBadPod);
        assertThat(cluster.invariantsPolled()).as("polled on a clock that runs by itself").isTrue();

        createPod("bad");
        eventually().until(() -> noBadPod.violatedAt().isPresent()); // nobody called check(): it was seen by itself
        cluster.client().delete(Resource.PODS, "default", "bad", null, null, 0L);
        eventually().until(() -> timeline().contains("\"no pod named bad\" holds again"));

        AssertionError failure = catchThrowableOfType(noBadPod::close, AssertionError.class);

        assertThat(failure.getMessage())
                .startsWith("invariant \"no pod named bad\" was violated at " + noBadPod.violatedAt().get())
                .contains("it held again at", "what the check saw:\n  the check returned false",
                        "what the API showed then:\n  nodes:\n    node-1 (Ready=True", "default/bad (",
                        "timeline from 5 s before to 2 s after:", ">>> invariant violated <<<",
                        "\"no pod named bad\" violated: the check returned false");
        assertThat(cluster.invariants()).isEmpty();
        assertThat(cluster.invariantsPolled()).as("no poll once none is open").isFalse();
        assertThat(noBadPod.isOpen()).isFalse();
        noBadPod.close(); // reported once: closing again is quiet
        assertThat(cluster.timeline().entries()).filteredOn(e -> e.kind().equals("error"))
                .extracting(Timeline.Entry::detail).contains("\"no pod named bad\" violated: the check returned false");
    }

    @Test
    void anInvariantThatHoldsIsCheckedAfterWritesAndClosesQuietlyWithNoThreadOfItsOwn() {
        AtomicInteger seen = new AtomicInteger();
        Invariant holds = cluster.invariant("always", c -> seen.incrementAndGet() > 0);
        assertThat(seen.get()).as("checked once before invariant() returns").isPositive();

        createPod("a");
        eventually().until(() -> holds.checks() > 3);

        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(n -> n.endsWith("-invariant")); // as a thread of its own would be named
        holds.check(); // holds: nothing thrown, and it stays open
        assertThat(holds.isOpen()).isTrue();
        holds.close();
        assertThat(holds.violatedAt()).isEmpty();
        assertThat(timeline()).contains("checking \"always\"", "stopped checking \"always\"");
    }

    @Test
    void checkFailsWhileTheInvariantStaysOpenAndOneLeftOpenIsReportedAfterTheClusterCloses() {
        Invariant broken = cluster.invariantSatisfying("never", c -> {
            throw new AssertionError("saw 2 leaders: a and b");
        });

        assertThatThrownBy(broken::check).isInstanceOf(AssertionError.class)
                .hasMessageContaining("invariant \"never\" was violated")
                .hasMessageContaining("it does not hold now")
                .hasMessageContaining("what the check saw:\n  saw 2 leaders: a and b");
        assertThat(broken.isOpen()).isTrue();

        cluster.close();

        assertThat(cluster.invariants()).containsExactly(broken); // for a test framework to close and report
        assertThatThrownBy(broken::close).isInstanceOf(AssertionError.class)
                .hasMessageContaining("invariant \"never\" was violated");
        assertThatThrownBy(() -> cluster.invariant("late", c -> true)).isInstanceOf(IllegalStateException.class)
                .hasMessage("cluster invariants is closed: no invariant can be checked on it");
    }

    @Test
    void onAManualClockTheWritesAloneTriggerTheChecks() {
        dev.drydock.base.ManualClock clock = new dev.drydock.base.ManualClock(java.time.Instant.parse(
                "2030-01-01T00:00:00Z"));
        try (DrydockCluster manual = DrydockCluster.start(ClusterSpec.create().name("invariants-manual")
                .runtime("stub").nodes(1).clock(clock))) {
            Invariant noPods = manual.invariant("no pods", c -> c.client().items(Resource.PODS, null, null).isEmpty());

            ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
            Json.with(pod, "metadata").put("name", "p");
            Json.with(pod, "spec").putArray("containers").addObject().put("name", "app").put("image", "nginx");
            manual.client().create(Resource.PODS, "default", pod);

            eventually().until(() -> noPods.violatedAt().isPresent());
            assertThat(noPods.violatedAt().get()).isEqualTo(clock.now()); // the clock never moved
            assertThat(manual.invariantsPolled()).as("no poll timer on a manual clock").isFalse();
            assertThatThrownBy(noPods::close).isInstanceOf(AssertionError.class);
        }
    }

    private void createPod(String name) {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(pod, "metadata").put("name", name);
        Json.with(pod, "spec").put("nodeName", "node-1").putArray("containers").addObject().put("name", "app")
                .put("image", "nginx");
        cluster.client().create(Resource.PODS, "default", pod);
    }

    private String timeline() {
        return cluster.timeline().toString();
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5));
    }
}

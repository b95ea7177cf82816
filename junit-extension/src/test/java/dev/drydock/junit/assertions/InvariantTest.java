package dev.drydock.junit.assertions;

import static dev.drydock.junit.assertions.DrydockAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import dev.drydock.junit.TestNamespace;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Invariants checked while a block runs: one that holds through a node crash, and ones that break, with what their
 * failure reports. Each test has a cluster of its own, as each breaks something.
 */
class InvariantTest {

    @Test
    @Cluster(nodes = 3)
    void neverFewerThanTwoAvailableWhileThisNodeIsDown(DrydockCluster cluster, @TestNamespace String ns) {
        Workloads.deployment(cluster, ns, "web", 3);
        assertThat(cluster).deployment("web").eventually().isRolledOut().hasAvailableReplicas(3);
        assertThat(cluster).pods("app=web").eventually().hasReadyCount(3);
        String victim = Json.text(cluster.client().items(Resource.PODS, ns, "app=web").get(0), "spec", "nodeName");
        AtomicInteger checksWhileDown = new AtomicInteger();

        assertThat(cluster).alwaysSatisfies("never fewer than 2 available while " + victim + " is down", c -> {
            if (!"True".equals(Json.condition(c.client().get(Resource.NODES, null, victim), "Ready"))) {
                checksWhileDown.incrementAndGet();
            }
            assertThat(c).deployment("web").hasAvailableReplicasAtLeast(2);
        }).during(() -> {
            cluster.node(victim).crash();
            assertThat(cluster).node(victim).eventually().isNotReady().hasTaint("node.kubernetes.io/unreachable");
            assertThat(cluster).events().eventually().containsReason("TaintManagerEviction");
            // Replaced: 3 Ready pods, none of them on the crashed node (whose own pods stay terminating, as in kube).
            assertThat(cluster).pods("app=web").eventually().satisfies(pods -> assertThat(pods)
                    .filteredOn(p -> !Json.isDeleting(p) && "True".equals(Json.condition(p, "Ready")))
                    .extracting(p -> Json.text(p, "spec", "nodeName")).hasSize(3).doesNotContain(victim));
            assertThat(cluster).deployment("web").eventually().hasAvailableReplicas(3).isRolledOut();
        });

        // The checks ran (in the test's namespace) while the node was down.
        assertThat(checksWhileDown.get()).isPositive();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
                && t.getName().equals("drydock-" + cluster.name() + "-invariant"));
    }

    @Test
    @Cluster(nodes = 2)
    void aViolatedInvariantFailsWithWhenItBrokeWhatItSawAndTheTimelineAroundIt(DrydockCluster cluster,
                                                                               @TestNamespace String ns) {
        Workloads.deployment(cluster, ns, "web", 3);
        assertThat(cluster).deployment("web").eventually().isRolledOut();

        CountDownLatch violated = new CountDownLatch(1);

        Throwable failure = catchThrowable(() -> assertThat(cluster).alwaysSatisfies("at least 3 available", c -> {
            try {
                assertThat(c).deployment("web").hasAvailableReplicasAtLeast(3);
            } catch (AssertionError e) {
                violated.countDown();
                throw e;
            }
        }).during(() -> {
            Workloads.scale(cluster, ns, "web", 1);
            assertThat(violated.await(30, TimeUnit.SECONDS)).as("the checker saw the violation").isTrue();
            cluster.node("node-2").crash(); // after the violation: in the timeline's "after" part
        }));

        assertThat(failure).isInstanceOf(AssertionError.class).hasMessageMatching("(?s)invariant \"at least 3 "
                + "available\" was violated at \\S+Z, [\\d.]+ m?s into the block that began at \\S+Z \\(checked \\d+ times\\); it still "
                + "did not hold when the block ended\\.\n"
                + "what the check saw:\n"
                + "  deployment " + ns + "/web: expected at least 3 available replicas but saw [0-2] \\(spec\\.replicas"
                + " 1; .*\\)\n"
                + "what the API showed then:\n"
                + "  nodes:\n    node-1 \\(Ready=True KubeletReady\\)\n    node-2 \\(Ready=True KubeletReady\\)\n"
                + "  pods:\n    " + ns + "/web-.*"
                + "timeline from 5 s before to 2 s after:\n"
                + ".*  event  " + cluster.name() + "  started with 2 node\\(s\\).*\n"
                + "  \\S+Z  >>> invariant violated <<<\n"
                + "  \\S+Z  fault  node-2  crash\n");
        assertThat(failure.getCause()).hasMessageStartingWith("deployment " + ns + "/web: expected at least 3");
    }

    @Test
    @Cluster(nodes = 1)
    void anInvariantThatHeldAgainSaysWhen(DrydockCluster cluster, @TestNamespace String ns) {
        Workloads.deployment(cluster, ns, "web", 1);
        assertThat(cluster).deployment("web").eventually().isRolledOut();

        CountDownLatch violated = new CountDownLatch(1);

        assertThatThrownBy(() -> Invariants.during(cluster, "one available", c -> {
            boolean holds = Workloads.available(c, ns, "web") == 1;
            if (!holds) {
                violated.countDown();
            }
            return holds;
        }, () -> {
            Workloads.scale(cluster, ns, "web", 0);
            assertThat(violated.await(30, TimeUnit.SECONDS)).as("the checker saw the violation").isTrue();
            Workloads.scale(cluster, ns, "web", 1);
            assertThat(cluster).deployment("web").eventually().hasAvailableReplicas(1);
        }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("invariant \"one available\" was violated at ")
                .hasMessageContaining("; it held again at ")
                .hasMessageContaining("what the check saw:\n  the check returned false\n");
    }

    @Test
    @Cluster(nodes = 1)
    void whatTheBlockThrowsPropagatesWithTheViolationSuppressed(DrydockCluster cluster, @TestNamespace String ns) {
        IOException thrown = new IOException("the block's own failure");

        Throwable failure = catchThrowable(() -> assertThat(cluster).always("impossible", c -> false)
                .checkedEvery(Duration.ofMillis(5)).during(() -> {
                    throw thrown;
                }));

        assertThat(failure).isSameAs(thrown);
        assertThat(failure.getSuppressed()).singleElement().isInstanceOf(AssertionError.class)
                .extracting(Throwable::getMessage).asString().startsWith("invariant \"impossible\" was violated at ");
        assertThatThrownBy(() -> Invariants.during(cluster, "fine", c -> true, () -> {
            throw new IllegalStateException("alone");
        })).isInstanceOf(IllegalStateException.class).hasMessage("alone").hasNoSuppressedExceptions();
    }

    @Test
    @Cluster(nodes = 1)
    void aCheckThatThrowsIsAViolationAndAnInvariantThatHoldsPasses(DrydockCluster cluster) {
        AtomicInteger checks = new AtomicInteger();

        Invariants.during(cluster, "counts", c -> checks.incrementAndGet() > 0, () ->
                assertThat(cluster).node("node-1").eventually().isReady());
        assertThatThrownBy(() -> Invariants.duringSatisfying(cluster, "reads a missing object",
                c -> c.client().get(dev.drydock.kube.Resource.PODS, "default", "nothing"), () -> { }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("what the check saw:\n  dev.drydock.kube.ApiException: ")
                .cause().isInstanceOf(dev.drydock.kube.ApiException.class);

        assertThat(checks.get()).as("checks: at least one while the block ran, and one after").isGreaterThanOrEqualTo(2);
    }
}

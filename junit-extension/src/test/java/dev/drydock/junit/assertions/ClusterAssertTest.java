package dev.drydock.junit.assertions;

import static dev.drydock.junit.assertions.DrydockAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import dev.drydock.junit.DrydockExtension;
import dev.drydock.junit.TestNamespace;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each assertion on Deployments, pods, nodes and events, holding and failing, and what its failure says. The objects
 * are created in each test's own namespace, which the assertions read without being told.
 */
@Cluster(nodes = 3)
class ClusterAssertTest {

    private static final String UNREACHABLE = "node.kubernetes.io/unreachable";

    @Test
    void aRolledOutDeploymentHasItsReplicasAvailable(DrydockCluster cluster, @TestNamespace String ns) {
        Workloads.deployment(cluster, ns, "web", 3);

        assertThat(cluster).deployment("web").eventually().isRolledOut().hasAvailableReplicas(3).hasReadyReplicas(3)
                .hasUpdatedReplicas(3).hasAvailableReplicasAtLeast(2).exists()
                .satisfies(d -> assertThat(d.at("/spec/template/spec/containers/0/image").asText())
                        .isEqualTo("busybox"));
        assertThat(cluster).deployment(ns, "web").hasAvailableReplicas(3);
    }

    @Test
    void aDeploymentAssertionThatDoesNotHoldSaysWhatItExpectedAndSaw(DrydockCluster cluster,
                                                                     @TestNamespace String ns) {
        Workloads.deployment(cluster, ns, "web", 3);
        assertThat(cluster).deployment("web").eventually().isRolledOut();

        assertThatThrownBy(() -> assertThat(cluster).deployment("web").hasAvailableReplicas(4))
                .isInstanceOf(AssertionError.class)
                .hasMessage("deployment " + ns + "/web: expected 4 available replicas but saw 3 (spec.replicas 3;"
                        + " status: replicas 3, updated 3, ready 3, available 3, observedGeneration 1 of generation 1)");
        assertThatThrownBy(() -> assertThat(cluster).deployment("web").hasAvailableReplicasAtLeast(5))
                .hasMessageStartingWith("deployment " + ns + "/web: expected at least 5 available replicas but saw 3");
        assertThatThrownBy(() -> assertThat(cluster).deployment("web").satisfies(d ->
                assertThat(d.at("/spec/replicas").asInt()).as("replicas").isEqualTo(7)))
                .hasMessageContaining("deployment " + ns + "/web: [replicas]")
                .hasMessageContaining("expected: 7");
        assertThatThrownBy(() -> assertThat(cluster).deployment("web").doesNotExist())
                .hasMessage("expected deployment " + ns + "/web not to exist, but it does");
        assertThatThrownBy(() -> assertThat(cluster).deployment("api").isRolledOut())
                .hasMessage("expected deployment " + ns + "/api to exist, but it does not");
        assertThatThrownBy(() -> assertThat(cluster).inNamespace("default").deployment("web").exists())
                .hasMessage("expected deployment default/web to exist, but it does not");
    }

    @Test
    void aTestWithoutANamespaceOfItsOwnReadsDefault(DrydockCluster cluster) {
        assertThat(DrydockExtension.currentNamespace(cluster)).isEmpty();
        Workloads.deployment(cluster, "default", "in-default", 1);
        try {
            assertThat(cluster).deployment("in-default").eventually().isRolledOut();
            assertThat(cluster).pods("app=in-default").eventually().hasReadyCount(1);
        } finally {
            cluster.client().delete(Resource.DEPLOYMENTS, "default", "in-default");
        }
    }

    @Test
    void aTestWithANamespaceReadsItThereAndOnThreadsItStarts(DrydockCluster cluster, @TestNamespace String ns)
            throws Exception {
        assertThat(DrydockExtension.currentNamespace(cluster)).contains(ns);
        CompletableFuture<Optional<String>> seen = new CompletableFuture<>();
        CountDownLatch testEnded = new CountDownLatch(1);
        CompletableFuture<Optional<String>> seenAfterTheTest = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            seen.complete(DrydockExtension.currentNamespace(cluster));
            try {
                testEnded.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seenAfterTheTest.complete(DrydockExtension.currentNamespace(cluster));
        });
        thread.start();
        assertThat(seen.get(30, TimeUnit.SECONDS)).contains(ns);

        new DrydockExtension().afterEach(null); // as JUnit calls it when this test ends
        testEnded.countDown();
        thread.join();

        assertThat(DrydockExtension.currentNamespace(cluster)).isEmpty();
        assertThat(seenAfterTheTest.get()).as("on a thread the test started").isEmpty();
    }

    @Test
    void aDeploymentIsRolledOutAsKubectlRolloutStatusDecides() {
        assertThat(DeploymentAssert.rolloutStatus(deployment(2, 1, "{}"))).isEqualTo(
                "Waiting for deployment spec update to be observed...");
        assertThat(DeploymentAssert.rolloutStatus(deployment(1, 1, "{'replicas':3,'updatedReplicas':1,"
                + "'availableReplicas':1}"))).isEqualTo(
                "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...");
        assertThat(DeploymentAssert.rolloutStatus(deployment(1, 1, "{'replicas':4,'updatedReplicas':3,"
                + "'availableReplicas':3}"))).isEqualTo(
                "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...");
        assertThat(DeploymentAssert.rolloutStatus(deployment(1, 1, "{'replicas':3,'updatedReplicas':3,"
                + "'availableReplicas':2}"))).isEqualTo(
                "Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...");
        assertThat(DeploymentAssert.rolloutStatus(deployment(1, 1, "{'replicas':3,'updatedReplicas':3,"
                + "'availableReplicas':3,'conditions':[{'type':'Progressing','status':'False',"
                + "'reason':'ProgressDeadlineExceeded'}]}"))).isEqualTo(
                "deployment \"web\" exceeded its progress deadline");
        assertThat(DeploymentAssert.rolloutStatus(deployment(3, 3, "{'replicas':3,'updatedReplicas':3,"
                + "'availableReplicas':3}"))).isNull();
    }

    @Test
    void podsByLabelAreCountedAndCheckedForReadiness(DrydockCluster cluster, @TestNamespace String ns) {
        Workloads.deployment(cluster, ns, "web", 3);

        assertThat(cluster).pods("app=web").eventually().hasSize(3).allReady().hasReadyCount(3);
        assertThat(cluster).pods("app=nothing").isEmpty();
        assertThatThrownBy(() -> assertThat(cluster).pods("app=web").hasSize(2))
                .isInstanceOf(AssertionError.class)
                .hasMessageMatching("(?s)pods in " + ns + " with labels app=web: expected 2 but saw 3: "
                        + "\\[web-\\S+ \\(Running, Ready=True, node=node-\\d\\), .*\\]");

        Workloads.unschedulablePod(cluster, ns, "big", "web");
        assertThat(cluster).pods("app=web").hasSize(4).hasReadyCount(3);
        assertThatThrownBy(() -> assertThat(cluster).pods("app=web").allReady())
                .hasMessageStartingWith("pods in " + ns + " with labels app=web: expected all Ready but 1 of 4 are not")
                .hasMessageContaining("big (Pending, Ready=-, node=-)");
        assertThatThrownBy(() -> assertThat(cluster).pods("app=nothing").allReady())
                .hasMessage("pods in " + ns + " with labels app=nothing: expected all Ready but there are none: []");
    }

    @Test
    void aPodIsCheckedByName(DrydockCluster cluster, @TestNamespace String ns) {
        Workloads.unschedulablePod(cluster, ns, "big", "big");

        assertThat(cluster).pod("big").exists().isNotReady().hasPhase("Pending");
        assertThatThrownBy(() -> assertThat(cluster).pod("big").isReady())
                .isInstanceOf(AssertionError.class)
                .hasMessage("expected pod " + ns + "/big to be Ready, but saw big (Pending, Ready=-, node=-)");
        assertThatThrownBy(() -> assertThat(cluster).pod("big").isOnNode("node-1"))
                .hasMessage("expected pod " + ns + "/big to be on node node-1, but saw big (Pending, Ready=-, node=-)");
        assertThatThrownBy(() -> assertThat(cluster).pod("small").hasPhase("Running"))
                .hasMessage("expected pod " + ns + "/small to exist, but it does not");
        assertThat(cluster).pod("small").doesNotExist();
    }

    @Test
    void aNodeIsCheckedForReadinessAndTaints(DrydockCluster cluster) {
        assertThat(cluster).node("node-1").exists().isReady().doesNotHaveTaint(UNREACHABLE);

        assertThatThrownBy(() -> assertThat(cluster).node("node-1").isNotReady())
                .isInstanceOf(AssertionError.class)
                .hasMessage("expected node node-1 not to be Ready, but saw node-1 (Ready=True KubeletReady)");
        assertThatThrownBy(() -> assertThat(cluster).node("node-1").hasTaint(UNREACHABLE, "NoExecute"))
                .hasMessage("expected node node-1 to have a taint " + UNREACHABLE
                        + ":NoExecute, but saw node-1 (Ready=True KubeletReady)");
        assertThatThrownBy(() -> assertThat(cluster).node("node-9").isReady())
                .hasMessage("expected node node-9 to exist, but it does not");
    }

    @Test
    void eventsAreFoundByReasonAndMessageForAnObject(DrydockCluster cluster, @TestNamespace String ns) {
        Workloads.unschedulablePod(cluster, ns, "big", "big");

        assertThat(cluster).events().eventually().containsReason("FailedScheduling");
        assertThat(cluster).events().about("Pod", "big").eventually()
                .contains("FailedScheduling", "Insufficient cpu").containsMessage("nodes are available")
                .doesNotContainReason("Scheduled");
        assertThat(cluster).events().about("Node", "node-1").eventually().containsReason("RegisteredNode");

        assertThatThrownBy(() -> assertThat(cluster).events().about("Pod", "big").containsReason("Scheduled"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("events about Pod big: expected one with reason Scheduled, but saw\n"
                        + "  Warning FailedScheduling Pod/big: 0/3 nodes are available");
        assertThatThrownBy(() -> assertThat(cluster).events().about("Pod", "small").containsMessage("anything"))
                .hasMessage("events about Pod small: expected one whose message contains \"anything\", but saw none");
        assertThatThrownBy(() -> assertThat(cluster).events().doesNotContainReason("FailedScheduling"))
                .hasMessageStartingWith("events in " + ns + ": expected none with reason FailedScheduling, but saw\n");
    }

    @Test
    void aWaitThatRunsOutFailsWithTheLastFailureAndTheRecentTimeline(DrydockCluster cluster,
                                                                     @TestNamespace String ns) {
        Workloads.deployment(cluster, ns, "web", 1);

        assertThatThrownBy(() -> assertThat(cluster).deployment("web").within(Duration.ofMillis(300))
                .hasAvailableReplicas(2))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("deployment " + ns + "/web: expected 2 available replicas but saw ")
                .hasMessageMatching("(?s).*\\)\n\\(still so after waiting 300 ms\\)\n"
                        + "timeline \\(last \\d+ of \\d+ entries\\):\n(  \\S+Z  [a-z]+  .*\n)+");
        assertThat(cluster.timeline().entries()).as("what the message shows the last of").isNotEmpty();
        assertThatThrownBy(() -> assertThat(cluster).within(Duration.ofMillis(200)).pod("nowhere").exists())
                .hasMessageStartingWith("expected pod " + ns + "/nowhere to exist, but it does not\n"
                        + "(still so after waiting 200 ms)\ntimeline");
        assertThatThrownBy(() -> assertThat(cluster).deployment("web").within(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a wait must be positive, not PT0S");
    }

    private static ObjectNode deployment(long generation, long observed, String status) {
        ObjectNode d = (ObjectNode) Json.parseTrusted(("{'metadata':{'name':'web','generation':" + generation
                + "},'spec':{'replicas':3},'status':" + status + "}").replace('\'', '"').getBytes());
        Json.with(d, "status").put("observedGeneration", observed);
        return d;
    }
}

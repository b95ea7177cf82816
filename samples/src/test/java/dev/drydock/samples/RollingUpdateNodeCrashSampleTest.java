package dev.drydock.samples;

import static dev.drydock.junit.assertions.DrydockAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.chaos.ApiFault;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import dev.drydock.runtime.UnknownImages;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What a user writes to check that a rollout keeps an app available when a node dies in the middle of it: a
 * Deployment of 6 replicas rolls to a new image with {@code maxSurge: 1, maxUnavailable: 1}; as soon as the first new
 * pod runs, its node crashes. An invariant checked all through the rollout says the app never has fewer than 3
 * available replicas, and the rollout completes on the nodes that are left.
 *
 * <p><b>Where the figure 3 comes from.</b> {@code maxUnavailable} bounds what the rollout itself takes down: the
 * Deployment controller keeps {@code replicas - maxUnavailable} = 5 available, as far as it knows. A crash is an
 * involuntary disruption that no Kubernetes setting prevents (a PodDisruptionBudget limits evictions, such as a
 * drain's, and neither rollouts nor crashes): it takes every pod of the node at once, and the controller learns of it
 * only when the node lifecycle controller marks the node's pods not ready, after the node monitor grace period (1 s
 * here, 40 s in kube). So the floor is {@code replicas - maxUnavailable - (pods one node can hold)}: each pod asks for
 * 1 CPU of a node's 2, so a node holds at most 2, and 6 - 1 - 2 = 3. This is the figure to give a PodDisruptionBudget
 * ({@code minAvailable: 3}) for the same app; spreading the pods is what makes it true.
 *
 * <p>The invariant counts the replicas two ways: as the Deployment's status reports them (what {@code kubectl} and
 * an HPA see, late by the grace period after a crash), and as the pods that really serve: ready, not being deleted,
 * and not on the crashed node.
 */
// the app's images (registry.example/web) are in no registry here: the fake runtime runs them as sleepers
@Cluster(nodes = 4, nodeCpu = "2", unknownImages = UnknownImages.SLEEP)
class RollingUpdateNodeCrashSampleTest {

    private static final int REPLICAS = 6;
    private static final int MAX_UNAVAILABLE = 1;
    private static final int PODS_PER_NODE = 2; // 2 CPUs a node, 1 CPU a pod
    private static final int MIN_AVAILABLE = REPLICAS - MAX_UNAVAILABLE - PODS_PER_NODE;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aRolloutKeepsMinAvailableThroughANodeCrashAndCompletesOnTheNodesLeft(DrydockCluster cluster,
                                                                             KubernetesClient k8s) throws Exception {
        k8s.apps().deployments().resource(web("registry.example/web:1")).create();
        assertThat(cluster).deployment("web").within(PATIENCE).hasAvailableReplicas(REPLICAS);

        // drydock's fake containers start at once, and a rollout of 6 takes some milliseconds. A real app takes a
        // while to start: holding the kubelets' pod status writes 200 ms makes each pod report that it runs that much
        // later, so the rollout lasts a second or two and the crash lands in its middle.
        ApiFault slowStarts = cluster.apiFaults().all().verbs("update", "patch").resources("pods/status")
                .delay(Duration.ofMillis(200));

        // The crash comes the moment the first pod of the new version runs: its node goes down with it.
        CompletableFuture<String> crashed = new CompletableFuture<>();
        AtomicLong oldPodsAtTheCrash = new AtomicLong();
        AtomicLong fewestServing = new AtomicLong(REPLICAS);
        try (slowStarts; Watch crashOnFirstNewPod = k8s.pods().withLabel("app", "web").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (!crashed.isDone() && pod.getSpec().getContainers().get(0).getImage().endsWith(":2")
                        && "Running".equals(pod.getStatus().getPhase())) {
                    String node = pod.getSpec().getNodeName();
                    oldPodsAtTheCrash.set(k8s.pods().withLabel("app", "web").list().getItems().stream()
                            .filter(p -> p.getSpec().getContainers().get(0).getImage().endsWith(":1"))
                            .filter(p -> p.getMetadata().getDeletionTimestamp() == null).count());
                    cluster.node(node).crash();
                    crashed.complete(node);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                crashed.completeExceptionally(cause);
            }
        })) {
            assertThat(cluster)
                    .alwaysSatisfies("web keeps " + MIN_AVAILABLE + " replicas available", c -> {
                        assertThat(c).deployment("web").hasAvailableReplicasAtLeast(MIN_AVAILABLE);
                        long serving = servingPods(k8s, crashed.getNow(null));
                        fewestServing.accumulateAndGet(serving, Math::min);
                        assertThat(serving).as("web's pods that serve").isGreaterThanOrEqualTo(MIN_AVAILABLE);
                    })
                    .during(() -> {
                        k8s.apps().deployments().withName("web").edit(d -> new DeploymentBuilder(d).editSpec()
                                .editTemplate().editSpec().editFirstContainer().withImage("registry.example/web:2")
                                .endContainer().endSpec().endTemplate().endSpec().build());
                        String node = crashed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                        assertThat(oldPodsAtTheCrash.get()).as("pods of the old version when the crash came")
                                .isPositive();
                        assertThat(cluster).node(node).within(PATIENCE).isNotReady();
                        // The rollout goes on, and completes on the three nodes left. (kubectl may call it complete
                        // a moment earlier, while the crashed node's pods still count as ready: wait for them to go.)
                        await().atMost(PATIENCE).untilAsserted(() -> {
                            assertThat(cluster).deployment("web").isRolledOut().hasAvailableReplicas(REPLICAS);
                            assertThat(webPods(k8s)).as("web's pods, but those being deleted").hasSize(REPLICAS)
                                    .allSatisfy(p -> assertThat(p).startsWith("registry.example/web:2 on node-")
                                            .doesNotContain(" on " + node + " ").endsWith(" Ready"));
                        });
                    });
        }
        // the crash did take replicas away for a while: the invariant was tested, not idle
        assertThat(fewestServing.get()).as("the fewest pods that served").isLessThan(REPLICAS);
    }

    /** Each web pod not being deleted, as {@code "<image> on <node> Ready"} (or {@code NotReady}). */
    private static List<String> webPods(KubernetesClient k8s) {
        return k8s.pods().withLabel("app", "web").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> p.getSpec().getContainers().get(0).getImage() + " on " + p.getSpec().getNodeName()
                        + (isReady(p) ? " Ready" : " NotReady"))
                .toList();
    }

    private static boolean isReady(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    /** The web pods that serve: ready, not being deleted, and not on the crashed node (null: none crashed yet). */
    private static long servingPods(KubernetesClient k8s, String crashedNode) {
        return k8s.pods().withLabel("app", "web").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> !java.util.Objects.equals(p.getSpec().getNodeName(), crashedNode))
                .filter(RollingUpdateNodeCrashSampleTest::isReady)
                .count();
    }

    private static Deployment web(String image) {
        return new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(REPLICAS)
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(MAX_UNAVAILABLE))
                .endRollingUpdate().endStrategy()
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage(image)
                .withNewResources().addToRequests("cpu", new Quantity("1")).endResources()
                .endContainer().endSpec().endTemplate()
                .endSpec().build();
    }
}

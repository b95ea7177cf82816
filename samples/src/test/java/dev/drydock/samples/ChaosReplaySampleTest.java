package dev.drydock.samples;

import static dev.drydock.junit.assertions.DrydockAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.chaos.Chaos;
import dev.drydock.chaos.ChaosSchedule;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import dev.drydock.runtime.UnknownImages;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a user writes to replay chaos: a Deployment runs while a chaos schedule partitions (isolates) and crashes
 * random nodes, each fault and its target drawn from the cluster's seed. Run again on a cluster with the same seed,
 * the schedule is the same (the same faults, in the same order, on the same nodes); with another seed it is another.
 *
 * <p>This is what makes a failure under chaos worth having: a failing test prints its seed and the line that reruns
 * it, {@code @Cluster(seed = ...)}, and the rerun meets the same faults. What a seed fixes is the schedule, not the
 * machine's timing: the cluster's components may react a few milliseconds apart from one run to the next, and a
 * schedule's faults end at their time or, at the latest, before its next pick, so a slow machine changes when things
 * happen but not what.
 */
// the app's image (registry.example/web) is in no registry here: the fake runtime runs it as a sleeper
@Cluster(nodes = 3, seed = 42, unknownImages = UnknownImages.SLEEP)
class ChaosReplaySampleTest {

    private static final int PICKS = 5;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void theSameSeedReplaysTheSameFaultScheduleAndAnotherSeedDrawsAnother(DrydockCluster cluster) throws Exception {
        List<String> schedule = webUnderChaos(cluster);
        assertThat(schedule).as("the faults of seed 42, in order")
                .filteredOn(f -> f.contains(" pick ")).hasSize(PICKS);

        // The rerun a failure message suggests: a cluster with the same seed (here started by hand, beside this one).
        try (DrydockCluster replay = DrydockCluster.start(ClusterSpec.create().nodes(3).seed(cluster.seed())
                .unknownImages(UnknownImages.SLEEP))) {
            assertThat(webUnderChaos(replay)).as("the faults of seed 42 again").isEqualTo(schedule);
        }
        try (DrydockCluster other = DrydockCluster.start(ClusterSpec.create().nodes(3).seed(cluster.seed() + 1)
                .unknownImages(UnknownImages.SLEEP))) {
            assertThat(webUnderChaos(other)).as("the faults of seed 43").isNotEqualTo(schedule);
        }
    }

    /**
     * Runs a Deployment of 3 through a chaos schedule of {@link #PICKS} partitions or crashes of a random node, checks
     * that it recovers, and returns the faults the cluster's timeline recorded: subject and what was done, in order.
     */
    private static List<String> webUnderChaos(DrydockCluster cluster) throws Exception {
        try (KubernetesClient k8s = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(cluster.kubeconfig()))).build()) {
            k8s.apps().deployments().inNamespace("default").resource(web()).create();
            assertThat(cluster).inNamespace("default").deployment("web").within(PATIENCE).hasAvailableReplicas(3);

            // Every 300 ms, one of the faults on a node drawn from the seed, for 200 ms: shorter than kube's node
            // grace period (1 s here), so nodes blink rather than fail, and the test stays quick.
            try (ChaosSchedule chaos = cluster.chaos().every(Duration.ofMillis(300)).times(PICKS)
                    .pick(Chaos.isolateRandomNode(Duration.ofMillis(200)),
                            Chaos.crashRandomNode(Duration.ofMillis(200)))) {
                await().atMost(PATIENCE).until(chaos::isDone);
            }
            assertThat(cluster).inNamespace("default").deployment("web").within(PATIENCE).hasAvailableReplicas(3);
        }
        return cluster.timeline().entries().stream()
                .filter(e -> e.kind().equals("fault"))
                .map(e -> e.subject() + ": " + e.detail())
                .toList();
    }

    private static Deployment web() {
        return new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(3)
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("registry.example/web:1")
                .endContainer().endSpec().endTemplate()
                .endSpec().build();
    }
}

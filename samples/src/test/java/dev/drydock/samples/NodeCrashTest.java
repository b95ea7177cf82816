package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a user writes: a Deployment of busybox {@code httpd} pods, Ready by an HTTP readiness probe, survives the crash
 * of a node, through the fabric8 client, and the cluster then goes quiet. The same test runs unchanged on Docker
 * ({@link NodeCrashOnDockerTest}).
 */
@Cluster(nodes = 3)
class NodeCrashTest {

    @Test
    void deploymentReplacesPodsOfACrashedNode(DrydockCluster cluster) throws Exception {
        try (KubernetesClient k8s = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(cluster.kubeconfig()))).build()) {
            Deployment web = new DeploymentBuilder()
                    .withNewMetadata().withName("web").endMetadata()
                    .withNewSpec().withReplicas(3)
                    .withNewSelector().addToMatchLabels("app", "web").endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                    .withNewSpec().addNewContainer().withName("web").withImage("busybox:1.36")
                    .withCommand("sh", "-c", "echo ok > /www/index.html && httpd -f -p 80 -h /www")
                    .addNewPort().withContainerPort(80).endPort()
                    .addNewVolumeMount().withName("www").withMountPath("/www").endVolumeMount()
                    .withNewReadinessProbe().withNewHttpGet().withPath("/").withNewPort(80).endHttpGet()
                    .withPeriodSeconds(1).endReadinessProbe()
                    .endContainer()
                    .addNewVolume().withName("www").withNewEmptyDir().endEmptyDir().endVolume()
                    .endSpec().endTemplate()
                    .endSpec().build();
            k8s.apps().deployments().inNamespace("default").resource(web).create();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(nodesOfRunningPods(k8s)).hasSize(3).doesNotHaveDuplicates());
            String victim = nodesOfRunningPods(k8s).get(0);

            cluster.node(victim).crash();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<String> nodes = nodesOfRunningPods(k8s);
                assertThat(nodes).hasSize(3).doesNotContain(victim);
            });
            // Recovered, the cluster settles: nothing but heartbeats is written (a controller in a loop fails here).
            cluster.awaitQuiet(Duration.ofSeconds(2), Duration.ofSeconds(30));
        }
    }

    /** The nodes of the web pods that are Running, Ready (their probe answered) and not being deleted. */
    private static List<String> nodesOfRunningPods(KubernetesClient k8s) {
        return k8s.pods().inNamespace("default").withLabel("app", "web").list().getItems().stream()
                .filter(p -> "Running".equals(p.getStatus().getPhase()))
                .filter(p -> p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> p.getSpec().getNodeName())
                .sorted()
                .collect(Collectors.toList());
    }
}

package dev.drydock.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Nothing drydock makes in the engine outlives it: a crashed node's containers go at once, a closed cluster leaves
 * nothing, and what a killed JVM left behind is removed by the next cluster on the host.
 */
class DockerCleanupTest extends DockerTestSupport {




    @Test
    void whatAKilledJvmLeftIsRemovedByTheNextClusterOnTheHost() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String deadOwner = InetAddress.getLocalHost().getHostName() + ":" + gone.pid();
        Map<String, String> labels = Map.of(Labels.INSTANCE, "left-behind", Labels.CLUSTER, "killed",
                Labels.OWNER, deadOwner);
        String network = docker.createNetworkCmd().withName("drydock-left-behind-" + gone.pid())
                .withLabels(labels).exec().getId();
        String container = docker.createContainerCmd(DockerTests.BUSYBOX).withCmd("sleep", "3600")
                .withLabels(labels).exec().getId();

        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().runtime("docker").nodes(1))) {
            assertThatThrownBy(() -> docker.inspectContainerCmd(container).exec())
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> docker.inspectNetworkCmd().withNetworkId(network).exec())
                    .isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void aCrashedNodesContainersGoAtOnceAndTheDeploymentReplacesItsPodsElsewhere() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().runtime("docker").nodes(2))) {
            KubeClient client = cluster.client();
            client.create(Resource.DEPLOYMENTS, "default", deployment("web", 2));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> runningNodes(client).size() == 2);
            String victim = runningNodes(client).get(0);

            cluster.node(victim).crash();

            assertThat(docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(Labels.NODE, victim, Labels.CLUSTER, cluster.name())).exec()).isEmpty();
            Awaitility.await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(runningNodes(client)).hasSize(2).doesNotContain(victim));
        }
        assertThat(DockerTests.leftovers(docker)).isEmpty();
    }

    /** The nodes of the Running pods that are not being deleted, sorted. */
    private static List<String> runningNodes(KubeClient client) {
        List<com.fasterxml.jackson.databind.JsonNode> pods = new java.util.ArrayList<>();
        client.list(Resource.PODS, "default", Map.of()).path("items").forEach(pods::add);
        return pods.stream()
                .filter(p -> "Running".equals(p.path("status").path("phase").asText()))
                .filter(p -> !Json.isDeleting(p))
                .map(p -> p.path("spec").path("nodeName").asText()).sorted().toList();
    }

    private static ObjectNode deployment(String name, int replicas) {
        ObjectNode d = Json.object().put("apiVersion", "apps/v1").put("kind", "Deployment");
        Json.with(d, "metadata").put("name", name);
        ObjectNode spec = Json.with(d, "spec").put("replicas", replicas);
        Json.with(spec, "selector", "matchLabels").put("app", name);
        Json.with(spec, "template", "metadata", "labels").put("app", name);
        ObjectNode c = Json.withArray(Json.with(spec, "template", "spec"), "containers").addObject()
                .put("name", "main").put("image", DockerTests.BUSYBOX);
        c.putArray("command").add("sleep").add("3600");
        return d;
    }
}

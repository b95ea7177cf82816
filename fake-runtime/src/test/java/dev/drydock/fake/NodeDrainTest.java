package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.chaos.Timeline;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code cordon()} and {@code drain()} of a node, as an operator does them with kubectl. */
class NodeDrainTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private DrydockCluster cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aDrainedNodeIsCordonedAndItsPodsRunElsewhere() {
        cluster = DrydockCluster.start(ClusterSpec.create().name("drain").nodes(2));
        cluster.client().create(Resource.DEPLOYMENTS, "default", Objects.deployment("web", 4, "nginx"));
        await().atMost(PATIENCE).until(() -> running("web").size() == 4);

        cluster.node("node-1").drain(PATIENCE);

        assertThat(cluster.client().get(Resource.NODES, null, "node-1").path("spec").path("unschedulable")
                .asBoolean()).isTrue();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(running("web"))
                .hasSize(4).allSatisfy(p -> assertThat(p.path("spec").path("nodeName").asText()).isEqualTo("node-2")));
        assertThat(cluster.timeline().entries()).filteredOn(e -> e.kind().equals("fault"))
                .extracting(Timeline.Entry::detail).contains("drain");

        cluster.node("node-1").uncordon();
        assertThat(cluster.client().get(Resource.NODES, null, "node-1").path("spec").has("unschedulable")).isFalse();
    }

    @Test
    void aCordonedNodeGetsNoNewPodsButKeepsItsOwn() {
        cluster = DrydockCluster.start(ClusterSpec.create().name("cordon").nodes(2));
        cluster.node("node-2").cordon();

        cluster.client().create(Resource.DEPLOYMENTS, "default", Objects.deployment("api", 3, "nginx"));

        await().atMost(PATIENCE).until(() -> running("api").size() == 3);
        assertThat(running("api")).allSatisfy(p -> assertThat(p.path("spec").path("nodeName").asText())
                .isEqualTo("node-1"));
    }

    @Test
    void aDisruptionBudgetHoldsADrainBackAndTheErrorSaysWhy() {
        cluster = DrydockCluster.start(ClusterSpec.create().name("drain-pdb").nodes(1));
        cluster.client().create(Resource.DEPLOYMENTS, "default", Objects.deployment("db", 1, "nginx"));
        ObjectNode pdb = Json.object().put("apiVersion", "policy/v1").put("kind", "PodDisruptionBudget");
        Json.with(pdb, "metadata").put("name", "db");
        Json.with(pdb, "spec").put("minAvailable", 1);
        Json.with(pdb, "spec", "selector", "matchLabels").put("app", "db");
        cluster.client().create(Resource.PODDISRUPTIONBUDGETS, "default", pdb);
        await().atMost(PATIENCE).until(() -> running("db").size() == 1 && cluster.client()
                .get(Resource.PODDISRUPTIONBUDGETS, "default", "db").path("status").path("currentHealthy").asInt() == 1);

        Throwable stuck = catchThrowable(() -> cluster.node("node-1").drain(Duration.ofSeconds(1)));

        assertThat(stuck).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("drain of node-1 did not finish")
                .hasMessageContaining("disruption budget");
        assertThat(running("db")).hasSize(1);
    }

    private List<JsonNode> running(String app) {
        return cluster.client().items(Resource.PODS, "default", "app=" + app).stream()
                .filter(p -> p.path("status").path("phase").asText().equals("Running") && !Json.isDeleting(p))
                .map(p -> (JsonNode) p).toList();
    }
}

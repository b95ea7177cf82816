package dev.drydock.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.net.NetworkException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Network faults on the API server's links, as its clients see them (a node's partition is tested with a runtime, in
 * the fake runtime's tests).
 */
class NetworkCutsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Resource CONFIGMAPS = new Resource("", "v1", "configmaps", "ConfigMap", true);
    private static DrydockCluster cluster;

    @BeforeAll
    static void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().name("cuts").apiServerOnly());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void heal() {
        cluster.networkFaults().heal();
    }

    @Test
    void aCutOfTheWayToTheApiServerLosesTheRequestAndOfTheWayBackLosesOnlyTheAnswer() {
        var operator = cluster.identity("operator").client();
        String party = cluster.identity("operator").party();

        // the way there
        try (NetworkFault there = cluster.networkFaults().cut(party, "apiserver")) {
            assertThatThrownBy(() -> operator.create(CONFIGMAPS, "default", configMap("never-arrived")))
                    .isInstanceOf(NetworkException.class);
            assertThatThrownBy(() -> cluster.client().get(CONFIGMAPS, "default", "never-arrived"))
                    .as("the request did not arrive").isInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(404));
        }

        try (NetworkFault back = cluster.networkFaults().cut("apiserver", party)) {
            assertThatThrownBy(() -> operator.create(CONFIGMAPS, "default", configMap("answer-lost")))
                    .isInstanceOf(NetworkException.class);
            assertThat(Json.name(cluster.client().get(CONFIGMAPS, "default", "answer-lost")))
                    .as("the request arrived and was served; only its answer was lost").isEqualTo("answer-lost");
        }

        assertThat(Json.name(operator.create(CONFIGMAPS, "default", configMap("healed")))).isEqualTo("healed");
    }

    @Test
    void theStoreReplicasRaftLinksHonourAnIsolationAndLatencyMadeHere() {
        await().atMost(PATIENCE).until(() -> cluster.store().leader() >= 0);
        int old = cluster.store().leader();
        String leader = cluster.store().name(old);
        String key = "/registry/core/configmaps/default/written-meanwhile";

        try (NetworkFault slow = cluster.networkFaults().delay(leader, Duration.ofMillis(5), Duration.ofMillis(5));
             NetworkFault isolated = cluster.networkFaults().isolate(leader)) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(cluster.store().leader())
                    .as("a new leader among the others").isNotIn(-1, old));
            assertThat(Json.name(cluster.client().create(CONFIGMAPS, "default", configMap("written-meanwhile"))))
                    .isEqualTo("written-meanwhile");
            assertThat(cluster.store().serializableGet(old, key)).as("the isolated replica missed it").isNull();
        }

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(cluster.store().serializableGet(old, key))
                .as("the old leader catches up once healed").isNotNull());
    }

    @Test
    void aFaultOnAPartyThatDoesNotExistNamesThePartiesThatDo() {
        cluster.identity("operator");
        assertThatThrownBy(() -> cluster.networkFaults().isolate("node-3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no network party named 'node-3'; parties are [apiserver, test, etcd-0, etcd-1, "
                        + "etcd-2, client:operator]");
        assertThat(cluster.networkFaults().active()).isEmpty();
    }

    private static ObjectNode configMap(String name) {
        ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
        Json.with(cm, "metadata").put("name", name);
        return cm;
    }

    @Test
    void anIdentityOnANodeIsCutByThatNodesPartitionAndOnlyByIt() {
        try (DrydockCluster withNodes = DrydockCluster.start(ClusterSpec.create().name("on-node").runtime("stub")
                .nodes(2))) {
            var onNode1 = withNodes.identity("candidate-a").onNode("node-1");
            var onNode2 = withNodes.identity("candidate-b").onNode("node-2");
            assertThat(onNode1.node()).isEqualTo("node-1");
            assertThat(withNodes.identity("unplaced").node()).isNull();

            try (NetworkFault f = withNodes.networkFaults().partition(Parties.nodes("node-1"),
                    Parties.controlPlane())) {
                assertThatThrownBy(() -> onNode1.client().get(Resource.NAMESPACES, null, "default"))
                        .isInstanceOf(NetworkException.class);
                assertThat(onNode2.client().get(Resource.NAMESPACES, null, "default")).isNotNull();
                assertThat(withNodes.client().get(Resource.NAMESPACES, null, "default")).as("the test's").isNotNull();
            }
            assertThat(onNode1.client().get(Resource.NAMESPACES, null, "default")).as("healed").isNotNull();

            assertThatThrownBy(() -> withNodes.identity("candidate-c").onNode("node-9"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no node named 'node-9' to run identity 'candidate-c' on; nodes are [node-1, node-2]");
        }
    }
}

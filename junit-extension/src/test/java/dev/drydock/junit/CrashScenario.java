package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A failing scenario, run only through the test kit (its name does not end in Test): two pods, one node crashes, and
 * the test insists that the node still runs.
 */
@Cluster(nodes = 2, storeReplicas = 1, seed = 4242)
class CrashScenario {

    @Test
    void crashes(DrydockCluster cluster) {
        for (int i = 1; i <= 2; i++) {
            ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
            Json.with(pod, "metadata").put("name", "web-" + i);
            Json.with(pod, "spec").put("nodeName", "node-" + i).putArray("containers").addObject()
                    .put("name", "app").put("image", "nginx");
            cluster.client().create(Resource.PODS, "default", pod);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.client().items(Resource.PODS, "default", null)
                .stream().filter(p -> "True".equals(Json.condition(p, "Ready"))).count() == 2);

        cluster.node("node-2").crash();
        await().atMost(Duration.ofSeconds(30)).until(() -> "Unknown".equals(
                Json.condition(cluster.client().get(Resource.NODES, null, "node-2"), "Ready")));

        assertThat(cluster.node("node-2").isRunning()).as("node-2 running after its crash").isTrue();
    }
}

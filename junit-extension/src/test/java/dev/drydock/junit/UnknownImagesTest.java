package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.runtime.UnknownImages;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code @Cluster(unknownImages)} reaches the cluster's fake runtime: a made-up image runs, or fails to pull. */
class UnknownImagesTest {

    @Test
    @Cluster(nodes = 1, unknownImages = UnknownImages.SLEEP)
    void sleepRunsAnUnknownImageAsASleeper(DrydockCluster cluster) {
        cluster.client().create(Resource.PODS, "default", pod("made-up", "registry.example/web:2"));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "Running".equals(Json.text(
                cluster.client().get(Resource.PODS, "default", "made-up"), "status", "phase")));
    }

    @Test
    @Cluster(nodes = 1)
    void byDefaultAnUnknownImageFailsToPullAsKubernetesWould(DrydockCluster cluster) {
        cluster.client().create(Resource.PODS, "default", pod("made-up", "registry.example/web:2"));

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster.client()
                .get(Resource.PODS, "default", "made-up").path("status").path("containerStatuses").path(0)
                .path("state").path("waiting").path("reason").asText()).isIn("ErrImagePull", "ImagePullBackOff"));
    }

    private static ObjectNode pod(String name, String image) {
        ObjectNode p = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(p, "metadata").put("name", name);
        Json.withArray(Json.with(p, "spec"), "containers").addObject().put("name", "main").put("image", image);
        return p;
    }
}

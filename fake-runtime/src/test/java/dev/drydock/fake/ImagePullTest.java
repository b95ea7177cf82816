package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.runtime.UnknownImages;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * Which images exist for the fake runtime: built-in and registered ones always, unknown ones as the cluster chose
 * ({@link UnknownImages}), and none that a test marked missing; a slow pull holds its own pod only.
 */
class ImagePullTest {

    @Test
    void failToPullFailsAnUnknownImageAndStillRunsBuiltInAndRegisteredOnes() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().nodes(1)
                .unknownImages(UnknownImages.FAIL_TO_PULL));
             FakeImages.Registration r = FakeImages.register("imagepulltest/known", new ImageBehaviour() { })) {
            KubeClient client = cluster.client();
            client.create(Resource.PODS, "default", pod("unknown", "registry.example/web:2"));
            client.create(Resource.PODS, "default", pod("builtin", "busybox:1.36"));
            client.create(Resource.PODS, "default", pod("registered", "imagepulltest/known:1"));

            eventually().untilAsserted(() -> assertThat(waiting(client, "unknown").path("reason").asText())
                    .isIn("ErrImagePull", "ImagePullBackOff"));
            assertThat(waiting(client, "unknown").path("message").asText()).contains(
                    "failed to resolve reference \"registry.example/web:2\": registry.example/web:2: not found");
            eventually().until(() -> phase(client, "builtin").equals("Running")
                    && phase(client, "registered").equals("Running"));
            eventually().untilAsserted(() -> assertThat(waiting(client, "unknown").path("reason").asText())
                    .isEqualTo("ImagePullBackOff"));
            assertThat(phase(client, "unknown")).isEqualTo("Pending");
        }
    }

    @Test
    void sleepRunsAnUnknownImageAndAMissingMarkFailsEvenABuiltInOneUntilReset() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().nodes(1)
                .unknownImages(UnknownImages.SLEEP))) {
            KubeClient client = cluster.client();
            cluster.images().missing("nginx:1.27");
            client.create(Resource.PODS, "default", pod("unknown", "registry.example/web:2"));
            client.create(Resource.PODS, "default", pod("web", "nginx:1.27"));

            eventually().until(() -> phase(client, "unknown").equals("Running"));
            eventually().untilAsserted(() -> assertThat(waiting(client, "web").path("message").asText())
                    .contains("image \"docker.io/library/nginx:1.27\"")
                    .endsWith("docker.io/library/nginx:1.27: not found"));

            cluster.images().reset("nginx:1.27");

            eventually().until(() -> phase(client, "web").equals("Running"));
        }
    }

    @Test
    void aSlowPullWaitsInContainerCreatingWhileAnotherPodOfTheNodeStartsAtOnce() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().nodes(1)
                .unknownImages(UnknownImages.SLEEP))) {
            KubeClient client = cluster.client();
            cluster.images().slowPull("imagepulltest/big", Duration.ofSeconds(3));
            client.create(Resource.PODS, "default", pod("big", "imagepulltest/big:1"));
            eventually().untilAsserted(() -> assertThat(waiting(client, "big").path("reason").asText())
                    .isEqualTo("ContainerCreating"));

            client.create(Resource.PODS, "default", pod("small", "busybox"));

            eventually().until(() -> phase(client, "small").equals("Running"));
            assertThat(waiting(client, "big").path("reason").asText()).isEqualTo("ContainerCreating");
            eventually().until(() -> phase(client, "big").equals("Running"));
        }
    }

    @Test
    void badImageRegistryInputIsRefusedSayingWhatIsExpected() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().apiServerOnly())) {
            assertThatThrownBy(() -> cluster.images().missing(" ")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("an image name is needed");
            assertThatThrownBy(() -> cluster.images().slowPull("a", Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be null or negative");
        }
        assertThatThrownBy(() -> ClusterSpec.create().unknownImages(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[SLEEP, FAIL_TO_PULL]");
    }

    // ---- helpers

    private static ObjectNode pod(String name, String image) {
        ObjectNode p = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(p, "metadata").put("name", name);
        Json.withArray(Json.with(p, "spec"), "containers").addObject().put("name", "main").put("image", image);
        return p;
    }

    private static JsonNode waiting(KubeClient client, String pod) {
        return client.get(Resource.PODS, "default", pod).path("status").path("containerStatuses").path(0)
                .path("state").path("waiting");
    }

    private static String phase(KubeClient client, String pod) {
        return client.get(Resource.PODS, "default", pod).path("status").path("phase").asText();
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20));
    }

}

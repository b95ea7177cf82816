package dev.drydock.fake;

import static dev.drydock.fake.Objects.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.runtime.ClusterHttp;
import dev.drydock.runtime.ImageRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Behaviours registered on a cluster are that cluster's: two clusters in one JVM each run their own. */
class ClusterImagesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static ImageBehaviour saying(String text) {
        return new ImageBehaviour() {
            @Override
            public PortHandler port(int port, PodContext pod) {
                return port == 80 ? PortHandlers.http(r -> CompletableFuture.completedFuture(
                        ClusterHttp.Response.text(200, text))) : null;
            }
        };
    }

    @Test
    void twoClustersRunTheirOwnBehaviourOfTheSameImage() {
        try (DrydockCluster a = DrydockCluster.start(ClusterSpec.create().name("images-a"));
             DrydockCluster b = DrydockCluster.start(ClusterSpec.create().name("images-b"))) {
            a.images().register("shop/cart:1", saying("cart of a"));
            b.images().register("shop/cart", saying("cart of b")); // the repository: every tag
            for (DrydockCluster c : new DrydockCluster[] {a, b}) {
                c.client().create(Resource.DEPLOYMENTS, "default", deployment("cart", 1, "shop/cart:1"));
                c.client().create(Resource.SERVICES, "default", EndpointsClusterTest.service("cart", "cart", 80, 80));
            }

            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                assertThat(a.http().get("http://cart/").bodyText()).isEqualTo("cart of a");
                assertThat(b.http().get("http://cart/").bodyText()).isEqualTo("cart of b");
            });
        }
    }

    @Test
    void aClosedRegistrationLeavesTheImageUnknownToNewPulls() {
        try (DrydockCluster c = DrydockCluster.start(ClusterSpec.create())) {
            ImageRegistry.Registration r = c.images().register("shop/gone:1", saying("here"));
            r.close();
            c.client().create(Resource.DEPLOYMENTS, "default", deployment("gone", 1, "shop/gone:1"));

            await().atMost(WAIT).untilAsserted(() -> assertThat(c.client().items(Resource.PODS, "default", "app=gone"))
                    .singleElement().satisfies(p -> assertThat(p.path("status").path("containerStatuses").path(0)
                            .path("state").path("waiting").path("reason").asText())
                            .isIn("ErrImagePull", "ImagePullBackOff")));
            assertThat(Json.name(c.client().items(Resource.PODS, "default", "app=gone").get(0))).startsWith("gone-");
        }
    }

    @Test
    void aBlankNameOrNullBehaviourIsRefused() {
        ImageRegistry registry = new ImageRegistry();
        assertThatThrownBy(() -> registry.register(" ", saying("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("image name");
        assertThatThrownBy(() -> registry.register("shop/x", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("behaviour must not be null");
    }
}

package dev.drydock.fake;

import static dev.drydock.fake.Objects.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.cluster.LoopbackPort;
import dev.drydock.kube.Resource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A Service exposed on a real loopback port answers a client outside drydock (here the JDK's HTTP client). */
class LoopbackPortTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aServiceExposedOnALoopbackPortAnswersTheJdksHttpClient() throws Exception {
        LoopbackPort web;
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().name("loopback"))) {
            cluster.client().create(Resource.DEPLOYMENTS, "default", deployment("web", 1, "nginx:1.27"));
            cluster.client().create(Resource.SERVICES, "default", EndpointsClusterTest.service("web", "web", 80,
                    null));
            web = cluster.exposeService("default", "web", 80);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest get = HttpRequest.newBuilder(URI.create(web.url() + "/")).timeout(Duration.ofSeconds(5))
                    .build();

            HttpResponse<String> r = await().atMost(WAIT).ignoreExceptions()
                    .until(() -> http.send(get, HttpResponse.BodyHandlers.ofString()), resp -> resp.statusCode() == 200);
            assertThat(r.body()).contains("Welcome to nginx!");
            for (int i = 0; i < 5; i++) {
                assertThat(http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
            assertThatThrownBy(() -> cluster.exposeService("default", "nope", 80))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no Service default/nope").hasMessageContaining("web");
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("drydock-loopback-")
                && t.isAlive());
        int port = web.port();
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close())
                .isInstanceOf(java.net.ConnectException.class);
    }
}

package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.runtime.ClusterHttp;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Readiness drives traffic, as on Kubernetes: a pod whose readiness probe fails leaves its Service's ready
 * endpoints, and calls to the Service stop reaching it until its probe passes again; it keeps running meanwhile.
 */
class ReadinessTrafficTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aPodFailingItsReadinessProbeLeavesTheEndpointsAndTheTrafficThenComesBack() {
        Map<String, Boolean> healthy = new ConcurrentHashMap<>();
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().nodes(2))) {
            cluster.images().register("readiness-test/web:1", new ImageBehaviour() {
                @Override
                public PortHandler port(int port, PodContext pod) {
                    return port != 8080 ? null : PortHandlers.http(request -> CompletableFuture.completedFuture(
                            request.path().equals("/healthz")
                                    ? ClusterHttp.Response.text(healthy.getOrDefault(pod.hostname(), true) ? 200 : 503,
                                    "health")
                                    : ClusterHttp.Response.text(200, pod.hostname())));
                }
            });
            KubeClient k = cluster.client();
            for (String name : List.of("web-a", "web-b")) {
                k.create(Resource.PODS, "default", pod(name));
            }
            k.create(Resource.SERVICES, "default", EndpointsClusterTest.service("web", "web", 80, 8080));
            await().atMost(WAIT).untilAsserted(() -> assertThat(readyAddresses(k)).as("%s\n%s",
                    k.find(EndpointsClusterTest.ENDPOINTS, "default", "web"),
                    k.get(Resource.PODS, "default", "web-a").path("status")).hasSize(2));
            assertThat(answerers(cluster)).containsExactlyInAnyOrder("web-a", "web-b");

            healthy.put("web-a", false);

            await().atMost(WAIT).until(() -> readyAddresses(k).size() == 1);
            assertThat(Objects.condition(k.get(Resource.PODS, "default", "web-a"), "Ready")).isEqualTo("False");
            assertThat(Json.text(k.get(Resource.PODS, "default", "web-a"), "status", "phase")).isEqualTo("Running");
            assertThat(answerers(cluster)).containsExactly("web-b");

            healthy.put("web-a", true);

            await().atMost(WAIT).until(() -> readyAddresses(k).size() == 2);
            assertThat(answerers(cluster)).containsExactlyInAnyOrder("web-a", "web-b");
        }
    }

    /** Who answered 60 calls to the Service (spread at random over its ready endpoints). */
    private static Set<String> answerers(DrydockCluster cluster) {
        Set<String> who = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            who.add(cluster.http().get("http://web.default.svc.cluster.local/").bodyText());
        }
        return who;
    }

    private static List<String> readyAddresses(KubeClient k) {
        ObjectNode endpoints = k.find(EndpointsClusterTest.ENDPOINTS, "default", "web");
        List<String> ips = new java.util.ArrayList<>();
        if (endpoints != null) {
            for (JsonNode s : endpoints.path("subsets")) {
                s.path("addresses").forEach(a -> ips.add(a.path("ip").asText()));
            }
        }
        return ips;
    }

    private static ObjectNode pod(String name) {
        ObjectNode p = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(p, "metadata").put("name", name).putObject("labels").put("app", "web");
        ObjectNode c = Json.withArray(Json.with(p, "spec"), "containers").addObject().put("name", "main")
                .put("image", "readiness-test/web:1");
        c.putArray("ports").addObject().put("containerPort", 8080);
        ObjectNode probe = c.putObject("readinessProbe").put("periodSeconds", 1).put("failureThreshold", 1);
        Json.with(probe, "httpGet").put("path", "/healthz").put("port", 8080);
        return p;
    }
}

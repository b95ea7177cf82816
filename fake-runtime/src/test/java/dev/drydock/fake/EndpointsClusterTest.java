package dev.drydock.fake;

import static dev.drydock.fake.Objects.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Endpoints and EndpointSlice controllers in a running cluster: pods in and out of a Service. */
class EndpointsClusterTest {

    static final Resource ENDPOINTS = new Resource("", "v1", "endpoints", "Endpoints", true);
    static final Resource SLICES = new Resource("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static DrydockCluster cluster;
    private static KubeClient k;

    @BeforeAll
    static void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().nodes(2));
        k = cluster.client();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static ObjectNode service(String name, String app, int port, Object targetPort) {
        ObjectNode svc = Json.object().put("apiVersion", "v1").put("kind", "Service");
        Json.with(svc, "metadata").put("name", name);
        ObjectNode spec = Json.with(svc, "spec");
        if (app != null) {
            Json.with(spec, "selector").put("app", app);
        }
        ObjectNode p = spec.putArray("ports").addObject().put("name", "http").put("port", port);
        if (targetPort instanceof Integer i) {
            p.put("targetPort", i);
        } else if (targetPort != null) {
            p.put("targetPort", targetPort.toString());
        }
        return svc;
    }

    private static List<String> ips(JsonNode endpoints, String list) {
        List<String> ips = new ArrayList<>();
        for (JsonNode s : endpoints.path("subsets")) {
            for (JsonNode a : s.path(list)) {
                ips.add(a.path("ip").asText());
            }
        }
        return ips;
    }

    private static List<ObjectNode> slices(String service) {
        return k.items(SLICES, "default", "kubernetes.io/service-name=" + service);
    }

    @Test
    void aServicesEndpointsAndSlicesFollowItsPods() {
        k.create(Resource.DEPLOYMENTS, "default", deployment("web", 2, "nginx:1.27"));
        k.create(Resource.SERVICES, "default", service("web", "web", 80, null));

        await().atMost(WAIT).untilAsserted(() -> {
            List<String> podIps = k.items(Resource.PODS, "default", "app=web").stream()
                    .filter(p -> "True".equals(Json.condition(p, "Ready")))
                    .map(p -> Json.text(p, "status", "podIP")).toList();
            assertThat(podIps).hasSize(2);
            ObjectNode ep = k.find(ENDPOINTS, "default", "web");
            assertThat(ep).isNotNull();
            assertThat(ips(ep, "addresses")).containsExactlyInAnyOrderElementsOf(podIps);
            assertThat(ep.path("subsets").get(0).path("ports").get(0).path("port").asInt()).isEqualTo(80);
            assertThat(ep.path("metadata").path("annotations").has("endpoints.kubernetes.io/last-change-trigger-time"))
                    .isTrue();
            List<ObjectNode> slices = slices("web");
            assertThat(slices).hasSize(1);
            ObjectNode slice = slices.get(0);
            assertThat(slice.path("addressType").asText()).isEqualTo("IPv4");
            assertThat(slice.path("endpoints").findValuesAsText("ip")).isEmpty();
            List<String> sliceIps = new ArrayList<>();
            slice.path("endpoints").forEach(e -> sliceIps.add(e.path("addresses").get(0).asText()));
            assertThat(sliceIps).containsExactlyInAnyOrderElementsOf(podIps);
            assertThat(Json.text(slice, "metadata", "labels", "endpointslice.kubernetes.io/managed-by"))
                    .isEqualTo("endpointslice-controller.k8s.io");
            assertThat(slice.path("metadata").path("ownerReferences").get(0).path("kind").asText())
                    .isEqualTo("Service");
        });

        // A pod deleted leaves; its replacement comes in.
        ObjectNode victim = k.items(Resource.PODS, "default", "app=web").get(0);
        String victimIp = Json.text(victim, "status", "podIP");
        k.delete(Resource.PODS, "default", Json.name(victim));
        await().atMost(WAIT).untilAsserted(() -> {
            ObjectNode ep = k.get(ENDPOINTS, "default", "web");
            assertThat(ips(ep, "addresses")).hasSize(2).doesNotContain(victimIp);
            List<String> sliceIps = new ArrayList<>();
            slices("web").get(0).path("endpoints").forEach(e -> sliceIps.add(e.path("addresses").get(0).asText()));
            assertThat(sliceIps).hasSize(2).doesNotContain(victimIp);
        });

        // The Service deleted takes its Endpoints and (through the garbage collector) its slices.
        k.delete(Resource.SERVICES, "default", "web");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(k.find(ENDPOINTS, "default", "web")).isNull();
            assertThat(slices("web")).isEmpty();
        });
        k.delete(Resource.DEPLOYMENTS, "default", "web");
    }

    @Test
    void aServiceWithoutSelectorKeepsTheUsersEndpoints() {
        k.create(Resource.SERVICES, "default", service("external", null, 80, null));
        ObjectNode ep = Json.object().put("apiVersion", "v1").put("kind", "Endpoints");
        Json.with(ep, "metadata").put("name", "external");
        ObjectNode subset = ep.putArray("subsets").addObject();
        subset.putArray("addresses").addObject().put("ip", "10.1.2.3");
        subset.putArray("ports").addObject().put("name", "http").put("port", 80);
        k.create(ENDPOINTS, "default", ep);

        await().during(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(() -> {
            assertThat(ips(k.get(ENDPOINTS, "default", "external"), "addresses")).containsExactly("10.1.2.3");
            assertThat(slices("external")).isEmpty();
        });
    }

    @Test
    void aNamedTargetPortIsResolvedFromThePodsContainerPorts() {
        ObjectNode d = deployment("named", 1, "nginx:1.27");
        ((ObjectNode) d.path("spec").path("template").path("spec").path("containers").get(0)).putArray("ports")
                .addObject().put("name", "web").put("containerPort", 80);
        k.create(Resource.DEPLOYMENTS, "default", d);
        k.create(Resource.SERVICES, "default", service("named", "named", 8080, "web"));
        k.create(Resource.SERVICES, "default", service("unnamed", "named", 8080, "nope"));

        await().atMost(WAIT).untilAsserted(() -> {
            ObjectNode ep = k.get(ENDPOINTS, "default", "named");
            assertThat(ips(ep, "addresses")).hasSize(1);
            assertThat(ep.path("subsets").get(0).path("ports").get(0).path("port").asInt()).isEqualTo(80);
            assertThat(slices("named").get(0).path("ports").get(0).path("port").asInt()).isEqualTo(80);
            assertThat(k.get(ENDPOINTS, "default", "unnamed").path("subsets")).isEmpty();
        });
    }
}

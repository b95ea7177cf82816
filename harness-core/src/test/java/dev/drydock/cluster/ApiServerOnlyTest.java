package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link ClusterSpec#apiServerOnly()}: the API server and its store alone, as envtest starts them. */
class ApiServerOnlyTest {

    @Test
    void anApiServerAloneStoresAndServesObjectsButNothingActsOnThem() throws Exception {
        // harness-core's tests have no runtime on the class path: an API server alone needs none.
        try (DrydockCluster api = DrydockCluster.start(ClusterSpec.create().name("apionly").apiServerOnly())) {
            KubeClient client = api.client();
            client.create(Resource.DEPLOYMENTS, "default", deployment("web"));
            client.create(Resource.PODS, "default", pod("lone"));

            // Controllers or a scheduler would write within this window (a ReplicaSet, pods, a binding).
            api.awaitQuiet(Duration.ofMillis(500), Duration.ofSeconds(30));

            assertThat(client.items(Resource.REPLICASETS, "default", null)).isEmpty();
            assertThat(client.items(Resource.PODS, "default", null)).extracting(Json::name).containsExactly("lone");
            assertThat(Json.text(client.get(Resource.PODS, "default", "lone"), "spec", "nodeName")).isNull();
            assertThat(client.items(Resource.NODES, null, null)).isEmpty();
            assertThat(api.nodes()).isEmpty();
            HttpResponse<String> overHttp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(api.apiUrl() + "/apis/apps/v1/namespaces/default/deployments/web")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(overHttp.statusCode()).isEqualTo(200);
            assertThat(overHttp.body()).contains("\"name\":\"web\"");
        }
    }

    @Test
    void anApiServerAloneRunsNoNodes() {
        assertThatThrownBy(() -> ClusterSpec.create().apiServerOnly().nodes(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodes(1) on an apiServerOnly() spec: an API server alone runs no nodes");
        assertThat(ClusterSpec.create().nodes(3).apiServerOnly().nodeCount()).isZero();
    }

    private static ObjectNode pod(String name) {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(pod, "metadata").put("name", name);
        Json.withArray(Json.with(pod, "spec"), "containers").addObject().put("name", "app").put("image", "nginx");
        return pod;
    }

    private static ObjectNode deployment(String name) {
        ObjectNode d = Json.object().put("apiVersion", "apps/v1").put("kind", "Deployment");
        Json.with(d, "metadata").put("name", name);
        ObjectNode spec = Json.with(d, "spec").put("replicas", 2);
        Json.with(spec, "selector", "matchLabels").put("app", name);
        Json.with(spec, "template", "metadata", "labels").put("app", name);
        Json.withArray(Json.with(spec, "template", "spec"), "containers").addObject()
                .put("name", "app").put("image", "nginx");
        return d;
    }
}

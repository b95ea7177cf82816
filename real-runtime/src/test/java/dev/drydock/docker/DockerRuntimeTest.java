package dev.drydock.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pods as real containers: they run, log, exit with their codes, and nothing is left once the cluster closes. */
class DockerRuntimeTest {

    private static DockerClient docker;

    @BeforeAll
    static void engine() throws Exception {
        DockerCluster.Engine engine = DockerTests.engine();
        docker = engine.docker();
        DockerTests.ensureBusybox(engine);
    }

    @AfterAll
    static void close() throws Exception {
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void aPodRunsAsRealContainersAndLogsAndExitCodesAreTheContainers() throws Exception {
        java.util.Set<Thread> before = java.util.Set.copyOf(Thread.getAllStackTraces().keySet());
        String clusterName;
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().runtime("docker").nodes(2))) {
            clusterName = cluster.name();
            KubeClient client = cluster.client();
            client.create(Resource.PODS, "default", pod("talker", "echo hello from docker; sleep 3600", null));
            client.create(Resource.PODS, "default", pod("quitter", "echo bye; exit 3", "Never"));

            eventually().until(() -> phase(client, "talker").equals("Running"));
            JsonNode talker = client.get(Resource.PODS, "default", "talker");
            assertThat(talker.path("status").path("podIP").asText()).isNotEmpty();
            eventually().untilAsserted(() -> assertThat(log(cluster, "talker"))
                    .contains("hello from docker"));
            String id = talker.path("status").path("containerStatuses").get(0).path("containerID").asText();
            assertThat(docker.inspectContainerCmd(id.substring(id.indexOf("://") + 3)).exec().getState()
                    .getRunning()).isTrue();

            eventually().until(() -> phase(client, "quitter").equals("Failed"));
            JsonNode terminated = client.get(Resource.PODS, "default", "quitter").path("status")
                    .path("containerStatuses").get(0).path("state").path("terminated");
            assertThat(terminated.path("exitCode").asInt()).isEqualTo(3);
            assertThat(terminated.path("reason").asText()).isEqualTo("Error");
            assertThat(DockerTests.leftovers(docker)).isNotEmpty();
        }
        assertThat(DockerTests.leftovers(docker)).isEmpty();
        // every thread the cluster and its engine streams started is gone
        eventually().untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t))
                .filter(t -> !t.getName().startsWith("ForkJoinPool") && !t.getName().startsWith("HttpClient")
                        && !t.getName().startsWith("awaitility"))
                .map(Thread::getName)).isEmpty());
    }

    @Test
    void theContainersOfAPodShareItsNetworkNamespaceAndAddress() throws Exception {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().runtime("docker").nodes(1))) {
            KubeClient client = cluster.client();
            ObjectNode pod = pod("pair", "mkdir -p /www && echo from-the-other-container > /www/index.html && "
                    + "httpd -f -p 8080 -h /www", null);
            ObjectNode second = Json.withArray(Json.with(pod, "spec"), "containers").addObject()
                    .put("name", "fetcher").put("image", DockerTests.BUSYBOX);
            second.putArray("command").add("sh").add("-c")
                    .add("while true; do timeout 2 wget -q -O - http://127.0.0.1:8080/ && hostname; sleep 1; done");
            client.create(Resource.PODS, "default", pod);

            eventually().untilAsserted(() -> assertThat(log(cluster, "pair", "fetcher"))
                    .contains("from-the-other-container").contains("pair"));
            eventually().untilAsserted(() -> assertThat(client.get(Resource.PODS, "default", "pair").path("status")
                    .path("podIP").asText()).startsWith("10.2"));
        }
    }

    private static ObjectNode pod(String name, String script, String restartPolicy) {
        ObjectNode p = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(p, "metadata").put("name", name);
        ObjectNode spec = Json.with(p, "spec");
        if (restartPolicy != null) {
            spec.put("restartPolicy", restartPolicy);
        }
        ObjectNode c = Json.withArray(spec, "containers").addObject().put("name", "main")
                .put("image", DockerTests.BUSYBOX);
        c.putArray("command").add("sh").add("-c").add(script);
        return p;
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    /** The pod's log through the API, as kubectl logs reads it. */
    static String log(DrydockCluster cluster, String pod) throws Exception {
        return log(cluster, pod, "main");
    }

    static String log(DrydockCluster cluster, String pod, String container) throws Exception {
        return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.apiUrl()
                + "/api/v1/namespaces/default/pods/" + pod + "/log?container=" + container))
                .timeout(Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String phase(KubeClient client, String name) {
        ObjectNode p = client.find(Resource.PODS, "default", name);
        return p == null ? "" : p.path("status").path("phase").asText();
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100));
    }
}

package dev.drydock.docker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every Docker test class shares: a client of the engine (the class is skipped without one, or failed in CI), the
 * test image, and small builders and readers of pods.
 */
abstract class DockerTestSupport {

    static DockerClient docker;
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    @BeforeAll
    static void engine() throws Exception {
        DockerCluster.Engine engine = DockerTests.engine();
        docker = engine.docker();
        DockerTests.ensureBusybox(engine);
    }

    @AfterAll
    static void closeEngine() throws Exception {
        if (docker != null) {
            docker.close();
            docker = null;
        }
    }

    /** A pod of one busybox container {@code main} running {@code sh -c script}. */
    static ObjectNode pod(String name, String script) {
        ObjectNode p = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(p, "metadata").put("name", name);
        ObjectNode c = Json.withArray(Json.with(p, "spec"), "containers").addObject().put("name", "main")
                .put("image", DockerTests.BUSYBOX);
        c.putArray("command").add("sh").add("-c").add(script);
        return p;
    }

    /** The engine's id of the pod's first container, from its status. */
    static String containerId(KubeClient client, String pod) {
        String id = client.get(Resource.PODS, "default", pod).path("status").path("containerStatuses").get(0)
                .path("containerID").asText();
        return id.substring(id.indexOf("://") + 3);
    }

    /** The pod's log through the API, as kubectl logs reads it. */
    static String log(DrydockCluster cluster, String pod) throws Exception {
        return log(cluster, pod, "main");
    }

    static String log(DrydockCluster cluster, String pod, String container) throws Exception {
        return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.apiUrl()
                + "/api/v1/namespaces/default/pods/" + pod + "/log?container=" + container))
                .timeout(Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100));
    }
}

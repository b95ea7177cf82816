package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests and limits as the fake runtime applies them: a behaviour sets its memory use, and a container over its
 * memory limit is {@code OOMKilled} (exit code 137) and restarted as its pod's {@code restartPolicy} says.
 */
class PodResourcesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static DrydockCluster cluster;
    private static ClusterPods pods;
    private static FakeImages.Registration hog;

    @BeforeAll
    static void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().name("pod-resources").nodes(1));
        pods = new ClusterPods(cluster);
        // uses what its first argument says, in MiB, a moment after it starts
        hog = FakeImages.register("podresourcestest/hog", new ImageBehaviour() {
            @Override
            public Program main(List<String> argv) {
                return ctx -> {
                    ctx.stdout("starting\n");
                    ctx.after(Duration.ofMillis(50), () -> {
                        ctx.useMemory(Long.parseLong(argv.get(0)) << 20);
                        ctx.stdout("using " + argv.get(0) + "Mi\n");
                    });
                };
            }
        });
    }

    @AfterAll
    static void stop() {
        hog.close();
        cluster.close();
    }

    @Test
    void aContainerOverItsMemoryLimitIsOomKilledAndRestarted() throws Exception {
        pods.create(Resource.PODS, hogPod("hog", "Always", 200));

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode main = pods.container("hog", "main");
            assertThat(main.path("restartCount").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(main.at("/lastState/terminated/reason").asText()).isEqualTo("OOMKilled");
            assertThat(main.at("/lastState/terminated/exitCode").asInt()).isEqualTo(137);
        });
        assertThat(pods.pod("hog").at("/status/qosClass").asText()).isEqualTo("Guaranteed");
        assertThat(pods.log("hog")).isEqualTo("starting\n"); // killed before it could say more
    }

    @Test
    void anOomKilledContainerThatIsNotRestartedFailsItsPodAndOneUnderItsLimitRuns() throws Exception {
        pods.create(Resource.PODS, hogPod("hog-once", "Never", 200));
        pods.create(Resource.PODS, hogPod("fits", "Never", 100));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(pods.phase("hog-once")).isEqualTo("Failed");
            JsonNode terminated = pods.container("hog-once", "main").at("/state/terminated");
            assertThat(terminated.path("reason").asText()).isEqualTo("OOMKilled");
            assertThat(terminated.path("exitCode").asInt()).isEqualTo(137);
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(pods.log("fits")).isEqualTo("starting\nusing 100Mi\n"));
        assertThat(pods.phase("fits")).isEqualTo("Running");
    }

    @Test
    void metricsK8sIoServesTheUsageBehavioursSetForPodsAndTheirNode() {
        try (FakeImages.Registration busy = FakeImages.register("podresourcestest/busy", new ImageBehaviour() {
            @Override
            public Program main(List<String> argv) {
                return ctx -> {
                    ctx.useMemory(50L << 20);
                    ctx.useCpu(250);
                };
            }
        })) {
            pods.create(Resource.PODS, """
                    {"metadata": {"name": "busy", "labels": {"app": "busy"}},
                     "spec": {"containers": [{"name": "main", "image": "podresourcestest/busy:1"},
                                             {"name": "side", "image": "busybox", "command": ["sleep", "3600"]}]}}""");
            await().atMost(WAIT).until(() -> pods.phase("busy").equals("Running"));
            String node = pods.pod("busy").at("/spec/nodeName").asText();

            JsonNode metrics = cluster.client().get(POD_METRICS, "default", "busy");
            assertThat(metrics.at("/metadata/labels/app").asText()).isEqualTo("busy");
            assertThat(metrics.at("/containers/0/name").asText()).isEqualTo("main");
            assertThat(metrics.at("/containers/0/usage/cpu").asText()).isEqualTo("250m");
            assertThat(metrics.at("/containers/0/usage/memory").asText()).isEqualTo("50Mi");
            assertThat(metrics.at("/containers/1/usage/cpu").asText()).isEqualTo("0");
            assertThat(cluster.client().items(POD_METRICS, "default", "app=busy")).hasSize(1);
            assertThat(cluster.client().items(POD_METRICS, "default", "app=other")).isEmpty();

            JsonNode nodeMetrics = cluster.client().get(NODE_METRICS, null, node);
            assertThat(dev.drydock.kube.Quantity.value(nodeMetrics.at("/usage/memory").asText()))
                    .isGreaterThanOrEqualTo(50L << 20);
            assertThat(dev.drydock.kube.Quantity.milli(nodeMetrics.at("/usage/cpu").asText()))
                    .isGreaterThanOrEqualTo(250);
            assertThat(cluster.client().discover()).containsKeys(POD_METRICS, NODE_METRICS);
            assertThatThrownBy(() -> cluster.client().get(POD_METRICS, "default", "nope"))
                    .hasMessageContaining("podmetrics.metrics.k8s.io \"default/nope\" not found");

            // a node that does not answer has no metrics, nor have its pods, until it answers again
            try (dev.drydock.chaos.NodeFault frozen = cluster.node(node).freeze()) {
                assertThat(cluster.client().items(POD_METRICS, "default", "app=busy")).isEmpty();
                assertThat(cluster.client().items(NODE_METRICS, null, null)).isEmpty();
            }
            assertThat(cluster.client().items(POD_METRICS, "default", "app=busy")).hasSize(1);
        }
    }

    static final Resource POD_METRICS = new Resource("metrics.k8s.io", "v1beta1", "pods", "PodMetrics", true);
    static final Resource NODE_METRICS = new Resource("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics", false);

    static String hogPod(String name, String restartPolicy, int mebibytes) {
        return """
                {"metadata": {"name": "%s"},
                 "spec": {"restartPolicy": "%s", "containers": [{"name": "main", "image": "podresourcestest/hog:1",
                   "args": ["%d"],
                   "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}}}]}}"""
                .formatted(name, restartPolicy, mebibytes);
    }
}

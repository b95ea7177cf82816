package dev.drydock.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.base.Clock;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Resource;
import dev.drydock.runtime.NodeContext;
import dev.drydock.runtime.PodSandboxConfig;
import dev.drydock.runtime.PodSandboxListener;
import dev.drydock.runtime.RuntimeError;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pod's sandbox started for it (no warm one is ready) is started off the caller's thread, as its containers are, and
 * nothing of a sandbox outlives its pod or its node, even when they go while it starts.
 */
class DockerSandboxStartTest extends DockerTestSupport {

    private String warmBefore;

    @BeforeEach
    void noWarmSandboxes() {
        warmBefore = System.getProperty(DockerRuntime.WARM_SANDBOXES);
        System.setProperty(DockerRuntime.WARM_SANDBOXES, "0"); // every sandbox is started for its pod
    }

    @AfterEach
    void restore() {
        if (warmBefore == null) {
            System.clearProperty(DockerRuntime.WARM_SANDBOXES);
        } else {
            System.setProperty(DockerRuntime.WARM_SANDBOXES, warmBefore);
        }
        assertThat(DockerTests.leftovers(docker)).isEmpty();
    }

    @Test
    void aSandboxIsStartedOnTheDockerLaneAndANodeClosedWhileItStartsLeavesNothing() throws Exception {
        ExecutorService workers = Executors.newSingleThreadExecutor();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (DockerCluster cluster = DockerCluster.open("sandbox-start")) {
            DockerRuntime node = (DockerRuntime) cluster.node(new NodeContext("sandbox-start", "n1",
                    "10.244.1.0/24", Clock.SYSTEM, timer, workers));
            Heard first = new Heard();
            node.runPodSandbox(config("first"), first);
            assertThat(first.outcome.get(60, TimeUnit.SECONDS)).isInstanceOf(String.class);
            assertThat(first.thread).as("heard on the Docker lane, not the caller's thread")
                    .contains("-docker-").isNotEqualTo(Thread.currentThread().getName());
            assertThat(node.podSandboxStatus((String) first.outcome.get()).ip()).isNotEmpty();

            Heard second = new Heard();
            node.runPodSandbox(config("second"), second);
            node.close(); // the node's power is cut while its sandbox starts

            Object outcome = second.outcome.get(60, TimeUnit.SECONDS);
            if (outcome instanceof RuntimeError e) {
                assertThat(e.reason()).isEqualTo("CreatePodSandboxError");
            } // else it started before the cut, which removed it
            eventually().untilAsserted(() -> assertThat(docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(Labels.INSTANCE, cluster.instance, Labels.NODE, "n1")).exec())
                    .isEmpty());
        } finally {
            workers.shutdownNow();
            timer.shutdownNow();
        }
    }

    @Test
    void aPodDeletedWhileItsSandboxStartsLeavesNoContainerBehind() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().runtime("docker").nodes(1))) {
            KubeClient client = cluster.client();
            for (int i = 0; i < 4; i++) { // a burst, so that the doomed pod's sandbox waits its turn
                client.create(Resource.PODS, "default", pod("burst-" + i, "sleep 3600"));
            }
            client.create(Resource.PODS, "default", pod("doomed", "sleep 3600"));
            eventually().until(() -> !ofPod("doomed").isEmpty()); // its sandbox is being made
            client.delete(Resource.PODS, "default", "doomed");

            eventually().until(() -> client.find(Resource.PODS, "default", "doomed") == null);
            assertThat(ofPod("doomed")).as("once the pod is gone, so is its sandbox").isEmpty();
            eventually().until(() -> List.of(0, 1, 2, 3).stream().map(i -> client.find(Resource.PODS, "default",
                    "burst-" + i)).allMatch(p -> p != null && "Running".equals(p.path("status").path("phase")
                    .asText())));
        }
    }

    /** The engine's containers of pod {@code default/name}. */
    private static List<String> ofPod(String name) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.POD, "default/" + name))
                .exec().stream().map(c -> c.getId()).toList();
    }

    private static PodSandboxConfig config(String name) {
        return new PodSandboxConfig("default", name, "uid-" + name, Map.of());
    }

    /** What a sandbox start's listener heard, and on which thread. */
    private static final class Heard implements PodSandboxListener {
        final CompletableFuture<Object> outcome = new CompletableFuture<>();
        volatile String thread;

        @Override
        public void ready(String sandboxId) {
            thread = Thread.currentThread().getName();
            outcome.complete(sandboxId);
        }

        @Override
        public void failed(RuntimeError error) {
            thread = Thread.currentThread().getName();
            outcome.complete(error);
        }
    }
}

package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.fake.FakeImages;
import dev.drydock.fake.ImageBehaviour;
import dev.drydock.fake.Program;
import dev.drydock.junit.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl top pod} and {@code kubectl top node} against drydock's {@code metrics.k8s.io}, with the usage a
 * fake image's behaviour sets ({@code ctx.useCpu}, {@code ctx.useMemory}).
 */
@Cluster(nodes = 1)
class KubectlTopTest {

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: busy
              labels:
                app: busy
            spec:
              containers:
              - name: main
                image: kubectltoptest/busy:1
                resources:
                  limits:
                    cpu: "1"
                    memory: 256Mi
              - name: side
                image: busybox
                command: ["sleep", "3600"]
            """;

    @Test
    void topShowsTheUsageOfPodsContainersAndNodes(DrydockCluster cluster, @TempDir Path home) throws Exception {
        try (FakeImages.Registration busy = FakeImages.register("kubectltoptest/busy", new ImageBehaviour() {
            @Override
            public Program main(List<String> argv) {
                return ctx -> {
                    ctx.useCpu(250);
                    ctx.useMemory(100L << 20);
                };
            }
        })) {
            Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);
            Path manifest = home.resolve("pod.yaml");
            Files.writeString(manifest, POD);
            assertThat(kubectl.run("apply", "-f", manifest.toString()).exitCode()).isZero();
            Kubectl.Result ready = kubectl.run("wait", "--for=condition=Ready", "pod/busy", "--timeout=30s");
            assertThat(ready.exitCode()).as("%s", ready).isZero();

            Kubectl.Result pods = kubectl.run("top", "pod");
            assertThat(pods.exitCode()).as("%s", pods).isZero();
            assertThat(pods.out()).containsPattern("NAME\\s+CPU\\(cores\\)\\s+MEMORY\\(bytes\\)")
                    .containsPattern("busy\\s+250m\\s+100Mi");

            Kubectl.Result containers = kubectl.run("top", "pod", "-l", "app=busy", "--containers");
            assertThat(containers.exitCode()).as("%s", containers).isZero();
            assertThat(containers.out()).containsPattern("busy\\s+main\\s+250m\\s+100Mi")
                    .containsPattern("busy\\s+side\\s+0m\\s+0Mi");

            String node = cluster.client().get(dev.drydock.kube.Resource.PODS, "default", "busy")
                    .at("/spec/nodeName").asText();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Kubectl.Result nodes = kubectl.run("top", "node");
                assertThat(nodes.exitCode()).as("%s", nodes).isZero();
                assertThat(nodes.out()).containsPattern("NAME\\s+CPU\\(cores\\)\\s+CPU(\\(%\\)|%)\\s+MEMORY")
                        .containsPattern(node + "\\s+250m\\s+\\d+%\\s+100Mi\\s+\\d+%");
            });
        }
    }
}

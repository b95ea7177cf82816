package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl 1.32 works against drydock unchanged: each step checked by its exit code and output. */
@Cluster(nodes = 3)
class KubectlTest {

    @Test
    void kubectlSeesNodesAndRunsADeployment(DrydockCluster cluster, @TempDir Path home) throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);

        Kubectl.Result nodes = kubectl.run("get", "nodes");
        assertThat(nodes.exitCode()).as("%s", nodes).isZero();
        assertThat(nodes.out().lines()).first().asString().contains("NAME").contains("STATUS").contains("ROLES");
        assertThat(nodes.out().lines().skip(1)).hasSize(3).allSatisfy(l -> assertThat(l).contains(" Ready "));

        Kubectl.Result create = kubectl.run("create", "deployment", "web", "--image=busybox", "--replicas=3",
                "--", "sleep", "3600");
        assertThat(create.exitCode()).as("%s", create).isZero();
        assertThat(create.out()).contains("deployment.apps/web created");

        Kubectl.Result rollout = kubectl.run("rollout", "status", "deployment/web", "--timeout=30s");
        assertThat(rollout.exitCode()).as("%s", rollout).isZero();
        assertThat(rollout.out()).contains("successfully rolled out");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Kubectl.Result pods = kubectl.run("get", "pods", "-A", "-o", "wide");
            assertThat(pods.exitCode()).as("%s", pods).isZero();
            var rows = pods.out().lines().skip(1).filter(l -> l.contains("web-")).toList();
            assertThat(rows).hasSize(3).allSatisfy(l -> assertThat(l).contains("1/1").contains("Running"));
            assertThat(rows.stream().map(l -> Arrays.asList(l.trim().split("\\s+")).get(7)).distinct()).hasSize(3);
        });
    }

    @Test
    void kubectlScalesPatchesLabelsAndRollsBack(DrydockCluster cluster, @TempDir Path home) throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);
        assertThat(kubectl.run("create", "deployment", "api", "--image=busybox:1.36", "--replicas=2").exitCode())
                .isZero();

        Kubectl.Result scale = kubectl.run("scale", "deployment/api", "--replicas=4");
        assertThat(scale.exitCode()).as("%s", scale).isZero();
        assertThat(kubectl.run("rollout", "status", "deployment/api", "--timeout=30s").exitCode()).isZero();
        assertThat(kubectl.run("get", "deployment", "api", "-o", "jsonpath={.status.readyReplicas}").out())
                .isEqualTo("4");

        Kubectl.Result image = kubectl.run("set", "image", "deployment/api", "busybox=busybox:1.37");
        assertThat(image.exitCode()).as("%s", image).isZero();
        assertThat(kubectl.run("rollout", "status", "deployment/api", "--timeout=30s").exitCode()).isZero();
        assertThat(kubectl.run("rollout", "undo", "deployment/api").exitCode()).isZero();
        assertThat(kubectl.run("rollout", "status", "deployment/api", "--timeout=30s").exitCode()).isZero();
        assertThat(kubectl.run("get", "deployment", "api", "-o",
                "jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}")
                .out()).isEqualTo("busybox:1.36 3");

        assertThat(kubectl.run("label", "deployment", "api", "tier=back").exitCode()).isZero();
        assertThat(kubectl.run("annotate", "deployment", "api", "owner=team-a").exitCode()).isZero();
        assertThat(kubectl.run("patch", "deployment", "api", "--type=merge", "-p",
                "{\"metadata\":{\"labels\":{\"merge\":\"yes\"}}}").exitCode()).isZero();
        assertThat(kubectl.run("patch", "deployment", "api", "--type=json", "-p",
                "[{\"op\":\"add\",\"path\":\"/metadata/labels/json\",\"value\":\"yes\"}]").exitCode()).isZero();
        assertThat(kubectl.run("get", "deployment", "api", "--show-labels").out())
                .contains("tier=back").contains("merge=yes").contains("json=yes");
        assertThat(kubectl.run("get", "deployment", "api", "-o", "jsonpath={.metadata.annotations.owner}").out())
                .isEqualTo("team-a");

        Kubectl.Result delete = kubectl.run("delete", "deployment", "api");
        assertThat(delete.exitCode()).as("%s", delete).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(kubectl.run("get", "pods", "-l", "app=api", "-o", "name").out()).isBlank());
    }

    @Test
    void kubectlDeletePodWaitsUntilTheKubeletRanThePreStopHookAndStoppedTheContainers(DrydockCluster cluster,
            @TempDir Path home) throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);
        Kubectl.Result apply = kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: graceful
                spec:
                  containers:
                  - name: main
                    image: busybox
                    command: ["sleep", "3600"]
                    lifecycle:
                      preStop:
                        sleep:
                          seconds: 20
                """, "apply", "-f", "-");
        assertThat(apply.exitCode()).as("%s", apply).isZero();
        Kubectl.Result ready = kubectl.run("wait", "--for=condition=Ready", "pod/graceful", "--timeout=30s");
        assertThat(ready.exitCode()).as("%s", ready).isZero();

        long start = System.nanoTime();
        Kubectl.Result delete = kubectl.run("delete", "pod", "graceful");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(delete.exitCode()).as("%s", delete).isZero();
        assertThat(delete.out()).contains("pod \"graceful\" deleted");
        // the hook's 20 s sleep (within the default 30 s grace), compressed as the grace period is: kubectl waited
        assertThat(took).isGreaterThanOrEqualTo(cluster.timings().gracePeriod(20).minusMillis(100));
        Kubectl.Result gone = kubectl.run("get", "pod", "graceful");
        assertThat(gone.exitCode()).isNotZero();
        assertThat(gone.err()).contains("pods \"graceful\" not found");
    }

    @Test
    void kubectlReportsServerErrors(DrydockCluster cluster, @TempDir Path home) throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);

        Kubectl.Result missing = kubectl.run("get", "pod", "nope");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("NotFound").contains("pods \"nope\" not found");

        Kubectl.Result invalid = kubectl.run("create", "namespace", "Not_Valid");
        assertThat(invalid.exitCode()).isNotZero();
        assertThat(invalid.err()).contains("Invalid value: \"Not_Valid\"");
    }
}

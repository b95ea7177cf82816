package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl 1.32 against the apps, batch, autoscaling, policy and discovery kinds: {@code create job/cronjob/pdb}
 * (protobuf bodies), their {@code get} tables, and {@code drain}, whose evictions honour a PodDisruptionBudget
 * computed by the disruption controller.
 */
@Cluster(nodes = 3)
class KubectlWorkloadKindsTest {

    @Test
    void kubectlCreatesAndListsJobsCronJobsAndBudgets(DrydockCluster cluster, @TempDir Path home) throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);

        Kubectl.Result job = kubectl.run("create", "job", "pi", "--image=busybox", "--", "echo", "hi");
        assertThat(job.exitCode()).as("%s", job).isZero();
        assertThat(job.out()).contains("job.batch/pi created");
        Kubectl.Result cron = kubectl.run("create", "cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *",
                "--restart=OnFailure", "--", "date");
        assertThat(cron.exitCode()).as("%s", cron).isZero();
        Kubectl.Result pdb = kubectl.run("create", "pdb", "api", "--selector=app=api", "--min-available=50%");
        assertThat(pdb.exitCode()).as("%s", pdb).isZero();
        assertThat(pdb.out()).contains("poddisruptionbudget.policy/api created");

        Kubectl.Result jobs = kubectl.run("get", "jobs");
        assertThat(jobs.exitCode()).as("%s", jobs).isZero();
        assertThat(jobs.out().lines().findFirst().orElseThrow()).containsSubsequence("NAME", "STATUS",
                "COMPLETIONS", "DURATION", "AGE");
        assertThat(jobs.out()).containsPattern("pi\\s+Running\\s+0/1");
        Kubectl.Result cronJobs = kubectl.run("get", "cj");
        assertThat(cronJobs.out()).containsPattern("tick\\s+\\*/5 \\* \\* \\* \\*\\s+<none>\\s+False\\s+0\\s+<none>");
        Kubectl.Result budgets = kubectl.run("get", "pdb", "api");
        assertThat(budgets.out().lines().findFirst().orElseThrow()).containsSubsequence("NAME", "MIN AVAILABLE",
                "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE");
        assertThat(budgets.out()).containsPattern("api\\s+50%\\s+N/A\\s+0");
        assertThat(kubectl.run("get", "job", "pi", "-o", "jsonpath={.spec.selector.matchLabels}").out())
                .contains("batch.kubernetes.io/controller-uid");

        Path manifest = home.resolve("workloads.yaml");
        Files.writeString(manifest, """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  serviceName: db
                  replicas: 2
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec: {containers: [{name: db, image: redis:7}]}
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: logs}
                spec:
                  selector: {matchLabels: {app: logs}}
                  template:
                    metadata: {labels: {app: logs}}
                    spec: {containers: [{name: agent, image: fluentd:1}]}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 5
                """);
        Kubectl.Result created = kubectl.run("create", "-f", manifest.toString(), "--validate=false");
        assertThat(created.exitCode()).as("%s", created).isZero();
        assertThat(kubectl.run("get", "sts").out()).containsPattern("db\\s+0/2");
        assertThat(kubectl.run("get", "ds").out().lines().findFirst().orElseThrow()).containsSubsequence("DESIRED",
                "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR");
        assertThat(kubectl.run("get", "hpa").out()).containsPattern("web\\s+Deployment/web\\s+cpu: <unknown>/80%"
                + "\\s+1\\s+5\\s+0");
        Kubectl.Result v1 = kubectl.run("get", "horizontalpodautoscalers.v1.autoscaling", "web", "-o",
                "jsonpath={.apiVersion} {.spec.targetCPUUtilizationPercentage}");
        assertThat(v1.out()).as("%s", v1).isEqualTo("autoscaling/v1 80");

        Kubectl.Result immutable = kubectl.run("patch", "sts", "db", "--type=merge", "-p",
                "{\"spec\":{\"serviceName\":\"other\"}}");
        assertThat(immutable.exitCode()).isNotZero();
        assertThat(immutable.err()).contains("updates to statefulset spec for fields other than");
        Kubectl.Result schedule = kubectl.run("create", "cronjob", "bad", "--image=busybox", "--schedule=61 * * * *");
        assertThat(schedule.exitCode()).isNotZero();
        assertThat(schedule.err()).contains("end of range (61) above maximum (59): 61");
    }

    @Test
    void kubectlDrainEvictsPodsAsTheirDisruptionBudgetAllows(DrydockCluster cluster, @TempDir Path home)
            throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);
        assertThat(kubectl.run("create", "deployment", "web", "--image=busybox", "--replicas=6").exitCode()).isZero();
        assertThat(kubectl.run("rollout", "status", "deployment/web", "--timeout=30s").exitCode()).isZero();
        assertThat(kubectl.run("create", "pdb", "web", "--selector=app=web", "--min-available=6").exitCode())
                .isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kubectl.run("get", "pdb", "web",
                "-o", "jsonpath={.status.currentHealthy}/{.status.expectedPods}").out()).isEqualTo("6/6"));
        String node = kubectl.run("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].spec.nodeName}").out();

        Kubectl.Result refused = kubectl.run("drain", node, "--timeout=7s");
        assertThat(refused.exitCode()).as("%s", refused).isNotZero();
        assertThat(refused.err()).contains("Cannot evict pod as it would violate the pod's disruption budget.");

        assertThat(kubectl.run("patch", "pdb", "web", "--type=merge", "-p", "{\"spec\":{\"minAvailable\":5}}")
                .exitCode()).isZero();
        Kubectl.Result drained = kubectl.run("drain", node, "--timeout=50s");
        assertThat(drained.exitCode()).as("%s", drained).isZero();
        assertThat(drained.out()).contains("node/" + node + " drained");
        assertThat(kubectl.run("rollout", "status", "deployment/web", "--timeout=30s").exitCode()).isZero();
        List<String> nodes = kubectl.run("get", "pods", "-l", "app=web", "-o",
                "jsonpath={range .items[*]}{.spec.nodeName}{\"\\n\"}{end}").out().lines().toList();
        assertThat(nodes).hasSize(6).doesNotContain(node);
    }
}

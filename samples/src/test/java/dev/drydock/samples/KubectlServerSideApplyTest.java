package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import dev.drydock.kube.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl 1.32's server-side apply against drydock, as a user's script runs it: {@code apply --server-side}, a
 * conflict with another field manager and {@code --force-conflicts}, {@code get --show-managed-fields}, and the move
 * of an object from client-side to server-side apply.
 */
@Cluster(nodes = 1)
class KubectlServerSideApplyTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: default
            spec:
              replicas: %d
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: busybox
            """;

    private static final String CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: default
            data:
              colour: %s
            """;

    @Test
    void serverSideApplyWithAConflictForcedAndManagedFieldsShown(DrydockCluster cluster, @TempDir Path home)
            throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);
        Path manifest = home.resolve("web.yaml");
        Files.writeString(manifest, DEPLOYMENT.formatted(2));

        Kubectl.Result applied = kubectl.run("apply", "--server-side", "-f", manifest.toString());
        assertThat(applied.exitCode()).as("%s", applied).isZero();
        assertThat(applied.out()).contains("deployment.apps/web serverside-applied");

        Files.writeString(manifest, DEPLOYMENT.formatted(5));
        Kubectl.Result conflict = kubectl.run("apply", "--server-side", "--field-manager=ops", "-f",
                manifest.toString());
        assertThat(conflict.exitCode()).as("%s", conflict).isNotZero();
        assertThat(conflict.err()).contains("Apply failed with 1 conflict: conflict with \"kubectl\": "
                + ".spec.replicas").contains("--force-conflicts");
        assertThat(kubectl.run("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}").out())
                .isEqualTo("2");

        Kubectl.Result forced = kubectl.run("apply", "--server-side", "--field-manager=ops", "--force-conflicts",
                "-f", manifest.toString());
        assertThat(forced.exitCode()).as("%s", forced).isZero();
        assertThat(forced.out()).contains("deployment.apps/web serverside-applied");
        assertThat(kubectl.run("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}").out())
                .isEqualTo("5");

        Kubectl.Result shown = kubectl.run("get", "deployment", "web", "--show-managed-fields", "-o", "yaml");
        assertThat(shown.exitCode()).as("%s", shown).isZero();
        assertThat(shown.out()).contains("managedFields:", "manager: kubectl", "manager: ops",
                "operation: Apply", "fieldsType: FieldsV1", "fieldsV1:", "f:replicas: {}",
                "k:{\"name\":\"web\"}:");
        Kubectl.Result hidden = kubectl.run("get", "deployment", "web", "-o", "yaml");
        assertThat(hidden.out()).as("kubectl leaves them out unless asked").doesNotContain("managedFields");

        JsonNode managed = Json.parse(kubectl.run("get", "deployment", "web", "--show-managed-fields", "-o", "json")
                .out().getBytes(StandardCharsets.UTF_8)).at("/metadata/managedFields");
        assertThat(entry(managed, "ops").at("/fieldsV1/f:spec").has("f:replicas")).as("replicas moved to ops")
                .isTrue();
        assertThat(entry(managed, "kubectl").at("/fieldsV1/f:spec").has("f:replicas")).isFalse();
        // the deployment controller's status writes are recorded too, under kube's name for it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kubectl.run("get", "deployment", "web",
                "--show-managed-fields", "-o", "yaml").out()).contains("manager: kube-controller-manager",
                "subresource: status"));
    }

    private static JsonNode entry(JsonNode managedFields, String manager) {
        for (JsonNode e : managedFields) {
            if (e.path("manager").asText().equals(manager)) {
                return e;
            }
        }
        throw new AssertionError("no entry of " + manager + " in " + managedFields);
    }

    @Test
    void anObjectAppliedClientSideMovesToServerSideApplyWithoutConflict(DrydockCluster cluster,
                                                                         @TempDir Path home) throws Exception {
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), home);
        Path manifest = home.resolve("settings.yaml");
        Files.writeString(manifest, CONFIG_MAP.formatted("blue"));
        Kubectl.Result clientSide = kubectl.run("apply", "-f", manifest.toString());
        assertThat(clientSide.exitCode()).as("%s", clientSide).isZero();
        Files.writeString(manifest, CONFIG_MAP.formatted("green"));
        assertThat(kubectl.run("apply", "-f", manifest.toString()).exitCode()).isZero();
        assertThat(kubectl.run("get", "configmap", "settings", "--show-managed-fields", "-o",
                "jsonpath={.metadata.managedFields[*].manager}").out()).isEqualTo("kubectl-client-side-apply");

        Files.writeString(manifest, CONFIG_MAP.formatted("red"));
        Kubectl.Result serverSide = kubectl.run("apply", "--server-side", "-f", manifest.toString());

        assertThat(serverSide.exitCode()).as("%s", serverSide).isZero();
        assertThat(kubectl.run("get", "configmap", "settings", "-o", "jsonpath={.data.colour}").out())
                .isEqualTo("red");
        Kubectl.Result managers = kubectl.run("get", "configmap", "settings", "--show-managed-fields", "-o",
                "jsonpath={range .metadata.managedFields[*]}{.manager}:{.operation} {end}");
        assertThat(managers.out()).contains("kubectl:Apply");
    }
}

package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.junit.Cluster;
import dev.drydock.junit.TestNamespace;
import dev.drydock.kube.Json;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusCause;
import io.kubernetes.client.util.PatchUtils;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Server-side apply from the two Java clients users have, unchanged: fabric8's {@code serverSideApply()} and the
 * official client's {@code PatchUtils} with {@code V1Patch.PATCH_FORMAT_APPLY_YAML}. An apply creates, updates, meets
 * another manager's field as a 409 conflict that {@code force} overrides, shares an object with another manager,
 * and removes a field it stops applying when no one else owns it.
 */
@Cluster(nodes = 1)
class ServerSideApplyTest {

    private static ConfigMap settings(String ns, Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace(ns).endMetadata()
                .withData(data).build();
    }

    private static Deployment web(String ns, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec()
                .addNewContainer().withName("web").withImage("busybox").endContainer().endSpec().endTemplate()
                .endSpec().build();
    }

    private static List<String> managers(List<ManagedFieldsEntry> entries) {
        return entries.stream().map(e -> e.getManager() + "/" + e.getOperation()).toList();
    }

    @Test
    void fabric8AppliesCreatesUpdatesConflictsForcesSharesAndReleases(KubernetesClient k8s, @TestNamespace String ns) {
        ConfigMap created = k8s.resource(settings(ns, Map.of("colour", "blue", "size", "big")))
                .fieldManager("team-a").serverSideApply();
        assertThat(created.getData()).containsOnly(Map.entry("colour", "blue"), Map.entry("size", "big"));
        assertThat(managers(created.getMetadata().getManagedFields())).containsExactly("team-a/Apply");
        assertThat(created.getMetadata().getManagedFields().get(0).getFieldsType()).isEqualTo("FieldsV1");

        ConfigMap updated = k8s.resource(settings(ns, Map.of("colour", "green", "size", "big")))
                .fieldManager("team-a").serverSideApply();
        assertThat(updated.getData()).containsEntry("colour", "green");

        // another manager: the same value is shared, a different one conflicts
        ConfigMap shared = k8s.resource(settings(ns, Map.of("size", "big", "shape", "round")))
                .fieldManager("team-b").serverSideApply();
        assertThat(managers(shared.getMetadata().getManagedFields())).containsExactly("team-a/Apply",
                "team-b/Apply");
        assertThatThrownBy(() -> k8s.resource(settings(ns, Map.of("colour", "red"))).fieldManager("team-b")
                .serverSideApply()).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                    assertThat(e.getStatus().getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with "
                            + "\"team-a\": .data.colour");
                    assertThat(e.getStatus().getDetails().getCauses())
                            .extracting(StatusCause::getReason, StatusCause::getField)
                            .containsExactly(tuple("FieldManagerConflict", ".data.colour"));
                });
        ConfigMap forced = k8s.resource(settings(ns, Map.of("colour", "red", "size", "big", "shape", "round")))
                .fieldManager("team-b").forceConflicts().serverSideApply();
        assertThat(forced.getData()).containsEntry("colour", "red");

        // team-a stops applying size (still team-b's: kept) and colour (now team-b's: kept), adds nothing
        ConfigMap released = k8s.resource(settings(ns, Map.of("note", "a"))).fieldManager("team-a")
                .serverSideApply();
        assertThat(released.getData()).containsOnly(Map.entry("colour", "red"), Map.entry("size", "big"),
                Map.entry("shape", "round"), Map.entry("note", "a"));
        // team-b stops applying shape, which no one else owns: it goes
        ConfigMap removed = k8s.resource(settings(ns, Map.of("colour", "red", "size", "big")))
                .fieldManager("team-b").serverSideApply();
        assertThat(removed.getData()).containsOnly(Map.entry("colour", "red"), Map.entry("size", "big"),
                Map.entry("note", "a"));
    }

    @Test
    void fabric8AppliesADeploymentAndItsControllerStillRunsIt(KubernetesClient k8s, @TestNamespace String ns) {
        Deployment applied = k8s.resource(web(ns, 2)).fieldManager("deployer").serverSideApply();

        assertThat(applied.getSpec().getReplicas()).isEqualTo(2);
        k8s.apps().deployments().inNamespace(ns).withName("web").waitUntilCondition(
                d -> d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas()),
                60, java.util.concurrent.TimeUnit.SECONDS);
        Deployment scaled = k8s.resource(web(ns, 3)).fieldManager("deployer").serverSideApply();
        assertThat(scaled.getSpec().getReplicas()).isEqualTo(3);
        assertThat(scaled.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager)
                .contains("deployer", "kube-controller-manager");
    }

    private static final String CONFIG_MAP_YAML = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: %s
            data:
            %s
            """;

    private static V1ConfigMap apply(ApiClient client, String ns, String manager, boolean force, String data)
            throws ApiException {
        CoreV1Api core = new CoreV1Api(client);
        return PatchUtils.patch(V1ConfigMap.class, () -> core.patchNamespacedConfigMap("settings", ns,
                        new V1Patch(CONFIG_MAP_YAML.formatted(ns, data))).fieldManager(manager).force(force)
                        .buildCall(null),
                V1Patch.PATCH_FORMAT_APPLY_YAML, client);
    }

    /** The managers of the ConfigMap, read with the client's HTTP client (its models drop managedFields). */
    private static List<String> rawManagers(ApiClient client, String ns) {
        okhttp3.Request get = new okhttp3.Request.Builder().url(client.getBasePath() + "/api/v1/namespaces/" + ns
                + "/configmaps/settings").build();
        try (okhttp3.Response r = client.getHttpClient().newCall(get).execute()) {
            JsonNode managed = Json.parse(r.body().bytes()).at("/metadata/managedFields");
            List<String> out = new java.util.ArrayList<>();
            managed.forEach(e -> out.add(e.path("manager").asText() + "/" + e.path("operation").asText()));
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theOfficialClientAppliesCreatesUpdatesConflictsForcesSharesAndReleases(ApiClient client,
                                                                                @TestNamespace String ns)
            throws ApiException {
        V1ConfigMap created = apply(client, ns, "team-a", false, "  colour: blue\n  size: big");
        assertThat(created.getData()).containsOnly(Map.entry("colour", "blue"), Map.entry("size", "big"));
        // client-java (since 22) leaves managedFields out of the objects it reads: they are read raw here
        assertThat(rawManagers(client, ns)).containsExactly("team-a/Apply");

        assertThat(apply(client, ns, "team-a", false, "  colour: green\n  size: big").getData())
                .containsEntry("colour", "green");
        apply(client, ns, "team-b", false, "  size: big\n  shape: round");
        assertThat(rawManagers(client, ns)).containsExactly("team-a/Apply", "team-b/Apply");

        assertThatThrownBy(() -> apply(client, ns, "team-b", false, "  colour: red"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    V1Status status = client.getJSON().deserialize(e.getResponseBody(), V1Status.class);
                    assertThat(status.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with "
                            + "\"team-a\": .data.colour");
                    assertThat(status.getDetails().getCauses()).extracting(V1StatusCause::getReason,
                            V1StatusCause::getField).containsExactly(tuple("FieldManagerConflict", ".data.colour"));
                });
        assertThat(apply(client, ns, "team-b", true, "  colour: red\n  size: big\n  shape: round").getData())
                .containsEntry("colour", "red");

        apply(client, ns, "team-a", false, "  note: a");
        V1ConfigMap removed = apply(client, ns, "team-b", false, "  colour: red\n  size: big");
        assertThat(removed.getData()).containsOnly(Map.entry("colour", "red"), Map.entry("size", "big"),
                Map.entry("note", "a"));
    }

    @Test
    void theOfficialClientAppliesADeploymentFromYaml(ApiClient client, @TestNamespace String ns) throws ApiException {
        AppsV1Api apps = new AppsV1Api(client);
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: %s}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - {name: web, image: busybox}
                """;
        V1Deployment created = PatchUtils.patch(V1Deployment.class, () -> apps.patchNamespacedDeployment("web", ns,
                new V1Patch(yaml.formatted(ns, 1))).fieldManager("deployer").buildCall(null),
                V1Patch.PATCH_FORMAT_APPLY_YAML, client);
        assertThat(created.getSpec().getReplicas()).isEqualTo(1);
        assertThat(created.getSpec().getStrategy().getType()).as("defaulted").isEqualTo("RollingUpdate");

        V1Deployment scaled = PatchUtils.patch(V1Deployment.class, () -> apps.patchNamespacedDeployment("web", ns,
                new V1Patch(yaml.formatted(ns, 4))).fieldManager("deployer").buildCall(null),
                V1Patch.PATCH_FORMAT_APPLY_YAML, client);
        assertThat(scaled.getSpec().getReplicas()).isEqualTo(4);
    }
}

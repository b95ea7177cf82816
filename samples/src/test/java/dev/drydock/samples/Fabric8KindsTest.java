package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.junit.Cluster;
import dev.drydock.junit.TestNamespace;
import dev.drydock.samples.KindSamples.KindSample;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * fabric8's client, as its users use it, on every kind drydock serves: the generic {@code GenericKubernetesResource}
 * API over the shared table of samples ({@link KindSamples}), and the typed DSL on a few common kinds.
 */
@Cluster(nodes = 1)
class Fabric8KindsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** One client for the table's rows, as an application shares one; the rows name their namespaces. */
    private static KubernetesClient shared;

    @BeforeAll
    static void connect(KubernetesClient k8s) {
        shared = k8s;
    }

    private static NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> resources(KubernetesClient k8s, KindSample sample, String ns) {
        ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(sample.group())
                .withVersion(sample.version()).withKind(sample.kind()).withPlural(sample.plural())
                .withNamespaced(sample.namespaced()).build();
        var all = k8s.genericKubernetesResources(context);
        return sample.namespaced() ? all.inNamespace(ns) : all;
    }

    /** Retries {@code update} on a 409 Conflict, as client-go's RetryOnConflict does, for kinds controllers write. */
    private static void retryOnConflict(Runnable update) {
        for (int attempt = 1; ; attempt++) {
            try {
                update.run();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.drydock.samples.KindSamples#crud")
    void aKindIsCreatedReadListedUpdatedPatchedWatchedAndDeleted(KindSample sample, @TestNamespace String ns) {
        KubernetesClient k8s = shared;
        var resources = resources(k8s, sample, ns);
        String name = sample.name();
        List<String> events = new CopyOnWriteArrayList<>();
        List<WatcherException> closed = new CopyOnWriteArrayList<>();
        try (Watch ignored = resources.withLabel(KindSamples.ROW_LABEL, sample.id()).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
                closed.add(cause);
            }
        })) {
            // Created through resource(...), which finds the kind's resource by discovery.
            GenericKubernetesResource body = Serialization.unmarshal(sample.json(ns), GenericKubernetesResource.class);
            GenericKubernetesResource created = k8s.resource(body).create();
            assertThat(created.getKind()).isEqualTo(sample.kind());
            assertThat(created.getApiVersion()).isEqualTo(sample.apiVersion());
            assertThat(created.getMetadata().getUid()).isNotBlank();
            assertThat(created.getMetadata().getResourceVersion()).isNotBlank();

            GenericKubernetesResource read = resources.withName(name).get();
            assertThat(read.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
            assertThat(resources.withLabel(KindSamples.ROW_LABEL, sample.id()).list().getItems())
                    .extracting(r -> r.getMetadata().getName()).containsExactly(name);
            assertThat(resources.withLabel(KindSamples.ROW_LABEL, "no-such-row").list().getItems()).isEmpty();

            retryOnConflict(() -> {
                GenericKubernetesResource current = resources.withName(name).get();
                current.getMetadata().getLabels().put("updated", "yes");
                resources.resource(current).update();
            });
            resources.withName(name).patch(PatchContext.of(PatchType.JSON),
                    "[{\"op\": \"add\", \"path\": \"/metadata/labels/json-patched\", \"value\": \"yes\"}]");
            resources.withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\": {\"labels\": {\"merge-patched\": \"yes\"}}}");
            if (sample.strategicMergePatch()) {
                resources.withName(name).patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                        "{\"metadata\": {\"labels\": {\"strategic-patched\": \"yes\"}}}");
            }
            Map<String, String> labels = resources.withName(name).get().getMetadata().getLabels();
            assertThat(labels).containsEntry("updated", "yes").containsEntry("json-patched", "yes")
                    .containsEntry("merge-patched", "yes").containsEntry(KindSamples.ROW_LABEL, sample.id());
            if (sample.strategicMergePatch()) {
                assertThat(labels).containsEntry("strategic-patched", "yes");
            }

            resources.withName(name).delete();
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(resources.withName(name).get()).isNull());
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(events).contains("DELETED " + name));
            assertThat(events).containsSubsequence("ADDED " + name, "MODIFIED " + name, "DELETED " + name);
            assertThat(closed).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.drydock.samples.KindSamples#reviews")
    void aReviewIsCreatedAndAnswered(KindSample sample, @TestNamespace String ns) {
        KubernetesClient k8s = shared;
        GenericKubernetesResource body = Serialization.unmarshal(sample.json(ns), GenericKubernetesResource.class);
        GenericKubernetesResource answer = k8s.resource(body).create();
        assertThat(answer.getKind()).isEqualTo(sample.kind());
        Object status = answer.getAdditionalProperties().get("status");
        assertThat(KindSamples.statusMismatches(sample, status == null ? null : Serialization.asJson(status)))
                .isEmpty();
    }

    @Test
    void aConfigMapThroughTheTypedApiAndAnInformerOfConfigMaps(KubernetesClient k8s, @TestNamespace String ns) {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (SharedIndexInformer<ConfigMap> informer = k8s.configMaps().inNamespace(ns)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(ConfigMap cm) {
                        seen.add("add " + cm.getMetadata().getName() + " " + cm.getData());
                    }

                    @Override
                    public void onUpdate(ConfigMap oldCm, ConfigMap newCm) {
                        seen.add("update " + newCm.getMetadata().getName() + " " + newCm.getData());
                    }

                    @Override
                    public void onDelete(ConfigMap cm, boolean finalStateUnknown) {
                        seen.add("delete " + cm.getMetadata().getName());
                    }
                })) {
            k8s.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata()
                    .addToData("color", "blue").build()).create();
            k8s.configMaps().withName("settings")
                    .edit(cm -> new ConfigMapBuilder(cm).addToData("color", "green").build());
            await().atMost(PATIENCE).until(() -> seen.contains("update settings {color=green}"));
            assertThat(informer.getIndexer().getByKey(ns + "/settings").getData()).containsEntry("color", "green");

            k8s.configMaps().withName("settings").delete();
            await().atMost(PATIENCE).until(() -> seen.contains("delete settings"));
            assertThat(seen).containsSubsequence("add settings {color=blue}", "update settings {color=green}",
                    "delete settings");
            assertThat(informer.getIndexer().getByKey(ns + "/settings")).isNull();
        }
    }

    @Test
    void aSecretsStringDataIsFoldedIntoBase64Data(KubernetesClient k8s) {
        k8s.secrets().resource(new SecretBuilder().withNewMetadata().withName("creds").endMetadata()
                .addToStringData("password", "s3cret").build()).create();
        Secret read = k8s.secrets().withName("creds").get();
        assertThat(read.getStringData()).isNullOrEmpty();
        assertThat(read.getType()).isEqualTo("Opaque");
        assertThat(new String(Base64.getDecoder().decode(read.getData().get("password")), StandardCharsets.UTF_8))
                .isEqualTo("s3cret");
    }

    @Test
    void aServiceGetsAClusterIpAndANodePort(KubernetesClient k8s) {
        Service created = k8s.services().resource(new ServiceBuilder().withNewMetadata().withName("web")
                .endMetadata().withNewSpec().withType("NodePort").addToSelector("app", "web").addNewPort()
                .withPort(80).withNewTargetPort(8080).endPort().endSpec().build()).create();
        assertThat(created.getSpec().getClusterIP()).isNotBlank().isNotEqualTo("None");
        assertThat(created.getSpec().getClusterIPs()).containsExactly(created.getSpec().getClusterIP());
        assertThat(created.getSpec().getPorts().get(0).getNodePort()).isBetween(30000, 32767);
        assertThat(created.getSpec().getPorts().get(0).getProtocol()).isEqualTo("TCP");
    }

    @Test
    void aStrategicMergePatchMergesContainersByNameWhereAMergePatchReplacesTheList(KubernetesClient k8s) {
        Deployment d = new DeploymentBuilder().withNewMetadata().withName("patched").endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", "patched").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "patched").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer()
                .addNewContainer().withName("side").withImage("nginx").endContainer().endSpec()
                .endTemplate().endSpec().build();
        k8s.apps().deployments().resource(d).create();

        Deployment strategic = k8s.apps().deployments().withName("patched").patch(PatchContext.of(
                PatchType.STRATEGIC_MERGE), "{\"spec\": {\"template\": {\"spec\": {\"containers\": "
                + "[{\"name\": \"main\", \"image\": \"busybox:1.36\"}]}}}}");
        assertThat(strategic.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getName() + "=" + c.getImage()).containsExactly("main=busybox:1.36", "side=nginx");

        Deployment merged = k8s.apps().deployments().withName("patched").patch(PatchContext.of(
                PatchType.JSON_MERGE), "{\"spec\": {\"template\": {\"spec\": {\"containers\": "
                + "[{\"name\": \"main\", \"image\": \"busybox:1.37\"}]}}}}");
        assertThat(merged.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getName() + "=" + c.getImage()).containsExactly("main=busybox:1.37");
    }
}

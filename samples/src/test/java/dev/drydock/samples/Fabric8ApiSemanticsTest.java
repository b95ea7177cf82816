package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.drydock.junit.Cluster;
import dev.drydock.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * fabric8's client on what lies beyond plain CRUD: a CustomResourceDefinition and its custom resources, the eviction
 * API against a PodDisruptionBudget, and the error codes kube answers.
 */
@Cluster(nodes = 1)
class Fabric8ApiSemanticsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static KubernetesClientException failure(ThrowingCallable call) {
        var caught = new KubernetesClientException[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(KubernetesClientException.class, e -> caught[0] = e);
        return caught[0];
    }

    private static Pod pod(String name, String app) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels("app", app).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer().endSpec()
                .build();
    }

    @Test
    void aCustomResourceDefinitionServesValidatedDefaultedWidgetsWithStatusAndScale(KubernetesClient k8s,
                                                                                    @TestNamespace String ns) {
        k8s.apiextensions().v1().customResourceDefinitions().resource(Serialization.unmarshal(
                CustomResourceSamples.CRD, CustomResourceDefinition.class)).create();
        k8s.apiextensions().v1().customResourceDefinitions().withName(CustomResourceSamples.CRD_NAME)
                .waitUntilCondition(crd -> crd != null && crd.getStatus() != null && crd.getStatus().getConditions()
                        .stream().anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")),
                        30, TimeUnit.SECONDS);
        var widgets = k8s.genericKubernetesResources(new ResourceDefinitionContext.Builder()
                .withGroup(CustomResourceSamples.GROUP).withVersion(CustomResourceSamples.VERSION)
                .withKind(CustomResourceSamples.KIND).withPlural(CustomResourceSamples.PLURAL).withNamespaced(true)
                .build()).inNamespace(ns);

        // Defaulting: the schema's default for a field the object leaves out.
        GenericKubernetesResource created = widgets.resource(Serialization.unmarshal(CustomResourceSamples.widget(
                ns, "small", "{\"size\": 2, \"replicas\": 1}"), GenericKubernetesResource.class)).create();
        assertThat(created.<String>get("spec", "color")).isEqualTo("blue");
        assertThat(widgets.withName("small").get().<String>get("spec", "color")).isEqualTo("blue");
        assertThat(widgets.list().getItems()).extracting(w -> w.getMetadata().getName()).containsExactly("small");

        // Validation: 422 Invalid, one cause per broken field.
        KubernetesClientException invalid = failure(() -> widgets.resource(Serialization.unmarshal(
                CustomResourceSamples.widget(ns, "huge", "{\"size\": 20, \"color\": \"pink\"}"),
                GenericKubernetesResource.class)).create());
        assertThat(invalid.getCode()).isEqualTo(422);
        assertThat(invalid.getStatus().getReason()).isEqualTo("Invalid");
        assertThat(invalid.getStatus().getDetails().getKind()).isEqualTo(CustomResourceSamples.KIND);
        assertThat(invalid.getStatus().getDetails().getName()).isEqualTo("huge");
        assertThat(invalid.getStatus().getDetails().getCauses()).extracting(StatusCause::getField)
                .contains("spec.size", "spec.color");
        assertThat(invalid.getStatus().getDetails().getCauses()).extracting(StatusCause::getReason)
                .contains("FieldValueInvalid", "FieldValueNotSupported");
        KubernetesClientException missing = failure(() -> widgets.resource(Serialization.unmarshal(
                CustomResourceSamples.widget(ns, "sizeless", "{}"), GenericKubernetesResource.class)).create());
        assertThat(missing.getCode()).isEqualTo(422);
        assertThat(missing.getStatus().getDetails().getCauses()).extracting(StatusCause::getField, StatusCause::getReason)
                .contains(org.assertj.core.groups.Tuple.tuple("spec.size", "FieldValueRequired"));

        // The status subresource: /status writes status only, the main resource ignores status.
        GenericKubernetesResource withStatus = widgets.withName("small").subresource("status").patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"spec\": {\"size\": 9}, \"status\": {\"phase\": \"Ready\", "
                        + "\"replicas\": 1, \"selector\": \"app=small\"}}");
        assertThat(withStatus.<String>get("status", "phase")).isEqualTo("Ready");
        assertThat(withStatus.<Integer>get("spec", "size")).isEqualTo(2);
        GenericKubernetesResource mainPatched = widgets.withName("small").patch(PatchContext.of(
                PatchType.JSON_MERGE), "{\"spec\": {\"size\": 3}, \"status\": {\"phase\": \"Hacked\"}}");
        assertThat(mainPatched.<Integer>get("spec", "size")).isEqualTo(3);
        assertThat(mainPatched.<String>get("status", "phase")).isEqualTo("Ready");

        // The scale subresource: spec.replicas, status.replicas and the selector, as an autoscaling/v1 Scale.
        Scale scale = widgets.withName("small").scale();
        assertThat(scale.getSpec().getReplicas()).isEqualTo(1);
        assertThat(scale.getStatus().getReplicas()).isEqualTo(1);
        assertThat(scale.getStatus().getSelector()).isEqualTo("app=small");
        widgets.withName("small").scale(4);
        assertThat(widgets.withName("small").get().<Integer>get("spec", "replicas")).isEqualTo(4);

        // A strategic merge patch is for built-in kinds only: 415 for a custom resource.
        KubernetesClientException unsupported = failure(() -> widgets.withName("small").patch(PatchContext.of(
                PatchType.STRATEGIC_MERGE), "{\"spec\": {\"size\": 5}}"));
        assertThat(unsupported.getCode()).isEqualTo(415);
        assertThat(unsupported.getStatus().getReason()).isEqualTo("UnsupportedMediaType");
        // JSON patch works on them as on every kind.
        GenericKubernetesResource jsonPatched = widgets.withName("small").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\": \"replace\", \"path\": \"/spec/color\", \"value\": \"green\"}]");
        assertThat(jsonPatched.<String>get("spec", "color")).isEqualTo("green");

        // Deleting the definition deletes its objects.
        k8s.apiextensions().v1().customResourceDefinitions().withName(CustomResourceSamples.CRD_NAME).delete();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(k8s.apiextensions().v1()
                .customResourceDefinitions().withName(CustomResourceSamples.CRD_NAME).get()).isNull());
    }

    @Test
    void anEvictionThatWouldBreakADisruptionBudgetIsRefusedAndOneItAllowsDeletesThePod(KubernetesClient client) {
        // fabric8 retries a 429 itself (requestRetryBackoffLimit, 10 by default, honouring Retry-After); a test that
        // wants the answer at once turns that off, as users who retry themselves (kubectl drain does) do.
        try (KubernetesClient k8s = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
                client.getConfiguration()).withRequestRetryBackoffLimit(0).build()).build()) {
            evictions(k8s);
        }
    }

    private static void evictions(KubernetesClient k8s) {
        k8s.pods().resource(pod("guarded-1", "guarded")).create();
        k8s.pods().resource(pod("guarded-2", "guarded")).create();
        for (String name : List.of("guarded-1", "guarded-2")) {
            k8s.pods().withName(name).waitUntilCondition(p -> p != null && "Running".equals(p.getStatus().getPhase()),
                    30, TimeUnit.SECONDS);
        }
        k8s.policy().v1().podDisruptionBudget().resource(new PodDisruptionBudgetBuilder().withNewMetadata()
                .withName("guard").endMetadata().withNewSpec().withNewMinAvailable(2).withNewSelector()
                .addToMatchLabels("app", "guarded").endSelector().endSpec().build()).create();

        // fabric8's evict() answers false for kube's 429 TooManyRequests.
        assertThat(k8s.pods().withName("guarded-1").evict()).isFalse();
        assertThat(k8s.pods().withName("guarded-1").get().getMetadata().getDeletionTimestamp()).isNull();

        k8s.policy().v1().podDisruptionBudget().withName("guard").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\": {\"minAvailable\": 1}}");
        // Refused until the disruption controller has counted the budget anew; then allowed, as kubectl drain retries.
        await().atMost(PATIENCE).until(() -> k8s.pods().withName("guarded-1").evict());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(k8s.pods().withName("guarded-1").get()).isNull());
        assertThat(k8s.pods().withName("guarded-2").get().getMetadata().getDeletionTimestamp()).isNull();
    }

    @Test
    void notFoundAlreadyExistsConflictInvalidAndBadRequestCarryKubesStatus(KubernetesClient k8s) {
        KubernetesClientException notFound = failure(() -> k8s.apps().deployments().withName("missing")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\": {\"labels\": {\"a\": \"b\"}}}"));
        assertThat(notFound.getCode()).isEqualTo(404);
        assertThat(notFound.getStatus().getReason()).isEqualTo("NotFound");
        assertThat(notFound.getStatus().getDetails().getName()).isEqualTo("missing");
        assertThat(notFound.getStatus().getDetails().getKind()).isEqualTo("deployments");

        ConfigMap first = k8s.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("once")
                .endMetadata().addToData("v", "1").build()).create();
        KubernetesClientException exists = failure(() -> k8s.configMaps().resource(new ConfigMapBuilder()
                .withNewMetadata().withName("once").endMetadata().build()).create());
        assertThat(exists.getCode()).isEqualTo(409);
        assertThat(exists.getStatus().getReason()).isEqualTo("AlreadyExists");

        k8s.configMaps().withName("once").edit(cm -> new ConfigMapBuilder(cm).addToData("v", "2").build());
        ConfigMap stale = new ConfigMapBuilder(first).addToData("v", "3").build();
        KubernetesClientException conflict = failure(() -> k8s.configMaps().resource(stale).update());
        assertThat(conflict.getCode()).isEqualTo(409);
        assertThat(conflict.getStatus().getReason()).isEqualTo("Conflict");
        assertThat(k8s.configMaps().withName("once").get().getData()).containsEntry("v", "2");

        Deployment negative = new DeploymentBuilder().withNewMetadata().withName("negative").endMetadata()
                .withNewSpec().withReplicas(-1).withNewSelector().addToMatchLabels("app", "n").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "n").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer().endSpec()
                .endTemplate().endSpec().build();
        KubernetesClientException invalid = failure(() -> k8s.apps().deployments().resource(negative).create());
        assertThat(invalid.getCode()).isEqualTo(422);
        assertThat(invalid.getStatus().getReason()).isEqualTo("Invalid");
        assertThat(invalid.getStatus().getDetails().getCauses()).extracting(StatusCause::getField,
                StatusCause::getReason).containsExactly(org.assertj.core.groups.Tuple.tuple("spec.replicas",
                "FieldValueInvalid"));

        KubernetesClientException badLabels = failure(() -> k8s.pods().list(new ListOptionsBuilder()
                .withLabelSelector("app in (web").build()));
        assertThat(badLabels.getCode()).isEqualTo(400);
        assertThat(badLabels.getStatus().getReason()).isEqualTo("BadRequest");
        KubernetesClientException badFields = failure(() -> k8s.pods().withField("spec.noSuchField", "x").list());
        assertThat(badFields.getCode()).isEqualTo(400);
        assertThat(badFields.getStatus().getReason()).isEqualTo("BadRequest");
        assertThat(badFields.getStatus().getMessage()).contains("spec.noSuchField");
    }

    @Test
    void aConfigMapsDataCanBeEditedTheWayUsersEditIt(KubernetesClient k8s) {
        // edit() computes a JSON patch from the change; the object keeps what the edit did not touch.
        k8s.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("edited").endMetadata()
                .addToData(Map.of("keep", "1", "change", "a")).build()).create();
        ConfigMap edited = k8s.configMaps().withName("edited").edit(cm -> new ConfigMapBuilder(cm)
                .addToData("change", "b").removeFromData("keep").build());
        assertThat(edited.getData()).containsExactly(Map.entry("change", "b"));
    }
}

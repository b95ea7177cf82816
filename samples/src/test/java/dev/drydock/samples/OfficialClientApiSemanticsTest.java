package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.groups.Tuple.tuple;

import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import dev.drydock.junit.Cluster;
import dev.drydock.junit.TestNamespace;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.apis.PolicyV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1Eviction;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudgetSpec;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusCause;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The official Kubernetes Java client on what lies beyond plain CRUD: a CustomResourceDefinition and its custom
 * resources (through {@link CustomObjectsApi}, as its users reach them), the eviction API against a
 * PodDisruptionBudget, and the error codes kube answers, read as {@link ApiException}s and their {@link V1Status}.
 */
@Cluster(nodes = 1)
class OfficialClientApiSemanticsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** The Status a failed call carried, with its HTTP code checked against the exception's. */
    private static V1Status failure(ApiClient client, int code, ThrowingCallable call) {
        V1Status[] status = new V1Status[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getCode()).isEqualTo(code);
            status[0] = client.getJSON().deserialize(e.getResponseBody(), V1Status.class);
        });
        assertThat(status[0].getCode()).isEqualTo(code);
        assertThat(status[0].getStatus()).isEqualTo("Failure");
        return status[0];
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object object) {
        return (Map<String, Object>) object;
    }

    private static Object at(Object object, String... path) {
        Object value = object;
        for (String key : path) {
            value = value == null ? null : map(value).get(key);
        }
        return value;
    }

    /** A request body as the JSON text says it (a JsonElement is written verbatim; a Map would turn 2 into 2.0). */
    private static Object json(String text) {
        return JsonParser.parseString(text);
    }

    private static V1Pod pod(String name, String app) {
        return new V1Pod().metadata(new V1ObjectMeta().name(name).labels(Map.of("app", app)))
                .spec(new V1PodSpec().containers(List.of(new V1Container().name("main").image("busybox"))));
    }

    @Test
    void aCustomResourceDefinitionServesValidatedDefaultedWidgetsWithStatusAndScale(ApiClient client,
                                                                                    @TestNamespace String ns)
            throws ApiException {
        ApiextensionsV1Api extensions = new ApiextensionsV1Api(client);
        extensions.createCustomResourceDefinition(client.getJSON().deserialize(CustomResourceSamples.CRD,
                V1CustomResourceDefinition.class)).execute();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(extensions.readCustomResourceDefinition(
                CustomResourceSamples.CRD_NAME).execute().getStatus().getConditions())
                .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Established=True")));
        CustomObjectsApi custom = new CustomObjectsApi(client);
        String group = CustomResourceSamples.GROUP;
        String version = CustomResourceSamples.VERSION;
        String plural = CustomResourceSamples.PLURAL;

        // Defaulting: the schema's default for a field the object leaves out.
        Object created = custom.createNamespacedCustomObject(group, version, ns, plural,
                json(CustomResourceSamples.widget(ns, "small", "{\"size\": 2, \"replicas\": 1}"))).execute();
        assertThat(at(created, "spec", "color")).isEqualTo("blue");
        assertThat(at(custom.getNamespacedCustomObject(group, version, ns, plural, "small").execute(), "spec",
                "color")).isEqualTo("blue");

        // Validation: 422 Invalid, one cause per broken field.
        V1Status invalid = failure(client, 422, () -> custom.createNamespacedCustomObject(group, version, ns, plural,
                json(CustomResourceSamples.widget(ns, "huge", "{\"size\": 20, \"color\": \"pink\"}"))).execute());
        assertThat(invalid.getReason()).isEqualTo("Invalid");
        assertThat(invalid.getDetails().getKind()).isEqualTo(CustomResourceSamples.KIND);
        assertThat(invalid.getDetails().getGroup()).isEqualTo(group);
        assertThat(invalid.getDetails().getCauses()).extracting(V1StatusCause::getField, V1StatusCause::getReason)
                .contains(tuple("spec.size", "FieldValueInvalid"), tuple("spec.color", "FieldValueNotSupported"));

        // The status subresource writes status only; the main resource ignores status.
        Object withStatus = PatchUtils.patch(Object.class, () -> custom.patchNamespacedCustomObjectStatus(group,
                version, ns, plural, "small", json("{\"spec\": {\"size\": 9}, \"status\": {\"phase\": \"Ready\", "
                        + "\"replicas\": 1, \"selector\": \"app=small\"}}")).buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
        assertThat(at(withStatus, "status", "phase")).isEqualTo("Ready");
        assertThat(at(withStatus, "spec", "size")).isEqualTo(2.0);
        Object mainPatched = PatchUtils.patch(Object.class, () -> custom.patchNamespacedCustomObject(group, version,
                ns, plural, "small", json("{\"spec\": {\"size\": 3}, \"status\": {\"phase\": \"Hacked\"}}"))
                .buildCall(null), V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
        assertThat(at(mainPatched, "spec", "size")).isEqualTo(3.0);
        assertThat(at(mainPatched, "status", "phase")).isEqualTo("Ready");

        // The scale subresource.
        Object scale = custom.getNamespacedCustomObjectScale(group, version, ns, plural, "small").execute();
        assertThat(at(scale, "kind")).isEqualTo("Scale");
        assertThat(at(scale, "spec", "replicas")).isEqualTo(1.0);
        assertThat(at(scale, "status", "selector")).isEqualTo("app=small");
        PatchUtils.patch(Object.class, () -> custom.patchNamespacedCustomObjectScale(group, version, ns, plural,
                "small", json("{\"spec\": {\"replicas\": 4}}")).buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
        assertThat(at(custom.getNamespacedCustomObject(group, version, ns, plural, "small").execute(), "spec",
                "replicas")).isEqualTo(4.0);

        // A strategic merge patch is for built-in kinds only: 415 for a custom resource.
        DynamicKubernetesApi widgets = new DynamicKubernetesApi(group, version, plural, client);
        var refused = widgets.patch(ns, "small", V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH,
                new V1Patch("{\"spec\": {\"size\": 5}}"));
        assertThat(refused.getHttpStatusCode()).isEqualTo(415);
        assertThat(refused.getStatus().getReason()).isEqualTo("UnsupportedMediaType");
        DynamicKubernetesObject jsonPatched = widgets.patch(ns, "small", V1Patch.PATCH_FORMAT_JSON_PATCH,
                new V1Patch("[{\"op\": \"replace\", \"path\": \"/spec/color\", \"value\": \"green\"}]"))
                .throwsApiException().getObject();
        assertThat(jsonPatched.getRaw().getAsJsonObject("spec").get("color").getAsString()).isEqualTo("green");
        assertThat(widgets.list(ns).throwsApiException().getObject().getItems()).hasSize(1);

        // Deleting the definition deletes its objects.
        extensions.deleteCustomResourceDefinition(CustomResourceSamples.CRD_NAME).execute();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(extensions.listCustomResourceDefinition().execute()
                .getItems()).noneMatch(c -> c.getMetadata().getName().equals(CustomResourceSamples.CRD_NAME)));
    }

    @Test
    void anEvictionThatWouldBreakADisruptionBudgetIsTooManyRequestsAndOneItAllowsDeletesThePod(
            ApiClient client, @TestNamespace String ns) throws ApiException {
        CoreV1Api core = new CoreV1Api(client);
        core.createNamespacedPod(ns, pod("guarded-1", "guarded")).execute();
        core.createNamespacedPod(ns, pod("guarded-2", "guarded")).execute();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(core.listNamespacedPod(ns).execute().getItems())
                .extracting(p -> p.getStatus().getPhase()).containsExactly("Running", "Running"));
        PolicyV1Api policy = new PolicyV1Api(client);
        policy.createNamespacedPodDisruptionBudget(ns, new V1PodDisruptionBudget()
                .metadata(new V1ObjectMeta().name("guard")).spec(new V1PodDisruptionBudgetSpec()
                        .minAvailable(new IntOrString(2)).selector(new V1LabelSelector()
                                .matchLabels(Map.of("app", "guarded"))))).execute();

        V1Eviction eviction = new V1Eviction().metadata(new V1ObjectMeta().name("guarded-1").namespace(ns));
        V1Status refused = failure(client, 429, () -> core.createNamespacedPodEviction("guarded-1", ns, eviction)
                .execute());
        assertThat(refused.getReason()).isEqualTo("TooManyRequests");
        assertThat(refused.getDetails().getCauses()).extracting(V1StatusCause::getReason)
                .containsExactly("DisruptionBudget");
        assertThat(core.readNamespacedPod("guarded-1", ns).execute().getMetadata().getDeletionTimestamp()).isNull();

        PatchUtils.patch(V1PodDisruptionBudget.class, () -> policy.patchNamespacedPodDisruptionBudget("guard", ns,
                new V1Patch("{\"spec\": {\"minAvailable\": 1}}")).buildCall(null),
                V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
        await().atMost(PATIENCE).untilAsserted(() -> {
            V1PodDisruptionBudget pdb = policy.readNamespacedPodDisruptionBudget("guard", ns).execute();
            assertThat(pdb.getStatus().getObservedGeneration()).isEqualTo(pdb.getMetadata().getGeneration());
            assertThat(pdb.getStatus().getCurrentHealthy()).isEqualTo(2);
            assertThat(pdb.getStatus().getDesiredHealthy()).isEqualTo(1);
            assertThat(pdb.getStatus().getDisruptionsAllowed()).isEqualTo(1);
        });
        // kube answers an eviction with a Status (201, Success), which client-java's typed V1Eviction result refuses
        // to read, against kube as here: users read the raw response.
        try (okhttp3.Response evicted = core.createNamespacedPodEviction("guarded-1", ns, eviction).buildCall(null)
                .execute()) {
            assertThat(evicted.code()).isEqualTo(201);
            V1Status success = client.getJSON().deserialize(evicted.body().string(), V1Status.class);
            assertThat(success.getStatus()).isEqualTo("Success");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(core.listNamespacedPod(ns).execute().getItems())
                .extracting(p -> p.getMetadata().getName()).containsExactly("guarded-2"));
    }

    @Test
    void notFoundAlreadyExistsConflictInvalidAndBadRequestCarryKubesStatus(ApiClient client,
                                                                           @TestNamespace String ns)
            throws ApiException {
        CoreV1Api core = new CoreV1Api(client);
        V1Status notFound = failure(client, 404, () -> core.readNamespacedConfigMap("missing", ns).execute());
        assertThat(notFound.getReason()).isEqualTo("NotFound");
        assertThat(notFound.getMessage()).isEqualTo("configmaps \"missing\" not found");
        assertThat(notFound.getDetails().getName()).isEqualTo("missing");
        assertThat(notFound.getDetails().getKind()).isEqualTo("configmaps");

        V1ConfigMap first = core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(new V1ObjectMeta()
                .name("once")).data(Map.of("v", "1"))).execute();
        V1Status exists = failure(client, 409, () -> core.createNamespacedConfigMap(ns, new V1ConfigMap()
                .metadata(new V1ObjectMeta().name("once"))).execute());
        assertThat(exists.getReason()).isEqualTo("AlreadyExists");
        assertThat(exists.getMessage()).isEqualTo("configmaps \"once\" already exists");

        core.replaceNamespacedConfigMap("once", ns, core.readNamespacedConfigMap("once", ns).execute()
                .data(Map.of("v", "2"))).execute();
        V1Status conflict = failure(client, 409, () -> core.replaceNamespacedConfigMap("once", ns,
                first.data(Map.of("v", "3"))).execute());
        assertThat(conflict.getReason()).isEqualTo("Conflict");
        assertThat(conflict.getMessage()).startsWith("Operation cannot be fulfilled on configmaps \"once\": ");

        Map<String, String> app = Map.of("app", "n");
        V1Status invalid = failure(client, 422, () -> new AppsV1Api(client).createNamespacedDeployment(ns,
                new V1Deployment().metadata(new V1ObjectMeta().name("negative")).spec(new V1DeploymentSpec()
                        .replicas(-1).selector(new V1LabelSelector().matchLabels(app)).template(new V1PodTemplateSpec()
                                .metadata(new V1ObjectMeta().labels(app)).spec(new V1PodSpec().containers(List.of(
                                        new V1Container().name("main").image("busybox"))))))).execute());
        assertThat(invalid.getReason()).isEqualTo("Invalid");
        assertThat(invalid.getDetails().getKind()).isEqualTo("Deployment");
        assertThat(invalid.getDetails().getGroup()).isEqualTo("apps");
        assertThat(invalid.getDetails().getCauses()).extracting(V1StatusCause::getField, V1StatusCause::getReason)
                .containsExactly(tuple("spec.replicas", "FieldValueInvalid"));

        V1Status badLabels = failure(client, 400, () -> core.listNamespacedPod(ns).labelSelector("app in (web")
                .execute());
        assertThat(badLabels.getReason()).isEqualTo("BadRequest");
        V1Status badFields = failure(client, 400, () -> core.listNamespacedPod(ns)
                .fieldSelector("spec.noSuchField=x").execute());
        assertThat(badFields.getReason()).isEqualTo("BadRequest");
        assertThat(badFields.getMessage()).contains("spec.noSuchField");

        // A patch body in a media type no patch is: 415.
        V1Status unsupported = failure(client, 415, () -> PatchUtils.patch(V1ConfigMap.class,
                () -> core.patchNamespacedConfigMap("once", ns, new V1Patch("{\"data\": {}}")).buildCall(null),
                "application/x-www-form-urlencoded", client));
        assertThat(unsupported.getReason()).isEqualTo("UnsupportedMediaType");
    }

}

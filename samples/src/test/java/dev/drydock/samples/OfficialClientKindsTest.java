package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.drydock.junit.Cluster;
import dev.drydock.junit.TestNamespace;
import dev.drydock.samples.KindSamples.KindSample;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1StatefulSetSpec;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.Watchable;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.ListOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official Kubernetes Java client ({@code io.kubernetes:client-java}), as its users use it, on every kind drydock
 * serves: {@link DynamicKubernetesApi} over the shared table of samples ({@link KindSamples}), the typed APIs
 * ({@link CoreV1Api}, {@link AppsV1Api}, {@link RbacAuthorizationV1Api}) on a few kinds, and a
 * {@link SharedInformerFactory} informer.
 */
@Cluster(nodes = 1)
class OfficialClientKindsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Answers the response's object, or throws its failure as the ApiException users get. */
    private static <T extends io.kubernetes.client.common.KubernetesType> T ok(KubernetesApiResponse<T> response)
            throws ApiException {
        return response.throwsApiException().getObject();
    }

    private static JsonObject labels(DynamicKubernetesObject object) {
        JsonObject metadata = object.getRaw().getAsJsonObject("metadata");
        if (!metadata.has("labels")) {
            metadata.add("labels", new JsonObject());
        }
        return metadata.getAsJsonObject("labels");
    }

    private static void patch(DynamicKubernetesApi api, String namespace, String name, String type, String body)
            throws ApiException {
        ok(namespace == null ? api.patch(name, type, new V1Patch(body))
                : api.patch(namespace, name, type, new V1Patch(body)));
    }

    /** Retries {@code update} on a 409 Conflict, as client-go's RetryOnConflict does, for kinds controllers write. */
    private interface Update {
        void run() throws ApiException;
    }

    private static void retryOnConflict(Update update) throws ApiException {
        for (int attempt = 1; ; attempt++) {
            try {
                update.run();
                return;
            } catch (ApiException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.drydock.samples.KindSamples#crud")
    void aKindIsCreatedReadListedUpdatedPatchedWatchedAndDeleted(KindSample sample, ApiClient client,
                                                                 @TestNamespace String ns) throws Exception {
        DynamicKubernetesApi api = new DynamicKubernetesApi(sample.group(), sample.version(), sample.plural(), client);
        String name = sample.name();
        String scope = sample.namespaced() ? ns : null;
        ListOptions rowOnly = new ListOptions().labelSelector(KindSamples.ROW_LABEL + "=" + sample.id());

        List<String> events = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (Watchable<DynamicKubernetesObject> watch = scope == null ? api.watch(rowOnly)
                : api.watch(scope, rowOnly)) {
            Thread reader = new Thread(() -> {
                try {
                    for (Watch.Response<DynamicKubernetesObject> event : watch) {
                        events.add(event.type + " " + (event.object == null ? event.status
                                : event.object.getMetadata().getName()));
                    }
                } catch (RuntimeException e) {
                    if (!(e.getCause() instanceof IOException)) { // closing the watch ends the read with one
                        failures.add(e);
                    }
                }
            }, "official-kinds-watch");
            reader.setDaemon(true);
            reader.start();

            DynamicKubernetesObject created = ok(api.create(new DynamicKubernetesObject(
                    JsonParser.parseString(sample.json(ns)).getAsJsonObject())));
            assertThat(created.getKind()).isEqualTo(sample.kind());
            assertThat(created.getApiVersion()).isEqualTo(sample.apiVersion());
            assertThat(created.getMetadata().getUid()).isNotBlank();
            assertThat(created.getMetadata().getResourceVersion()).isNotBlank();

            DynamicKubernetesObject read = ok(scope == null ? api.get(name) : api.get(scope, name));
            assertThat(read.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
            assertThat(ok(scope == null ? api.list(rowOnly) : api.list(scope, rowOnly)).getItems())
                    .extracting(o -> o.getMetadata().getName()).containsExactly(name);

            retryOnConflict(() -> {
                DynamicKubernetesObject current = ok(scope == null ? api.get(name) : api.get(scope, name));
                labels(current).addProperty("updated", "yes");
                ok(api.update(current));
            });
            patch(api, scope, name, V1Patch.PATCH_FORMAT_JSON_PATCH,
                    "[{\"op\": \"add\", \"path\": \"/metadata/labels/json-patched\", \"value\": \"yes\"}]");
            patch(api, scope, name, V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
                    "{\"metadata\": {\"labels\": {\"merge-patched\": \"yes\"}}}");
            if (sample.strategicMergePatch()) {
                patch(api, scope, name, V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH,
                        "{\"metadata\": {\"labels\": {\"strategic-patched\": \"yes\"}}}");
            }
            Map<String, String> labels = ok(scope == null ? api.get(name) : api.get(scope, name)).getMetadata()
                    .getLabels();
            assertThat(labels).containsEntry("updated", "yes").containsEntry("json-patched", "yes")
                    .containsEntry("merge-patched", "yes").containsEntry(KindSamples.ROW_LABEL, sample.id());
            if (sample.strategicMergePatch()) {
                assertThat(labels).containsEntry("strategic-patched", "yes");
            }

            ok(scope == null ? api.delete(name) : api.delete(scope, name));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat((scope == null ? api.get(name)
                    : api.get(scope, name)).getHttpStatusCode()).isEqualTo(404));
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(failures).isEmpty();
                assertThat(events).contains("DELETED " + name);
            });
            assertThat(events).containsSubsequence("ADDED " + name, "MODIFIED " + name, "DELETED " + name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.drydock.samples.KindSamples#reviews")
    void aReviewIsCreatedAndAnswered(KindSample sample, ApiClient client, @TestNamespace String ns)
            throws ApiException {
        DynamicKubernetesApi api = new DynamicKubernetesApi(sample.group(), sample.version(), sample.plural(), client);
        DynamicKubernetesObject answer = ok(api.create(new DynamicKubernetesObject(
                JsonParser.parseString(sample.json(ns)).getAsJsonObject())));
        assertThat(answer.getKind()).isEqualTo(sample.kind());
        var status = answer.getRaw().get("status");
        assertThat(KindSamples.statusMismatches(sample, status == null ? null : status.toString())).isEmpty();
    }

    @Test
    void configMapsThroughCoreV1ApiAndASharedInformerFactory(ApiClient client, @TestNamespace String ns)
            throws ApiException {
        CoreV1Api core = new CoreV1Api(client);
        SharedInformerFactory factory = new SharedInformerFactory(client);
        SharedIndexInformer<V1ConfigMap> informer = factory.sharedIndexInformerFor(new GenericKubernetesApi<>(
                V1ConfigMap.class, V1ConfigMapList.class, "", "v1", "configmaps", client), V1ConfigMap.class, 0, ns);
        List<String> seen = new CopyOnWriteArrayList<>();
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(V1ConfigMap cm) {
                seen.add("add " + cm.getMetadata().getName() + " " + cm.getData());
            }

            @Override
            public void onUpdate(V1ConfigMap oldCm, V1ConfigMap newCm) {
                seen.add("update " + newCm.getMetadata().getName() + " " + newCm.getData());
            }

            @Override
            public void onDelete(V1ConfigMap cm, boolean finalStateUnknown) {
                seen.add("delete " + cm.getMetadata().getName());
            }
        });
        factory.startAllRegisteredInformers();
        try {
            await().atMost(PATIENCE).until(informer::hasSynced);
            core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(new V1ObjectMeta().name("settings"))
                    .data(Map.of("color", "blue"))).execute();
            V1ConfigMap patched = PatchUtils.patch(V1ConfigMap.class, () -> core.patchNamespacedConfigMap(
                    "settings", ns, new V1Patch("{\"data\": {\"color\": \"green\"}}")).buildCall(null),
                    V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
            assertThat(patched.getData()).containsEntry("color", "green");
            await().atMost(PATIENCE).until(() -> seen.contains("update settings {color=green}"));
            assertThat(informer.getIndexer().getByKey(ns + "/settings").getData()).containsEntry("color", "green");
            assertThat(core.listNamespacedConfigMap(ns).execute().getItems())
                    .extracting(cm -> cm.getMetadata().getName()).contains("settings");

            core.deleteNamespacedConfigMap("settings", ns).execute();
            await().atMost(PATIENCE).until(() -> seen.contains("delete settings"));
            assertThat(seen).containsSubsequence("add settings {color=blue}", "update settings {color=green}",
                    "delete settings");
            assertThat(informer.getIndexer().getByKey(ns + "/settings")).isNull();
        } finally {
            factory.stopAllRegisteredInformers();
        }
    }

    @Test
    void secretsAndServicesThroughCoreV1Api(ApiClient client, @TestNamespace String ns) throws ApiException {
        CoreV1Api core = new CoreV1Api(client);
        core.createNamespacedSecret(ns, new V1Secret().metadata(new V1ObjectMeta().name("creds"))
                .stringData(Map.of("password", "s3cret"))).execute();
        V1Secret secret = core.readNamespacedSecret("creds", ns).execute();
        assertThat(secret.getType()).isEqualTo("Opaque");
        assertThat(secret.getStringData()).isNullOrEmpty();
        assertThat(new String(secret.getData().get("password"), StandardCharsets.UTF_8)).isEqualTo("s3cret");

        V1Service service = core.createNamespacedService(ns, new V1Service().metadata(new V1ObjectMeta().name("web"))
                .spec(new V1ServiceSpec().selector(Map.of("app", "web")).ports(List.of(new V1ServicePort()
                        .port(80))))).execute();
        assertThat(service.getSpec().getClusterIP()).isNotBlank().isNotEqualTo("None");
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getIntValue()).isEqualTo(80);
        V1Service read = core.readNamespacedService("web", ns).execute();
        read.getMetadata().labels(Map.of("tier", "front"));
        V1Service replaced = core.replaceNamespacedService("web", ns, read).execute();
        assertThat(replaced.getMetadata().getLabels()).containsEntry("tier", "front");
        assertThat(replaced.getSpec().getClusterIP()).isEqualTo(service.getSpec().getClusterIP());
        core.deleteNamespacedService("web", ns).execute();
        core.deleteNamespacedSecret("creds", ns).execute();
    }

    @Test
    void aStatefulSetThroughAppsV1ApiAndARoleThroughRbacAuthorizationV1Api(ApiClient client,
                                                                          @TestNamespace String ns)
            throws ApiException {
        AppsV1Api apps = new AppsV1Api(client);
        Map<String, String> app = Map.of("app", "db");
        V1StatefulSet created = apps.createNamespacedStatefulSet(ns, new V1StatefulSet()
                .metadata(new V1ObjectMeta().name("db")).spec(new V1StatefulSetSpec().replicas(2).serviceName("db")
                        .selector(new V1LabelSelector().matchLabels(app)).template(new V1PodTemplateSpec()
                                .metadata(new V1ObjectMeta().labels(app)).spec(new V1PodSpec().containers(List.of(
                                        new V1Container().name("main").image("busybox"))))))).execute();
        assertThat(created.getKind()).isEqualTo("StatefulSet");
        assertThat(created.getSpec().getPodManagementPolicy()).isEqualTo("OrderedReady");
        V1StatefulSet patched = PatchUtils.patch(V1StatefulSet.class, () -> apps.patchNamespacedStatefulSet("db", ns,
                new V1Patch("[{\"op\": \"replace\", \"path\": \"/spec/replicas\", \"value\": 1}]")).buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_PATCH, client);
        assertThat(patched.getSpec().getReplicas()).isEqualTo(1);
        assertThat(apps.listNamespacedStatefulSet(ns).execute().getItems()).extracting(s -> s.getMetadata()
                .getName()).containsExactly("db");
        apps.deleteNamespacedStatefulSet("db", ns).execute();

        RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(client);
        rbac.createNamespacedRole(ns, new V1Role().metadata(new V1ObjectMeta().name("reader")).rules(List.of(
                new V1PolicyRule().apiGroups(List.of("")).resources(List.of("pods")).verbs(List.of("get"))))).execute();
        V1Role merged = PatchUtils.patch(V1Role.class, () -> rbac.patchNamespacedRole("reader", ns, new V1Patch(
                "{\"rules\": [{\"apiGroups\": [\"\"], \"resources\": [\"pods\"], \"verbs\": [\"get\", \"list\"]}]}"))
                .buildCall(null), V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
        assertThat(merged.getRules()).singleElement().satisfies(r -> assertThat(r.getVerbs())
                .containsExactly("get", "list"));
        rbac.deleteNamespacedRole("reader", ns).execute();
    }
}

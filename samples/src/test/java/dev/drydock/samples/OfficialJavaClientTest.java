package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.reflect.TypeToken;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentCondition;
import io.kubernetes.client.openapi.models.V1DeploymentList;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Scale;
import io.kubernetes.client.openapi.models.V1ScaleSpec;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.Config;
import io.kubernetes.client.util.Watch;
import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import okhttp3.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official Kubernetes Java client ({@code io.kubernetes:client-java}) works against drydock over HTTP, with
 * objects built as its users build them: {@code new V1Pod().metadata(...).spec(...)}, without {@code kind} or
 * {@code apiVersion}, which the API server takes from the URL as kube-apiserver does.
 */
@Cluster(nodes = 3)
class OfficialJavaClientTest {

    private static final String NS = "default";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private ApiClient client;
    /** For watches and informers: no read timeout, since a watch may stay silent for long. */
    private ApiClient streaming;
    private CoreV1Api core;
    private AppsV1Api apps;

    @BeforeEach
    void connect(DrydockCluster cluster) throws IOException {
        client = Config.fromConfig(cluster.kubeconfig().toString());
        streaming = Config.fromConfig(cluster.kubeconfig().toString());
        streaming.setReadTimeout(0);
        core = new CoreV1Api(client);
        apps = new AppsV1Api(client);
    }

    @AfterEach
    void disconnect() {
        for (ApiClient c : List.of(client, streaming)) {
            c.getHttpClient().dispatcher().executorService().shutdown();
            c.getHttpClient().connectionPool().evictAll();
        }
    }

    private static V1Pod pod(String name, String app) {
        return new V1Pod()
                .metadata(new V1ObjectMeta().name(name).labels(Map.of("app", app)))
                .spec(new V1PodSpec().containers(List.of(new V1Container().name("main").image("busybox"))));
    }

    private static V1Deployment deployment(String name, int replicas) {
        Map<String, String> labels = Map.of("app", name);
        return new V1Deployment()
                .metadata(new V1ObjectMeta().name(name))
                .spec(new V1DeploymentSpec()
                        .replicas(replicas)
                        .selector(new V1LabelSelector().matchLabels(labels))
                        .template(new V1PodTemplateSpec()
                                .metadata(new V1ObjectMeta().labels(labels))
                                .spec(new V1PodSpec().containers(List.of(
                                        new V1Container().name("main").image("busybox"))))));
    }

    @Test
    void podsWithoutKindAreCreatedReadListedReplacedAndDeleted() throws ApiException {
        V1Pod body = pod("crud", "official-crud");
        assertThat(body.getKind()).isNull();
        assertThat(body.getApiVersion()).isNull();

        V1Pod created = core.createNamespacedPod(NS, body).execute();
        assertThat(created.getKind()).isEqualTo("Pod");
        assertThat(created.getApiVersion()).isEqualTo("v1");
        assertThat(created.getMetadata().getUid()).isNotBlank();

        V1Pod read = core.readNamespacedPod("crud", NS).execute();
        assertThat(read.getKind()).isEqualTo("Pod");
        assertThat(read.getApiVersion()).isEqualTo("v1");
        assertThat(read.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());

        V1PodList list = core.listNamespacedPod(NS).labelSelector("app=official-crud").execute();
        assertThat(list.getKind()).isEqualTo("PodList");
        assertThat(list.getItems()).extracting(p -> p.getMetadata().getName()).containsExactly("crud");

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(core.readNamespacedPod("crud", NS).execute()
                .getStatus().getPhase()).isEqualTo("Running"));
        // A replace of the object as read, stripped of its kind; unconditional, so the kubelet's status writes
        // cannot make it a conflict.
        V1Pod edited = core.readNamespacedPod("crud", NS).execute().kind(null).apiVersion(null);
        edited.getMetadata().resourceVersion(null).labels(Map.of("app", "official-crud", "edited", "yes"));
        V1Pod replaced = core.replaceNamespacedPod("crud", NS, edited).execute();
        assertThat(replaced.getKind()).isEqualTo("Pod");
        assertThat(replaced.getMetadata().getLabels()).containsEntry("edited", "yes");
        assertThat(core.readNamespacedPod("crud", NS).execute().getMetadata().getLabels())
                .containsEntry("edited", "yes");

        V1Pod deleted = core.deleteNamespacedPod("crud", NS).execute();
        assertThat(deleted.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
        await().atMost(PATIENCE).untilAsserted(() -> assertThatThrownBy(() -> core.readNamespacedPod("crud", NS)
                .execute()).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404)));
    }

    @Test
    void aDeploymentWithoutKindIsReplacedToThreeReplicasBecomesAvailableIsScaledAndDeleted() throws ApiException {
        V1Deployment created = apps.createNamespacedDeployment(NS, deployment("official", 1)).execute();
        assertThat(created.getKind()).isEqualTo("Deployment");
        assertThat(created.getApiVersion()).isEqualTo("apps/v1");

        V1Deployment edited = apps.readNamespacedDeployment("official", NS).execute().kind(null).apiVersion(null);
        edited.getMetadata().resourceVersion(null);
        edited.getSpec().replicas(3);
        V1Deployment replaced = apps.replaceNamespacedDeployment("official", NS, edited).execute();
        assertThat(replaced.getKind()).isEqualTo("Deployment");
        assertThat(replaced.getSpec().getReplicas()).isEqualTo(3);

        await().atMost(PATIENCE).untilAsserted(() -> {
            V1Deployment d = apps.readNamespacedDeployment("official", NS).execute();
            assertThat(d.getStatus().getReadyReplicas()).isEqualTo(3);
            assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(3);
            assertThat(d.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Available"))
                    .extracting(V1DeploymentCondition::getStatus).containsExactly("True");
        });
        V1DeploymentList list = apps.listNamespacedDeployment(NS).execute();
        assertThat(list.getKind()).isEqualTo("DeploymentList");
        assertThat(list.getItems()).extracting(d -> d.getMetadata().getName()).contains("official");
        assertThat(core.listNamespacedPod(NS).labelSelector("app=official").execute().getItems())
                .hasSize(3).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));

        // The scale subresource, with a V1Scale that names neither kind nor apiVersion either.
        V1Scale scale = apps.replaceNamespacedDeploymentScale("official", NS, new V1Scale()
                .metadata(new V1ObjectMeta().name("official").namespace(NS)).spec(new V1ScaleSpec().replicas(2)))
                .execute();
        assertThat(scale.getKind()).isEqualTo("Scale");
        assertThat(scale.getSpec().getReplicas()).isEqualTo(2);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(core.listNamespacedPod(NS)
                .labelSelector("app=official").execute().getItems()).hasSize(2));

        V1Status deleted = apps.deleteNamespacedDeployment("official", NS).execute();
        assertThat(deleted.getStatus()).isEqualTo("Success");
        assertThat(deleted.getDetails().getName()).isEqualTo("official");
        assertThat(deleted.getDetails().getUid()).isEqualTo(created.getMetadata().getUid());
        await().atMost(PATIENCE).untilAsserted(() -> assertThatThrownBy(() -> apps.readNamespacedDeployment(
                "official", NS).execute()).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getCode()).isEqualTo(404)));
    }

    @Test
    void aWatchOfPodsSeesAddedModifiedAndDeleted() throws Exception {
        CoreV1Api watching = new CoreV1Api(streaming);
        List<String> seen = watch(watching.listNamespacedPod(NS).labelSelector("app=official-watch").watch(true)
                .buildCall(null), new TypeToken<Watch.Response<V1Pod>>() { }.getType(),
                (V1Pod p) -> p.getKind() + " " + p.getMetadata().getName(), () -> {
                    core.createNamespacedPod(NS, pod("watched", "official-watch")).execute();
                    return "ADDED Pod watched";
                }, () -> {
                    // The scheduler's binding and the kubelet's status are modifications.
                    return "MODIFIED Pod watched";
                }, () -> {
                    core.deleteNamespacedPod("watched", NS).execute();
                    return "DELETED Pod watched";
                });
        assertThat(seen).containsSubsequence("ADDED Pod watched", "MODIFIED Pod watched", "DELETED Pod watched");
    }

    @Test
    void aWatchOfDeploymentsSeesAddedModifiedAndDeleted() throws Exception {
        AppsV1Api watching = new AppsV1Api(streaming);
        List<String> seen = watch(watching.listNamespacedDeployment(NS).fieldSelector("metadata.name=watched")
                .watch(true).buildCall(null), new TypeToken<Watch.Response<V1Deployment>>() { }.getType(),
                (V1Deployment d) -> d.getKind() + " " + d.getMetadata().getName(), () -> {
                    apps.createNamespacedDeployment(NS, deployment("watched", 1)).execute();
                    return "ADDED Deployment watched";
                }, () -> "MODIFIED Deployment watched", () -> {
                    apps.deleteNamespacedDeployment("watched", NS).execute();
                    return "DELETED Deployment watched";
                });
        assertThat(seen).containsSubsequence("ADDED Deployment watched", "MODIFIED Deployment watched",
                "DELETED Deployment watched");
    }

    /** A step of a watch test: does something, and names the event it must cause. */
    private interface Step {
        String run() throws ApiException;
    }

    /**
     * Opens a watch with {@code Watch.createWatch} (HTTP chunked streaming), runs the steps one after the other,
     * each once the previous one's event was seen, and answers the events seen as "TYPE Kind name".
     */
    private <T> List<String> watch(Call call, Type type, Function<T, String> describe, Step... steps)
            throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (Watch<T> watch = Watch.createWatch(streaming, call, type)) {
            Thread reader = new Thread(() -> {
                try {
                    for (Watch.Response<T> event : watch) {
                        seen.add(event.type + " " + (event.object == null ? event.status : describe.apply(
                                event.object)));
                    }
                } catch (RuntimeException e) {
                    if (!(e.getCause() instanceof IOException)) { // closing the watch ends the read with one
                        failures.add(e);
                    }
                }
            }, "official-client-watch");
            reader.setDaemon(true);
            reader.start();
            for (Step step : steps) {
                String expected = step.run();
                await().atMost(PATIENCE).untilAsserted(() -> {
                    assertThat(failures).isEmpty();
                    assertThat(seen).contains(expected);
                });
            }
        }
        return seen;
    }

    @Test
    void aSharedInformerSeesAddsUpdatesAndDeletes() throws ApiException {
        CoreV1Api informing = new CoreV1Api(streaming);
        SharedInformerFactory factory = new SharedInformerFactory(streaming);
        SharedIndexInformer<V1Pod> informer = factory.sharedIndexInformerFor(params -> informing
                        .listNamespacedPod(NS).labelSelector("app=official-informer")
                        .resourceVersion(params.resourceVersion).timeoutSeconds(params.timeoutSeconds)
                        .watch(params.watch).buildCall(null),
                V1Pod.class, V1PodList.class);
        List<String> seen = new CopyOnWriteArrayList<>();
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(V1Pod p) {
                seen.add("add " + p.getMetadata().getName());
            }

            @Override
            public void onUpdate(V1Pod oldPod, V1Pod newPod) {
                if ("Running".equals(newPod.getStatus().getPhase())
                        && !"Running".equals(oldPod.getStatus().getPhase())) {
                    seen.add("running " + newPod.getMetadata().getName());
                }
            }

            @Override
            public void onDelete(V1Pod p, boolean finalStateUnknown) {
                seen.add("delete " + p.getMetadata().getName());
            }
        });
        factory.startAllRegisteredInformers();
        try {
            await().atMost(PATIENCE).until(informer::hasSynced);

            core.createNamespacedPod(NS, pod("informed", "official-informer")).execute();
            await().atMost(PATIENCE).until(() -> seen.contains("running informed"));
            assertThat(informer.getIndexer().getByKey(NS + "/informed")).isNotNull();

            core.deleteNamespacedPod("informed", NS).execute();
            await().atMost(PATIENCE).until(() -> seen.contains("delete informed"));
            assertThat(seen).containsSubsequence("add informed", "running informed", "delete informed");
            assertThat(informer.getIndexer().getByKey(NS + "/informed")).isNull();
        } finally {
            factory.stopAllRegisteredInformers();
        }
    }
}

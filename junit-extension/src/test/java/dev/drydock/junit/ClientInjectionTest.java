package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.cluster.DrydockCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The extension hands tests a ready fabric8 client and an official ApiClient, and closes them after the test. */
@Cluster(nodes = 2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientInjectionTest {

    private static final AtomicReference<KubernetesClient> FIRST_FABRIC8 = new AtomicReference<>();
    private static final AtomicReference<ApiClient> FIRST_OFFICIAL = new AtomicReference<>();

    private KubernetesClient fabric8Field;
    private ApiClient officialField;
    @TestNamespace
    private String namespaceField;
    private KubernetesClient fromBeforeEach;

    @BeforeEach
    void connect(KubernetesClient k8s) {
        fromBeforeEach = k8s;
    }

    @Test
    @Order(1)
    void theFabric8ClientTalksToTheClusterInTheTestsNamespace(KubernetesClient k8s, @TestNamespace String namespace,
                                                              DrydockCluster cluster) {
        FIRST_FABRIC8.set(k8s);
        assertThat(k8s.getNamespace()).isEqualTo(namespace);
        assertThat(k8s.getMasterUrl().toString()).startsWith(cluster.apiUrl());
        assertThat(k8s.nodes().list().getItems()).hasSize(2);

        Pod created = k8s.pods().resource(pod("web")).create(); // no namespace given: the test's

        assertThat(created.getMetadata().getNamespace()).isEqualTo(namespace);
        // waits on a watch, so this also proves the client's watch settings
        Pod running = k8s.pods().withName("web").waitUntilCondition(p -> p != null
                && "Running".equals(p.getStatus().getPhase()), 30, TimeUnit.SECONDS);
        assertThat(running.getSpec().getNodeName()).startsWith("node-");
    }

    @Test
    @Order(2)
    void theFabric8ClientsInformersWork(KubernetesClient k8s) {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (SharedIndexInformer<Pod> informer = k8s.pods().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                seen.add(pod.getMetadata().getName());
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            }
        })) {
            k8s.pods().resource(pod("informed")).create();

            await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("informed"));
            assertThat(informer.getIndexer().list()).extracting(p -> p.getMetadata().getName())
                    .containsExactly("informed"); // only the test's namespace
        }
    }

    @Test
    @Order(3)
    void theOfficialClientTalksToTheCluster(ApiClient apiClient, KubernetesClient k8s,
                                            @TestNamespace String namespace) throws Exception {
        FIRST_OFFICIAL.set(apiClient);
        CoreV1Api core = new CoreV1Api(apiClient);
        k8s.pods().resource(pod("read-me")).create();

        assertThat(core.listNode().execute().getItems()).extracting(n -> n.getMetadata().getName())
                .containsExactlyInAnyOrder("node-1", "node-2");
        assertThat(core.listNamespacedPod(namespace).execute().getItems()).extracting(V1Pod::getMetadata)
                .extracting(m -> m.getName()).containsExactly("read-me");
        V1Node node = core.readNode("node-1").execute();
        assertThat(node.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods");
    }

    @Test
    @Order(4)
    void clientsAreClosedAfterTheirTest() {
        assertThat(FIRST_FABRIC8.get()).as("set by the first test").isNotNull();
        assertThat(FIRST_OFFICIAL.get()).as("set by the third test").isNotNull();

        assertThat(FIRST_FABRIC8.get().getHttpClient().isClosed()).isTrue();
        assertThat(FIRST_OFFICIAL.get().getHttpClient().dispatcher().executorService().isShutdown()).isTrue();
        assertThat(FIRST_OFFICIAL.get().getHttpClient().connectionPool().connectionCount()).isZero();
    }

    @Test
    @Order(5)
    void fieldsParametersAndBeforeEachMethodsOfOneTestShareItsClientsAndNamespace(
            KubernetesClient k8s, ApiClient apiClient, @TestNamespace String namespace) {
        assertThat(fabric8Field).isSameAs(k8s).isSameAs(fromBeforeEach).isNotSameAs(FIRST_FABRIC8.get());
        assertThat(officialField).isSameAs(apiClient).isNotSameAs(FIRST_OFFICIAL.get());
        assertThat(namespaceField).isEqualTo(namespace);
        assertThat(k8s.getHttpClient().isClosed()).isFalse();
    }

    @Test
    @Order(6)
    @Cluster(nodes = 1)
    void aMethodsOwnClusterGetsClientsOfItsOwn(KubernetesClient k8s, ApiClient apiClient,
                                               @TestNamespace String namespace, DrydockCluster cluster)
            throws Exception {
        assertThat(k8s.getMasterUrl().toString()).startsWith(cluster.apiUrl());
        assertThat(apiClient.getBasePath()).isEqualTo(cluster.apiUrl());
        assertThat(k8s.nodes().list().getItems()).hasSize(1);
        assertThat(new CoreV1Api(apiClient).readNamespace(namespace).execute().getStatus().getPhase())
                .isEqualTo("Active");
    }

    static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer().endSpec()
                .build();
    }
}

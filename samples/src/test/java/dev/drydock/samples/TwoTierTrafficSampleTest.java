package dev.drydock.samples;

import static dev.drydock.junit.assertions.DrydockAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.chaos.ApiFault;
import dev.drydock.chaos.NetworkFault;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.fake.ImageBehaviour;
import dev.drydock.fake.PodContext;
import dev.drydock.fake.PortHandler;
import dev.drydock.fake.PortHandlers;
import dev.drydock.junit.Cluster;
import dev.drydock.junit.TestNamespace;
import dev.drydock.runtime.ClusterHttp;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A two-tier app: {@code web} answers each request by calling the {@code backend} Service by its DNS name, from inside
 * the cluster (a short name: the pod's own namespace); the test drives requests at {@code web}'s Service through
 * {@code cluster.http()}, by its full name in the test's namespace. Both tiers are Java
 * behaviours registered on this cluster's images. It shows, as on Kubernetes:
 *
 * <ul>
 *   <li>a rolling update of the backend ({@code maxSurge: 1, maxUnavailable: 0}) drops no request: new pods join the
 *       backend's endpoints once ready, old ones leave them as they are deleted;
 *   <li>a partition that cuts one backend pod's node fails the calls kube-proxy sends there (a timeout, the web tier
 *       answers 502) until the node lifecycle controller marks the node, then its pods, not ready, and the
 *       endpoint leaves; then every call succeeds again on the backend left.
 * </ul>
 *
 * <p><b>Why the web tier retries a refused connection.</b> When a Deployment deletes an old pod, the kubelet stops it
 * while the endpoint controllers and then kube-proxy are still taking it out, so for a moment calls may go to a pod
 * that is gone; they are refused. On Kubernetes a pod is given its grace period (and apps add a {@code preStop}
 * sleep) to keep serving across that moment; drydock's kubelet stops a deleted pod at once for now. So the web tier
 * does what Envoy's {@code connect-failure} retry policy does: a refused connection (never processed, safe to retry)
 * is tried again after 25 ms, at most 3 times. A timeout is not retried, so the partition's failures show.
 */
@Cluster(nodes = 4, nodeCpu = "2")
class TwoTierTrafficSampleTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Every request loop is bounded in count and time. */
    private static final int MAX_REQUESTS = 5_000;
    private static final String WEB_NODE = "node-1";

    private DrydockCluster cluster;
    private KubernetesClient k8s;
    private String namespace;

    @BeforeEach
    void deployTheApp(DrydockCluster cluster, KubernetesClient k8s, @TestNamespace String namespace) {
        this.cluster = cluster;
        this.k8s = k8s;
        this.namespace = namespace;
        cluster.images().register("shop/backend:1", backend("v1"));
        cluster.images().register("shop/backend:2", backend("v2"));
        cluster.images().register("shop/web:1", web());
        k8s.apps().deployments().resource(deployment("backend", "shop/backend:1", 2, "1500m", null)).create();
        k8s.services().resource(service("backend")).create();
        k8s.apps().deployments().resource(deployment("web", "shop/web:1", 1, "100m", WEB_NODE)).create();
        k8s.services().resource(service("web")).create();
        assertThat(cluster).deployment("backend").within(PATIENCE).hasAvailableReplicas(2);
        assertThat(cluster).deployment("web").within(PATIENCE).hasAvailableReplicas(1);
        await().atMost(PATIENCE).ignoreExceptions().until(() -> get().status() == 200);
    }

    @Test
    void requestsKeepSucceedingThroughARollingUpdateOfTheBackend() {
        // A real app takes a while to start: holding the kubelets' pod status writes 100 ms makes each new pod
        // report ready that much later, so the rollout spans many requests.
        Map<String, Integer> answers = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        try (ApiFault slowStarts = cluster.apiFaults().all().verbs("update", "patch").resources("pods/status")
                .delay(Duration.ofMillis(100))) {
            k8s.apps().deployments().withName("backend").edit(d -> new DeploymentBuilder(d).editSpec()
                    .editTemplate().editSpec().editFirstContainer().withImage("shop/backend:2").endContainer()
                    .endSpec().endTemplate().endSpec().build());
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            int onlyV2 = 0;
            for (int i = 0; i < MAX_REQUESTS && System.nanoTime() < deadline && onlyV2 < 100; i++) {
                ClusterHttp.Response r = get();
                if (r.status() != 200) {
                    failures.add(r.status() + " " + r.bodyText());
                    continue;
                }
                String version = r.bodyText().split(" ")[2]; // "web <- v1 backend-..."
                answers.merge(version, 1, Integer::sum);
                onlyV2 = version.equals("v2") && rolledOut() ? onlyV2 + 1 : 0;
            }
        }
        assertThat(failures).as("requests that failed during the rollout").isEmpty();
        assertThat(answers).as("answers by backend version").containsKeys("v1", "v2");
        assertThat(cluster).deployment("backend").isRolledOut();
    }

    @Test
    void aPartitionedBackendFailsCallsUntilItsEndpointIsRemovedThenTheyAllSucceed() {
        Pod victim = k8s.pods().withLabel("app", "backend").list().getItems().stream()
                .filter(p -> !p.getSpec().getNodeName().equals(WEB_NODE)).findFirst().orElseThrow();
        String node = victim.getSpec().getNodeName();
        String victimIp = victim.getStatus().getPodIP();
        for (int i = 0; i < 20; i++) {
            assertThat(get().status()).as("before the partition").isEqualTo(200);
        }

        int failedBeforeRemoval = 0;
        int succeededBeforeRemoval = 0;
        List<String> failedAfter = new ArrayList<>();
        try (NetworkFault cut = cluster.isolate(node)) {
            // Until the endpoint goes, calls that kube-proxy sends to the cut node time out.
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            for (int i = 0; i < MAX_REQUESTS && System.nanoTime() < deadline && isReadyEndpoint(victimIp); i++) {
                ClusterHttp.Response r = get();
                if (r.status() == 200) {
                    succeededBeforeRemoval++;
                } else {
                    assertThat(r.bodyText()).contains("i/o timeout");
                    failedBeforeRemoval++;
                }
            }
            assertThat(isReadyEndpoint(victimIp)).as("the cut pod's endpoint is removed (not ready)").isFalse();
            assertThat(cluster).node(node).within(PATIENCE).isNotReady();
            // kube-proxy hears of the change a moment later; from then on every call succeeds.
            await().atMost(PATIENCE).until(() -> get().status() == 200 && get().status() == 200);
            for (int i = 0; i < 200; i++) {
                ClusterHttp.Response r = get();
                if (r.status() != 200) {
                    failedAfter.add(r.bodyText());
                }
            }
        }
        assertThat(failedBeforeRemoval).as("calls that failed while the cut pod was an endpoint").isPositive();
        assertThat(succeededBeforeRemoval).as("calls the other backend answered meanwhile").isPositive();
        assertThat(failedAfter).as("calls that failed once the endpoint was removed").isEmpty();
    }

    private ClusterHttp.Response get() {
        return cluster.http().get("http://web." + namespace + ".svc.cluster.local/");
    }

    private boolean rolledOut() {
        Deployment d = k8s.apps().deployments().withName("backend").get();
        return d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getUpdatedReplicas())
                && Integer.valueOf(2).equals(d.getStatus().getReplicas())
                && Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas());
    }

    /** Whether the backend's EndpointSlices hold {@code ip} as a ready endpoint. */
    private boolean isReadyEndpoint(String ip) {
        for (EndpointSlice s : k8s.discovery().v1().endpointSlices()
                .withLabel("kubernetes.io/service-name", "backend").list().getItems()) {
            for (var e : s.getEndpoints()) {
                if (e.getAddresses().contains(ip) && Boolean.TRUE.equals(e.getConditions().getReady())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The backend: answers {@code <version> <pod name>} on 8080. */
    private static ImageBehaviour backend(String version) {
        return new ImageBehaviour() {
            @Override
            public PortHandler port(int port, PodContext pod) {
                return port != 8080 ? null : PortHandlers.http(request -> CompletableFuture.completedFuture(
                        ClusterHttp.Response.text(200, version + " " + pod.hostname())));
            }
        };
    }

    /** The web tier: on 8080, calls {@code http://backend/} and answers {@code web <- <what the backend said>}. */
    private static ImageBehaviour web() {
        return new ImageBehaviour() {
            @Override
            public PortHandler port(int port, PodContext pod) {
                return port != 8080 ? null : PortHandlers.http(request -> {
                    CompletableFuture<ClusterHttp.Response> answer = new CompletableFuture<>();
                    callBackend(pod, 1, answer);
                    return answer;
                });
            }
        };
    }

    private static void callBackend(PodContext pod, int attempt, CompletableFuture<ClusterHttp.Response> answer) {
        pod.http().send(ClusterHttp.Request.get("http://backend/")).whenComplete((r, e) -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause == null) {
                answer.complete(ClusterHttp.Response.text(200, "web <- " + r.bodyText()));
            } else if (String.valueOf(cause.getMessage()).contains("connection refused") && attempt < 3) {
                pod.after(Duration.ofMillis(25L * attempt), () -> callBackend(pod, attempt + 1, answer));
            } else {
                answer.complete(ClusterHttp.Response.text(502, "web: backend: " + cause.getMessage()));
            }
        });
    }

    private static Deployment deployment(String name, String image, int replicas, String cpu, String node) {
        DeploymentBuilder b = new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0))
                .endRollingUpdate().endStrategy()
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec()
                .addNewContainer().withName(name).withImage(image)
                .addNewPort().withName("http").withContainerPort(8080).endPort()
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources()
                .endContainer().endSpec().endTemplate().endSpec();
        Deployment d = b.build();
        if (node != null) {
            d.getSpec().getTemplate().getSpec().setNodeSelector(Map.of("kubernetes.io/hostname", node));
        }
        return d;
    }

    /** A Service on port 80 to the pods' named port {@code http}. */
    private static Service service(String name) {
        return new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addToSelector("app", name)
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
                .endSpec().build();
    }
}

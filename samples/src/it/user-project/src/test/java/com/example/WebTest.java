package com.example;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import dev.drydock.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@Cluster(nodes = 3)
class WebTest {

    @Test
    void aDeploymentSurvivesANodeCrash(DrydockCluster cluster, KubernetesClient k8s) {
        // fabric8, injected, works in this test's own namespace.
        k8s.apps().deployments().resource(web(3)).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> nodesOfRunningPods(k8s).size() == 3);

        // Power off the node of one pod: the Deployment gets its 3 pods back on the nodes left.
        String victim = nodesOfRunningPods(k8s).get(0);
        cluster.node(victim).crash();
        await().atMost(Duration.ofSeconds(60)).until(() -> nodesOfRunningPods(k8s).size() == 3
                && !nodesOfRunningPods(k8s).contains(victim));
    }

    @Test
    void theOfficialClientWorksToo(ApiClient apiClient, @TestNamespace String namespace) throws Exception {
        CoreV1Api core = new CoreV1Api(apiClient);
        // Built without kind or apiVersion, as the official client's users do: the API server fills them in.
        V1Pod pod = new V1Pod().metadata(new V1ObjectMeta().name("probe"))
                .spec(new V1PodSpec().addContainersItem(new V1Container().name("main").image("busybox")));
        core.createNamespacedPod(namespace, pod).execute();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                "Running".equals(core.readNamespacedPod("probe", namespace).execute().getStatus().getPhase()));
        assertEquals(3, core.listNode().execute().getItems().size());
    }

    /**
     * A Deployment of {@code replicas} busybox pods: busybox is built into the fake runtime; an image it does not know
     * fails to pull, as on Kubernetes, unless {@code @Cluster(unknownImages = SLEEP)}.
     */
    private static Deployment web(int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("busybox")
                .withCommand("sleep", "3600").endContainer().endSpec().endTemplate()
                .endSpec().build();
    }

    /** The nodes of the web pods that are Running and not being deleted. */
    private static List<String> nodesOfRunningPods(KubernetesClient k8s) {
        return k8s.pods().withLabel("app", "web").list().getItems().stream()
                .filter(p -> "Running".equals(p.getStatus().getPhase()))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> p.getSpec().getNodeName())
                .sorted()
                .collect(Collectors.toList());
    }
}

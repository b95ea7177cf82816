package com.example;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.StringReader;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@Cluster(nodes = 3)
class WebTest {

    @Test
    void aDeploymentRunsThreePods(DrydockCluster cluster) throws Exception {
        String kubeconfig = Files.readString(cluster.kubeconfig());

        // fabric8 creates a Deployment; the cluster's controllers, scheduler and kubelets run its pods.
        try (KubernetesClient k8s = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeconfig)).build()) {
            k8s.apps().deployments().inNamespace("default").resource(web(3)).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> runningPods(k8s) == 3);
        }

        // The official client reads the same cluster.
        ApiClient official = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(new StringReader(kubeconfig))).build();
        CoreV1Api core = new CoreV1Api(official);
        assertEquals(3, core.listNode().execute().getItems().size());
        assertEquals(3, core.listNamespacedPod("default").labelSelector("app=web").execute().getItems().stream()
                .map(V1Pod::getStatus).filter(s -> "Running".equals(s.getPhase())).count());
    }

    /** A Deployment of {@code replicas} busybox pods (the fake runtime runs any image). */
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

    /** How many of the web pods are Running. */
    private static long runningPods(KubernetesClient k8s) {
        return k8s.pods().inNamespace("default").withLabel("app", "web").list().getItems().stream()
                .filter(p -> "Running".equals(p.getStatus().getPhase())).count();
    }
}

package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.cluster.StoreHandle;
import dev.drydock.junit.Cluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a user writes against the store's faults, through the fabric8 client: a rollout that goes on while the store's
 * leader is cut off, and writes refused with kube's Status while the store has no quorum, none of those acknowledged
 * lost once it heals.
 */
@Cluster(nodes = 2)
class StoreFaultsSampleTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aDeploymentRolloutFinishesAcrossALeaderIsolation(DrydockCluster cluster) throws Exception {
        try (KubernetesClient k8s = client(cluster)) {
            k8s.apps().deployments().inNamespace("default").resource(web("busybox:1.36")).create();
            await().atMost(PATIENCE).until(() -> rolledOut(k8s, "busybox:1.36"));

            k8s.apps().deployments().inNamespace("default").withName("web")
                    .edit(d -> new DeploymentBuilder(d).editSpec().editTemplate().editSpec().editFirstContainer()
                            .withImage("busybox:1.37").endContainer().endSpec().endTemplate().endSpec().build());
            StoreHandle store = cluster.store();
            int old = store.isolateLeader();
            try {
                await().atMost(PATIENCE).until(() -> rolledOut(k8s, "busybox:1.37"));
                assertThat(store.leader()).as("a new leader serves the rollout").isNotEqualTo(old);
            } finally {
                store.heal();
            }
            assertThat(cluster.timeline().entries()).extracting(e -> e.kind() + " " + e.detail())
                    .contains("fault isolate etcd-" + old, "fault heal");
            int leader = store.leader();
            await().atMost(PATIENCE).until(() -> store.revision(old) == store.revision(store.leader()));
            assertThat(leader).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void withoutQuorumWritesGetKubesTimeoutStatusAndNothingAcknowledgedIsLost(DrydockCluster cluster)
            throws Exception {
        // fabric8 retries a 5xx ten times with back-off by default, on kube as here: this client answers at once.
        Config config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
        config.setRequestRetryBackoffLimit(0);
        try (KubernetesClient k8s = new KubernetesClientBuilder().withConfig(config).build()) {
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                k8s.configMaps().inNamespace("default").resource(configMap("before-" + i)).create();
                acknowledged.add("before-" + i);
            }
            cluster.store().loseQuorum();
            try {
                assertThatThrownBy(() -> k8s.configMaps().inNamespace("default").resource(configMap("refused"))
                        .create())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                            assertThat(e.getCode()).isEqualTo(504);
                            assertThat(e.getStatus().getReason()).isEqualTo("Timeout");
                            assertThat(e.getStatus().getMessage()).isEqualTo("Timeout: request did not complete "
                                    + "within requested timeout - context deadline exceeded");
                        });
            } finally {
                cluster.store().heal();
            }
            // The first writes after the heal may still meet a store electing its leader: retried, as a client does.
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> k8s.configMaps().inNamespace("default")
                    .resource(configMap("after")).createOr(NonDeletingOperation::update));
            acknowledged.add("after");
            List<String> names = k8s.configMaps().inNamespace("default").list().getItems().stream()
                    .map(c -> c.getMetadata().getName()).toList();
            assertThat(names).containsAll(acknowledged);
        }
    }

    private static KubernetesClient client(DrydockCluster cluster) throws Exception {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(cluster.kubeconfig())))
                .build();
    }

    private static boolean rolledOut(KubernetesClient k8s, String image) {
        Deployment d = k8s.apps().deployments().inNamespace("default").withName("web").get();
        var status = d.getStatus();
        return status != null && d.getMetadata().getGeneration().equals(status.getObservedGeneration())
                && Integer.valueOf(3).equals(status.getUpdatedReplicas())
                && Integer.valueOf(3).equals(status.getAvailableReplicas())
                && Integer.valueOf(3).equals(status.getReplicas())
                && d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().equals(image);
    }

    private static Deployment web(String image) {
        return new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(3)
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage(image)
                .withCommand("sleep", "3600").endContainer().endSpec().endTemplate()
                .endSpec().build();
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().addToData("k", "v").build();
    }
}

package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.drydock.junit.Cluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fabric8 client works against drydock unchanged: CRUD, conflicts, errors, watches and informers. */
@Cluster(nodes = 2)
class Fabric8ClientTest {

    /** Injected by the extension, built for the cluster and closed after each test. */
    private KubernetesClient k8s;

    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels("app", "f8").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer().endSpec()
                .build();
    }

    @Test
    void createGetUpdateDeleteAPod() {
        Pod created = k8s.pods().inNamespace("default").resource(pod("crud")).create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();

        Pod ready = k8s.pods().inNamespace("default").withName("crud")
                .waitUntilCondition(p -> p != null && "Running".equals(p.getStatus().getPhase()), 30, TimeUnit.SECONDS);
        assertThat(ready.getSpec().getNodeName()).startsWith("node-");
        assertThat(ready.getStatus().getPodIP()).startsWith("10.244.");

        Pod edited = k8s.pods().inNamespace("default").withName("crud")
                .edit(p -> new PodBuilder(p).editMetadata().addToLabels("edited", "yes").endMetadata().build());
        assertThat(edited.getMetadata().getLabels()).containsEntry("edited", "yes");

        assertThat(k8s.pods().inNamespace("default").withName("crud").delete()).hasSize(1);
        // A scheduled pod is deleted gracefully, as on kube: it goes once its kubelet has stopped it.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> k8s.pods().inNamespace("default").withName("crud").get() == null);
    }

    @Test
    void aStaleUpdateIsAConflictAndAnInvalidNameIsUnprocessable() {
        Namespace ns = k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("f8-conflict")
                .endMetadata().build()).create();
        k8s.namespaces().withName("f8-conflict").edit(n -> new NamespaceBuilder(n).editMetadata()
                .addToLabels("v", "1").endMetadata().build());

        Namespace stale = new NamespaceBuilder(ns).editMetadata().addToLabels("v", "2").endMetadata().build();
        assertThatThrownBy(() -> k8s.namespaces().resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThatThrownBy(() -> k8s.pods().inNamespace("default").resource(pod("Bad_Name")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                });
        assertThatThrownBy(() -> k8s.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("c").endMetadata().addToData("not a key", "v").build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getDetails().getCauses().get(0).getField()).isEqualTo("data[not a key]");
                });
    }

    @Test
    void anInformerSeesAddsUpdatesAndDeletes() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (SharedIndexInformer<Pod> informer = k8s.pods().inNamespace("default").withLabel("app", "f8")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod p) {
                        seen.add("add " + p.getMetadata().getName());
                    }

                    @Override
                    public void onUpdate(Pod oldPod, Pod newPod) {
                        if ("Running".equals(newPod.getStatus().getPhase())
                                && !"Running".equals(oldPod.getStatus().getPhase())) {
                            seen.add("running " + newPod.getMetadata().getName());
                        }
                    }

                    @Override
                    public void onDelete(Pod p, boolean unknownFinalState) {
                        seen.add("delete " + p.getMetadata().getName());
                    }
                })) {
            k8s.pods().inNamespace("default").resource(pod("watched")).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("running watched"));
            k8s.pods().inNamespace("default").withName("watched").delete();
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("delete watched"));
            assertThat(seen).containsSubsequence("add watched", "running watched", "delete watched");
        }
    }

    @Test
    void aDeploymentBecomesReadyAndScales() {
        Deployment d = new DeploymentBuilder().withNewMetadata().withName("f8").endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "f8d").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "f8d").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer().endSpec()
                .endTemplate().endSpec().build();
        k8s.apps().deployments().inNamespace("default").resource(d).create();
        k8s.apps().deployments().inNamespace("default").withName("f8").waitUntilReady(30, TimeUnit.SECONDS);

        k8s.apps().deployments().inNamespace("default").withName("f8").scale(4);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(k8s.apps().deployments()
                .inNamespace("default").withName("f8").get().getStatus().getReadyReplicas()).isEqualTo(4));
        assertThat(k8s.pods().inNamespace("default").withLabel("app", "f8d").list().getItems()).hasSize(4);
    }
}

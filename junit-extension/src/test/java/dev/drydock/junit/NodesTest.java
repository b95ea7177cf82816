package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.cluster.NodeHandle;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code @Node} names the nodes, labels and taints them and sets their capacity; the scheduler honours the taints. */
@Cluster(nodeCpu = "2", nodeMemory = "4Gi")
@dev.drydock.junit.Node(name = "gpu-1", labels = {"gpu=true", "topology.kubernetes.io/zone=b"},
        taints = "gpu=true:NoSchedule", cpu = "8", memory = "32Gi", maxPods = 20)
@dev.drydock.junit.Node(count = 2, labels = "topology.kubernetes.io/zone=a")
class NodesTest {

    @Test
    void theNodesAreThoseDescribedInOrder(DrydockCluster cluster, KubernetesClient k8s) {
        assertThat(cluster.nodes()).extracting(NodeHandle::name).containsExactly("gpu-1", "node-2", "node-3");

        Node gpu = k8s.nodes().withName("gpu-1").get();
        assertThat(gpu.getMetadata().getLabels()).containsEntry("gpu", "true")
                .containsEntry("topology.kubernetes.io/zone", "b").containsEntry("kubernetes.io/hostname", "gpu-1");
        assertThat(gpu.getSpec().getTaints()).extracting(Taint::getKey, Taint::getValue, Taint::getEffect)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("gpu", "true", "NoSchedule"));
        assertThat(gpu.getStatus().getCapacity()).containsEntry("cpu", new Quantity("8"))
                .containsEntry("memory", new Quantity("32Gi")).containsEntry("pods", new Quantity("20"));
        Node plain = k8s.nodes().withName("node-3").get();
        assertThat(plain.getMetadata().getLabels()).containsEntry("topology.kubernetes.io/zone", "a");
        assertThat(plain.getSpec().getTaints()).isNullOrEmpty();
        assertThat(plain.getStatus().getCapacity()).containsEntry("cpu", new Quantity("2"))
                .containsEntry("memory", new Quantity("4Gi")).containsEntry("pods", new Quantity("110"));
    }

    @Test
    void podsThatDoNotTolerateATaintStayOffItsNodeAndThoseThatDoGoThere(KubernetesClient k8s) {
        for (int i = 0; i < 6; i++) {
            k8s.pods().resource(pod("plain-" + i, false)).create();
        }
        k8s.pods().resource(pod("trainer", true)).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(k8s.pods().list().getItems())
                .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isNotNull()));
        List<Pod> pods = k8s.pods().list().getItems();
        assertThat(pods).filteredOn(p -> p.getMetadata().getName().startsWith("plain-"))
                .extracting(p -> p.getSpec().getNodeName()).hasSize(6).doesNotContain("gpu-1");
        assertThat(pods).filteredOn(p -> p.getMetadata().getName().equals("trainer"))
                .extracting(p -> p.getSpec().getNodeName()).containsExactly("gpu-1");
    }

    @Test
    @Cluster
    @dev.drydock.junit.Node(name = "solo", labels = "role=only")
    void aMethodsClusterTakesTheNodesBesideItsOwnAnnotation(DrydockCluster cluster) {
        assertThat(cluster.nodes()).extracting(NodeHandle::name).containsExactly("solo");
    }

    @Test
    void aComposedAnnotationCarriesTheClusterAndItsNodes() {
        Kit.tests(ComposedSample.class).assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void badNodeValuesFailTheTestNamingThem() {
        assertThat(Kit.onlyFailure(LabelWithoutValueSample.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("@Node(name = \"a\") beside @Cluster on " + LabelWithoutValueSample.class.getName()
                        + ": label \"gpu\" is not key=value");
        assertThat(Kit.onlyFailure(TaintWithoutEffectSample.class))
                .hasMessageContaining("taint \"gpu=true\" has no effect: write key=value:Effect");
        assertThat(Kit.onlyFailure(UnknownEffectSample.class))
                .hasMessageContaining("node node-1: taint gpu has effect \"NoSchedul\"; a taint's effect is one of "
                        + "[NoSchedule, PreferNoSchedule, NoExecute]");
        assertThat(Kit.onlyFailure(NamedCountSample.class))
                .hasMessageContaining("count = 2 with a name; a named @Node is one node");
        assertThat(Kit.onlyFailure(CountAndNodesSample.class))
                .hasMessageContaining("nodes = 5 and 1 @Node annotation(s) both say which nodes to run");
        assertThat(Kit.onlyFailure(DuplicateNameSample.class))
                .hasMessageContaining("nodes: two nodes are named \"twin\"");
        assertThat(Kit.onlyFailure(BadCpuSample.class))
                .hasMessageContaining("node big: nodeCapacity: cpu \"many\" is not a Kubernetes quantity");
        assertThat(Kit.onlyFailure(NodeWithoutClusterOnMethodSample.class))
                .hasMessageContaining("stands beside no @Cluster");
    }

    private static Pod pod(String name, boolean gpu) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer().endSpec();
        if (gpu) {
            b.editSpec().addToNodeSelector("gpu", "true").addNewToleration().withKey("gpu").withOperator("Equal")
                    .withValue("true").withEffect("NoSchedule").endToleration().endSpec();
        }
        return b.build();
    }

    /** A user's own annotation for a cluster they use often. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @Cluster(nodeCpu = "1")
    @dev.drydock.junit.Node(name = "edge-1", labels = "edge=true")
    @dev.drydock.junit.Node(name = "edge-2", labels = "edge=true")
    @interface EdgeCluster {
    }

    /** Run only through the test kit above. */
    @EdgeCluster
    static class ComposedSample {
        @Test
        void runsOnTheComposedCluster(DrydockCluster cluster) {
            assertThat(cluster.nodes()).extracting(NodeHandle::name).containsExactly("edge-1", "edge-2");
        }
    }

    /** Run only through the test kit above. */
    @Cluster
    @dev.drydock.junit.Node(name = "a", labels = "gpu")
    static class LabelWithoutValueSample {
        @Test
        void fails(DrydockCluster cluster) {
        }
    }

    /** Run only through the test kit above. */
    @Cluster
    @dev.drydock.junit.Node(taints = "gpu=true")
    static class TaintWithoutEffectSample {
        @Test
        void fails(DrydockCluster cluster) {
        }
    }

    /** Run only through the test kit above. */
    @Cluster
    @dev.drydock.junit.Node(taints = "gpu=true:NoSchedul")
    static class UnknownEffectSample {
        @Test
        void fails(DrydockCluster cluster) {
        }
    }

    /** Run only through the test kit above. */
    @Cluster
    @dev.drydock.junit.Node(name = "gpu", count = 2)
    static class NamedCountSample {
        @Test
        void fails(DrydockCluster cluster) {
        }
    }

    /** Run only through the test kit above. */
    @Cluster(nodes = 5)
    @dev.drydock.junit.Node(name = "gpu")
    static class CountAndNodesSample {
        @Test
        void fails(DrydockCluster cluster) {
        }
    }

    /** Run only through the test kit above. */
    @Cluster
    @dev.drydock.junit.Node(name = "twin")
    @dev.drydock.junit.Node(name = "twin")
    static class DuplicateNameSample {
        @Test
        void fails(DrydockCluster cluster) {
        }
    }

    /** Run only through the test kit above. */
    @Cluster
    @dev.drydock.junit.Node(name = "big", cpu = "many")
    static class BadCpuSample {
        @Test
        void fails(DrydockCluster cluster) {
        }
    }

    /** Run only through the test kit above. */
    @Cluster
    static class NodeWithoutClusterOnMethodSample {
        @Test
        @dev.drydock.junit.Node(name = "lost")
        void fails(DrydockCluster cluster) {
        }
    }
}

package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.cluster.DrydockCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * {@code @Cluster(shared = ...)}: one cluster for the classes of a run that name it, a namespace per test, closed at
 * the end of the run; classes that ask for different clusters under one name are told so.
 */
class SharedClusterTest {

    @Test
    void classesOfOneSharedNameRunOnOneClusterEachTestInItsOwnNamespaceAndItClosesWithTheRun() {
        Seen.clear();

        Kit.tests(ShopSample.class, CartSample.class).assertStatistics(s -> s.started(4).succeeded(4));

        assertThat(Seen.clusters).hasSize(1);
        assertThat(Seen.namespaces).hasSize(4);
        DrydockCluster cluster = Seen.clusters.iterator().next();
        assertThat(Thread.getAllStackTraces().keySet()).as("the shared cluster's threads, after the run")
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("drydock-" + cluster.name() + "-"));
    }

    @Test
    void classesOfOneSharedNameRunInParallelOnOneCluster() {
        Seen.clear();

        Kit.run(Kit.PARALLEL, ShopSample.class, CartSample.class).testEvents()
                .assertStatistics(s -> s.started(4).succeeded(4));

        assertThat(Seen.clusters).hasSize(1);
        assertThat(Seen.namespaces).hasSize(4);
    }

    @Test
    void aClassAskingForAnotherClusterUnderTheSameNameFailsNamingBoth() {
        Seen.clear();

        Events events = Kit.tests(ShopSample.class, OtherShopSample.class);

        events.assertStatistics(s -> s.started(3).succeeded(2).failed(1));
        assertThat(Kit.failure(events)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@Cluster(shared = \"shop\"): @Cluster on " + OtherShopSample.class.getName()
                        + " asks for another cluster than @Cluster on " + ShopSample.class.getName()
                        + ", which started it: nodeCpu \"1\" instead of \"4\".")
                .hasMessageContaining("give them different shared names");
    }

    @Test
    void sharedWithAPerMethodLifecycleFailsSayingWhy() {
        assertThat(Kit.onlyFailure(SharedPerMethodSample.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("@Cluster on " + SharedPerMethodSample.class.getName() + ": shared = \"x\" with "
                        + "lifecycle = PER_METHOD: a shared cluster lives for the whole run; leave one of them out");
    }

    /** What the fixtures saw. */
    static final class Seen {
        static final Set<DrydockCluster> clusters = ConcurrentHashMap.newKeySet();
        static final Set<String> namespaces = ConcurrentHashMap.newKeySet();

        static void clear() {
            clusters.clear();
            namespaces.clear();
        }

        /** Records what a test got and checks that it sees only its own namespace's objects. */
        static void test(DrydockCluster cluster, KubernetesClient k8s, String namespace) {
            clusters.add(cluster);
            assertThat(namespaces.add(namespace)).as("a namespace no other test had").isTrue();
            k8s.configMaps().resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                    .withName("mine").endMetadata().addToData("test", namespace).build()).create();
            assertThat(k8s.configMaps().list().getItems()).extracting(c -> c.getData().get("test"))
                    .containsExactly(namespace);
        }
    }

    /** Run only through the test kit above. */
    @Cluster(nodes = 1, shared = "shop")
    static class ShopSample {
        @Test
        void one(DrydockCluster cluster, KubernetesClient k8s, @TestNamespace String namespace) {
            Seen.test(cluster, k8s, namespace);
        }

        @Test
        void two(DrydockCluster cluster, KubernetesClient k8s, @TestNamespace String namespace) {
            Seen.test(cluster, k8s, namespace);
        }
    }

    /** Run only through the test kit above. */
    @Cluster(nodes = 1, shared = "shop")
    static class CartSample {
        @Test
        void one(DrydockCluster cluster, KubernetesClient k8s, @TestNamespace String namespace) {
            Seen.test(cluster, k8s, namespace);
        }

        @Test
        void two(DrydockCluster cluster, KubernetesClient k8s, @TestNamespace String namespace) {
            Seen.test(cluster, k8s, namespace);
        }
    }

    /** Run only through the test kit above. */
    @Cluster(nodes = 1, nodeCpu = "1", shared = "shop")
    static class OtherShopSample {
        @Test
        void fails(DrydockCluster cluster) {
        }
    }

    /** Run only through the test kit above. */
    @Cluster(shared = "x", lifecycle = Cluster.Lifecycle.PER_METHOD)
    static class SharedPerMethodSample {
        @Test
        void fails(DrydockCluster cluster) {
        }
    }
}

package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.cluster.DrydockCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * JUnit's parallel execution ({@code junit.jupiter.execution.parallel.enabled}): tests of one class run at the same
 * time on its one cluster, each with its own namespace and clients; classes with clusters of their own run beside
 * them. Proved by running fixtures with the test kit on 4 threads, the tests waiting until others run with them.
 */
class ParallelExecutionTest {

    @Test
    void concurrentTestsAndClassesEachGetTheirOwnNamespaceAndClients() {
        Seen.clear();

        Kit.run(Kit.PARALLEL, ParallelSample.class, OtherParallelSample.class).testEvents()
                .assertStatistics(s -> s.started(8).succeeded(8));

        assertThat(Seen.mostAtOnce.get()).as("tests running at the same time").isGreaterThanOrEqualTo(2);
        assertThat(Seen.clusters).as("one cluster per class").hasSize(2);
        assertThat(Seen.namespaces).hasSize(8);
        assertThat(Seen.clients).hasSize(16);
    }

    /** What the fixtures saw. */
    static final class Seen {
        static final Set<DrydockCluster> clusters = ConcurrentHashMap.newKeySet();
        static final Set<String> namespaces = ConcurrentHashMap.newKeySet();
        static final Set<Object> clients = ConcurrentHashMap.newKeySet();
        static final AtomicInteger running = new AtomicInteger();
        static final AtomicInteger mostAtOnce = new AtomicInteger();

        static void clear() {
            clusters.clear();
            namespaces.clear();
            clients.clear();
            running.set(0);
            mostAtOnce.set(0);
        }

        static void test(DrydockCluster cluster, KubernetesClient k8s, ApiClient api, String namespace) {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                clusters.add(cluster);
                assertThat(namespaces.add(namespace)).as("a namespace no other test had").isTrue();
                assertThat(clients.add(k8s)).isTrue();
                assertThat(clients.add(api)).isTrue();
                assertThat(DrydockExtension.currentNamespace(cluster)).contains(namespace);
                assertThat(k8s.getNamespace()).isEqualTo(namespace);
                k8s.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("mine").endMetadata()
                        .addToData("test", namespace).build()).create();
                // Stay until another test runs beside this one (or long enough that none will): not a wait for
                // the cluster, a proof that JUnit ran tests at the same time.
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                        .until(() -> mostAtOnce.get() >= 2 || Seen.namespaces.size() == 8);
                assertThat(k8s.configMaps().list().getItems()).extracting(c -> c.getData().get("test"))
                        .containsExactly(namespace);
                assertThat(DrydockExtension.currentNamespace(cluster)).contains(namespace);
            } finally {
                running.decrementAndGet();
            }
        }
    }

    /** Run only through the test kit above. */
    @Cluster(nodes = 1)
    static class ParallelSample {
        @RepeatedTest(3)
        void repeated(DrydockCluster cluster, KubernetesClient k8s, ApiClient api, @TestNamespace String ns) {
            Seen.test(cluster, k8s, api, ns);
        }

        @Test
        void plain(DrydockCluster cluster, KubernetesClient k8s, ApiClient api, @TestNamespace String ns) {
            Seen.test(cluster, k8s, api, ns);
        }
    }

    /** Run only through the test kit above. */
    @Cluster(nodes = 1, storeReplicas = 1)
    static class OtherParallelSample {
        @RepeatedTest(3)
        void repeated(DrydockCluster cluster, KubernetesClient k8s, ApiClient api, @TestNamespace String ns) {
            Seen.test(cluster, k8s, api, ns);
        }

        @Test
        void plain(DrydockCluster cluster, KubernetesClient k8s, ApiClient api, @TestNamespace String ns) {
            Seen.test(cluster, k8s, api, ns);
        }
    }
}

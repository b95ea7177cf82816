package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.chaos.ApiFault;
import dev.drydock.cluster.ClientIdentity;
import dev.drydock.cluster.DrydockCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a test can be given besides the cluster: static fields set before {@code @BeforeAll}, kubeconfig paths, and
 * clients acting as a named client identity, whose requests faults aimed at that identity hit.
 */
@Cluster(nodes = 1)
class InjectionTest {

    static DrydockCluster staticCluster;
    static KubernetesClient staticClient;
    static ApiClient staticApiClient;
    @Kubeconfig
    static Path staticKubeconfig;
    @Identity("operator")
    static KubernetesClient staticOperator;
    private static final AtomicReference<String> SEEN_IN_BEFORE_ALL = new AtomicReference<>();

    @Identity("operator")
    KubernetesClient operator;
    @Identity("operator")
    ClientIdentity operatorIdentity;
    @Kubeconfig
    Path kubeconfig;

    @BeforeAll
    static void staticFieldsAreSetBeforeBeforeAll(DrydockCluster cluster) {
        assertThat(staticCluster).isSameAs(cluster);
        SEEN_IN_BEFORE_ALL.set(staticClient.getNamespace() + " " + staticClient.nodes().list().getItems().size());
    }

    @Test
    void staticFieldsGetTheClassesClusterAndClientsOfTheClass(DrydockCluster cluster, KubernetesClient k8s)
            throws Exception {
        assertThat(SEEN_IN_BEFORE_ALL.get()).isEqualTo("default 1"); // no test namespace outside a test
        assertThat(staticCluster).isSameAs(cluster);
        assertThat(staticClient).isNotSameAs(k8s); // the class's, not this test's
        assertThat(staticClient.getHttpClient().isClosed()).isFalse();
        assertThat(new CoreV1Api(staticApiClient).listNode().execute().getItems()).hasSize(1);
        assertThat(staticKubeconfig).isEqualTo(cluster.kubeconfig()).exists();
        assertThat(staticOperator.getConfiguration().getOauthToken())
                .isEqualTo(cluster.identity("operator").token());
    }

    @Test
    void kubeconfigPathsAreTheClustersAndTheIdentitys(@Kubeconfig Path parameter, DrydockCluster cluster,
                                                      @Identity("operator") Path operatorKubeconfig,
                                                      @Identity("operator") @Kubeconfig Path both) throws Exception {
        assertThat(parameter).isEqualTo(kubeconfig).isEqualTo(cluster.kubeconfig());
        assertThat(Files.readString(parameter)).contains(cluster.apiUrl());
        assertThat(operatorKubeconfig).isEqualTo(both).isEqualTo(cluster.identity("operator").kubeconfig());
        assertThat(Files.readString(operatorKubeconfig)).contains(cluster.identity("operator").token());
    }

    @Test
    void identityClientsActAsTheirIdentityAndFaultsAimedAtItHitOnlyThem(
            DrydockCluster cluster, KubernetesClient testClient, @TestNamespace String namespace,
            @Identity("operator") KubernetesClient operatorParameter, @Identity("operator") ApiClient operatorApi,
            @Identity("operator") ClientIdentity identity, ApiClient testApi) throws Exception {
        assertThat(operatorParameter).isSameAs(operator);
        assertThat(identity).isSameAs(operatorIdentity).isSameAs(cluster.identity("operator"));
        assertThat(operator.getNamespace()).isEqualTo(namespace);
        assertThat(operator.getConfiguration().getOauthToken()).isEqualTo(identity.token());

        try (ApiFault fault = cluster.apiFaults().forIdentity("operator").fail(409)) {
            Assertions.assertThatThrownBy(() -> operator.nodes().list())
                    .isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
            Assertions.assertThatThrownBy(() -> new CoreV1Api(operatorApi).listNode().execute())
                    .isInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e).getCode()).isEqualTo(409));
            assertThat(testClient.nodes().list().getItems()).hasSize(1);  // the test's own clients get through
            assertThat(new CoreV1Api(testApi).listNode().execute().getItems()).hasSize(1);
        }
        assertThat(operator.nodes().list().getItems()).hasSize(1);
    }

    @Test
    void staticFieldsAreClearedAfterTheClassAndItsClientsClosed() {
        Kit.tests(StaticSample.class).assertStatistics(s -> s.started(1).succeeded(1));

        assertThat(StaticSample.cluster).isNull();
        assertThat(StaticSample.k8s).isNull();
        assertThat(StaticSample.seen.get().getHttpClient().isClosed()).isTrue();
    }

    @Test
    void annotationsOnTypesTheyDoNotFitFailNamingTheParameter() {
        assertThat(Kit.onlyFailure(IdentityOnStringSample.class))
                .hasMessageContaining("@Identity goes on a ClientIdentity, a kubeconfig Path, a fabric8 "
                        + "KubernetesClient or an official ApiClient, not on java.lang.String");
        assertThat(Kit.onlyFailure(KubeconfigOnStringSample.class))
                .hasMessageContaining("@Kubeconfig goes on a java.nio.file.Path, not on java.lang.String");
        assertThat(Kit.onlyFailure(UnnamedIdentitySample.class))
                .hasMessageContaining("a ClientIdentity needs a name: annotate")
                .hasMessageContaining("with @Identity(\"name\")");
        assertThat(Kit.onlyFailure(BadIdentityNameSample.class))
                .hasMessageContaining("@Identity(\"Operator_1\") on ")
                .hasMessageContaining("got 'Operator_1'");
    }

    @Test
    void aTestNamespaceOnAStaticFieldFailsTheClassSayingWhy() {
        assertThat(Kit.containerFailure(StaticNamespaceSample.class))
                .hasMessageContaining("@TestNamespace on the static field")
                .hasMessageContaining("a namespace belongs to one test");
    }

    /** Run only through the test kit above. */
    @Cluster(nodes = 1)
    static class StaticSample {
        static DrydockCluster cluster;
        static KubernetesClient k8s;
        static final AtomicReference<KubernetesClient> seen = new AtomicReference<>();

        @Test
        void runs() {
            assertThat(cluster).isNotNull();
            seen.set(k8s);
        }
    }

    /** Run only through the test kit above. */
    @Cluster(nodes = 1)
    static class IdentityOnStringSample {
        @Test
        void fails(@Identity("operator") String name) {
        }
    }

    /** Run only through the test kit above. */
    @Cluster(nodes = 1)
    static class KubeconfigOnStringSample {
        @Test
        void fails(@Kubeconfig String path) {
        }
    }

    /** Run only through the test kit above. */
    @Cluster(nodes = 1)
    static class UnnamedIdentitySample {
        @Test
        void fails(ClientIdentity identity) {
        }
    }

    /** Run only through the test kit above. */
    @Cluster(nodes = 1)
    static class BadIdentityNameSample {
        @Test
        void fails(@Identity("Operator_1") ClientIdentity identity) {
        }
    }

    /** Run only through the test kit above. */
    @Cluster(nodes = 1)
    static class StaticNamespaceSample {
        @TestNamespace
        static String namespace;

        @Test
        void neverRuns() {
        }
    }
}

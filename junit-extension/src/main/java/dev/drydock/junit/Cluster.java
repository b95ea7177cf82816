package dev.drydock.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class (one cluster for all its tests) or test method (a cluster of its own) against a
 * drydock cluster. The cluster closes after its scope; a failing test gets the cluster's state (nodes, pods, events,
 * timeline) attached, and leaves a report with an HTML timeline under {@code target/drydock-reports/}
 * (see {@link FailureReports}).
 *
 * <p>What a test method, a {@code @BeforeEach} method or a field of the test can be given:
 * <ul>
 *   <li>{@link dev.drydock.cluster.DrydockCluster}: the cluster, to inject faults ({@code cluster.node("node-2")
 *       .crash()}) or read its API URL, kubeconfig, timings;</li>
 *   <li>a {@code String} annotated {@link TestNamespace}: a fresh namespace of this test's own, created before the
 *       test and deleted after it;</li>
 *   <li>fabric8's {@code io.fabric8.kubernetes.client.KubernetesClient}, when fabric8 is on the test class path:
 *       a client of the cluster whose default namespace is the test's namespace, closed after the test;</li>
 *   <li>the official client's {@code io.kubernetes.client.openapi.ApiClient}, when {@code io.kubernetes:client-java}
 *       is on the test class path: a client of the cluster, released after the test.</li>
 * </ul>
 * Neither client library is a dependency of drydock: the extension loads no class of theirs unless a test asks for
 * one of their types.
 *
 * <pre>{@code
 * @Cluster(nodes = 3, nodeCpu = "2", nodeMemory = "4Gi")
 * class WebTest {
 *     @Test
 *     void survivesANodeCrash(DrydockCluster cluster, KubernetesClient k8s, @TestNamespace String namespace) {
 *         k8s.apps().deployments().resource(webDeployment(3)).create();   // created in `namespace`
 *         cluster.node("node-2").crash();
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith({DrydockExtension.class, FailureReports.class})
public @interface Cluster {

    /** How many nodes ({@code node-1} to {@code node-N}); default 3. */
    int nodes() default 3;

    /**
     * Each node's CPU capacity (and allocatable), a Kubernetes quantity such as {@code "4"}, {@code "1.5"} or
     * {@code "500m"}; default {@code "4"}. A value that is not a quantity fails the test with an
     * {@link IllegalArgumentException} naming it.
     */
    String nodeCpu() default "4";

    /**
     * Each node's memory capacity (and allocatable), a Kubernetes quantity such as {@code "8Gi"} or {@code "512Mi"};
     * default {@code "8Gi"}. A value that is not a quantity fails the test with an {@link IllegalArgumentException}
     * naming it.
     */
    String nodeMemory() default "8Gi";

    /** How many pods each node takes (the kubelet's {@code maxPods}); default 110, as in Kubernetes. */
    int nodeMaxPods() default 110;

    /** The seed of the cluster's random choices; 0 (the default) picks one, printed when a test fails. */
    long seed() default 0;

    /** The container runtime by name ({@code "fake"}, {@code "docker"}); empty (the default) for the fake runtime. */
    String runtime() default "";

    /**
     * How many store replicas agree through Raft: 1, 3 (the default) or 5. Any other value fails the test with an
     * {@link IllegalArgumentException} naming it. Their faults are on the cluster's {@code store()}.
     */
    int storeReplicas() default 3;
}

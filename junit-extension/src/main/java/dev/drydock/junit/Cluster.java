package dev.drydock.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class or test method against a drydock cluster, started when first needed and closed after
 * its scope. A failing test gets the cluster's state (seed, nodes, pods, events, timeline) attached, and leaves a
 * report with an HTML timeline under {@code target/drydock-reports/} (see {@link FailureReports}).
 *
 * <p><b>Which cluster.</b> On a test class, one cluster for all its tests (and its {@code @Nested} classes), or one
 * per test with {@code lifecycle = PER_METHOD}; on a test method, a cluster of that test's own. With
 * {@code shared = "name"}, one cluster for every class of the run that names it, closed when the run ends. Whichever
 * way, each test that asks for a {@link TestNamespace} (or a fabric8 client) works in a namespace of its own, so tests
 * sharing a cluster do not see each other's objects, also when JUnit runs them in parallel.
 *
 * <p><b>What a test method, a lifecycle method or a field (static fields too: they are set before
 * {@code @BeforeAll}) can be given:</b>
 * <ul>
 *   <li>{@link dev.drydock.cluster.DrydockCluster}: the cluster, to inject faults ({@code cluster.node("node-2")
 *       .crash()}) or read its API URL, kubeconfig, timings;</li>
 *   <li>a {@code String} annotated {@link TestNamespace}: a fresh namespace of this test's own, created before the
 *       test and deleted after it (not in {@code @BeforeAll} or static fields);</li>
 *   <li>fabric8's {@code io.fabric8.kubernetes.client.KubernetesClient}, when fabric8 is on the test class path:
 *       a client of the cluster whose default namespace is the test's namespace, closed after the test;</li>
 *   <li>the official client's {@code io.kubernetes.client.openapi.ApiClient}, when {@code io.kubernetes:client-java}
 *       is on the test class path: a client of the cluster, released after the test;</li>
 *   <li>a {@link java.nio.file.Path} annotated {@link Kubeconfig}: a kubeconfig file of the cluster;</li>
 *   <li>with {@link Identity Identity("name")}: a {@code KubernetesClient}, {@code ApiClient}, kubeconfig
 *       {@code Path} or {@link dev.drydock.cluster.ClientIdentity} acting as that client identity.</li>
 * </ul>
 * Clients given to {@code @BeforeAll} methods and static fields belong to the class (namespace {@code default}) and
 * are closed after it. Neither client library is a dependency of drydock: the extension loads no class of theirs
 * unless a test asks for one of their types.
 *
 * <pre>{@code
 * @Cluster(nodes = 3, nodeCpu = "2", nodeMemory = "4Gi", seed = 42, timings = "nodeMonitorGracePeriod=2s")
 * class WebTest {
 *     static DrydockCluster cluster;                    // set before @BeforeAll
 *
 *     @Test
 *     void survivesANodeCrash(KubernetesClient k8s, @TestNamespace String namespace) {
 *         k8s.apps().deployments().resource(webDeployment(3)).create();   // created in `namespace`
 *         cluster.node("node-2").crash();
 *     }
 * }
 * }</pre>
 *
 * <p>A value an attribute does not take (a capacity that is not a quantity, an unknown timing, 2 store replicas, a
 * taint without an effect) fails the test with an {@link IllegalArgumentException} naming the attribute, where it
 * is written and the value.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith({DrydockExtension.class, FailureReports.class, OpenInvariants.class})
public @interface Cluster {

    /**
     * How many nodes ({@code node-1} to {@code node-N}); default 3. Leave it out when {@link Node} annotations
     * describe the nodes one by one.
     */
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

    /**
     * The seed of the cluster's random choices (the scheduler's ties, scheduled chaos, identities' tokens); 0 (the
     * default) picks one, printed when a test fails.
     *
     * <p>The JUnit configuration parameter (or system property) {@code drydock.seed} overrides it for every cluster
     * of the run, so that a failure replays with the seed its report printed:
     * {@code mvn test -Dtest='WebTest#survivesANodeCrash' -Ddrydock.seed=7142}. A value of it that is not a
     * {@code long} fails the test naming it.
     */
    long seed() default 0;

    /**
     * The container runtime by name ({@code "fake"}, {@code "docker"}); empty (the default) for the system property
     * {@code drydock.runtime} if set, else the fake runtime.
     */
    String runtime() default "";

    /**
     * How many store replicas agree through Raft: 1, 3 (the default) or 5. Any other value fails the test with an
     * {@link IllegalArgumentException} naming it. Their faults are on the cluster's {@code store()}.
     */
    int storeReplicas() default 3;

    /**
     * The cluster's timings ({@link dev.drydock.base.Timings}): first, optionally, a profile, {@code "compressed"}
     * (the default: a silent node is {@code Unknown} after about a second) or {@code "kubernetes"} (Kubernetes' own,
     * 40 s); then any timing by its name, {@code "name=duration"}, the duration as {@code 500ms}, {@code 2s},
     * {@code 5m}, {@code 1h} or ISO-8601 ({@code PT1.5S}). E.g.
     * {@code timings = {"kubernetes", "nodeMonitorGracePeriod=5s"}}. An unknown name fails the test listing the
     * known ones.
     */
    String[] timings() default {};

    /**
     * What the fake runtime does with an image that is neither built in nor given a behaviour:
     * {@link dev.drydock.runtime.UnknownImages#FAIL_TO_PULL FAIL_TO_PULL} (the default) fails its pull as Kubernetes
     * would ({@code ErrImagePull}, then {@code ImagePullBackOff}); {@link dev.drydock.runtime.UnknownImages#SLEEP
     * SLEEP} runs it as a sleeper, for tests of apps whose own images no behaviour stands for.
     */
    dev.drydock.runtime.UnknownImages unknownImages() default dev.drydock.runtime.UnknownImages.FAIL_TO_PULL;

    /**
     * For a class annotation: {@link Lifecycle#PER_CLASS} (the default) starts one cluster for all the class's tests,
     * {@link Lifecycle#PER_METHOD} a fresh one for each test. A method annotation always gives that test a cluster of
     * its own.
     */
    Lifecycle lifecycle() default Lifecycle.PER_CLASS;

    /**
     * A name under which classes share one cluster: the first test of the run that asks for it starts it, every
     * class annotated with the same name uses it, and it closes when the whole run ends. Tests stay apart through
     * their {@link TestNamespace}s. Every class sharing a name must ask for the same cluster (all other attributes
     * equal, the same {@link Node}s): otherwise a test fails saying which classes disagree and how. Empty (the
     * default): not shared. Not with {@code lifecycle = PER_METHOD}.
     */
    String shared() default "";

    /** How long the cluster of a {@link Cluster} lives. */
    enum Lifecycle {
        /** One cluster for all the tests of the annotated class, closed after the class. */
        PER_CLASS,
        /** A fresh cluster for each test of the annotated class, closed after the test. */
        PER_METHOD
    }
}

package dev.drydock.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code String} parameter (of a test or {@code @BeforeEach} method) or field that receives the name of the
 * test's own namespace, so that the tests of a class can share one {@link Cluster} without seeing each other's
 * objects.
 *
 * <p>Every test method (every invocation of a parameterized or repeated test) that asks for it gets a fresh
 * namespace, named after the test method with a random suffix (e.g. {@code creates-a-pod-x7k2q} for
 * {@code createsAPod}), created when first asked for. After the test the namespace is deleted, and the cluster's
 * namespace controller removes what the test left in it; the extension does not wait for that, so the next test
 * starts at once. Tests of classes that share a cluster ({@code @Cluster(shared = ...)}) or run in parallel stay apart
 * the same way. With {@code @Cluster} on the test method (or {@code lifecycle = PER_METHOD}) the cluster is the
 * test's own: it still gets a fresh namespace of the same kind (so a test reads the same whichever way it is
 * annotated), which goes with the cluster.
 * An injected fabric8 {@code KubernetesClient} uses the test's namespace as its default.
 *
 * <pre>{@code
 * @Cluster
 * class WebTest {
 *     @Test
 *     void createsAPod(KubernetesClient k8s, @TestNamespace String namespace) {
 *         k8s.pods().resource(pod("web")).create();
 *         assertThat(k8s.pods().inNamespace(namespace).withName("web").get()).isNotNull();
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TestNamespace {
}

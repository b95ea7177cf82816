package dev.drydock.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a parameter or field (static too) a client of the {@link Cluster} acting as a named client identity
 * ({@code DrydockCluster.identity(name)}): its requests carry that identity's token and are attributed to the
 * network party {@code client:<name>}, so that faults aimed at it ({@code cluster.apiFaults().forIdentity(name)})
 * hit it and not the test's own clients. The annotated type says what is given:
 * <ul>
 *   <li>{@code dev.drydock.cluster.ClientIdentity}: the identity itself (token, party, in-process client);</li>
 *   <li>{@link java.nio.file.Path}: the identity's kubeconfig file ({@link Kubeconfig} may stand beside it);</li>
 *   <li>fabric8's {@code KubernetesClient}: a client with the identity's token, whose default namespace is the
 *       test's {@link TestNamespace} (in {@code @BeforeAll} and static fields: {@code default}), closed after its
 *       test (or class);</li>
 *   <li>the official client's {@code ApiClient}: a client with the identity's token, released after its test.</li>
 * </ul>
 *
 * <pre>{@code
 * @Test
 * void theOperatorRetriesThrough500s(@Identity("operator") KubernetesClient operatorClient, DrydockCluster cluster) {
 *     try (ApiFault f = cluster.apiFaults().forIdentity("operator").fail(500)) {
 *         ...
 *     }
 * }
 * }</pre>
 *
 * A name that is not a lowercase DNS label, or the annotation on another type, fails the test with an exception
 * naming it.
 */
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Identity {

    /** The identity's name, e.g. {@code "operator"}: lowercase letters, digits, '-' and '.'. */
    String value();
}

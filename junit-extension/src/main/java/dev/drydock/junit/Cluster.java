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
 * drydock cluster, and injects it as a {@link dev.drydock.cluster.DrydockCluster} parameter or field. The cluster
 * closes after its scope; a failing test gets the cluster's state (nodes, pods, events, timeline) attached.
 *
 * <pre>{@code
 * @Cluster(nodes = 3)
 * class WebTest {
 *     @Test
 *     void survivesANodeCrash(DrydockCluster cluster) {
 *         cluster.node("node-2").crash();
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DrydockExtension.class)
public @interface Cluster {

    /** How many nodes ({@code node-1} to {@code node-N}). */
    int nodes() default 3;

    /** The seed of the cluster's random choices; 0 picks one (printed when a test fails). */
    long seed() default 0;

    /** The container runtime by name; empty for the default (the fake runtime). */
    String runtime() default "";
}

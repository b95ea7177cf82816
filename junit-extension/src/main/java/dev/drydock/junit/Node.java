package dev.drydock.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes nodes of the {@link Cluster} beside which it stands (on the same class or method): their names, labels,
 * taints and capacity. Repeatable; with any {@code @Node} the cluster's nodes are exactly those described, in order,
 * and {@code @Cluster}'s {@code nodes} count is left out.
 *
 * <pre>{@code
 * @Cluster(nodeCpu = "2")
 * @Node(name = "gpu-1", labels = "gpu=true", taints = "gpu=true:NoSchedule", cpu = "8", memory = "32Gi")
 * @Node(count = 2, labels = "topology.kubernetes.io/zone=a")       // node-2 and node-3, 2 cpu each
 * class GpuSchedulingTest { ... }
 * }</pre>
 *
 * A value that is not what its attribute takes (a label without {@code =}, a taint effect other than
 * {@code NoSchedule}, {@code PreferNoSchedule} or {@code NoExecute}, a capacity that is not a quantity, two nodes of
 * one name) fails the test with an {@link IllegalArgumentException} naming the value.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(Nodes.class)
public @interface Node {

    /**
     * The node's name, a DNS subdomain such as {@code "gpu-1"}; empty (the default) for {@code node-<i>}, {@code i}
     * being the node's position among all the cluster's nodes, from 1. A name goes with {@code count = 1} only.
     */
    String name() default "";

    /** How many such nodes (each named {@code node-<i>}); default 1. */
    int count() default 1;

    /** Labels of the node, each {@code "key=value"} (e.g. {@code "topology.kubernetes.io/zone=a"}). */
    String[] labels() default {};

    /**
     * Taints the node registers with, each as {@code kubectl taint} writes one: {@code "key=value:Effect"} or
     * {@code "key:Effect"}, the effect {@code NoSchedule}, {@code PreferNoSchedule} or {@code NoExecute}. The
     * scheduler keeps pods that do not tolerate a {@code NoSchedule} or {@code NoExecute} taint off the node.
     */
    String[] taints() default {};

    /** The node's CPU capacity, a Kubernetes quantity; empty (the default) for {@code @Cluster}'s {@code nodeCpu}. */
    String cpu() default "";

    /** The node's memory capacity, a quantity; empty (the default) for {@code @Cluster}'s {@code nodeMemory}. */
    String memory() default "";

    /** How many pods the node takes; -1 (the default) for {@code @Cluster}'s {@code nodeMaxPods}. */
    int maxPods() default -1;
}

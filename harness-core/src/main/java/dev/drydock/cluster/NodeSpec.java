package dev.drydock.cluster;

import dev.drydock.kube.LabelSelector;
import dev.drydock.kubelet.NodeConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One node of a {@link ClusterSpec} described by name: its labels, the taints it registers with (as a kubelet's
 * {@code --register-with-taints}) and, where it differs from the cluster's, its capacity. Immutable; each method
 * returns a new spec and checks its argument at once, naming a bad value.
 *
 * <pre>{@code
 * ClusterSpec.create().nodes(
 *         NodeSpec.named("gpu-1").label("gpu", "true").taint("gpu", "true", "NoSchedule").capacity("8", "32Gi"),
 *         NodeSpec.named("cpu-1"), NodeSpec.named("cpu-2"));
 * }</pre>
 */
public final class NodeSpec {

    private static final Pattern NAME =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern QUALIFIED_NAME =
            Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final List<String> EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    private final String name;
    private final Map<String, String> labels;
    private final List<NodeConfig.Taint> taints;
    private final String cpu;      // null: the cluster's
    private final String memory;   // null: the cluster's
    private final int maxPods;     // -1: the cluster's

    private NodeSpec(String name, Map<String, String> labels, List<NodeConfig.Taint> taints, String cpu,
                     String memory, int maxPods) {
        this.name = name;
        this.labels = labels;
        this.taints = taints;
        this.cpu = cpu;
        this.memory = memory;
        this.maxPods = maxPods;
    }

    /**
     * A node named {@code name}, with the cluster's capacity, no labels of its own and no taints.
     *
     * @throws IllegalArgumentException if {@code name} is not a DNS subdomain (lowercase letters, digits, '-', '.')
     */
    public static NodeSpec named(String name) {
        if (name == null || name.length() > 253 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a node's name must be lowercase letters, digits, '-' and '.', "
                    + "starting and ending with a letter or digit (e.g. \"gpu-1\"); got \"" + name + "\"");
        }
        return new NodeSpec(name, Map.of(), List.of(), null, null, -1);
    }

    /** The node's name. */
    public String name() {
        return name;
    }

    /**
     * Adds a label to the node (beside the ones every node has: {@code kubernetes.io/hostname}, {@code os},
     * {@code arch}).
     *
     * @throws IllegalArgumentException if the key is not a qualified name ({@code prefix/name}) or the value not a
     *                                  label value
     */
    public NodeSpec label(String key, String value) {
        if (key == null || !QUALIFIED_NAME.matcher(key).matches() || key.length() > 317) {
            throw new IllegalArgumentException("node " + name + ": invalid label key \"" + key + "\": a label key is "
                    + "an optional DNS prefix and '/', then alphanumerics, '-', '_' or '.' (e.g. \"gpu\" or "
                    + "\"topology.kubernetes.io/zone\")");
        }
        if (value == null || !LabelSelector.isValidLabelValue(value)) {
            throw new IllegalArgumentException("node " + name + ": invalid value \"" + value + "\" of label " + key
                    + ": at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric, "
                    + "or empty");
        }
        Map<String, String> l = new LinkedHashMap<>(labels);
        l.put(key, value);
        return new NodeSpec(name, Map.copyOf(l), taints, cpu, memory, maxPods);
    }

    /**
     * Adds a taint the node registers with, as {@code kubectl taint nodes <name> key=value:effect} does.
     *
     * @param value  the taint's value; empty for none
     * @param effect {@code NoSchedule}, {@code PreferNoSchedule} or {@code NoExecute}
     * @throws IllegalArgumentException if the key is not a qualified name, the value not a label value or the effect
     *                                  none of the three
     */
    public NodeSpec taint(String key, String value, String effect) {
        if (key == null || !QUALIFIED_NAME.matcher(key).matches()) {
            throw new IllegalArgumentException("node " + name + ": invalid taint key \"" + key + "\"");
        }
        if (value == null || !LabelSelector.isValidLabelValue(value)) {
            throw new IllegalArgumentException("node " + name + ": invalid value \"" + value + "\" of taint " + key);
        }
        if (!EFFECTS.contains(effect)) {
            throw new IllegalArgumentException("node " + name + ": taint " + key + " has effect \"" + effect
                    + "\"; a taint's effect is one of " + EFFECTS);
        }
        List<NodeConfig.Taint> t = new ArrayList<>(taints);
        t.add(new NodeConfig.Taint(key, value, effect));
        return new NodeSpec(name, labels, List.copyOf(t), cpu, memory, maxPods);
    }

    /**
     * This node's capacity (and allocatable), instead of the cluster's {@link ClusterSpec#nodeCapacity}.
     *
     * @throws IllegalArgumentException if either is not a Kubernetes quantity, is negative or too large
     */
    public NodeSpec capacity(String cpu, String memory) {
        try {
            return new NodeSpec(name, labels, taints, ClusterSpec.quantity("cpu", cpu, true),
                    ClusterSpec.quantity("memory", memory, false), maxPods);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node " + name + ": " + e.getMessage(), e);
        }
    }

    /** This node's CPU capacity only; its memory stays the cluster's (or what {@link #capacity} set). */
    public NodeSpec cpu(String cpu) {
        try {
            return new NodeSpec(name, labels, taints, ClusterSpec.quantity("cpu", cpu, true), memory, maxPods);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node " + name + ": " + e.getMessage(), e);
        }
    }

    /** This node's memory capacity only; its CPU stays the cluster's (or what {@link #capacity} set). */
    public NodeSpec memory(String memory) {
        try {
            return new NodeSpec(name, labels, taints, cpu, ClusterSpec.quantity("memory", memory, false), maxPods);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * How many pods this node takes, instead of the cluster's {@link ClusterSpec#nodeMaxPods}.
     *
     * @throws IllegalArgumentException if {@code pods} is negative
     */
    public NodeSpec maxPods(int pods) {
        if (pods < 0) {
            throw new IllegalArgumentException("node " + name + ": maxPods must be >= 0, got " + pods);
        }
        return new NodeSpec(name, labels, taints, cpu, memory, pods);
    }

    /**
     * What the {@code index}th node's (from 1) kubelet registers, its unset capacity taken from the cluster's spec,
     * its pod range and address from the cluster's {@link PodNetwork}.
     */
    NodeConfig config(ClusterSpec cluster, int index) {
        PodNetwork network = PodNetwork.forNodes(cluster.nodeCount());
        return new NodeConfig(name, labels, cpu != null ? cpu : cluster.nodeCpu(),
                memory != null ? memory : cluster.nodeMemory(), maxPods >= 0 ? maxPods : cluster.nodeMaxPods(),
                network.podCidr(index - 1), PodNetwork.internalIp(index - 1), taints);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeSpec n && n.name.equals(name) && n.labels.equals(labels) && n.taints.equals(taints)
                && Objects.equals(n.cpu, cpu) && Objects.equals(n.memory, memory)
                && n.maxPods == maxPods;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, labels, taints, cpu, memory, maxPods);
    }

    @Override
    public String toString() {
        return name + (labels.isEmpty() ? "" : " labels " + labels) + (taints.isEmpty() ? "" : " taints " + taints)
                + (cpu == null ? "" : " cpu " + cpu) + (memory == null ? "" : " memory " + memory)
                + (maxPods < 0 ? "" : " maxPods " + maxPods);
    }
}

package dev.drydock.kubelet;

import java.util.List;
import java.util.Map;

/**
 * What a kubelet registers about its node.
 *
 * @param cpu    capacity, as a quantity ({@code 4})
 * @param memory capacity, as a quantity ({@code 8Gi})
 * @param pods   how many pods the node takes
 * @param taints the taints it registers with (the kubelet's {@code --register-with-taints})
 */
public record NodeConfig(String name, Map<String, String> labels, String cpu, String memory, int pods,
                         String podCidr, String internalIp, List<Taint> taints) {

    public NodeConfig {
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
    }

    /** A node without taints. */
    public NodeConfig(String name, Map<String, String> labels, String cpu, String memory, int pods, String podCidr,
                      String internalIp) {
        this(name, labels, cpu, memory, pods, podCidr, internalIp, List.of());
    }

    /**
     * A node taint as {@code spec.taints} holds it.
     *
     * @param value  empty for none
     * @param effect {@code NoSchedule}, {@code PreferNoSchedule} or {@code NoExecute}
     */
    public record Taint(String key, String value, String effect) {
    }
}

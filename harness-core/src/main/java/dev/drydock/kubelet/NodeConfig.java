package dev.drydock.kubelet;

import java.util.Map;

/**
 * What a kubelet registers about its node.
 *
 * @param cpu    capacity, as a quantity ({@code 4})
 * @param memory capacity, as a quantity ({@code 8Gi})
 * @param pods   how many pods the node takes
 */
public record NodeConfig(String name, Map<String, String> labels, String cpu, String memory, int pods,
                         String podCidr, String internalIp) {

    public NodeConfig {
        labels = Map.copyOf(labels);
    }
}

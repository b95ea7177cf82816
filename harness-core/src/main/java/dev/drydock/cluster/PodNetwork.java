package dev.drydock.cluster;

/**
 * The cluster's pod and node address plan, as kube-controller-manager's node IPAM lays it out
 * ({@code --allocate-node-cidrs --cluster-cidr=... --node-cidr-mask-size=24}): one cluster CIDR, of which each node
 * gets the next free {@code /24} as {@code spec.podCIDR} (its first node the first, {@code 10.244.0.0/24}), in the
 * order of the cluster's nodes. The cluster CIDR is kube's
 * usual {@code 10.244.0.0/16} (kubeadm and kind's default, 256 nodes) up to 256 nodes, and {@code 10.240.0.0/12}
 * (4,096 nodes) above that. Node InternalIPs come from {@code 10.0.0.0/16}, at most 250 to a {@code /24}
 * ({@code 10.0.0.2} for {@code node-1} to {@code 10.0.0.250}, then {@code 10.0.1.1}...), apart from the service
 * CIDR {@code 10.96.0.0/12} and from the pods'.
 *
 * <p>In kube the allocator is a controller writing the Node after it registers; here the cluster hands each kubelet
 * its range when it starts it, so a node's pods never wait for one: the ranges are the same.
 */
final class PodNetwork {

    /** kube's {@code --node-cidr-mask-size} for IPv4. */
    static final int NODE_MASK = 24;
    /** The most nodes a cluster's pod network ({@code 10.240.0.0/12}) holds a {@code /24} for. */
    static final int MAX_NODES = 4096;

    private static final int NODES_PER_IP_BLOCK = 250;

    private final int network;   // the cluster CIDR's first address, as an unsigned 32-bit number
    private final int prefix;

    private PodNetwork(int network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * The plan for a cluster of {@code nodes} nodes.
     *
     * @throws IllegalArgumentException past {@link #MAX_NODES}, naming the limit
     */
    static PodNetwork forNodes(int nodes) {
        if (nodes > MAX_NODES) {
            throw new IllegalArgumentException(nodes + " nodes: the pod network 10.240.0.0/12 holds a /24 for at "
                    + "most " + MAX_NODES + " nodes");
        }
        return nodes <= 256 ? new PodNetwork(ip(10, 244, 0, 0), 16) : new PodNetwork(ip(10, 240, 0, 0), 12);
    }

    /** The cluster CIDR, kube-controller-manager's {@code --cluster-cidr}: {@code 10.244.0.0/16} for example. */
    String clusterCidr() {
        return format(network) + "/" + prefix;
    }

    /**
     * The {@code spec.podCIDR} of the {@code index}th node (from 0): the {@code index}th {@code /24} of the cluster
     * CIDR, as the range allocator hands them out on a fresh cluster.
     */
    String podCidr(int index) {
        if (index < 0 || index >= 1 << (NODE_MASK - prefix)) {
            throw new IllegalArgumentException("node index " + index + " is outside " + clusterCidr() + ", which "
                    + "holds " + (1 << (NODE_MASK - prefix)) + " /" + NODE_MASK + "s");
        }
        return format(network + (index << (32 - NODE_MASK))) + "/" + NODE_MASK;
    }

    /** The {@code index}th node's (from 0) InternalIP, in {@code 10.0.0.0/16}. */
    static String internalIp(int index) {
        int i = index + 1; // node-1 is 10.0.0.2, as it has always been: 10.0.0.1 stands for the gateway
        if (index < 0 || i / NODES_PER_IP_BLOCK > 255) {
            throw new IllegalArgumentException("node index " + index + " has no InternalIP in 10.0.0.0/16");
        }
        return "10.0." + i / NODES_PER_IP_BLOCK + "." + (i % NODES_PER_IP_BLOCK + 1);
    }

    private static int ip(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    private static String format(int ip) {
        return (ip >>> 24) + "." + (ip >>> 16 & 255) + "." + (ip >>> 8 & 255) + "." + (ip & 255);
    }
}

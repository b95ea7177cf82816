package dev.drydock.cluster;

import dev.drydock.runtime.ContainerRuntime;

/** What tests of other modules may see inside a cluster: open streams and a node's runtime. */
public final class ClusterInternals {

    private ClusterInternals() {
    }

    /** How many of pods' streams the API server has open now. */
    public static int openPodStreams(DrydockCluster cluster) {
        return cluster.openPodStreams();
    }

    /** The runtime of a node, or null while it is down. */
    public static ContainerRuntime runtime(DrydockCluster cluster, String node) {
        return cluster.node(node).runtime();
    }
}

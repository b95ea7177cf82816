package dev.drydock.junit;

import dev.drydock.cluster.DrydockCluster;

/**
 * Attached to a failing test's exception: the cluster's state when the test failed (seed, nodes, pods, recent events,
 * timeline), so the report says what the cluster looked like and how to replay the run.
 */
public final class ClusterState extends RuntimeException {

    ClusterState(DrydockCluster cluster) {
        super("state of the cluster when the test failed (rerun with @Cluster(seed = " + cluster.seed() + ")):\n"
                + cluster.describe(), null, false, false);
    }
}

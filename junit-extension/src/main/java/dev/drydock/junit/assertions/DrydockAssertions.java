package dev.drydock.junit.assertions;

import dev.drydock.cluster.DrydockCluster;

/**
 * The entry point of drydock's AssertJ assertions: {@code assertThat(cluster)}. They need AssertJ and Awaitility on
 * the test class path (drydock does not bring them); a test that does not use them needs neither. Import it
 * statically next to AssertJ's own {@code Assertions.assertThat}: the two overload each other.
 *
 * <pre>{@code
 * import static dev.drydock.junit.assertions.DrydockAssertions.assertThat;
 *
 * @Cluster(nodes = 3)
 * class WebTest {
 *     @Test
 *     void keepsTwoAvailableWhileANodeIsDown(DrydockCluster cluster) {
 *         // ... create Deployment "web" with 3 replicas
 *         assertThat(cluster).deployment("web").eventually().hasAvailableReplicas(3).isRolledOut();
 *         assertThat(cluster).alwaysSatisfies("never fewer than 2 available",
 *                         c -> assertThat(c).deployment("web").hasAvailableReplicasAtLeast(2))
 *                 .during(() -> {
 *                     cluster.node("node-2").crash();
 *                     assertThat(cluster).pods("app=web").eventually().hasReadyCount(3);
 *                 });
 *     }
 * }
 * }</pre>
 */
public final class DrydockAssertions {

    private DrydockAssertions() {
    }

    /**
     * Assertions on a cluster: its Deployments, pods, nodes and events as its API shows them, and invariants.
     *
     * @param cluster the cluster, as {@code @Cluster} injects it
     * @return assertions on it
     */
    public static ClusterAssert assertThat(DrydockCluster cluster) {
        return new ClusterAssert(cluster);
    }
}

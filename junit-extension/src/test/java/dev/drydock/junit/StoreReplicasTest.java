package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.drydock.cluster.DrydockCluster;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** {@code @Cluster}'s store replicas reach the cluster's store, and a bad count fails the test naming it. */
@Cluster(nodes = 1)
class StoreReplicasTest {

    @Test
    void byDefaultTheStoreHasThreeReplicasWithALeader(DrydockCluster cluster) {
        assertThat(cluster.store().replicas()).isEqualTo(3);
        assertThat(cluster.store().leader()).isBetween(0, 2);
    }

    @Test
    @Cluster(nodes = 1, storeReplicas = 5)
    void theAnnotationsReplicaCountReachesTheStore(DrydockCluster cluster) {
        assertThat(cluster.store().replicas()).isEqualTo(5);
    }

    @Test
    void aReplicaCountOtherThanOneThreeOrFiveFailsTheTestNamingIt() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(TwoReplicasSample.class))
                .execute().testEvents();
        events.assertStatistics(s -> s.started(1).failed(1));
        Throwable failure = events.failed().list().get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();

        assertThat(failure).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("@Cluster on " + TwoReplicasSample.class.getName() + ": storeReplicas must be 1, 3 or 5, "
                        + "got 2");
    }

    /** Run only through the test kit above. */
    @Cluster(storeReplicas = 2)
    static class TwoReplicasSample {
        @Test
        void fails(DrydockCluster cluster) {
            assertThat(cluster).isNotNull();
        }
    }
}

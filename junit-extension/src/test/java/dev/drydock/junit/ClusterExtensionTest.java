package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.drydock.cluster.DrydockCluster;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

@Cluster(nodes = 2, seed = 7)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterExtensionTest {

    private static final AtomicReference<DrydockCluster> FIRST = new AtomicReference<>();
    private DrydockCluster injected;

    @Test
    @Order(1)
    void aClassAnnotationStartsOneClusterWithItsSettings(DrydockCluster cluster) {
        FIRST.set(cluster);
        assertThat(cluster.nodes()).hasSize(2);
        assertThat(cluster.seed()).isEqualTo(7);
        assertThat(cluster.client().items(dev.drydock.kube.Resource.NODES, null, null)).hasSize(2);
    }

    @Test
    @Order(2)
    void everyTestOfTheClassSharesIt(DrydockCluster cluster) {
        assertThat(FIRST.get()).as("set by the first test of the class").isNotNull();
        assertThat(cluster).isSameAs(FIRST.get());
    }

    @Test
    @Order(3)
    void fieldsOfTheClusterTypeAreInjected(DrydockCluster cluster) {
        assertThat(injected).isSameAs(cluster);
    }

    @Test
    @Order(4)
    @Cluster(nodes = 1)
    void aMethodAnnotationGetsAClusterOfItsOwn(DrydockCluster cluster) {
        assertThat(FIRST.get()).as("set by the first test of the class").isNotNull();
        assertThat(cluster).isNotSameAs(FIRST.get());
        assertThat(cluster.nodes()).hasSize(1);
    }

    /** Runs after the tests of the outer class, as JUnit runs nested classes. */
    @Nested
    class NestedTests {
        DrydockCluster nestedField;

        @Test
        void aNestedClassRunsOnItsOuterClassesClusterAndBothInstancesGetFields(DrydockCluster cluster) {
            assertThat(FIRST.get()).as("set by the first test of the outer class").isNotNull();
            assertThat(cluster).isSameAs(FIRST.get()).isSameAs(nestedField).isSameAs(injected);
        }
    }

    @Test
    void aFailingTestGetsTheClusterStateAndTheClusterIsClosedAfter() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingSample.class)).execute()
                .testEvents();

        events.assertStatistics(s -> s.failed(1));
        Throwable failure = events.failed().list().get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow();
        assertThat(failure.getSuppressed()).filteredOn(ClusterState.class::isInstance).hasSize(1);
        String state = Arrays.stream(failure.getSuppressed()).filter(ClusterState.class::isInstance).findFirst()
                .orElseThrow().getMessage();
        assertThat(state).contains("seed = 99").contains("node-1  Ready=True").contains("timeline:");
        assertThat(FailingSample.seen.get().port()).isPositive();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
                && t.getName().startsWith("drydock-" + FailingSample.seen.get().name() + "-"));
    }

    /** Run only through the test kit above (surefire does not run nested classes on its own). */
    @Cluster(nodes = 1, seed = 99)
    static class FailingSample {
        static final AtomicReference<DrydockCluster> seen = new AtomicReference<>();

        @Test
        void fails(DrydockCluster cluster) {
            seen.set(cluster);
            assertThat(cluster.nodes()).hasSize(5);
        }
    }
}

package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.base.Timings;
import dev.drydock.cluster.DrydockCluster;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code @Cluster}'s timings, seed (and its override) and lifecycle. */
class ClusterOptionsTest {

    @Test
    void durationsAreWrittenAsGoAndKubectlWriteThemOrInIso8601() {
        assertThat(ClusterOptions.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ClusterOptions.duration("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(ClusterOptions.duration("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ClusterOptions.duration("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(ClusterOptions.duration("PT0.25S")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> ClusterOptions.duration("2 seconds")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"2 seconds\" is not a duration such as 500ms, 2s, 1m30s or 1h");
        assertThatThrownBy(() -> ClusterOptions.duration("s")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timingsAreAProfileThenNamedOverrides() {
        assertThat(ClusterOptions.timings(new String[0], "here")).isEqualTo(Timings.compressed());
        Timings t = ClusterOptions.timings(new String[] {"kubernetes", "nodeMonitorGracePeriod=5s"}, "here");
        assertThat(t.nodeMonitorGracePeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.podEvictionTimeout()).isEqualTo(Timings.kubernetes().podEvictionTimeout());
        assertThatThrownBy(() -> ClusterOptions.timings(new String[] {"nodeMonitorGrace=5s"}, "@Cluster on X"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("@Cluster on X: timings entry \"nodeMonitorGrace=5s\": no timing named "
                        + "\"nodeMonitorGrace\"; timings are [nodeLeaseRenewInterval, ");
        assertThatThrownBy(() -> ClusterOptions.timings(new String[] {"eventTTL=5s", "kubernetes"}, "@Cluster on X"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("@Cluster on X: timings entry \"kubernetes\" is neither a profile (\"compressed\" or "
                        + "\"kubernetes\", first only) nor name=duration");
        assertThatThrownBy(() -> ClusterOptions.timings(new String[] {"eventTTL=soon"}, "@Cluster on X"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("@Cluster on X: timings entry \"eventTTL=soon\": \"soon\" is not a duration such as "
                        + "500ms, 2s, 1m30s or 1h");
    }

    @Test
    @Cluster(nodes = 1, timings = {"compressed", "nodeMonitorGracePeriod=3s", "podEvictionTimeout=1m"})
    void theClusterRunsOnTheAnnotationsTimings(DrydockCluster cluster) {
        assertThat(cluster.timings().nodeMonitorGracePeriod()).isEqualTo(Duration.ofSeconds(3));
        assertThat(cluster.timings().podEvictionTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(cluster.timings().nodeLeaseRenewInterval())
                .isEqualTo(Timings.compressed().nodeLeaseRenewInterval());
    }

    @Test
    void theDrydockSeedParameterOverridesEveryAnnotationsSeed() {
        SeedSample.seeds.clear();
        Kit.run(Map.of("drydock.seed", "1234"), SeedSample.class).testEvents()
                .assertStatistics(s -> s.started(2).succeeded(2));

        assertThat(SeedSample.seeds).containsOnly(1234L); // the class's cluster and the method's alike
    }

    @Test
    void withoutTheParameterTheAnnotationsSeedHolds() {
        SeedSample.seeds.clear();
        Kit.tests(SeedSample.class).assertStatistics(s -> s.started(2).succeeded(2));

        assertThat(SeedSample.seeds).containsExactlyInAnyOrder(7L, 8L);
    }

    @Test
    void aSeedParameterThatIsNotALongFailsNamingIt() {
        Throwable failure = Kit.failure(Kit.run(Map.of("drydock.seed", "0x2a"), SeedSample.class).testEvents());

        assertThat(failure).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("drydock.seed = \"0x2a\" (a system property or JUnit configuration "
                        + "parameter) is not a seed: a seed is a long, e.g. -Ddrydock.seed=42");
    }

    @Test
    void perMethodLifecycleGivesEachTestAFreshClusterClosedAfterIt() {
        PerMethodSample.clusters.clear();
        Kit.tests(PerMethodSample.class).assertStatistics(s -> s.started(3).succeeded(3));

        assertThat(PerMethodSample.clusters).hasSize(3);
        assertThat(PerMethodSample.clusters).allSatisfy(c -> assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("drydock-" + c + "-")));
    }

    @Test
    void perMethodLifecycleHasNoClusterForStaticFieldsSayingWhy() {
        Throwable failure = Kit.containerFailure(PerMethodStaticSample.class);

        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has lifecycle = PER_METHOD: each test has a cluster of its own")
                .hasMessageContaining("use a @BeforeEach method or an instance field");
    }

    /** Run only through the test kit above. */
    @Cluster(nodes = 1, seed = 7)
    static class SeedSample {
        static final Set<Long> seeds = ConcurrentHashMap.newKeySet();

        @Test
        void classCluster(DrydockCluster cluster) {
            seeds.add(cluster.seed());
        }

        @Test
        @Cluster(nodes = 1, seed = 8)
        void methodCluster(DrydockCluster cluster) {
            seeds.add(cluster.seed());
        }
    }

    /** Run only through the test kit above. */
    @Cluster(nodes = 1, lifecycle = Cluster.Lifecycle.PER_METHOD)
    static class PerMethodSample {
        static final Set<String> clusters = ConcurrentHashMap.newKeySet();
        private final AtomicReference<DrydockCluster> fromBeforeEach = new AtomicReference<>();
        DrydockCluster field;

        @BeforeEach
        void setUp(DrydockCluster cluster) {
            fromBeforeEach.set(cluster);
        }

        @Test
        void one(DrydockCluster cluster) {
            check(cluster);
        }

        @Test
        void two(DrydockCluster cluster) {
            check(cluster);
        }

        @Test
        void three(DrydockCluster cluster) {
            check(cluster);
        }

        private void check(DrydockCluster cluster) {
            assertThat(fromBeforeEach.get()).isSameAs(cluster).isSameAs(field);
            assertThat(clusters.add(cluster.name())).as("a cluster no other test had").isTrue();
        }
    }

    /** Run only through the test kit above. */
    @Cluster(nodes = 1, lifecycle = Cluster.Lifecycle.PER_METHOD)
    static class PerMethodStaticSample {
        static DrydockCluster cluster;

        @Test
        void neverRuns() {
        }
    }
}

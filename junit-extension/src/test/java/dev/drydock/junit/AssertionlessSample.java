package dev.drydock.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.assertions.Invariants;
import dev.drydock.kube.Resource;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * A test class that uses neither AssertJ nor Awaitility (JUnit's own assertions, and the invariants, which need
 * neither), and the entry point that runs it: loaded by {@link WithoutAssertionLibrariesTest} in a class loader that
 * hides both libraries. Nothing here may name a type of theirs.
 */
public final class AssertionlessSample {

    private AssertionlessSample() {
    }

    /** Runs {@link Sample} with the test kit; called in the isolated class loader, so all of it is loaded there. */
    public static String run() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Sample.class)).execute()
                .testEvents();
        String failures = events.failed().stream().map(e -> e.getPayload(
                org.junit.platform.engine.TestExecutionResult.class).flatMap(r -> r.getThrowable())
                .map(Throwable::toString).orElse("?")).collect(Collectors.joining(", ", "[", "]"));
        return "started=" + events.started().count() + " succeeded=" + events.succeeded().count()
                + " failures=" + failures;
    }

    /** Run only through the isolated test kit above. */
    @Cluster(nodes = 1)
    static class Sample {
        @Test
        void getsTheClusterAndANamespace(DrydockCluster cluster, @TestNamespace String namespace) {
            assertNotNull(cluster.client().get(Resource.NAMESPACES, null, namespace));
        }

        @Test
        void checksAnInvariantWithoutAssertJ(DrydockCluster cluster) {
            Invariants.during(cluster, "one node", c -> c.client().items(Resource.NODES, null, null).size() == 1,
                    () -> assertEquals(1, cluster.nodes().size()));
        }
    }
}

package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.cluster.DrydockCluster;
import dev.drydock.cluster.Invariant;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * An invariant a test opens with {@code cluster.invariant(...)} and leaves open is closed when the test ends: the test
 * fails if it was ever violated, and passes if it held; one opened in {@code @BeforeAll} is the class's, closed after
 * it.
 */
class OpenInvariantsTest {

    @Test
    void aTestLeavingABrokenInvariantOpenFailsWithItsReportAndOneThatHeldPasses() {
        Opened.invariants.clear();

        var events = Kit.tests(LeavesInvariantsOpen.class);

        events.assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        assertThat(Kit.failure(events)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no Role named boom");
        assertThat(Opened.invariants).hasSize(3).noneMatch(Invariant::isOpen);
    }

    static final class Opened {
        static final List<Invariant> invariants = new CopyOnWriteArrayList<>();
    }

    @Cluster(nodes = 0, storeReplicas = 1)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class LeavesInvariantsOpen {

        @BeforeAll
        static void classInvariant(DrydockCluster cluster) {
            Opened.invariants.add(cluster.invariant("the cluster has a default namespace",
                    c -> c.client().find(Resource.NAMESPACES, null, "default") != null));
        }

        @Test
        @Order(1)
        void breaksOne(DrydockCluster cluster) {
            Opened.invariants.add(cluster.invariant("no Role named boom",
                    c -> c.client().find(Resource.ROLES, "default", "boom") == null));
            cluster.client().create(Resource.ROLES, "default", role("boom"));
        }

        @Test
        @Order(2)
        void keepsOne(DrydockCluster cluster) {
            Opened.invariants.add(cluster.invariant("no Role named calm",
                    c -> c.client().find(Resource.ROLES, "default", "calm") == null));
        }

        private static ObjectNode role(String name) {
            ObjectNode cm = Json.object().put("apiVersion", "rbac.authorization.k8s.io/v1").put("kind", "Role");
            cm.putObject("metadata").put("name", name);
            return cm;
        }
    }
}

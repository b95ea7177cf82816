package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Resource lists carry kube's categories, so that {@code kubectl get all} finds the workloads. */
class DiscoveryTest {

    private final Discovery discovery = new Discovery(KindRegistry.builtIn());

    @Test
    void podsDeploymentsAndReplicaSetsAreInTheAllCategoryAsInKube() {
        assertThat(categories(discovery.resources("", "v1"), "pods")).containsExactly("all");
        assertThat(categories(discovery.resources("apps", "v1"), "deployments")).containsExactly("all");
        assertThat(categories(discovery.resources("apps", "v1"), "replicasets")).containsExactly("all");
    }

    @Test
    void namespacesNodesEventsAndLeasesAreInNoCategory() {
        ObjectNode core = discovery.resources("", "v1");
        assertThat(resource(core, "namespaces").has("categories")).isFalse();
        assertThat(resource(core, "nodes").has("categories")).isFalse();
        assertThat(resource(core, "events").has("categories")).isFalse();
        assertThat(resource(discovery.resources("coordination.k8s.io", "v1"), "leases").has("categories")).isFalse();
    }

    @Test
    void subresourcesAreInNoCategory() {
        assertThat(resource(discovery.resources("", "v1"), "pods/status").has("categories")).isFalse();
    }

    private static List<String> categories(ObjectNode list, String name) {
        List<String> out = new ArrayList<>();
        resource(list, name).path("categories").forEach(c -> out.add(c.asText()));
        return out;
    }

    private static JsonNode resource(ObjectNode list, String name) {
        for (JsonNode r : list.path("resources")) {
            if (r.path("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no resource " + name + " in " + list);
    }
}

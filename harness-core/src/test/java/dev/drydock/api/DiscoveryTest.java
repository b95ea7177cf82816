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

    @Test
    void aggregatedDiscoveryHoldsWhatTheResourceListsHoldInOneDocument() {
        ObjectNode apis = discovery.aggregated(false, "apidiscovery.k8s.io/v2");
        assertThat(apis.path("kind").asText()).isEqualTo("APIGroupDiscoveryList");
        JsonNode apps = null;
        for (JsonNode g : apis.path("items")) {
            assertThat(g.at("/metadata/name").asText()).isNotEmpty();
            if (g.at("/metadata/name").asText().equals("apps")) {
                apps = g;
            }
        }
        assertThat(apps).isNotNull();
        JsonNode deployments = null;
        for (JsonNode r : apps.at("/versions/0/resources")) {
            if (r.path("resource").asText().equals("deployments")) {
                deployments = r;
            }
        }
        assertThat(deployments.path("scope").asText()).isEqualTo("Namespaced");
        assertThat(deployments.path("singularResource").asText()).isEqualTo("deployment");
        assertThat(deployments.path("shortNames").get(0).asText()).isEqualTo("deploy");
        assertThat(deployments.path("categories").get(0).asText()).isEqualTo("all");
        assertThat(deployments.at("/responseKind/kind").asText()).isEqualTo("Deployment");
        JsonNode scale = null;
        for (JsonNode s : deployments.path("subresources")) {
            if (s.path("subresource").asText().equals("scale")) {
                scale = s;
            }
        }
        assertThat(scale.at("/responseKind/group").asText()).isEqualTo("autoscaling");
        assertThat(scale.at("/responseKind/kind").asText()).isEqualTo("Scale");
        assertThat(apps.at("/versions/0/freshness").asText()).isEqualTo("Current");

        ObjectNode core = discovery.aggregated(true, "apidiscovery.k8s.io/v2");
        assertThat(core.path("items")).hasSize(1);
        assertThat(core.at("/items/0/metadata").has("name")).isFalse();
        int legacy = 0;
        for (JsonNode r : discovery.resources("", "v1").path("resources")) {
            legacy += r.path("name").asText().contains("/") ? 0 : 1;
        }
        assertThat(core.at("/items/0/versions/0/resources")).hasSize(legacy);
    }

    @Test
    void aggregatedDiscoveryIsServedWhenTheAcceptHeaderAsksForItFirst() {
        String kubectl = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
                + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
        assertThat(HttpApiServer.aggregatedDiscovery(kubectl)).isEqualTo("v2");
        assertThat(HttpApiServer.aggregatedDiscovery(
                "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList")).isEqualTo("v2beta1");
        assertThat(HttpApiServer.aggregatedDiscovery("application/json, */*")).isNull();
        assertThat(HttpApiServer.aggregatedDiscovery(null)).isNull();
        assertThat(HttpApiServer.aggregatedDiscovery(
                "application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json")).isNull();
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

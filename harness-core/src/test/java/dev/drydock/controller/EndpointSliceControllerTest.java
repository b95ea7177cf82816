package dev.drydock.controller;

import static dev.drydock.controller.EndpointsControllerTest.pod;
import static dev.drydock.controller.EndpointsControllerTest.service;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EndpointSlice controller's rules, on its pure core: conditions, ports, chunks, labels. */
class EndpointSliceControllerTest {

    private static final ObjectNode WEB = service("{'selector':{'app':'web'},'clusterIP':'10.96.0.10',"
            + "'ports':[{'name':'http','port':80,'targetPort':'http','protocol':'TCP'}]}");

    @Test
    void endpointsCarryKubesConditions() {
        ObjectNode terminating = pod("t", "10.244.0.7", true);
        ((ObjectNode) terminating.path("metadata")).put("deletionTimestamp", "2025-06-01T12:00:00Z");

        var desired = EndpointSliceController.desired(WEB, List.of(pod("a", "10.244.0.9", true),
                pod("c", "10.244.0.5", false), terminating));

        assertThat(desired).hasSize(1);
        JsonNode eps = desired.get(0).endpoints();
        assertThat(eps.get(0).path("addresses").get(0).asText()).isEqualTo("10.244.0.5");
        assertThat(eps.get(0).path("conditions").toString())
                .isEqualTo("{\"ready\":false,\"serving\":false,\"terminating\":false}");
        assertThat(eps.get(1).path("conditions").toString())
                .as("a terminating pod stays, serving but not ready")
                .isEqualTo("{\"ready\":false,\"serving\":true,\"terminating\":true}");
        assertThat(eps.get(2).path("conditions").toString())
                .isEqualTo("{\"ready\":true,\"serving\":true,\"terminating\":false}");
        assertThat(eps.get(2).path("nodeName").asText()).isEqualTo("node-1");
        assertThat(desired.get(0).ports().toString())
                .isEqualTo("[{\"name\":\"http\",\"port\":8080,\"protocol\":\"TCP\"}]");
    }

    @Test
    void publishNotReadyAddressesMakesEveryEndpointReady() {
        ObjectNode svc = WEB.deepCopy();
        ((ObjectNode) svc.path("spec")).put("publishNotReadyAddresses", true);

        var desired = EndpointSliceController.desired(svc, List.of(pod("c", "10.244.0.5", false)));

        assertThat(desired.get(0).endpoints().get(0).path("conditions").path("ready").asBoolean()).isTrue();
        assertThat(desired.get(0).endpoints().get(0).path("conditions").path("serving").asBoolean()).isFalse();
    }

    @Test
    void podsAreGroupedByTheirPortsAndCutIntoSlicesOfAHundred() {
        List<ObjectNode> pods = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            pods.add(pod("p" + i, "10.244." + i / 200 + "." + (i % 200 + 2), true));
        }
        ObjectNode other = pod("o", "10.244.5.5", true);
        ((ObjectNode) other.path("spec").path("containers").get(0).path("ports").get(0)).put("containerPort", 9090);
        pods.add(other);

        var desired = EndpointSliceController.desired(WEB, pods);

        assertThat(desired).hasSize(3);
        assertThat(desired.stream().mapToInt(d -> d.endpoints().size()).sorted().toArray())
                .containsExactly(1, 50, 100);
    }

    @Test
    void anEmptyServiceHasOnePlaceholderSlice() {
        var desired = EndpointSliceController.desired(WEB, List.of());

        assertThat(desired).hasSize(1);
        assertThat(desired.get(0).endpoints()).isEmpty();
        assertThat(desired.get(0).ports()).isEmpty();
    }

    @Test
    void slicesAreLabelledWithTheirServiceAndManager() {
        assertThat(EndpointSliceController.labels(WEB).toString()).isEqualTo("{\"tier\":\"front\","
                + "\"kubernetes.io/service-name\":\"web\","
                + "\"endpointslice.kubernetes.io/managed-by\":\"endpointslice-controller.k8s.io\"}");
    }
}

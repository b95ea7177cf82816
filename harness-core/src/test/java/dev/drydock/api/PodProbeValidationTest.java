package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A pod's probes: kube's defaults (also for zero values) and its validation, with kube's messages. */
class PodProbeValidationTest extends ApiServerTestSupport {

    @Test
    void aProbeGetsKubesDefaultsAndAZeroIsUnset() {
        ObjectNode created = client.create(PODS, NS, pod("""
                {"readinessProbe": {"httpGet": {"port": 80}, "periodSeconds": 0},
                 "livenessProbe": {"tcpSocket": {"port": "http"}, "initialDelaySeconds": 5}}"""));

        JsonNode c = created.path("spec").path("containers").path(0);
        assertThat(c.path("readinessProbe")).isEqualTo(Json.parseTrusted("""
                {"httpGet": {"port": 80, "path": "/", "scheme": "HTTP"}, "periodSeconds": 10, "timeoutSeconds": 1,
                 "successThreshold": 1, "failureThreshold": 3}""".getBytes(StandardCharsets.UTF_8)));
        assertThat(c.path("livenessProbe").path("initialDelaySeconds").asInt()).isEqualTo(5);
        assertThat(c.path("livenessProbe").path("failureThreshold").asInt()).isEqualTo(3);
    }

    @Test
    void aLivenessOrStartupProbeMustHaveASuccessThresholdOfOne() {
        assertThat(failure(() -> client.create(PODS, NS, pod("""
                {"livenessProbe": {"exec": {"command": ["true"]}, "successThreshold": 2},
                 "startupProbe": {"exec": {"command": ["true"]}, "successThreshold": 3},
                 "readinessProbe": {"exec": {"command": ["true"]}, "successThreshold": 3}}"""))).getMessage())
                .isEqualTo("Pod \"p\" is invalid: [spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: "
                        + "must be 1, spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1]");
    }

    @Test
    void aProbeNeedsExactlyOneHandlerAndValidPortsAndNumbers() {
        assertThat(failure(() -> client.create(PODS, NS, pod("""
                {"readinessProbe": {"periodSeconds": 1}}"""))).getMessage())
                .isEqualTo("Pod \"p\" is invalid: spec.containers[0].readinessProbe: Required value: must specify a "
                        + "handler type");
        assertThat(failure(() -> client.create(PODS, NS, pod("""
                {"readinessProbe": {"exec": {"command": ["true"]}, "tcpSocket": {"port": 80}}}"""))).getMessage())
                .isEqualTo("Pod \"p\" is invalid: spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not "
                        + "specify more than 1 handler type");
        assertThat(failure(() -> client.create(PODS, NS, pod("""
                {"livenessProbe": {"httpGet": {"port": 70000}, "failureThreshold": -1},
                 "readinessProbe": {"grpc": {"port": 0}},
                 "startupProbe": {"tcpSocket": {"port": "Not_A_Name"}}}"""))).getMessage())
                .contains("spec.containers[0].livenessProbe.httpGet.port: Invalid value: 70000: must be between 1 and "
                        + "65535, inclusive", "spec.containers[0].livenessProbe.failureThreshold: Invalid value: -1: "
                        + "must be greater than or equal to 0", "spec.containers[0].readinessProbe.grpc.port: Invalid "
                        + "value: 0: must be between 1 and 65535, inclusive",
                        "spec.containers[0].startupProbe.tcpSocket.port: Invalid value: \"Not_A_Name\": must contain "
                        + "only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }

    private static ObjectNode pod(String probes) {
        ObjectNode pod = Json.parseTrusted(("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"},"
                + " \"spec\": {\"containers\": [{\"name\": \"main\", \"image\": \"busybox\"}]}}")
                .getBytes(StandardCharsets.UTF_8));
        ObjectNode container = (ObjectNode) pod.path("spec").path("containers").path(0);
        container.setAll(Json.parseTrusted(probes.getBytes(StandardCharsets.UTF_8)));
        return pod;
    }
}

package dev.drydock.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.kube.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A container's probes as the kubelet reads them: kube's defaults, handlers, and how a probe's port resolves. */
class ProbeSpecTest {

    private static final JsonNode CONTAINER = json("""
            {"name": "main", "ports": [{"name": "http", "containerPort": 8080}, {"containerPort": 9090}],
             "livenessProbe": {"httpGet": {"port": "http", "httpHeaders": [{"name": "X-A", "value": "1"}]},
               "periodSeconds": 0, "terminationGracePeriodSeconds": 4},
             "readinessProbe": {"exec": {"command": ["cat", "/ready"]}, "initialDelaySeconds": 3,
               "successThreshold": 2},
             "startupProbe": {"grpc": {"port": 9090, "service": "shop"}, "failureThreshold": 30}}""");

    @Test
    void aProbeReadsItsHandlerAndTakesKubesDefaultsForWhatIsAbsentOrZero() {
        ProbeSpec liveness = ProbeSpec.of(ProbeType.LIVENESS, CONTAINER);
        assertThat(liveness.handler()).isEqualTo(new ProbeSpec.HttpGet("/", json("\"http\""), "", "HTTP",
                List.of(Map.entry("X-A", "1"))));
        assertThat(List.of(liveness.initialDelaySeconds(), liveness.periodSeconds(), liveness.timeoutSeconds(),
                liveness.successThreshold(), liveness.failureThreshold())).containsExactly(0, 10, 1, 1, 3);
        assertThat(liveness.terminationGracePeriodSeconds()).isEqualTo(4L);

        ProbeSpec readiness = ProbeSpec.of(ProbeType.READINESS, CONTAINER);
        assertThat(readiness.handler()).isEqualTo(new ProbeSpec.Exec(List.of("cat", "/ready")));
        assertThat(readiness.initialDelaySeconds()).isEqualTo(3);
        assertThat(readiness.successThreshold()).isEqualTo(2);
        assertThat(readiness.terminationGracePeriodSeconds()).isNull();

        ProbeSpec startup = ProbeSpec.of(ProbeType.STARTUP, CONTAINER);
        assertThat(startup.handler()).isEqualTo(new ProbeSpec.Grpc(9090, "shop"));
        assertThat(startup.failureThreshold()).isEqualTo(30);

        assertThat(ProbeSpec.of(ProbeType.LIVENESS, json("{\"name\": \"bare\"}"))).isNull();
        assertThat(ProbeType.LIVENESS).hasToString("Liveness");
    }

    @Test
    void aPortIsANumberTheNameOfAContainerPortOrANumberWrittenAsAString() {
        assertThat(Prober.port(json("80"), CONTAINER)).isEqualTo(80);
        assertThat(Prober.port(json("\"http\""), CONTAINER)).isEqualTo(8080);
        assertThat(Prober.port(json("\"9000\""), CONTAINER)).isEqualTo(9000);
        assertThat(Prober.port(json("\"grpc\""), CONTAINER)).isEqualTo(-1);
        assertThat(Prober.port(json("70000"), CONTAINER)).isEqualTo(-1);
        assertThat(Prober.portError(json("\"grpc\""))).isEqualTo("strconv.Atoi: parsing \"grpc\": invalid syntax");
        assertThat(Prober.portError(json("0"))).isEqualTo("invalid port number: 0");
    }

    private static JsonNode json(String text) {
        try {
            return Json.parse(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

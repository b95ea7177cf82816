package dev.drydock.api.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.kube.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A pod's {@code qosClass} as kube's {@code GetPodQOS} computes it. */
class QosClassTest {

    @Test
    void noCpuOrMemoryIsBestEffortWhateverElseIsAsked() throws Exception {
        assertThat(qos("""
                {"containers": [{"name": "a"}, {"name": "b", "resources": {"limits": {"cpu": "0"},
                  "requests": {"ephemeral-storage": "1Gi"}}}]}""")).isEqualTo("BestEffort");
    }

    @Test
    void equalRequestsAndLimitsOfBothInEveryContainerAreGuaranteedComparedByValue() throws Exception {
        assertThat(qos("""
                {"containers": [{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"},
                                                            "requests": {"cpu": "1000m", "memory": "1024Mi"}}},
                                {"name": "b", "resources": {"limits": {"cpu": "100m", "memory": "64Mi"}}}]}"""))
                .isEqualTo("Guaranteed");
    }

    @Test
    void aContainerWithoutBothLimitsOrAnInitContainerWithLessIsBurstable() throws Exception {
        assertThat(qos("""
                {"containers": [{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}},
                                {"name": "b", "resources": {"limits": {"cpu": "1"}}}]}""")).isEqualTo("Burstable");
        assertThat(qos("""
                {"initContainers": [{"name": "i", "resources": {"requests": {"memory": "1Mi"}}}],
                 "containers": [{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}"""))
                .isEqualTo("Burstable");
    }

    private static String qos(String spec) throws Exception {
        JsonNode s = Json.parse(spec.getBytes(StandardCharsets.UTF_8));
        return KindStrategies.qosClass(s);
    }
}

package dev.drydock.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    static final Instant T1 = Instant.parse("2026-01-01T10:00:00.123Z");
    static final Instant T2 = Instant.parse("2026-01-01T10:05:00Z");

    @Test
    void theTransitionTimeMovesOnlyWhenTheStatusChanges() {
        ArrayNode conditions = Json.array();
        Conditions.set(conditions, "Ready", "False", "Starting", "not yet", null, T1);
        assertThat(conditions.get(0).path("lastTransitionTime").asText()).isEqualTo("2026-01-01T10:00:00Z");

        Conditions.set(conditions, "Ready", "False", "StillStarting", "not yet either", null, T2);
        assertThat(conditions).hasSize(1);
        assertThat(conditions.get(0).path("lastTransitionTime").asText()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(conditions.get(0).path("reason").asText()).isEqualTo("StillStarting");

        Conditions.set(conditions, "Ready", "True", null, null, null, T2);
        assertThat(conditions.get(0).path("lastTransitionTime").asText()).isEqualTo("2026-01-01T10:05:00Z");
        assertThat(conditions.get(0).has("reason")).isFalse();
        assertThat(Conditions.status(conditions, "Ready")).isEqualTo("True");
    }

    @Test
    void eachKindKeepsItsOwnTimeFieldInKubesPlace() {
        ArrayNode pod = Json.array();
        ObjectNode c = Conditions.set(pod, "PodScheduled", "True", null, null, Conditions.PROBE, T1);
        assertThat(c.fieldNames()).toIterable().containsExactly("type", "status", "lastProbeTime",
                "lastTransitionTime");
        assertThat(c.get("lastProbeTime").isNull()).isTrue();

        ArrayNode node = Json.array();
        Conditions.set(node, "Ready", "True", "KubeletReady", "ok", Conditions.HEARTBEAT, T1);
        ObjectNode later = Conditions.set(node, "Ready", "True", "KubeletReady", "ok", Conditions.HEARTBEAT, T2);
        assertThat(later.path("lastHeartbeatTime").asText()).isEqualTo("2026-01-01T10:05:00Z");
        assertThat(later.path("lastTransitionTime").asText()).isEqualTo("2026-01-01T10:00:00Z");

        ArrayNode deployment = Json.array();
        Conditions.set(deployment, "Available", "True", "MinimumReplicasAvailable", "m", Conditions.UPDATE, T1);
        ObjectNode same = Conditions.set(deployment, "Available", "True", "MinimumReplicasAvailable", "m",
                Conditions.UPDATE, T2);
        assertThat(same.path("lastUpdateTime").asText()).isEqualTo("2026-01-01T10:00:00Z");
        ObjectNode changed = Conditions.set(deployment, "Available", "True", "MinimumReplicasAvailable", "m2",
                Conditions.UPDATE, T2);
        assertThat(changed.path("lastUpdateTime").asText()).isEqualTo("2026-01-01T10:05:00Z");
        assertThat(changed.path("lastTransitionTime").asText()).isEqualTo("2026-01-01T10:00:00Z");
    }

    @Test
    void aConditionBuiltAnewTakesItsTransitionFromThePreviousOnes() {
        ArrayNode previous = Json.array();
        Conditions.set(previous, "Ready", "True", null, null, null, T1);
        ArrayNode fresh = Json.array();
        Conditions.set(fresh, previous, "Ready", "True", null, null, null, T2);
        Conditions.set(fresh, previous, "Other", "True", null, null, null, T2);
        assertThat(fresh.get(0).path("lastTransitionTime").asText()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(fresh.get(1).path("lastTransitionTime").asText()).isEqualTo("2026-01-01T10:05:00Z");
    }
}

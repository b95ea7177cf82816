package dev.drydock.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import dev.drydock.kubelet.PodActions.Observed;
import dev.drydock.kubelet.PodActions.State;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** kube's {@code computePodActions} and {@code getPhase} as pure functions: what starts next, and the phase. */
class PodActionsTest {

    private final Map<String, Observed> now = new HashMap<>();

    @Test
    void initContainersStartOneAtATimeEachAfterThePreviousSucceeded() {
        JsonNode spec = spec("Always", List.of("a", "b"), List.of(), List.of("app"));

        assertThat(actions(spec).start()).containsExactly("a");
        now.put("a", running(true));
        assertThat(actions(spec).start()).isEmpty();
        now.put("a", exited(0));
        assertThat(actions(spec).start()).containsExactly("b");
        now.put("b", exited(0));

        PodActions next = actions(spec);
        assertThat(next.initialized()).isTrue();
        assertThat(next.start()).containsExactly("app");
    }

    @Test
    void aFailedInitContainerIsRestartedUnlessThePodNeverRestartsThenThePodFails() {
        now.put("a", exited(1));

        assertThat(actions(spec("OnFailure", List.of("a"), List.of(), List.of("app"))).start()).containsExactly("a");
        PodActions never = actions(spec("Never", List.of("a"), List.of(), List.of("app")));
        assertThat(never.failed()).isTrue();
        assertThat(never.done()).isTrue();
        assertThat(never.start()).isEmpty();
    }

    @Test
    void theNextInitContainerWaitsForASidecarToBeStartedNotToExit() {
        JsonNode spec = spec("Never", List.of("setup"), List.of("proxy"), List.of("app"));
        // spec order: proxy (sidecar) first, then setup
        assertThat(actions(spec).start()).containsExactly("proxy");
        now.put("proxy", running(false));
        assertThat(actions(spec).start()).isEmpty();
        now.put("proxy", running(true));
        assertThat(actions(spec).start()).containsExactly("setup");
        now.put("setup", exited(0));
        assertThat(actions(spec).start()).containsExactly("app");
    }

    @Test
    void aSidecarThatExitsIsRestartedWhateverThePolicyAndStopsWhenTheAppsAreDone() {
        JsonNode spec = spec("Never", List.of(), List.of("proxy"), List.of("app"));
        now.put("proxy", exited(1));
        now.put("app", running(true));
        PodActions a = actions(spec, true);
        assertThat(a.start()).containsExactly("proxy");
        assertThat(a.done()).isFalse();

        now.put("app", exited(0));
        PodActions done = actions(spec, true);
        assertThat(done.done()).isTrue();
        assertThat(done.failed()).isFalse();
        assertThat(done.start()).isEmpty();
    }

    @Test
    void appContainersRestartAsTheRestartPolicySays() {
        now.put("app", exited(0));
        assertThat(actions(spec("Always", List.of(), List.of(), List.of("app"))).start()).containsExactly("app");
        assertThat(actions(spec("OnFailure", List.of(), List.of(), List.of("app"))).done()).isTrue();
        now.put("app", exited(2));
        assertThat(actions(spec("OnFailure", List.of(), List.of(), List.of("app"))).start()).containsExactly("app");
        assertThat(actions(spec("Never", List.of(), List.of(), List.of("app"))).done()).isTrue();
    }

    @Test
    void thePhaseFollowsKubesGetPhase() {
        JsonNode spec = spec("Never", List.of("init"), List.of("proxy"), List.of("app"));
        ArrayNode init = Json.array();
        init.add(Json.parseTrusted(bytes("{'name':'proxy','started':true,'state':{'running':{}}}")));
        init.add(Json.parseTrusted(bytes("{'name':'init','state':{'running':{}}}")));
        ArrayNode apps = Json.array();
        apps.add(Json.parseTrusted(bytes("{'name':'app','state':{'waiting':{'reason':'PodInitializing'}}}")));
        assertThat(StatusManager.phase(spec, init, apps, false, false)).isEqualTo("Pending");

        ((ObjectNode) init.get(1)).set("state", Json.parseTrusted(bytes("{'terminated':{'exitCode':0}}")));
        ((ObjectNode) apps.get(0)).set("state", Json.parseTrusted(bytes("{'running':{}}")));
        assertThat(StatusManager.phase(spec, init, apps, false, true)).isEqualTo("Running");

        ((ObjectNode) apps.get(0)).set("state", Json.parseTrusted(bytes("{'terminated':{'exitCode':0}}")));
        assertThat(StatusManager.phase(spec, init, apps, false, true)).as("the sidecar still runs")
                .isEqualTo("Running");
        ((ObjectNode) init.get(0)).set("state", Json.parseTrusted(bytes("{'terminated':{'exitCode':143}}")));
        assertThat(StatusManager.phase(spec, init, apps, true, true)).as("a stopped sidecar does not count")
                .isEqualTo("Succeeded");

        ((ObjectNode) init.get(1)).set("state", Json.parseTrusted(bytes("{'terminated':{'exitCode':1}}")));
        assertThat(StatusManager.phase(spec, init, apps, false, false)).isEqualTo("Failed");
    }

    // ---- helpers

    private PodActions actions(JsonNode spec) {
        return actions(spec, false);
    }

    private PodActions actions(JsonNode spec, boolean wasInitialized) {
        return PodActions.compute(spec, name -> now.getOrDefault(name, Observed.NONE), wasInitialized);
    }

    private static Observed running(boolean started) {
        return new Observed(State.RUNNING, 0, started);
    }

    private static Observed exited(int code) {
        return new Observed(State.EXITED, code, false);
    }

    /** A spec whose sidecars come first among its init containers, then its regular ones. */
    private static JsonNode spec(String policy, List<String> init, List<String> sidecars, List<String> apps) {
        ObjectNode spec = Json.object().put("restartPolicy", policy);
        ArrayNode initContainers = spec.putArray("initContainers");
        sidecars.forEach(s -> initContainers.addObject().put("name", s).put("restartPolicy", "Always"));
        init.forEach(s -> initContainers.addObject().put("name", s));
        ArrayNode containers = spec.putArray("containers");
        apps.forEach(s -> containers.addObject().put("name", s));
        return spec;
    }

    private static byte[] bytes(String json) {
        return json.replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}

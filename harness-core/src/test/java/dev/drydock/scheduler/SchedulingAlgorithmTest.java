package dev.drydock.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulingAlgorithmTest {

    private final SchedulingAlgorithm algorithm = new SchedulingAlgorithm(1);

    static ObjectNode node(String name, String cpu, String memory, boolean ready) {
        ObjectNode n = Json.object().put("kind", "Node");
        Json.with(n, "metadata").put("name", name);
        Json.with(n, "status", "allocatable").put("cpu", cpu).put("memory", memory).put("pods", "110");
        Json.withArray(Json.with(n, "status"), "conditions").addObject().put("type", "Ready")
                .put("status", ready ? "True" : "False");
        return n;
    }

    static ObjectNode pod(String cpu, String memory) {
        ObjectNode p = Json.object().put("kind", "Pod");
        Json.with(p, "metadata").put("name", "p");
        ObjectNode requests = Json.with(Json.withArray(Json.with(p, "spec"), "containers").addObject(),
                "resources", "requests");
        if (cpu != null) {
            requests.put("cpu", cpu);
        }
        if (memory != null) {
            requests.put("memory", memory);
        }
        return p;
    }

    @Test
    void picksTheLeastAllocatedNode() {
        Map<String, List<JsonNode>> pods = new HashMap<>();
        pods.put("a", new ArrayList<>(List.of(pod("1500m", "1Gi"))));

        var result = algorithm.schedule(pod("500m", "256Mi"),
                List.of(node("a", "2", "4Gi", true), node("b", "2", "4Gi", true)), pods);

        assertThat(result.node()).isEqualTo("b");
    }

    @Test
    void filtersAsManyNodesAsKubesAdaptivePercentageOfNodesToScore() {
        assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(50)).isEqualTo(50);
        assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(150)).isEqualTo(100);
        assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(1000)).isEqualTo(420);
        assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(5000)).isEqualTo(500);
        assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(10000)).isEqualTo(500);
    }

    @Test
    void overManyNodesAPodStillFindsTheOnlyOneItFitsAndIsToldWhyWhenNoneFits() {
        List<ObjectNode> nodes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            nodes.add(node(String.format("n-%04d", i), i == 777 ? "8" : "1", "4Gi", true));
        }

        var fits = algorithm.schedule(pod("4", null), nodes, Map.of());
        var fitsNowhere = algorithm.schedule(pod("16", null), nodes, Map.of());

        assertThat(fits.node()).isEqualTo("n-0777");
        assertThat(fitsNowhere.message()).startsWith("0/1000 nodes are available: 1000 Insufficient cpu.");
    }

    @Test
    void overManyNodesPodsSpreadOverAllOfThem() {
        List<ObjectNode> nodes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            nodes.add(node(String.format("n-%04d", i), "2", "4Gi", true));
        }
        java.util.Set<String> chosen = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            chosen.add(algorithm.schedule(named(pod(null, null), "p-" + i), nodes, Map.of()).node());
        }

        assertThat(chosen).hasSizeGreaterThan(150); // drawn per pod, not the first 420 nodes by name every time
    }

    @Test
    void reportsWhyNoNodeFitsInKubesWords() {
        var result = algorithm.schedule(pod("3", null),
                List.of(node("a", "2", "4Gi", true), node("b", "4", "4Gi", false), node("c", "2", "4Gi", true)),
                Map.of());

        assertThat(result.scheduled()).isFalse();
        assertThat(result.message()).startsWith("0/3 nodes are available: 2 Insufficient cpu, "
                + "1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }.");
    }

    @Test
    void honoursNodeSelectorAndUnschedulable() {
        ObjectNode labelled = node("a", "2", "4Gi", true);
        Json.with(labelled, "metadata", "labels").put("disk", "ssd");
        ObjectNode cordoned = node("b", "2", "4Gi", true);
        Json.with(cordoned, "spec").put("unschedulable", true);
        ObjectNode p = pod(null, null);
        Json.with(p, "spec", "nodeSelector").put("disk", "ssd");

        assertThat(algorithm.schedule(p, List.of(labelled, cordoned, node("c", "2", "4Gi", true)), Map.of())
                .node()).isEqualTo("a");
        assertThat(algorithm.schedule(pod(null, null), List.of(cordoned), Map.of()).message())
                .contains("1 node(s) were unschedulable");
    }

    @Test
    void memoryRequestsCountAgainstAllocatable() {
        Map<String, List<JsonNode>> pods = Map.of("a", List.of(pod(null, "3Gi")));

        var result = algorithm.schedule(pod(null, "2Gi"), List.of(node("a", "2", "4Gi", true)), pods);

        assertThat(result.message()).contains("1 Insufficient memory");
    }

    @Test
    void tiesAreBrokenByTheSeedReproduciblyForEachPodWhateverWasScheduledBefore() {
        List<ObjectNode> nodes = List.of(node("a", "2", "4Gi", true), node("b", "2", "4Gi", true),
                node("c", "2", "4Gi", true));
        List<String> first = new ArrayList<>();
        List<String> reversed = new ArrayList<>();
        List<String> otherSeed = new ArrayList<>();
        SchedulingAlgorithm one = new SchedulingAlgorithm(42);
        SchedulingAlgorithm two = new SchedulingAlgorithm(42);
        SchedulingAlgorithm three = new SchedulingAlgorithm(43);
        for (int i = 0; i < 20; i++) {
            first.add(one.schedule(named(pod(null, null), "p-" + i), nodes, Map.of()).node());
            otherSeed.add(three.schedule(named(pod(null, null), "p-" + i), nodes, Map.of()).node());
        }
        for (int i = 19; i >= 0; i--) {
            reversed.add(0, two.schedule(named(pod(null, null), "p-" + i), nodes, Map.of()).node());
        }

        assertThat(first).isEqualTo(reversed).contains("a", "b", "c");
        assertThat(otherSeed).isNotEqualTo(first);
    }

    private static ObjectNode named(ObjectNode pod, String name) {
        Json.with(pod, "metadata").put("namespace", "default").put("name", name);
        return pod;
    }

    @Test
    void aNoScheduleOrNoExecuteTaintKeepsOutPodsThatDoNotTolerateIt() {
        ObjectNode gpu = node("gpu", "8", "8Gi", true);
        Json.withArray(Json.with(gpu, "spec"), "taints").addObject().put("key", "gpu").put("value", "true")
                .put("effect", "NoSchedule");
        ObjectNode edge = node("edge", "8", "8Gi", true);
        Json.withArray(Json.with(edge, "spec"), "taints").addObject().put("key", "edge").put("effect", "NoExecute");

        var result = algorithm.schedule(pod(null, null), List.of(gpu, edge), Map.of());

        assertThat(result.scheduled()).isFalse();
        assertThat(result.message()).startsWith("0/2 nodes are available: 1 node(s) had untolerated taint {edge: }, "
                + "1 node(s) had untolerated taint {gpu: true}.");
    }

    @Test
    void aPodThatToleratesATaintGoesToItsNode() {
        ObjectNode gpu = node("gpu", "8", "8Gi", true);
        Json.withArray(Json.with(gpu, "spec"), "taints").addObject().put("key", "gpu").put("value", "true")
                .put("effect", "NoSchedule");
        ObjectNode cpu = node("cpu", "1", "1Gi", true);
        Json.withArray(Json.with(cpu, "spec"), "taints").addObject().put("key", "slow").put("value", "yes")
                .put("effect", "PreferNoSchedule"); // weighs only in scoring: no filter

        ObjectNode equal = pod(null, null);
        Json.withArray(Json.with(equal, "spec"), "tolerations").addObject().put("key", "gpu").put("operator", "Equal")
                .put("value", "true").put("effect", "NoSchedule");
        ObjectNode exists = pod(null, null);
        Json.withArray(Json.with(exists, "spec"), "tolerations").addObject().put("operator", "Exists");
        ObjectNode wrongValue = pod(null, null);
        Json.withArray(Json.with(wrongValue, "spec"), "tolerations").addObject().put("key", "gpu")
                .put("value", "false");

        assertThat(algorithm.schedule(equal, List.of(gpu), Map.of()).node()).isEqualTo("gpu");
        assertThat(algorithm.schedule(exists, List.of(gpu), Map.of()).node()).isEqualTo("gpu");
        assertThat(algorithm.schedule(wrongValue, List.of(gpu), Map.of()).scheduled()).isFalse();
        assertThat(algorithm.schedule(pod(null, null), List.of(gpu, cpu), Map.of()).node()).isEqualTo("cpu");
    }
}

package dev.drydock.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.kube.Json;

/**
 * The pod being scheduled, read once per scheduling cycle rather than once per node (kube's {@code framework.PodInfo}).
 *
 * @param pod      the Pod object
 * @param nodeName its {@code spec.nodeName}, or null
 * @param cpu      its cpu request (millicores), 0 if none
 * @param memory   its memory request (bytes), 0 if none
 */
public record PodInfo(JsonNode pod, String nodeName, long cpu, long memory) {

    public static PodInfo of(JsonNode pod) {
        String wanted = Json.text(pod, "spec", "nodeName");
        return new PodInfo(pod, wanted == null || wanted.isEmpty() ? null : wanted,
                SchedulingAlgorithm.requests(pod, "cpu"), SchedulingAlgorithm.requests(pod, "memory"));
    }

    JsonNode nodeSelector() {
        return pod.path("spec").path("nodeSelector");
    }

    JsonNode tolerations() {
        return pod.path("spec").path("tolerations");
    }
}

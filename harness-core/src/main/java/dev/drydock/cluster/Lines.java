package dev.drydock.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.kube.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Objects of the API in one line each, as failure messages and reports show them: an invariant's report, the JUnit
 * assertions' messages. One wording everywhere, so that a reader learns it once.
 */
public final class Lines {

    private Lines() {
    }

    /** A pod: name, phase, Ready condition, node, and whether it is terminating. */
    public static String pod(JsonNode pod) {
        return Json.name(pod) + " (" + Json.text(pod, "status", "phase") + ", Ready="
                + orDash(Json.condition(pod, "Ready")) + ", node=" + orDash(Json.text(pod, "spec", "nodeName"))
                + (Json.isDeleting(pod) ? ", terminating" : "") + ")";
    }

    /** A node: name, Ready condition with its reason, unschedulable, taints. */
    public static String node(JsonNode node) {
        StringBuilder s = new StringBuilder(Json.name(node)).append(" (Ready=").append(orDash(
                Json.condition(node, "Ready")));
        for (JsonNode c : node.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText()) && c.hasNonNull("reason")) {
                s.append(" ").append(c.path("reason").asText());
            }
        }
        if (node.path("spec").path("unschedulable").asBoolean(false)) {
            s.append(", unschedulable");
        }
        if (node.path("spec").path("taints").size() > 0) {
            s.append(", taints ").append(taints(node));
        }
        return s.append(")").toString();
    }

    /** A node's taints as kubectl writes them: {@code key=value:Effect}. */
    public static List<String> taints(JsonNode node) {
        List<String> taints = new ArrayList<>();
        for (JsonNode t : node.path("spec").path("taints")) {
            taints.add(t.path("key").asText() + (t.hasNonNull("value") && !t.path("value").asText().isEmpty()
                    ? "=" + t.path("value").asText() : "") + ":" + t.path("effect").asText());
        }
        return taints;
    }

    /** A duration as people read it in a message: {@code 30 s}, {@code 1.5 s}, {@code 200 ms}. */
    public static String seconds(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        return (ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.valueOf(ms / 1000.0)) + " s";
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}

package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Pods: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES. STATUS is the reason kubectl users
 * know ({@code Running}, {@code ContainerCreating}, {@code CrashLoopBackOff}, {@code Init:1/2}, {@code Completed},
 * {@code Terminating}...), worked out the way kube's {@code printPod} does.
 */
final class PodPrinter implements Printer {

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            Column.string("Status", "The aggregate status of the containers in this pod."),
            Column.string("Restarts", "The number of times the containers in this pod have been restarted and when "
                    + "the last container in this pod has restarted."),
            Column.age(),
            Column.wide("IP", Descriptions.POD_IP),
            Column.wide("Node", Descriptions.NODE_NAME),
            Column.wide("Nominated Node", Descriptions.NOMINATED_NODE_NAME),
            Column.wide("Readiness Gates", Descriptions.READINESS_GATES));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode pod, Instant now) {
        PodStatusSummary summary = PodStatusSummary.of(pod);
        String restarts = Long.toString(summary.restarts());
        if (summary.restarts() != 0 && summary.lastRestart().isPresent()) {
            restarts += " (" + HumanDuration.since(summary.lastRestart(), now) + " ago)";
        }
        return List.of(
                Json.text(pod, "metadata", "name"),
                summary.readyContainers() + "/" + summary.totalContainers(),
                summary.reason(),
                restarts,
                HumanDuration.since(Json.time(pod, "metadata", "creationTimestamp"), now),
                orNone(podIp(pod)),
                orNone(Json.text(pod, "spec", "nodeName")),
                orNone(Json.text(pod, "status", "nominatedNodeName")),
                readinessGates(pod));
    }

    /** Finished pods carry a {@code Completed} row condition, as kube sets it. */
    @Override
    public List<ObjectNode> conditions(JsonNode pod) {
        return switch (Json.text(pod, "status", "phase")) {
            case "Succeeded" -> List.of(completed("Succeeded", "The pod has completed successfully."));
            case "Failed" -> List.of(completed("Failed", "The pod failed."));
            default -> List.of();
        };
    }

    private static ObjectNode completed(String reason, String message) {
        ObjectNode condition = JsonNodeFactory.instance.objectNode();
        condition.put("type", "Completed");
        condition.put("status", "True");
        condition.put("reason", reason);
        condition.put("message", message);
        return condition;
    }

    /** The first of {@code status.podIPs}; v1 objects written without it only have {@code status.podIP}. */
    private static String podIp(JsonNode pod) {
        List<JsonNode> podIps = Json.elements(pod, "status", "podIPs");
        return podIps.isEmpty() ? Json.text(pod, "status", "podIP") : Json.text(podIps.get(0), "ip");
    }

    /** How many of the pod's readiness gates have a True condition, e.g. {@code 1/2}. */
    private static String readinessGates(JsonNode pod) {
        List<JsonNode> gates = Json.elements(pod, "spec", "readinessGates");
        if (gates.isEmpty()) {
            return "<none>";
        }
        Set<String> trueConditions = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode condition : Json.elements(pod, "status", "conditions")) {
            // Only the first condition of a type counts, as kube stops at the first match.
            String type = Json.text(condition, "type");
            if (seen.add(type) && "True".equals(Json.text(condition, "status"))) {
                trueConditions.add(type);
            }
        }
        long ready = gates.stream().filter(g -> trueConditions.contains(Json.text(g, "conditionType"))).count();
        return ready + "/" + gates.size();
    }

    private static String orNone(String value) {
        return value.isEmpty() ? "<none>" : value;
    }
}

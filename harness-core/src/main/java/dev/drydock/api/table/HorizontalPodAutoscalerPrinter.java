package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * HorizontalPodAutoscalers: NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE, the targets as kube's
 * {@code formatHPAMetrics} writes them ({@code cpu: <unknown>/80%}, at most two, then {@code + N more...}), from
 * the autoscaling/v2 form (autoscaling/v1 objects are converted to it first, as kube prints its internal form).
 */
final class HorizontalPodAutoscalerPrinter implements Printer {

    private static final int MAX = 2;
    private static final String UNKNOWN = "<unknown>";

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("Reference", "scaleTargetRef points to the target resource to scale, and is used to the "
                    + "pods for which metrics should be collected, as well as to actually change the replica count."),
            Column.string("Targets", "metrics contains the specifications for which to use to calculate the "
                    + "desired replica count (the maximum replica count across all metrics will be used).  The "
                    + "desired replica count is calculated multiplying the ratio between the target value and the "
                    + "current value by the current number of pods.  Ergo, metrics used must decrease as the pod "
                    + "count is increased, and vice-versa.  See the individual metric source types for more "
                    + "information about how each type of metric must respond. If not set, the default metric will "
                    + "be set to 80% average CPU utilization."),
            Column.string("MinPods", "minReplicas is the lower limit for the number of replicas to which the "
                    + "autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha "
                    + "feature gate HPAScaleToZero is enabled and at least one Object or External metric is "
                    + "configured.  Scaling is active as long as at least one metric value is available."),
            Column.string("MaxPods", "maxReplicas is the upper limit for the number of replicas to which the "
                    + "autoscaler can scale up. It cannot be less that minReplicas."),
            Column.string("Replicas", "currentReplicas is current number of replicas of pods managed by this "
                    + "autoscaler, as last seen by the autoscaler."),
            Column.age());

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode hpa, Instant now) {
        JsonNode spec = Json.at(hpa, "spec");
        return List.of(
                Json.text(hpa, "metadata", "name"),
                Json.text(spec, "scaleTargetRef", "kind") + "/" + Json.text(spec, "scaleTargetRef", "name"),
                metrics(hpa),
                Json.has(spec, "minReplicas") ? Long.toString(Json.integer(spec, "minReplicas")) : "<unset>",
                Json.integer(spec, "maxReplicas"),
                Json.integer(hpa, "status", "currentReplicas"),
                HumanDuration.since(Json.time(hpa, "metadata", "creationTimestamp"), now));
    }

    private static String metrics(JsonNode hpa) {
        List<JsonNode> specs = Json.elements(hpa, "spec", "metrics");
        List<JsonNode> statuses = Json.elements(hpa, "status", "currentMetrics");
        if (specs.isEmpty()) {
            return "<none>";
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            JsonNode spec = specs.get(i);
            JsonNode status = i < statuses.size() ? statuses.get(i) : null;
            list.add(metric(spec, status));
        }
        String shown = String.join(", ", list.subList(0, Math.min(MAX, list.size())));
        return list.size() > MAX ? shown + " + " + (list.size() - MAX) + " more..." : shown;
    }

    private static String metric(JsonNode spec, JsonNode status) {
        String type = Json.text(spec, "type");
        switch (type) {
            case "External", "Object" -> {
                String f = type.equals("External") ? "external" : "object";
                JsonNode target = Json.at(spec, f, "target");
                JsonNode current = status == null ? null : Json.at(status, f);
                boolean hasCurrent = current != null && !current.isMissingNode() && !current.isNull();
                if (Json.has(target, "averageValue")) {
                    String now = hasCurrent && Json.has(current, "current", "averageValue")
                            ? Json.text(current, "current", "averageValue") : UNKNOWN;
                    return now + "/" + Json.text(target, "averageValue") + " (avg)";
                }
                String now = hasCurrent ? quantity(current, "current", "value") : UNKNOWN;
                return now + "/" + quantity(target, "value");
            }
            case "Pods" -> {
                boolean hasCurrent = status != null && Json.has(status, "pods");
                String now = hasCurrent ? quantity(status, "pods", "current", "averageValue") : UNKNOWN;
                return now + "/" + quantity(spec, "pods", "target", "averageValue");
            }
            case "Resource", "ContainerResource" -> {
                String f = type.equals("Resource") ? "resource" : "containerResource";
                JsonNode source = Json.at(spec, f);
                JsonNode target = Json.at(source, "target");
                boolean hasCurrent = status != null && Json.has(status, f);
                String name = Json.text(source, "name");
                if (Json.has(target, "averageValue")) {
                    String now = hasCurrent ? quantity(status, f, "current", "averageValue") : UNKNOWN;
                    return name + ": " + now + "/" + Json.text(target, "averageValue");
                }
                String now = hasCurrent && Json.has(status, f, "current", "averageUtilization")
                        ? Json.integer(status, f, "current", "averageUtilization") + "%" : UNKNOWN;
                String goal = Json.has(target, "averageUtilization")
                        ? Json.integer(target, "averageUtilization") + "%" : "<auto>";
                return name + ": " + now + "/" + goal;
            }
            default -> {
                return "<unknown type>";
            }
        }
    }

    /** A quantity's text; an absent one prints as Go's zero {@code Quantity}: {@code 0}. */
    private static String quantity(JsonNode node, String... path) {
        return Json.has(node, path) ? Json.text(node, path) : "0";
    }
}

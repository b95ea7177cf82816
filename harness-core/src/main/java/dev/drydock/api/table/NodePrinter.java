package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Nodes: NAME STATUS ROLES AGE VERSION, wide INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME.
 * STATUS is {@code Ready}, {@code NotReady} (Ready condition False or Unknown) or {@code Unknown} (no Ready
 * condition), with {@code ,SchedulingDisabled} for cordoned nodes.
 */
final class NodePrinter implements Printer {

    private static final String ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
    private static final String LEGACY_ROLE_LABEL = "kubernetes.io/role";

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("Status", "The status of the node"),
            Column.string("Roles", "The roles of the node"),
            Column.age(),
            Column.string("Version", Descriptions.NODE_KUBELET_VERSION),
            Column.wide("Internal-IP", Descriptions.NODE_ADDRESSES),
            Column.wide("External-IP", Descriptions.NODE_ADDRESSES),
            Column.wide("OS-Image", Descriptions.NODE_OS_IMAGE),
            Column.wide("Kernel-Version", Descriptions.NODE_KERNEL_VERSION),
            Column.wide("Container-Runtime", Descriptions.NODE_CONTAINER_RUNTIME_VERSION));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode node, Instant now) {
        JsonNode info = Json.at(node, "status", "nodeInfo");
        return List.of(
                Json.text(node, "metadata", "name"),
                status(node),
                roles(node),
                HumanDuration.since(Json.time(node, "metadata", "creationTimestamp"), now),
                Json.text(info, "kubeletVersion"),
                address(node, "InternalIP"),
                address(node, "ExternalIP"),
                orUnknown(Json.text(info, "osImage")),
                orUnknown(Json.text(info, "kernelVersion")),
                orUnknown(Json.text(info, "containerRuntimeVersion")));
    }

    static String status(JsonNode node) {
        List<String> status = new ArrayList<>();
        String ready = null;
        for (JsonNode condition : Json.elements(node, "status", "conditions")) {
            if ("Ready".equals(Json.text(condition, "type"))) {
                // kube indexes conditions by type, so a later duplicate wins.
                ready = Json.text(condition, "status");
            }
        }
        status.add(ready == null ? "Unknown" : "True".equals(ready) ? "Ready" : "NotReady");
        if (Json.bool(node, "spec", "unschedulable")) {
            status.add("SchedulingDisabled");
        }
        return String.join(",", status);
    }

    /** Roles from {@code node-role.kubernetes.io/<role>} labels and the legacy {@code kubernetes.io/role}, sorted. */
    private static String roles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        JsonNode labels = Json.at(node, "metadata", "labels");
        if (labels.isObject()) {
            for (Map.Entry<String, JsonNode> label : labels.properties()) {
                String key = label.getKey();
                if (key.startsWith(ROLE_LABEL_PREFIX) && key.length() > ROLE_LABEL_PREFIX.length()) {
                    roles.add(key.substring(ROLE_LABEL_PREFIX.length()));
                } else if (key.equals(LEGACY_ROLE_LABEL) && !label.getValue().asText().isEmpty()) {
                    roles.add(label.getValue().asText());
                }
            }
        }
        return roles.isEmpty() ? "<none>" : String.join(",", roles);
    }

    /** The first address of this type, or {@code <none>}. */
    private static String address(JsonNode node, String type) {
        return Json.elements(node, "status", "addresses").stream()
                .filter(a -> type.equals(Json.text(a, "type")))
                .map(a -> Json.text(a, "address"))
                .findFirst()
                .orElse("<none>");
    }

    private static String orUnknown(String value) {
        return value.isEmpty() ? "<unknown>" : value;
    }
}

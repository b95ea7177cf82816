package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Services: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, wide SELECTOR. */
final class ServicePrinter implements Printer {

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("Type", Descriptions.SERVICE_TYPE),
            Column.string("Cluster-IP", Descriptions.SERVICE_CLUSTER_IP),
            Column.string("External-IP", Descriptions.SERVICE_EXTERNAL_IPS),
            Column.string("Port(s)", Descriptions.SERVICE_PORTS),
            Column.age(),
            Column.wide("Selector", Descriptions.SERVICE_SELECTOR));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode service, Instant now) {
        String ports = ports(service);
        return List.of(
                Json.text(service, "metadata", "name"),
                type(service),
                clusterIp(service),
                externalIp(service),
                ports.isEmpty() ? "<none>" : ports,
                HumanDuration.since(Json.time(service, "metadata", "creationTimestamp"), now),
                Selectors.formatLabels(Json.at(service, "spec", "selector")));
    }

    /** {@code spec.type}, which the API server defaults to ClusterIP. */
    private static String type(JsonNode service) {
        return Json.firstNonEmpty(Json.text(service, "spec", "type"), "ClusterIP");
    }

    /** The primary of {@code spec.clusterIPs}; objects written without it only carry {@code spec.clusterIP}. */
    private static String clusterIp(JsonNode service) {
        List<JsonNode> clusterIps = Json.elements(service, "spec", "clusterIPs");
        String ip = clusterIps.isEmpty() ? Json.text(service, "spec", "clusterIP") : clusterIps.get(0).asText();
        return ip.isEmpty() ? "<none>" : ip;
    }

    private static String externalIp(JsonNode service) {
        List<String> externalIps = Json.elements(service, "spec", "externalIPs").stream()
                .map(JsonNode::asText).toList();
        switch (type(service)) {
            case "ClusterIP", "NodePort":
                return externalIps.isEmpty() ? "<none>" : String.join(",", externalIps);
            case "LoadBalancer":
                List<String> all = new ArrayList<>(loadBalancerIngress(service));
                all.addAll(externalIps);
                return all.isEmpty() ? "<pending>" : String.join(",", all);
            case "ExternalName":
                return Json.text(service, "spec", "externalName");
            default:
                return "<unknown>";
        }
    }

    /**
     * Load balancer IPs (or hostnames), sorted and without duplicates. Never shortened: the API server prints wide,
     * where kubectl's own printer would clip to 16 characters.
     */
    private static TreeSet<String> loadBalancerIngress(JsonNode service) {
        TreeSet<String> ingress = new TreeSet<>();
        for (JsonNode entry : Json.elements(service, "status", "loadBalancer", "ingress")) {
            String value = Json.firstNonEmpty(Json.text(entry, "ip"), Json.text(entry, "hostname"));
            if (!value.isEmpty()) {
                ingress.add(value);
            }
        }
        return ingress;
    }

    /** e.g. {@code 80/TCP,443:30443/TCP}. */
    private static String ports(JsonNode service) {
        return Json.elements(service, "spec", "ports").stream().map(port -> {
            // The API server defaults the protocol to TCP.
            String protocol = Json.firstNonEmpty(Json.text(port, "protocol"), "TCP");
            long nodePort = Json.integer(port, "nodePort");
            String number = Long.toString(Json.integer(port, "port"));
            return (nodePort > 0 ? number + ":" + nodePort : number) + "/" + protocol;
        }).collect(Collectors.joining(","));
    }
}

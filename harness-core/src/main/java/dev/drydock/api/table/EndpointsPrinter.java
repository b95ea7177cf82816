package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Endpoints: NAME ENDPOINTS AGE, the first three {@code ip:port} pairs and how many more. */
final class EndpointsPrinter implements Printer {

    private static final int MAX = 3;
    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("Endpoints", CoreV1Descriptions.ENDPOINTS_SUBSETS),
            Column.age());

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode endpoints, Instant now) {
        return List.of(
                Json.text(endpoints, "metadata", "name"),
                format(endpoints),
                HumanDuration.since(Json.time(endpoints, "metadata", "creationTimestamp"), now));
    }

    /** kube's {@code formatEndpoints} with all ports: {@code 10.0.0.1:80,10.0.0.2:80 + 3 more...}. */
    static String format(JsonNode endpoints) {
        List<JsonNode> subsets = Json.elements(endpoints, "subsets");
        if (subsets.isEmpty()) {
            return "<none>";
        }
        List<String> list = new ArrayList<>();
        int count = 0;
        boolean more = false;
        for (JsonNode subset : subsets) {
            List<JsonNode> addresses = Json.elements(subset, "addresses");
            List<JsonNode> ports = Json.elements(subset, "ports");
            if (ports.isEmpty()) {
                // A headless service's endpoints may have no ports.
                count += addresses.size();
                for (JsonNode address : addresses) {
                    if (list.size() == MAX) {
                        more = true;
                        break;
                    }
                    list.add(Json.text(address, "ip"));
                }
                continue;
            }
            for (JsonNode port : ports) {
                count += addresses.size();
                for (JsonNode address : addresses) {
                    if (list.size() == MAX) {
                        more = true;
                        break;
                    }
                    list.add(hostPort(Json.text(address, "ip"), Json.integer(port, "port")));
                }
            }
        }
        String joined = String.join(",", list);
        return more ? joined + " + " + (count - MAX) + " more..." : joined;
    }

    /** Go's {@code net.JoinHostPort}: IPv6 addresses in brackets. */
    private static String hostPort(String host, long port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * EndpointSlices: NAME ADDRESSTYPE PORTS ENDPOINTS AGE, at most three ports and three addresses each, then
 * {@code + N more...}; {@code <unset>} when there are none (kube's {@code printEndpointSlice}).
 */
final class EndpointSlicePrinter implements Printer {

    private static final int MAX = 3;

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("AddressType", "addressType specifies the type of address carried by this EndpointSlice. "
                    + "All addresses in this slice must be the same type. This field is immutable after creation. The "
                    + "following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: "
                    + "Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name."),
            Column.string("Ports", "ports specifies the list of network ports exposed by each endpoint in this "
                    + "slice. Each port must have a unique name. When ports is empty, it indicates that there are no "
                    + "defined ports. When a port is defined with a nil port value, it indicates \"all ports\". Each "
                    + "slice may include a maximum of 100 ports."),
            Column.string("Endpoints", "endpoints is a list of unique endpoints in this slice. Each slice may "
                    + "include a maximum of 1000 endpoints."),
            Column.age());

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode slice, Instant now) {
        List<String> ports = new ArrayList<>();
        for (JsonNode port : Json.elements(slice, "ports")) {
            ports.add(Json.has(port, "port") ? Long.toString(Json.integer(port, "port"))
                    : Json.has(port, "name") ? Json.text(port, "name") : "*");
        }
        List<String> addresses = new ArrayList<>();
        for (JsonNode endpoint : Json.elements(slice, "endpoints")) {
            Json.elements(endpoint, "addresses").forEach(a -> addresses.add(a.asText()));
        }
        return List.of(
                Json.text(slice, "metadata", "name"),
                Json.text(slice, "addressType"),
                listWithMore(ports),
                listWithMore(addresses),
                HumanDuration.since(Json.time(slice, "metadata", "creationTimestamp"), now));
    }

    /** kube's {@code listWithMoreString}. */
    static String listWithMore(List<String> items) {
        if (items.isEmpty()) {
            return "<unset>";
        }
        String shown = String.join(",", items.subList(0, Math.min(MAX, items.size())));
        return items.size() > MAX ? shown + " + " + (items.size() - MAX) + " more..." : shown;
    }
}

package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** kube's printers of Ingress, IngressClass and NetworkPolicy ({@code networking.k8s.io/v1}). */
final class NetworkingPrinters {

    /** extensions/v1beta1 NetworkPolicySpec.podSelector, as kube 1.32 describes the column. */
    private static final String POD_SELECTOR = "Selects the pods to which this NetworkPolicy object applies.  The "
            + "array of ingress rules is applied to any pods selected by this field. Multiple network policies can "
            + "select the same set of pods.  In this case, the ingress rules for each are combined additively. This "
            + "field is NOT optional and follows standard label selector semantics. An empty podSelector matches "
            + "all pods in this namespace.";

    private NetworkingPrinters() {
    }

    /** NAME CLASS HOSTS ADDRESS PORTS AGE. */
    static Printer ingress() {
        List<Column> columns = List.of(
                Column.objectName(),
                Column.string("Class", "The name of the IngressClass resource that should be used for additional "
                        + "configuration"),
                Column.string("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
                Column.string("Address", "Address is a list containing ingress points for the load-balancer"),
                Column.string("Ports", "Ports of TLS configurations that open"),
                Column.age());
        return printer(columns, (ingress, now) -> List.of(
                Json.text(ingress, "metadata", "name"),
                Json.has(ingress, "spec", "ingressClassName") ? Json.text(ingress, "spec", "ingressClassName")
                        : "<none>",
                hosts(Json.elements(ingress, "spec", "rules")),
                address(Json.elements(ingress, "status", "loadBalancer", "ingress")),
                Json.elements(ingress, "spec", "tls").isEmpty() ? "80" : "80, 443",
                HumanDuration.since(Json.time(ingress, "metadata", "creationTimestamp"), now)));
    }

    /** NAME CONTROLLER PARAMETERS AGE. */
    static Printer ingressClass() {
        List<Column> columns = List.of(
                Column.objectName(),
                Column.string("Controller", "Controller that is responsible for handling this class"),
                Column.string("Parameters", "A reference to a resource with additional parameters"),
                Column.age());
        return printer(columns, (ingressClass, now) -> {
            String parameters = "<none>";
            if (Json.has(ingressClass, "spec", "parameters")) {
                parameters = Json.text(ingressClass, "spec", "parameters", "kind");
                if (Json.has(ingressClass, "spec", "parameters", "apiGroup")) {
                    parameters += "." + Json.text(ingressClass, "spec", "parameters", "apiGroup");
                }
                parameters += "/" + Json.text(ingressClass, "spec", "parameters", "name");
            }
            return List.of(Json.text(ingressClass, "metadata", "name"), Json.text(ingressClass, "spec", "controller"),
                    parameters, HumanDuration.since(Json.time(ingressClass, "metadata", "creationTimestamp"), now));
        });
    }

    /** NAME POD-SELECTOR AGE. */
    static Printer networkPolicy() {
        List<Column> columns = List.of(
                Column.objectName(),
                Column.string("Pod-Selector", POD_SELECTOR),
                Column.age());
        return printer(columns, (policy, now) -> List.of(
                Json.text(policy, "metadata", "name"),
                Selectors.formatLabelSelector(Json.at(policy, "spec", "podSelector")),
                HumanDuration.since(Json.time(policy, "metadata", "creationTimestamp"), now)));
    }

    /** kube's {@code formatHosts}: at most three hosts, then how many more rules there are; {@code *} for none. */
    private static String hosts(List<JsonNode> rules) {
        List<String> list = new ArrayList<>();
        boolean more = false;
        for (JsonNode rule : rules) {
            if (list.size() == 3) {
                more = true;
            }
            String host = Json.text(rule, "host");
            if (!more && !host.isEmpty()) {
                list.add(host);
            }
        }
        if (list.isEmpty()) {
            return "*";
        }
        String joined = String.join(",", list);
        return more ? joined + " + " + (rules.size() - 3) + " more..." : joined;
    }

    /** kube's {@code ingressLoadBalancerStatusStringer}, wide (the API server prints wide): sorted, distinct. */
    private static String address(List<JsonNode> ingresses) {
        TreeSet<String> result = new TreeSet<>();
        for (JsonNode i : ingresses) {
            String ip = Json.text(i, "ip");
            String hostname = Json.text(i, "hostname");
            if (!ip.isEmpty()) {
                result.add(ip);
            } else if (!hostname.isEmpty()) {
                result.add(hostname);
            }
        }
        return String.join(",", result);
    }

    /** The cells of one object, given the time now. */
    interface Cells {
        List<Object> of(JsonNode item, Instant now);
    }

    static Printer printer(List<Column> columns, Cells cells) {
        return new Printer() {
            @Override
            public List<Column> columns() {
                return columns;
            }

            @Override
            public List<Object> cells(JsonNode item, Instant now) {
                return cells.of(item, now);
            }
        };
    }
}

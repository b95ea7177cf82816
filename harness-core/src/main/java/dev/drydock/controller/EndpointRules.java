package dev.drydock.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import dev.drydock.kube.LabelSelector;

/**
 * The rules the Endpoints and EndpointSlice controllers share, after kube's {@code pkg/controller/util/endpoint} and
 * {@code pkg/api/v1/pod}: which pods a Service's endpoints hold, on which port, under which hostname.
 */
final class EndpointRules {

    /** The label naming a slice's Service. */
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    /** The label naming who manages a slice. */
    static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    /** The EndpointSlice controller's value of {@link #MANAGED_BY_LABEL}. */
    static final String MANAGED_BY = "endpointslice-controller.k8s.io";
    /** The label kube puts on the Endpoints and slices of a headless Service. */
    static final String HEADLESS_LABEL = "service.kubernetes.io/headless";
    /** When the last change that this write answers happened. */
    static final String TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";

    private EndpointRules() {
    }

    /**
     * The Service's pod selector, or null if it has none (a Service without a selector: its endpoints are the
     * user's, neither controller touches them).
     */
    static LabelSelector selector(JsonNode service) {
        JsonNode selector = service.path("spec").path("selector");
        if (!selector.isObject() || selector.isEmpty()) {
            return null;
        }
        ObjectNode object = Json.object();
        object.set("matchLabels", selector);
        return LabelSelector.fromObject(object);
    }

    static boolean isHeadless(JsonNode service) {
        return "None".equals(Json.text(service, "spec", "clusterIP"));
    }

    static boolean publishNotReady(JsonNode service) {
        return service.path("spec").path("publishNotReadyAddresses").asBoolean(false);
    }

    /** kube's {@code ShouldPodBeInEndpoints}: not terminal, has an IP, and not terminating unless asked for. */
    static boolean shouldPodBeInEndpoints(JsonNode pod, boolean includeTerminating) {
        String phase = Json.text(pod, "status", "phase");
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return false;
        }
        if (podIp(pod) == null) {
            return false;
        }
        return includeTerminating || !Json.isDeleting(pod);
    }

    /** The pod's first IP, or null before it has one. */
    static String podIp(JsonNode pod) {
        String ip = Json.text(pod, "status", "podIP");
        if (ip != null && !ip.isEmpty()) {
            return ip;
        }
        JsonNode first = pod.path("status").path("podIPs").path(0).path("ip");
        return first.isTextual() && !first.asText().isEmpty() ? first.asText() : null;
    }

    static boolean isPodReady(JsonNode pod) {
        return Controllers.isPodReady(pod);
    }

    /**
     * kube's {@code FindPort}: the port of {@code pod} a Service port sends to. A number is taken as it is (the API
     * defaults an absent {@code targetPort} to {@code port}); a name is looked up among the pod's containers' ports of
     * the same protocol. -1 when the pod has no port of that name: it is left out of the endpoints for that port.
     */
    static int findPort(JsonNode pod, JsonNode servicePort) {
        JsonNode target = servicePort.get("targetPort");
        if (target == null || target.isNull()) {
            return servicePort.path("port").asInt();
        }
        if (target.isNumber()) {
            return target.asInt();
        }
        String name = target.asText();
        if (name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
            return Integer.parseInt(name);
        }
        String protocol = servicePort.path("protocol").asText("TCP");
        for (JsonNode c : pod.path("spec").path("containers")) {
            for (JsonNode p : c.path("ports")) {
                if (name.equals(p.path("name").asText()) && protocol.equals(p.path("protocol").asText("TCP"))) {
                    return p.path("containerPort").asInt();
                }
            }
        }
        return -1;
    }

    /**
     * The hostname a pod has in a Service's records: its {@code spec.hostname} when its {@code spec.subdomain} is
     * the Service's name (kube's {@code getHostname} rule), else null.
     */
    static String hostname(JsonNode pod, JsonNode service) {
        String hostname = Json.text(pod, "spec", "hostname");
        String subdomain = Json.text(pod, "spec", "subdomain");
        if (hostname == null || hostname.isEmpty() || subdomain == null || !subdomain.equals(Json.name(service))
                || !Json.namespace(pod).equals(Json.namespace(service))) {
            return null;
        }
        return hostname;
    }

    /** A {@code targetRef} to the pod. */
    static ObjectNode targetRef(JsonNode pod) {
        ObjectNode ref = Json.object();
        ref.put("kind", "Pod");
        ref.put("namespace", Json.namespace(pod));
        ref.put("name", Json.name(pod));
        ref.put("uid", Json.uid(pod));
        return ref;
    }

    /**
     * Whether a write was refused because its namespace is being deleted: nothing to do, the namespace controller
     * deletes what is left (kube's controllers ignore {@code NamespaceTerminatingCause} likewise).
     */
    static boolean namespaceTerminating(dev.drydock.kube.ApiException e) {
        return e.code() == 403 && String.valueOf(e.getMessage()).contains("because it is being terminated");
    }

    /** An endpoint port for a Service port, at {@code port}. */
    static ObjectNode endpointPort(JsonNode servicePort, int port) {
        ObjectNode p = Json.object();
        p.put("name", servicePort.path("name").asText(""));
        p.put("port", port);
        p.put("protocol", servicePort.path("protocol").asText("TCP"));
        if (servicePort.hasNonNull("appProtocol")) {
            p.put("appProtocol", servicePort.path("appProtocol").asText());
        }
        return p;
    }
}

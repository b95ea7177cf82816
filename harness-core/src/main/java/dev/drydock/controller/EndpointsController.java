package dev.drydock.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.client.Informer;
import dev.drydock.client.InformerFactory;
import dev.drydock.client.KubeClient;
import dev.drydock.client.WorkQueue;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.LabelSelector;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Semantic;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps the Endpoints of each Service with a selector, as kube's endpoints controller: the matching pods with an IP,
 * ready ones in {@code addresses} and the others in {@code notReadyAddresses} (all in {@code addresses} with
 * {@code publishNotReadyAddresses}, which also keeps terminating pods), each Service port resolved per pod (a named
 * {@code targetPort} through the pod's container ports; a pod without that name is left out for that port), grouped
 * into subsets of pods with the same ports. A Service without a selector is left alone (its Endpoints are the
 * user's); a Service deleted takes its Endpoints with it, and an Endpoints object without a Service is left alone,
 * as kube's controller hears only Services, pods and Endpoints deletions. Writes only when the subsets or labels
 * changed.
 */
public final class EndpointsController {

    private final KubeClient client;
    private final ComponentContext ctx;
    private final Informer services;
    private final Informer endpoints;
    private final NamespaceIndex podsByNamespace;
    private final NamespaceIndex servicesByNamespace;
    private final WorkQueue queue;

    public EndpointsController(KubeClient client, InformerFactory informers, ComponentContext ctx) {
        this.client = client;
        this.ctx = ctx;
        this.services = informers.informer(Resource.SERVICES);
        this.endpoints = informers.informer(ENDPOINTS);
        Informer pods = informers.informer(Resource.PODS);
        this.podsByNamespace = NamespaceIndex.of(pods);
        this.servicesByNamespace = NamespaceIndex.of(services);
        this.queue = new WorkQueue("endpoints", ctx, this::sync);
        services.addHandler(Controllers.onAnyChange(svc -> queue.add(Json.key(svc))));
        // As kube's: only a deletion brings the Endpoints back at once (an Endpoints without a Service is left alone,
        // and a user's edit stays until the Service or its pods change).
        endpoints.addHandler(new Informer.Handler() {
            @Override
            public void onDelete(ObjectNode ep) {
                queue.add(Json.key(ep));
            }
        });
        pods.addHandler(PodServices.handler(servicesByNamespace, queue::add));
    }

    /** core/v1 endpoints. */
    static final Resource ENDPOINTS = new Resource("", "v1", "endpoints", "Endpoints", true);

    public void shutdown() {
        queue.shutdown();
    }

    void sync(String key) {
        ObjectNode service = services.get(key);
        ObjectNode current = endpoints.get(key);
        if (service == null) {
            if (current != null) {
                delete(current);
            }
            return;
        }
        LabelSelector selector = EndpointRules.selector(service);
        if (selector == null) {
            return; // the user's Endpoints
        }
        List<ObjectNode> pods = new ArrayList<>();
        for (ObjectNode pod : podsByNamespace.list(Json.namespace(service))) {
            if (selector.matchesObject(pod)) {
                pods.add(pod);
            }
        }
        ArrayNode subsets = subsets(service, pods);
        ObjectNode labels = labels(service);
        if (current != null && Semantic.equal(current.path("subsets"), subsets)
                && Semantic.equal(current.path("metadata").path("labels"), labels)) {
            return;
        }
        ObjectNode desired = current == null ? Json.object() : current.deepCopy();
        desired.put("apiVersion", "v1");
        desired.put("kind", "Endpoints");
        ObjectNode meta = Json.with(desired, "metadata");
        meta.put("name", Json.name(service));
        meta.put("namespace", Json.namespace(service));
        if (labels.isEmpty()) {
            meta.remove("labels");
        } else {
            meta.set("labels", labels);
        }
        Json.with(meta, "annotations").put(EndpointRules.TRIGGER_TIME,
                ctx.clock().now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (subsets.isEmpty()) {
            desired.remove("subsets");
        } else {
            desired.set("subsets", subsets);
        }
        try {
            if (current == null) {
                client.create(ENDPOINTS, Json.namespace(service), desired);
            } else {
                client.update(ENDPOINTS, desired);
            }
        } catch (ApiException e) {
            if (e.code() == 409) {
                // A create or update racing this controller's cache (it hears only deletions of Endpoints): read
                // again after a back-off, as kube's controller requeues the key
                throw new WorkQueue.RetryLater("endpoints " + key + " changed under this sync: " + e.getMessage());
            }
            if (!e.isNotFound() && !EndpointRules.namespaceTerminating(e)) {
                throw e;
            }
        }
    }

    private void delete(ObjectNode current) {
        try {
            client.delete(ENDPOINTS, Json.namespace(current), Json.name(current));
        } catch (ApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    /** The Service's labels, and the headless label for a headless Service, as kube labels its Endpoints. */
    static ObjectNode labels(JsonNode service) {
        ObjectNode labels = service.path("metadata").path("labels").isObject()
                ? ((ObjectNode) service.path("metadata").path("labels")).deepCopy() : Json.object();
        if (EndpointRules.isHeadless(service)) {
            labels.put(EndpointRules.HEADLESS_LABEL, "");
        } else {
            labels.remove(EndpointRules.HEADLESS_LABEL);
        }
        return labels;
    }

    /**
     * The subsets of a Service's Endpoints from the pods its selector matches (kube's {@code syncService} then
     * {@code RepackSubsets}): one subset per distinct set of ports, addresses sorted by IP. A pure function.
     */
    static ArrayNode subsets(JsonNode service, List<? extends JsonNode> pods) {
        boolean publishNotReady = EndpointRules.publishNotReady(service);
        JsonNode servicePorts = service.path("spec").path("ports");
        // ports (as JSON text, sorted) -> address ip -> (address, ready)
        Map<String, ArrayNode> portsOf = new TreeMap<>();
        Map<String, Map<String, ObjectNode>> ready = new TreeMap<>();
        Map<String, Map<String, ObjectNode>> notReady = new TreeMap<>();
        for (JsonNode pod : pods) {
            if (!EndpointRules.shouldPodBeInEndpoints(pod, publishNotReady)) {
                continue;
            }
            ObjectNode address = Json.object();
            String ip = EndpointRules.podIp(pod);
            address.put("ip", ip);
            String hostname = EndpointRules.hostname(pod, service);
            if (hostname != null) {
                address.put("hostname", hostname);
            }
            String node = Json.text(pod, "spec", "nodeName");
            if (node != null && !node.isEmpty()) {
                address.put("nodeName", node);
            }
            address.set("targetRef", EndpointRules.targetRef(pod));
            ArrayNode ports = Json.array();
            for (JsonNode sp : servicePorts) {
                int port = EndpointRules.findPort(pod, sp);
                if (port > 0) {
                    ports.add(EndpointRules.endpointPort(sp, port));
                }
            }
            if (ports.isEmpty() && !(servicePorts.isEmpty() && EndpointRules.isHeadless(service))) {
                continue; // no port of the Service's is served by this pod
            }
            List<JsonNode> sorted = new ArrayList<>();
            ports.forEach(sorted::add);
            sorted.sort(Comparator.comparing((JsonNode p) -> p.path("name").asText())
                    .thenComparingInt(p -> p.path("port").asInt()));
            ArrayNode sortedPorts = Json.array();
            sorted.forEach(sortedPorts::add);
            String portsKey = sortedPorts.toString();
            portsOf.put(portsKey, sortedPorts);
            boolean isReady = publishNotReady || EndpointRules.isPodReady(pod);
            (isReady ? ready : notReady).computeIfAbsent(portsKey, k -> new TreeMap<>(IP_ORDER)).put(ip, address);
            (isReady ? notReady : ready).computeIfAbsent(portsKey, k -> new TreeMap<>(IP_ORDER));
        }
        ArrayNode subsets = Json.array();
        for (Map.Entry<String, ArrayNode> e : portsOf.entrySet()) {
            ObjectNode subset = subsets.addObject();
            Map<String, ObjectNode> r = ready.get(e.getKey());
            Map<String, ObjectNode> n = notReady.get(e.getKey());
            if (!r.isEmpty()) {
                r.values().forEach(subset.putArray("addresses")::add);
            }
            if (!n.isEmpty()) {
                n.values().forEach(subset.putArray("notReadyAddresses")::add);
            }
            if (!e.getValue().isEmpty()) {
                subset.set("ports", e.getValue());
            }
        }
        return subsets;
    }

    /** IPv4 addresses in numeric order, others as text. */
    static final Comparator<String> IP_ORDER = Comparator.comparing(EndpointsController::ipKey);

    private static String ipKey(String ip) {
        String[] parts = ip.split("\\.");
        if (parts.length != 4) {
            return ip;
        }
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append(String.format("%03d", Integer.parseInt(p)));
        }
        return b.toString();
    }
}

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the EndpointSlices of each Service with a selector, as kube's EndpointSlice controller: every matching pod
 * with an IP that is not terminal is an endpoint, terminating ones included, with kube's conditions ({@code ready}:
 * ready and not terminating, or the Service publishes not-ready addresses; {@code serving}: ready;
 * {@code terminating}: being deleted). Pods are grouped by the ports they serve (a named {@code targetPort} resolves
 * per pod), at most {@value #MAX_ENDPOINTS_PER_SLICE} to a slice. Slices are labelled with the Service's name and this
 * controller's, and owned by the Service (the garbage collector deletes them with it). A Service without a selector
 * is left alone. A slice is written only when its endpoints, ports or labels changed, and never again before this
 * controller's cache has seen its last write (kube's {@code endpointSliceTracker}), so it never creates twice.
 */
public final class EndpointSliceController {

    /** kube-controller-manager's {@code --max-endpoints-per-slice} default. */
    static final int MAX_ENDPOINTS_PER_SLICE = 100;
    /** discovery.k8s.io/v1 endpointslices. */
    static final Resource ENDPOINTSLICES = new Resource("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice",
            true);

    /** What this controller last wrote of a Service's slices: names and the resourceVersion of each write. */
    private record Written(Map<String, Long> versions, Set<String> deleted, long atNanos) {
    }

    private final KubeClient client;
    private final ComponentContext ctx;
    private final Informer services;
    private final Informer slices;
    private final NamespaceIndex podsByNamespace;
    private final Map<String, Set<String>> slicesByService = new ConcurrentHashMap<>();
    private final Map<String, Written> written = new ConcurrentHashMap<>();
    private final WorkQueue queue;

    public EndpointSliceController(KubeClient client, InformerFactory informers, ComponentContext ctx) {
        this.client = client;
        this.ctx = ctx;
        this.services = informers.informer(Resource.SERVICES);
        this.slices = informers.informer(ENDPOINTSLICES);
        Informer pods = informers.informer(Resource.PODS);
        this.podsByNamespace = NamespaceIndex.of(pods);
        NamespaceIndex servicesByNamespace = NamespaceIndex.of(services);
        this.queue = new WorkQueue("endpointslice", ctx, this::sync);
        services.addHandler(Controllers.onAnyChange(svc -> queue.add(Json.key(svc))));
        slices.addHandler(new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode slice) {
                index(slice, true);
            }

            @Override
            public void onUpdate(ObjectNode oldSlice, ObjectNode newSlice) {
                index(newSlice, true);
            }

            @Override
            public void onDelete(ObjectNode slice) {
                index(slice, false);
            }
        });
        pods.addHandler(PodServices.handler(servicesByNamespace, queue::add));
    }

    public void shutdown() {
        queue.shutdown();
    }

    private void index(ObjectNode slice, boolean present) {
        String service = serviceKey(slice);
        if (service == null) {
            return;
        }
        if (present) {
            slicesByService.computeIfAbsent(service, k -> ConcurrentHashMap.newKeySet()).add(Json.key(slice));
        } else {
            slicesByService.computeIfPresent(service, (k, set) -> {
                set.remove(Json.key(slice));
                return set.isEmpty() ? null : set;
            });
        }
        if (isManaged(slice)) {
            queue.add(service); // a slice changed or deleted by someone else is put back
        }
    }

    private static String serviceKey(JsonNode slice) {
        String name = Json.text(slice, "metadata", "labels", EndpointRules.SERVICE_NAME_LABEL);
        return name == null ? null : Json.key(Json.namespace(slice), name);
    }

    private static boolean isManaged(JsonNode slice) {
        return EndpointRules.MANAGED_BY.equals(Json.text(slice, "metadata", "labels", EndpointRules.MANAGED_BY_LABEL));
    }

    /** Whether the cache has caught up with this controller's last writes for the Service (or they are too old). */
    private boolean caughtUp(String key) {
        Written w = written.get(key);
        if (w == null) {
            return true;
        }
        if (ctx.clock().nanoTime() - w.atNanos() > ctx.timings().expectationsTimeout().toNanos()) {
            written.remove(key, w);
            return true;
        }
        for (Map.Entry<String, Long> e : w.versions().entrySet()) {
            ObjectNode seen = slices.get(e.getKey());
            if (seen == null || Long.parseLong(Json.resourceVersion(seen)) < e.getValue()) {
                return false;
            }
        }
        for (String gone : w.deleted()) {
            if (slices.get(gone) != null) {
                return false;
            }
        }
        written.remove(key, w);
        return true;
    }

    void sync(String key) {
        ObjectNode service = services.get(key);
        if (service == null) {
            written.remove(key);
            return; // its slices go with it: the garbage collector deletes what a Service owns
        }
        LabelSelector selector = EndpointRules.selector(service);
        if (selector == null || Json.isDeleting(service) || !caughtUp(key)) {
            return; // without a selector the slices are the user's; a write not yet seen syncs the key again
        }
        List<ObjectNode> pods = new ArrayList<>();
        for (ObjectNode pod : podsByNamespace.list(Json.namespace(service))) {
            if (selector.matchesObject(pod)) {
                pods.add(pod);
            }
        }
        List<ObjectNode> current = new ArrayList<>();
        for (String sliceKey : slicesByService.getOrDefault(key, Set.of())) {
            ObjectNode slice = slices.get(sliceKey);
            if (slice != null && isManaged(slice) && Controllers.isControlledBy(slice, service)) {
                current.add(slice);
            }
        }
        reconcile(key, service, desired(service, pods), current);
    }

    /** A slice's desired content: its ports and endpoints. */
    record Desired(ArrayNode ports, ArrayNode endpoints) {
    }

    /**
     * The slices a Service should have, from the pods its selector matches: one group per distinct set of ports, each
     * cut into slices of at most {@value #MAX_ENDPOINTS_PER_SLICE} endpoints sorted by address. A pure function.
     */
    static List<Desired> desired(JsonNode service, List<? extends JsonNode> pods) {
        JsonNode servicePorts = service.path("spec").path("ports");
        Map<String, ArrayNode> portsOf = new TreeMap<>();
        Map<String, Map<String, ObjectNode>> endpointsOf = new TreeMap<>();
        for (JsonNode pod : pods) {
            if (!EndpointRules.shouldPodBeInEndpoints(pod, true)) {
                continue;
            }
            ArrayNode ports = Json.array();
            List<ObjectNode> list = new ArrayList<>();
            for (JsonNode sp : servicePorts) {
                int port = EndpointRules.findPort(pod, sp);
                if (port > 0) {
                    list.add(EndpointRules.endpointPort(sp, port));
                }
            }
            list.sort(Comparator.comparing((ObjectNode p) -> p.path("name").asText())
                    .thenComparingInt(p -> p.path("port").asInt()));
            list.forEach(ports::add);
            String portsKey = ports.toString();
            portsOf.put(portsKey, ports);
            String ip = EndpointRules.podIp(pod);
            endpointsOf.computeIfAbsent(portsKey, k -> new TreeMap<>(EndpointsController.IP_ORDER))
                    .put(ip, endpoint(service, pod, ip));
        }
        List<Desired> desired = new ArrayList<>();
        if (portsOf.isEmpty()) {
            desired.add(new Desired(Json.array(), Json.array())); // kube's placeholder slice of an empty Service
        }
        for (Map.Entry<String, ArrayNode> e : portsOf.entrySet()) {
            List<ObjectNode> all = new ArrayList<>(endpointsOf.get(e.getKey()).values());
            for (int from = 0; from < all.size(); from += MAX_ENDPOINTS_PER_SLICE) {
                ArrayNode chunk = Json.array();
                all.subList(from, Math.min(all.size(), from + MAX_ENDPOINTS_PER_SLICE)).forEach(chunk::add);
                desired.add(new Desired(e.getValue(), chunk));
            }
        }
        return desired;
    }

    /** kube's {@code podToEndpoint}. */
    private static ObjectNode endpoint(JsonNode service, JsonNode pod, String ip) {
        boolean serving = EndpointRules.isPodReady(pod);
        boolean terminating = Json.isDeleting(pod);
        boolean ready = EndpointRules.publishNotReady(service) || serving && !terminating;
        ObjectNode ep = Json.object();
        ep.putArray("addresses").add(ip);
        ep.putObject("conditions").put("ready", ready).put("serving", serving).put("terminating", terminating);
        String hostname = EndpointRules.hostname(pod, service);
        if (hostname != null) {
            ep.put("hostname", hostname);
        }
        ep.set("targetRef", EndpointRules.targetRef(pod));
        String node = Json.text(pod, "spec", "nodeName");
        if (node != null && !node.isEmpty()) {
            ep.put("nodeName", node);
        }
        return ep;
    }

    /** The labels of a Service's slices: the Service's own, kube's service-name and managed-by, headless. */
    static ObjectNode labels(JsonNode service) {
        ObjectNode labels = EndpointsController.labels(service);
        labels.put(EndpointRules.SERVICE_NAME_LABEL, Json.name(service));
        labels.put(EndpointRules.MANAGED_BY_LABEL, EndpointRules.MANAGED_BY);
        return labels;
    }

    private void reconcile(String key, ObjectNode service, List<Desired> desired, List<ObjectNode> current) {
        ObjectNode labels = labels(service);
        // Reuse the slices whose ports match, in name order, so that a steady Service keeps its slices.
        current.sort(Comparator.comparing(Json::name));
        Map<String, List<ObjectNode>> byPorts = new HashMap<>();
        for (ObjectNode slice : current) {
            byPorts.computeIfAbsent(portsKey(slice.path("ports")), k -> new ArrayList<>()).add(slice);
        }
        Map<String, Long> versions = new HashMap<>();
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        List<ObjectNode> toCreate = new ArrayList<>();
        List<ObjectNode> toUpdate = new ArrayList<>();
        for (Desired d : desired) {
            List<ObjectNode> candidates = byPorts.getOrDefault(portsKey(d.ports()), List.of());
            ObjectNode reuse = candidates.isEmpty() ? null : candidates.remove(0);
            if (reuse == null) {
                toCreate.add(slice(service, labels, d, null));
            } else if (!Semantic.equal(reuse.path("endpoints"), d.endpoints())
                    || !Semantic.equal(reuse.path("metadata").path("labels"), labels)
                    || !"IPv4".equals(reuse.path("addressType").asText())) {
                toUpdate.add(slice(service, labels, d, reuse));
            }
        }
        List<ObjectNode> toDelete = new ArrayList<>();
        byPorts.values().forEach(toDelete::addAll);
        if (toCreate.isEmpty() && toUpdate.isEmpty() && toDelete.isEmpty()) {
            return;
        }
        try {
            for (ObjectNode s : toCreate) {
                ObjectNode created = client.create(ENDPOINTSLICES, Json.namespace(service), s);
                versions.put(Json.key(created), Long.parseLong(Json.resourceVersion(created)));
            }
            for (ObjectNode s : toUpdate) {
                ObjectNode updated = client.update(ENDPOINTSLICES, s);
                versions.put(Json.key(updated), Long.parseLong(Json.resourceVersion(updated)));
            }
            for (ObjectNode s : toDelete) {
                try {
                    client.delete(ENDPOINTSLICES, Json.namespace(s), Json.name(s));
                } catch (ApiException e) {
                    if (!e.isNotFound()) {
                        throw e;
                    }
                }
                deleted.add(Json.key(s));
            }
        } catch (ApiException e) {
            if (e.code() == 409) {
                // A write racing this controller's cache of slices: read again after a back-off, as kube requeues
                throw new WorkQueue.RetryLater("endpoint slices of " + key + " changed under this sync: "
                        + e.getMessage());
            }
            if (!e.isNotFound() && !EndpointRules.namespaceTerminating(e)) {
                throw e;
            }
        } finally {
            if (!versions.isEmpty() || !deleted.isEmpty()) {
                written.put(key, new Written(Map.copyOf(versions), Set.copyOf(deleted), ctx.clock().nanoTime()));
            }
        }
    }

    private ObjectNode slice(ObjectNode service, ObjectNode labels, Desired d, ObjectNode existing) {
        ObjectNode slice = existing == null ? Json.object() : existing.deepCopy();
        slice.put("apiVersion", "discovery.k8s.io/v1");
        slice.put("kind", "EndpointSlice");
        ObjectNode meta = Json.with(slice, "metadata");
        if (existing == null) {
            meta.put("generateName", Json.name(service) + "-");
            meta.put("namespace", Json.namespace(service));
            ObjectNode owner = service.deepCopy().put("apiVersion", "v1").put("kind", "Service");
            meta.putArray("ownerReferences").add(Controllers.controllerRef(owner));
        }
        meta.set("labels", labels.deepCopy());
        Json.with(meta, "annotations").put(EndpointRules.TRIGGER_TIME,
                ctx.clock().now().truncatedTo(ChronoUnit.SECONDS).toString());
        slice.put("addressType", "IPv4");
        slice.set("endpoints", d.endpoints());
        slice.set("ports", d.ports());
        return slice;
    }

    private static String portsKey(JsonNode ports) {
        List<String> keys = new ArrayList<>();
        for (JsonNode p : ports) {
            keys.add(p.path("name").asText("") + "/" + p.path("port").asInt() + "/" + p.path("protocol").asText("TCP")
                    + "/" + p.path("appProtocol").asText(""));
        }
        keys.sort(null);
        return String.join(",", keys);
    }
}

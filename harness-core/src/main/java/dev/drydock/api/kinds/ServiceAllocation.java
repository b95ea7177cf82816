package dev.drydock.api.kinds;

import static dev.drydock.api.kinds.ServiceStrategy.EXTERNAL_NAME;
import static dev.drydock.api.kinds.ServiceStrategy.LOAD_BALANCER;
import static dev.drydock.api.kinds.ServiceStrategy.NODE_PORT;
import static dev.drydock.api.kinds.ServiceStrategy.NONE;
import static dev.drydock.api.kinds.ServiceStrategy.clusterIPs;
import static dev.drydock.api.kinds.ServiceStrategy.ipFamilies;
import static dev.drydock.api.kinds.ServiceStrategy.needsHealthCheck;
import static dev.drydock.api.kinds.ServiceStrategy.text;
import static dev.drydock.api.kinds.ServiceStrategy.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.Admission;
import dev.drydock.api.Errors;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.ResourceStorage;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The cluster IPs and node ports of Services, as kube's service REST storage gives them out
 * ({@code pkg/registry/core/service/storage}): on create it syncs {@code clusterIP} and {@code clusterIPs}, fills
 * {@code ipFamilyPolicy} and {@code ipFamilies} (this cluster is IPv4 single-stack), and gives the Service a cluster
 * IP (unless headless or ExternalName) and, for NodePort and LoadBalancer Services, node ports; a requested value is
 * honoured if it is in range and free, and refused as kube refuses it otherwise. On update it first keeps what the
 * client left out ({@code patchAllocatedValues}), drops what the new type no longer needs, and gives out what it
 * newly needs.
 *
 * <p>What is given out is the Service's claims ({@link ServiceStrategy#claims}): the API server stores them with the
 * Service in one transaction, so the values in use are exactly those of the stored Services, survive a restart of
 * the API server, are released when a Service is deleted, and two concurrent creates never get the same one.
 */
final class ServiceAllocation implements Admission {

    @Override
    public void admit(Operation operation, KindDescriptor kind, ObjectNode svc, ObjectNode old,
                      ResourceStorage storage) {
        String namespace = Json.namespace(svc);
        String name = Json.name(svc);
        Allocator allocator = new Allocator(kind, namespace, name, storage);
        if (operation == Operation.CREATE) {
            normalizeClusterIPs(svc, null);
            initIPFamilyFields(kind, svc, null);
            allocateClusterIPs(kind, svc, allocator);
            allocateNodePorts(svc, allocator);
            if (needsHealthCheck(svc)) {
                allocateHealthCheckNodePort(svc, allocator);
            }
        } else {
            patchAllocatedValues(svc, old);
            normalizeClusterIPs(svc, old);
            dropTypeDependentFields(svc, old);
            initIPFamilyFields(kind, svc, old);
            if (type(old).equals(EXTERNAL_NAME) && !type(svc).equals(EXTERNAL_NAME)) {
                allocateClusterIPs(kind, svc, allocator);
            }
            if (needsNodePort(svc)) {
                updateNodePorts(svc, old, allocator);
            }
            boolean needed = needsHealthCheck(old);
            if (!needed && needsHealthCheck(svc)) {
                allocateHealthCheckNodePort(svc, allocator);
            } else if (needed && !needsHealthCheck(svc)) {
                Json.with(svc, "spec").remove("healthCheckNodePort");
            }
        }
    }

    // ---- kube's NormalizeClusterIPs, patchAllocatedValues and dropTypeDependentFields

    /** Keeps {@code clusterIP} and {@code clusterIPs} in step, for clients that set only the singular one. */
    static void normalizeClusterIPs(ObjectNode svc, ObjectNode old) {
        ObjectNode spec = Json.with(svc, "spec");
        String clusterIP = text(spec, "clusterIP");
        List<String> ips = clusterIPs(svc);
        if (old == null) {
            if (!clusterIP.isEmpty() && ips.isEmpty()) {
                spec.putArray("clusterIPs").add(clusterIP);
            }
            return;
        }
        String oldClusterIP = text(old.path("spec"), "clusterIP");
        if (!clusterIPs(old).isEmpty() && ips.isEmpty() && oldClusterIP.equals(clusterIP)) {
            spec.set("clusterIPs", old.path("spec").get("clusterIPs").deepCopy()); // an old client left them out
        }
        if (!oldClusterIP.equals(clusterIP)) {
            boolean sameIPs = clusterIPs(old).equals(clusterIPs(svc));
            if (!oldClusterIP.isEmpty() && clusterIP.isEmpty() && sameIPs) {
                spec.remove("clusterIPs"); // cleared on the client's behalf
            }
            if (!clusterIP.isEmpty() && sameIPs) {
                spec.putArray("clusterIPs").add(clusterIP);
            }
        }
    }

    /** Values the client did not send on update (a replace from a manifest) are the ones it had. */
    static void patchAllocatedValues(ObjectNode svc, ObjectNode old) {
        ObjectNode spec = Json.with(svc, "spec");
        JsonNode oldSpec = old.path("spec");
        if (!type(old).equals(EXTERNAL_NAME) && !type(svc).equals(EXTERNAL_NAME)) {
            if (text(spec, "clusterIP").isEmpty() && !text(oldSpec, "clusterIP").isEmpty()) {
                spec.put("clusterIP", text(oldSpec, "clusterIP"));
            }
            if (clusterIPs(svc).isEmpty() && !clusterIPs(old).isEmpty()) {
                spec.set("clusterIPs", oldSpec.get("clusterIPs").deepCopy());
            }
        }
        if (needsNodePort(old) && needsNodePort(svc)) {
            Set<Long> used = nodePorts(old);
            used.retainAll(nodePorts(svc));
            Map<String, Long> byName = new HashMap<>();
            oldSpec.path("ports").forEach(p -> byName.put(text(p, "name"), p.path("nodePort").asLong(0)));
            for (JsonNode p : spec.path("ports")) {
                if (p instanceof ObjectNode port && port.path("nodePort").asLong(0) == 0) {
                    long was = byName.getOrDefault(text(port, "name"), 0L);
                    if (was != 0 && !used.contains(was)) {
                        port.put("nodePort", was);
                    }
                }
            }
        }
        if (needsHealthCheck(old) && needsHealthCheck(svc) && spec.path("healthCheckNodePort").asLong(0) == 0) {
            long was = oldSpec.path("healthCheckNodePort").asLong(0);
            if (was != 0) {
                spec.put("healthCheckNodePort", was);
            }
        }
    }

    /** What the old type had and the new one does not need, unless the client changed it itself. */
    static void dropTypeDependentFields(ObjectNode svc, ObjectNode old) {
        ObjectNode spec = Json.with(svc, "spec");
        JsonNode oldSpec = old.path("spec");
        if (!type(old).equals(EXTERNAL_NAME) && type(svc).equals(EXTERNAL_NAME)) {
            if (clusterIPs(old).equals(clusterIPs(svc))) {
                spec.remove("clusterIP");
                spec.remove("clusterIPs");
            }
            if (ipFamilies(old).equals(ipFamilies(svc))) {
                spec.remove("ipFamilies");
            }
            if (Objects.equals(oldSpec.get("ipFamilyPolicy"), spec.get("ipFamilyPolicy"))) {
                spec.remove("ipFamilyPolicy");
            }
        }
        if (needsNodePort(old) && !needsNodePort(svc) && nodePorts(old).containsAll(nodePorts(svc))) {
            spec.path("ports").forEach(p -> ((ObjectNode) p).remove("nodePort"));
        }
        if (type(old).equals(LOAD_BALANCER) && !type(svc).equals(LOAD_BALANCER)
                && Objects.equals(oldSpec.get("allocateLoadBalancerNodePorts"),
                spec.get("allocateLoadBalancerNodePorts"))) {
            spec.remove("allocateLoadBalancerNodePorts");
        }
        if (needsHealthCheck(old) && !needsHealthCheck(svc) && oldSpec.path("healthCheckNodePort").asLong(0)
                == spec.path("healthCheckNodePort").asLong(0)) {
            spec.remove("healthCheckNodePort");
        }
        if (ServiceStrategy.externallyAccessible(old) && !ServiceStrategy.externallyAccessible(svc)
                && text(oldSpec, "externalTrafficPolicy").equals(text(spec, "externalTrafficPolicy"))) {
            spec.remove("externalTrafficPolicy");
        }
        if (!type(svc).equals(LOAD_BALANCER)) {
            Json.with(svc, "status").putObject("loadBalancer"); // no load balancer any more
        }
    }

    // ---- kube's initIPFamilyFields, on a cluster that is IPv4 single-stack

    static void initIPFamilyFields(KindDescriptor kind, ObjectNode svc, ObjectNode old) {
        if (type(svc).equals(EXTERNAL_NAME)) {
            return;
        }
        ObjectNode spec = Json.with(svc, "spec");
        boolean headlessNoSelector = text(spec, "clusterIP").equals(NONE) && spec.path("selector").size() == 0;
        if (!spec.hasNonNull("ipFamilyPolicy")) {
            if (old != null && old.path("spec").hasNonNull("ipFamilyPolicy")) {
                spec.put("ipFamilyPolicy", old.path("spec").path("ipFamilyPolicy").asText());
            } else {
                spec.put("ipFamilyPolicy", headlessNoSelector ? "RequireDualStack" : "SingleStack");
            }
        }
        List<FieldError> errors = new ArrayList<>();
        ServiceStrategy.validateClusterIPsRelated(svc, errors);
        if (!errors.isEmpty()) {
            throw Errors.invalid(kind, Json.name(svc), errors);
        }
        String policy = text(spec, "ipFamilyPolicy");
        List<String> ips = clusterIPs(svc);
        List<String> families = ipFamilies(svc);
        String printedIPs = FieldError.goStrings(ServiceStrategy.clusterIPsOrNull(svc));
        if (policy.equals("SingleStack")) {
            if (ips.size() == 2) {
                errors.add(ServiceStrategy.policyError(svc, "must be 'RequireDualStack' or 'PreferDualStack' when "
                        + "multiple cluster IPs are specified"));
            }
            if (families.size() == 2) {
                errors.add(ServiceStrategy.policyError(svc, "must be 'RequireDualStack' or 'PreferDualStack' when "
                        + "multiple IP families are specified"));
            }
        }
        for (int i = 0; i < ips.size() && !ips.get(i).equals(NONE); i++) {
            if (i >= families.size()) {
                if (NetValidation.isIPv6(ips.get(i))) {
                    errors.add(FieldError.invalidRaw("spec.clusterIPs[" + i + "]", printedIPs,
                            "IPv6 is not configured on this cluster"));
                } else {
                    families.add("IPv4");
                }
            }
        }
        if (!errors.isEmpty()) {
            throw Errors.invalid(kind, Json.name(svc), errors);
        }
        if (headlessNoSelector) {
            if (families.isEmpty()) {
                families.add("IPv4");
            }
            if (families.size() < 2 && !policy.equals("SingleStack")) {
                families.add(families.get(0).equals("IPv4") ? "IPv6" : "IPv4");
            }
            setFamilies(spec, families);
            return;
        }
        if (policy.equals("RequireDualStack")) {
            errors.add(ServiceStrategy.policyError(svc, "this cluster is not configured for dual-stack services"));
        }
        for (int i = 0; i < families.size(); i++) {
            if (!families.get(i).equals("IPv4")) {
                errors.add(FieldError.invalid("spec.ipFamilies[" + i + "]", families.get(i),
                        "not configured on this cluster"));
            }
        }
        if (!errors.isEmpty()) {
            throw Errors.invalid(kind, Json.name(svc), errors);
        }
        if (families.isEmpty()) {
            families.add("IPv4");
        }
        setFamilies(spec, families);
    }

    private static void setFamilies(ObjectNode spec, List<String> families) {
        ArrayNode array = spec.putArray("ipFamilies");
        families.forEach(array::add);
    }

    // ---- cluster IPs

    private static void allocateClusterIPs(KindDescriptor kind, ObjectNode svc, Allocator allocator) {
        if (type(svc).equals(EXTERNAL_NAME) || ServiceStrategy.isHeadless(svc)) {
            return;
        }
        ObjectNode spec = Json.with(svc, "spec");
        List<String> ips = clusterIPs(svc);
        String requested = ips.isEmpty() ? "" : ips.get(0);
        String ip;
        if (requested.isEmpty()) {
            ip = ServiceRanges.nextIP(Json.key(svc), candidate -> allocator.ipFree(
                    NetValidation.ipv4String(candidate)));
            if (ip == null) {
                throw internalError("failed to allocate a serviceIP: range is full");
            }
        } else {
            String why = allocator.ipProblem(requested);
            if (why != null) {
                throw Errors.invalid(kind, Json.name(svc), List.of(FieldError.invalidRaw("spec.clusterIPs",
                        FieldError.goStrings(ServiceStrategy.clusterIPsOrNull(svc)),
                        "failed to allocate IP " + requested + ": " + why)));
            }
            ip = requested;
        }
        spec.put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
    }

    // ---- node ports

    /** kube's {@code initNodePorts}: a port number's node port is shared by all its protocols. */
    private static void allocateNodePorts(ObjectNode svc, Allocator allocator) {
        if (!needsNodePort(svc)) {
            return;
        }
        boolean allocate = shouldAllocateNodePorts(svc);
        List<ObjectNode> ports = ports(svc);
        Map<Long, Long> byPortNumber = new HashMap<>();
        for (int i = 0; i < ports.size(); i++) {
            ObjectNode port = ports.get(i);
            long nodePort = port.path("nodePort").asLong(0);
            if (nodePort == 0 && !allocate) {
                continue; // no new ports, but requested ones are honoured
            }
            long number = port.path("port").asLong(0);
            Long shared = byPortNumber.get(number);
            if (shared == null) {
                long requested = 0;
                for (int j = i; j < ports.size(); j++) {
                    if (ports.get(j).path("port").asLong(0) == number && ports.get(j).path("nodePort").asLong(0) != 0) {
                        requested = ports.get(j).path("nodePort").asLong(0);
                        break;
                    }
                }
                long chosen = requested != 0 ? allocator.takeNodePort(svc, i, requested)
                        : allocator.nextNodePort(svc, i);
                port.put("nodePort", chosen);
                byPortNumber.put(number, chosen);
            } else if (nodePort != shared) {
                if (nodePort == 0) {
                    port.put("nodePort", shared);
                } else {
                    allocator.takeNodePort(svc, i, nodePort);
                }
            }
        }
    }

    /** kube's {@code updateNodePorts}: ports the Service had stay its own, new ones are given out. */
    private static void updateNodePorts(ObjectNode svc, ObjectNode old, Allocator allocator) {
        Set<Long> had = nodePorts(old);
        boolean allocate = shouldAllocateNodePorts(svc);
        List<ObjectNode> ports = ports(svc);
        for (int i = 0; i < ports.size(); i++) {
            ObjectNode port = ports.get(i);
            long nodePort = port.path("nodePort").asLong(0);
            if (nodePort == 0 && !allocate) {
                continue;
            }
            if (nodePort != 0) {
                if (!had.contains(nodePort) && !allocator.takenHere(nodePort)) {
                    allocator.takeNodePort(svc, i, nodePort);
                }
            } else {
                port.put("nodePort", allocator.nextNodePort(svc, i));
            }
        }
    }

    private static void allocateHealthCheckNodePort(ObjectNode svc, Allocator allocator) {
        ObjectNode spec = Json.with(svc, "spec");
        long requested = spec.path("healthCheckNodePort").asLong(0);
        if (requested != 0) {
            String why = allocator.nodePortProblem(requested);
            if (why != null) {
                throw internalError("failed to allocate requested HealthCheck NodePort " + requested + ": " + why);
            }
            allocator.taken.add(requested);
        } else {
            spec.put("healthCheckNodePort", allocator.nextNodePort(svc, -1));
        }
    }

    // ---- helpers

    /** The values one write gives out: those already taken by others, in range, and taken in this write. */
    private static final class Allocator {
        private final KindDescriptor kind;
        private final String namespace;
        private final String name;
        private final ResourceStorage storage;
        private final Set<Long> taken = new HashSet<>();

        Allocator(KindDescriptor kind, String namespace, String name, ResourceStorage storage) {
            this.kind = kind;
            this.namespace = namespace;
            this.name = name;
            this.storage = storage;
        }

        boolean ipFree(String ip) {
            return storage.claimFree(kind, namespace, name, "serviceips/" + ip);
        }

        /** Why a requested cluster IP cannot be given, in kube's ipallocator words, or null if it can. */
        String ipProblem(String ip) {
            long v4 = NetValidation.ipv4(ip);
            if (v4 < 0 || !ServiceRanges.inIPRange(v4)) {
                return "provided IP is not in the valid range. The range of valid IPs is "
                        + ServiceRanges.SERVICE_CIDR;
            }
            return ipFree(NetValidation.ipv4String(v4)) ? null : "provided IP is already allocated";
        }

        boolean takenHere(long port) {
            return taken.contains(port);
        }

        /** Why a requested node port cannot be given, in kube's portallocator words, or null if it can. */
        String nodePortProblem(long port) {
            if (!ServiceRanges.inNodePortRange(port)) {
                return "provided port is not in the valid range. The range of valid ports is "
                        + ServiceRanges.NODE_PORT_MIN + "-" + ServiceRanges.NODE_PORT_MAX;
            }
            boolean free = !taken.contains(port)
                    && storage.claimFree(kind, namespace, name, "servicenodeports/" + port);
            return free ? null : "provided port is already allocated";
        }

        long takeNodePort(ObjectNode svc, int index, long port) {
            String why = nodePortProblem(port);
            if (why != null) {
                throw Errors.invalid(kind, Json.name(svc), List.of(FieldError.invalidRaw(
                        "spec.ports[" + index + "].nodePort", Long.toString(port), why)));
            }
            taken.add(port);
            return port;
        }

        long nextNodePort(ObjectNode svc, int index) {
            int port = ServiceRanges.nextNodePort(Json.key(svc), index,
                    candidate -> !taken.contains(candidate)
                            && storage.claimFree(kind, namespace, name, "servicenodeports/" + candidate));
            if (port < 0) {
                throw internalError("failed to allocate a nodePort: range is full");
            }
            taken.add((long) port);
            return port;
        }
    }

    private static ApiException internalError(String why) {
        return ApiException.of(500, "InternalError", "Internal error occurred: " + why);
    }

    static boolean needsNodePort(JsonNode svc) {
        return type(svc).equals(NODE_PORT) || type(svc).equals(LOAD_BALANCER);
    }

    private static boolean shouldAllocateNodePorts(JsonNode svc) {
        return type(svc).equals(NODE_PORT)
                || type(svc).equals(LOAD_BALANCER) && svc.path("spec").path("allocateLoadBalancerNodePorts")
                .asBoolean(true);
    }

    private static Set<Long> nodePorts(JsonNode svc) {
        Set<Long> ports = new HashSet<>();
        svc.path("spec").path("ports").forEach(p -> {
            if (p.path("nodePort").asLong(0) != 0) {
                ports.add(p.path("nodePort").asLong());
            }
        });
        return ports;
    }

    private static List<ObjectNode> ports(ObjectNode svc) {
        List<ObjectNode> ports = new ArrayList<>();
        svc.path("spec").path("ports").forEach(p -> {
            if (p instanceof ObjectNode o) {
                ports.add(o);
            }
        });
        return ports;
    }
}

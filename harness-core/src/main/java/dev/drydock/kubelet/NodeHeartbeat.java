package dev.drydock.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.client.EventRecorder;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Conditions;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Semantic;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's heartbeats, as the kubelet's node lease controller and node status manager send them: it registers the
 * Node, renews its Lease in {@code kube-node-lease} and posts its status, through the kubelet's own client (so that a
 * fault on the node's link silences them). It holds no timer: the cluster's {@link NodeHeartbeats} runs the
 * heartbeats of all its nodes on one lane.
 */
final class NodeHeartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);
    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

    private final NodeConfig node;
    private final KubeClient client;
    private final ComponentContext ctx;
    private final EventRecorder events;
    private final String bootId;
    /** False while the kubelet is stopped or frozen: then it sends nothing. */
    private final BooleanSupplier active;
    private volatile Instant lastStatusPost = Instant.EPOCH;
    /** The Lease as the last renewal wrote it; null when it must be read again. */
    private volatile ObjectNode lastLease;

    NodeHeartbeat(NodeConfig node, KubeClient client, ComponentContext ctx, EventRecorder events, String bootId,
                  BooleanSupplier active) {
        this.node = node;
        this.client = client;
        this.ctx = ctx;
        this.events = events;
        this.bootId = bootId;
        this.active = active;
    }

    String nodeName() {
        return node.name();
    }

    /**
     * Renews the node's Lease. Like kube's lease controller it updates the copy its last write returned, and reads
     * the Lease again only when that copy is missing or stale (a conflict or a failure).
     */
    void renewLease() {
        if (!active.getAsBoolean()) {
            return;
        }
        String now = microTime(ctx.clock().now());
        try {
            ObjectNode lease = lastLease != null ? lastLease
                    : client.find(Resource.LEASES, NODE_LEASE_NAMESPACE, node.name());
            if (lease == null) {
                lease = Json.object();
                lease.put("apiVersion", "coordination.k8s.io/v1");
                lease.put("kind", "Lease");
                Json.with(lease, "metadata").put("name", node.name()).put("namespace", NODE_LEASE_NAMESPACE);
                Json.with(lease, "spec").put("holderIdentity", node.name())
                        .put("leaseDurationSeconds", ctx.timings().nodeLeaseDuration().toSeconds())
                        .put("renewTime", now);
                lastLease = client.create(Resource.LEASES, NODE_LEASE_NAMESPACE, lease);
            } else {
                lease = lease.deepCopy();
                Json.with(lease, "spec").put("renewTime", now);
                lastLease = client.update(Resource.LEASES, lease);
            }
        } catch (RuntimeException e) {
            lastLease = null; // read again next time
            throw e; // reported once per streak of failures
        }
    }

    /**
     * Registers the node if needed, and posts its status when it changed or when the report is due. A failure is
     * reported once per streak; a conflict (the node lifecycle controller wrote the node between the read and the
     * write) is retried at the next tick quietly.
     */
    void postNodeStatus() {
        if (!active.getAsBoolean()) {
            return;
        }
        ObjectNode current = client.find(Resource.NODES, null, node.name());
        if (current == null) {
            current = client.create(Resource.NODES, null, newNode());
            events.normal(current, "RegisteredNode", "Node " + node.name() + " event: Registered Node "
                    + node.name() + " in Controller");
        }
        String ready = Json.condition(current, "Ready");
        Instant now = ctx.clock().now();
        ObjectNode updated = current.deepCopy();
        writeStatus(updated, now);
        // kube posts a changed status at once, an unchanged one (but for its heartbeat times) every
        // nodeStatusReportFrequency.
        if (now.isBefore(lastStatusPost.plus(ctx.timings().nodeStatusReportFrequency()))
                && Semantic.equal(Json.withoutHeartbeatTimes(updated.path("status")),
                Json.withoutHeartbeatTimes(current.path("status")))) {
            return;
        }
        try {
            client.updateStatus(Resource.NODES, updated);
        } catch (ApiException e) {
            if (e.isConflict()) {
                LOG.debug("node {}: status update conflicted, retrying at the next tick", node.name());
                return;
            }
            throw e;
        }
        lastStatusPost = now;
        if (!"True".equals(ready)) {
            events.normal(updated, "NodeReady", "Node " + node.name() + " status is now: NodeReady");
        }
    }

    private ObjectNode newNode() {
        ObjectNode n = Json.object();
        n.put("apiVersion", "v1");
        n.put("kind", "Node");
        ObjectNode meta = Json.with(n, "metadata");
        meta.put("name", node.name());
        ObjectNode labels = meta.putObject("labels");
        labels.put("kubernetes.io/hostname", node.name());
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("beta.kubernetes.io/arch", "amd64");
        node.labels().forEach(labels::put);
        ObjectNode spec = Json.with(n, "spec");
        if (!node.taints().isEmpty()) {
            ArrayNode taints = spec.putArray("taints");
            for (NodeConfig.Taint t : node.taints()) {
                ObjectNode taint = taints.addObject().put("key", t.key());
                if (!t.value().isEmpty()) {
                    taint.put("value", t.value());
                }
                taint.put("effect", t.effect());
            }
        }
        if (node.podCidr() != null) {
            spec.put("podCIDR", node.podCidr());
            spec.putArray("podCIDRs").add(node.podCidr());
        }
        writeStatus(n, ctx.clock().now());
        return n;
    }

    private void writeStatus(ObjectNode n, Instant now) {
        ObjectNode status = Json.with(n, "status");
        ObjectNode capacity = status.putObject("capacity");
        capacity.put("cpu", node.cpu());
        capacity.put("memory", node.memory());
        capacity.put("pods", Integer.toString(node.pods()));
        capacity.put("ephemeral-storage", "100Gi");
        status.set("allocatable", capacity.deepCopy());
        JsonNode previous = status.path("conditions").deepCopy();
        ArrayNode conditions = status.putArray("conditions");
        Conditions.set(conditions, previous, "MemoryPressure", "False", "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available", Conditions.HEARTBEAT, now);
        Conditions.set(conditions, previous, "DiskPressure", "False", "KubeletHasNoDiskPressure",
                "kubelet has no disk pressure", Conditions.HEARTBEAT, now);
        Conditions.set(conditions, previous, "PIDPressure", "False", "KubeletHasSufficientPID",
                "kubelet has sufficient PID available", Conditions.HEARTBEAT, now);
        Conditions.set(conditions, previous, "Ready", "True", "KubeletReady", "kubelet is posting ready status",
                Conditions.HEARTBEAT, now);
        ArrayNode addresses = status.putArray("addresses");
        addresses.addObject().put("type", "InternalIP").put("address", node.internalIp());
        addresses.addObject().put("type", "Hostname").put("address", node.name());
        status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", 10250);
        ObjectNode info = status.putObject("nodeInfo");
        info.put("machineID", node.name());
        info.put("systemUUID", node.name());
        info.put("bootID", bootId);
        info.put("kernelVersion", "drydock");
        info.put("osImage", "drydock fake node");
        info.put("containerRuntimeVersion", "drydock://0.1");
        info.put("kubeletVersion", "v1.32.0+drydock");
        info.put("kubeProxyVersion", "v1.32.0+drydock");
        info.put("operatingSystem", "linux");
        info.put("architecture", "amd64");
    }

    private static String microTime(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS).toString();
    }
}

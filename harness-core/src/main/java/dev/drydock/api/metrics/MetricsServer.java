package dev.drydock.api.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.ComputedReads;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.ResourceStorage;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.net.Network;
import dev.drydock.net.NetworkException;
import dev.drydock.runtime.ContainerStats;
import dev.drydock.runtime.NodeStats;
import dev.drydock.runtime.NodeStreams;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code metrics.k8s.io/v1beta1} as metrics-server serves it through the aggregation layer: NodeMetrics and
 * PodMetrics from the kubelets' summary API ({@link NodeStreams#stats()}), reached across the network from the API
 * server, so that {@code kubectl top} works (and an autoscaler can read them). It scrapes when asked rather than
 * every 15 s, so it costs nothing while nobody asks; a node it cannot reach (cut off, frozen, down) has no metrics,
 * nor have its pods, as metrics-server then has none.
 *
 * <pre>{@code
 * MetricsServer.register(api.registry(), api, network, nodeName -> kubeletStreamsOf(nodeName));
 * }</pre>
 */
public final class MetricsServer {

    public static final Resource NODE_METRICS = new Resource("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics",
            false);
    public static final Resource POD_METRICS = new Resource("metrics.k8s.io", "v1beta1", "pods", "PodMetrics", true);
    /** metrics-server's default resolution, reported as each metric's {@code window}. */
    private static final String WINDOW = "15s";

    private final ResourceStorage storage;
    private final Network network;
    private final Function<String, NodeStreams> kubelets;

    private MetricsServer(ResourceStorage storage, Network network, Function<String, NodeStreams> kubelets) {
        this.storage = storage;
        this.network = network;
        this.kubelets = kubelets;
    }

    /**
     * Serves {@code metrics.k8s.io/v1beta1} on {@code registry} (and so in discovery).
     *
     * @param kubelets a node's kubelet by node name; null for a node that does not run
     */
    public static void register(KindRegistry registry, ResourceStorage storage, Network network,
                                Function<String, NodeStreams> kubelets) {
        MetricsServer server = new MetricsServer(storage, network, kubelets);
        registry.add(KindDescriptor.of(NODE_METRICS).singular("nodemetrics").computed(new ComputedReads() {
            @Override
            public ObjectNode get(String namespace, String name) {
                return found(server.nodeMetrics(name), NODE_METRICS, "nodemetrics", name);
            }

            @Override
            public List<ObjectNode> list(String namespace) {
                return server.nodeMetrics();
            }
        }).build());
        registry.add(KindDescriptor.of(POD_METRICS).singular("podmetrics").computed(new ComputedReads() {
            @Override
            public ObjectNode get(String namespace, String name) {
                return found(server.podMetrics(namespace, name), POD_METRICS, "podmetrics", namespace + "/" + name);
            }

            @Override
            public List<ObjectNode> list(String namespace) {
                return server.podMetrics(namespace);
            }
        }).build());
    }

    /** The metrics, or metrics-server's 404 ({@code podmetrics.metrics.k8s.io "ns/name" not found}). */
    private static ObjectNode found(ObjectNode metrics, Resource r, String resource, String name) {
        if (metrics == null) {
            throw dev.drydock.kube.ApiException.of(404, "NotFound", resource + "." + r.group() + " \"" + name
                    + "\" not found", r, name);
        }
        return metrics;
    }

    // ---- nodes

    private ObjectNode nodeMetrics(String name) {
        ObjectNode node = storage.find(kind(Resource.NODES), null, name);
        NodeStats stats = node == null ? null : scrape(name);
        return stats == null ? null : nodeMetrics(node, stats);
    }

    private List<ObjectNode> nodeMetrics() {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode node : storage.list(kind(Resource.NODES), null)) {
            NodeStats stats = scrape(Json.name(node));
            if (stats != null) {
                out.add(nodeMetrics(node, stats));
            }
        }
        return out;
    }

    private ObjectNode nodeMetrics(ObjectNode node, NodeStats stats) {
        ObjectNode m = metrics(NODE_METRICS, node, stats.timestamp());
        usage(m.putObject("usage"), stats.cpuUsageNanoCores(), stats.memoryWorkingSetBytes());
        return m;
    }

    // ---- pods

    private ObjectNode podMetrics(String namespace, String name) {
        ObjectNode pod = storage.find(kind(Resource.PODS), namespace, name);
        String node = pod == null ? "" : Json.text(pod, "spec", "nodeName");
        if (node == null || node.isEmpty()) {
            return null;
        }
        NodeStats stats = scrape(node);
        if (stats == null) {
            return null;
        }
        for (NodeStats.PodStats p : stats.pods()) {
            if (p.namespace().equals(namespace) && p.name().equals(name) && p.uid().equals(Json.uid(pod))) {
                return podMetrics(pod, p, stats.timestamp());
            }
        }
        return null;
    }

    private List<ObjectNode> podMetrics(String namespace) {
        Map<String, ObjectNode> pods = new HashMap<>();
        java.util.Set<String> nodes = new java.util.TreeSet<>();
        for (ObjectNode pod : storage.list(kind(Resource.PODS), namespace)) {
            pods.put(Json.namespace(pod) + "/" + Json.name(pod), pod);
            String node = Json.text(pod, "spec", "nodeName");
            if (node != null && !node.isEmpty()) {
                nodes.add(node);
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        for (String node : nodes) {
            NodeStats stats = scrape(node);
            if (stats == null) {
                continue;
            }
            for (NodeStats.PodStats p : stats.pods()) {
                ObjectNode pod = pods.get(p.namespace() + "/" + p.name());
                if (pod != null && p.uid().equals(Json.uid(pod))) {
                    out.add(podMetrics(pod, p, stats.timestamp()));
                }
            }
        }
        out.sort(java.util.Comparator.comparing((ObjectNode m) -> Json.namespace(m)).thenComparing(Json::name));
        return out;
    }

    private ObjectNode podMetrics(ObjectNode pod, NodeStats.PodStats stats, Instant timestamp) {
        ObjectNode m = metrics(POD_METRICS, pod, timestamp);
        var containers = m.putArray("containers");
        for (Map.Entry<String, ContainerStats> c : stats.containers().entrySet()) {
            ObjectNode container = containers.addObject().put("name", c.getKey());
            usage(container.putObject("usage"), c.getValue().cpuUsageNanoCores(),
                    c.getValue().memoryWorkingSetBytes());
        }
        return m;
    }

    // ---- common

    /** A node's summary, dialled across the network from the API server as metrics-server dials it; null if none. */
    private NodeStats scrape(String node) {
        try {
            network.check(Network.API_SERVER, node);
        } catch (NetworkException e) {
            return null; // metrics-server's scrape of it times out: no metrics
        }
        NodeStreams kubelet = kubelets.apply(node);
        return kubelet == null ? null : kubelet.stats();
    }

    /** The metrics object of {@code of}: its name, namespace and labels, and when it was measured. */
    private ObjectNode metrics(Resource r, ObjectNode of, Instant timestamp) {
        ObjectNode m = Json.object();
        m.put("kind", r.kind()).put("apiVersion", r.apiVersion());
        ObjectNode meta = m.putObject("metadata");
        meta.put("name", Json.name(of));
        if (r.namespaced()) {
            meta.put("namespace", Json.namespace(of));
        }
        meta.put("creationTimestamp", storage.now().truncatedTo(ChronoUnit.SECONDS).toString());
        JsonNode labels = of.path("metadata").path("labels");
        if (labels.isObject()) {
            meta.set("labels", labels.deepCopy());
        }
        m.put("timestamp", timestamp.truncatedTo(ChronoUnit.SECONDS).toString());
        m.put("window", WINDOW);
        return m;
    }

    private static void usage(ObjectNode usage, long cpuNanoCores, long memoryBytes) {
        usage.put("cpu", cpu(cpuNanoCores));
        usage.put("memory", memory(memoryBytes));
    }

    /** CPU in nanocores as a canonical quantity, as metrics-server's {@code NewScaledQuantity(n, -9)} prints it. */
    static String cpu(long nanoCores) {
        if (nanoCores == 0) {
            return "0";
        }
        String[] suffixes = {"n", "u", "m", ""};
        long v = nanoCores;
        int i = 0;
        while (i < suffixes.length - 1 && v % 1000 == 0) {
            v /= 1000;
            i++;
        }
        return v + suffixes[i];
    }

    /** Memory in bytes as a canonical binary quantity ({@code 128Mi}, {@code 1536Ki}, {@code 1000}). */
    static String memory(long bytes) {
        if (bytes == 0) {
            return "0";
        }
        String[] suffixes = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
        BigInteger v = BigInteger.valueOf(bytes);
        BigInteger k = BigInteger.valueOf(1024);
        int i = 0;
        while (i < suffixes.length - 1 && v.mod(k).signum() == 0) {
            v = v.divide(k);
            i++;
        }
        return v + suffixes[i];
    }

    private KindDescriptor kind(Resource r) {
        return storage.registry().find(r);
    }
}

package dev.drydock.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.base.Timers;
import dev.drydock.client.Informer;
import dev.drydock.client.InformerFactory;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.net.Network;
import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.ClusterHttp;
import dev.drydock.runtime.HttpCodec;
import dev.drydock.runtime.NodeStreamException;
import dev.drydock.runtime.NodeStreams;
import dev.drydock.runtime.StreamHandle;
import dev.drydock.runtime.StreamListener;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The cluster's Service network as pods and the test see it: cluster DNS (Services, headless Services' pods, pods by
 * {@code hostname.subdomain}) and kube-proxy (a ClusterIP's calls spread at random over its ready endpoints, by
 * {@code sessionAffinity: ClientIP} to the same one while it stays), read from Services, EndpointSlices and pods as
 * the API has them now. Each call crosses {@code net} from its caller's party to the target pod's node and back (a
 * cut link is a timeout, a lossy one loses some calls, a slow one delays them), then reaches the pod's port through
 * its node's kubelet and runtime, as a port-forward does.
 *
 * <p>Where drydock is simpler: every node's kube-proxy and DNS see the API's latest state (a real node cut off from
 * the API server keeps its last rules); a cut link fails a call at once with a timeout rather than after one.
 */
final class ServiceNetwork implements AutoCloseable {

    static final Resource ENDPOINTSLICES = new Resource("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice",
            true);
    private static final String CLUSTER_DOMAIN = "cluster.local";
    /** How long a call may take before it fails as a timeout, on the cluster's clock. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final ComponentContext ctx;
    private final Network network;
    private final Function<String, NodeStreams> kubelets;
    private final InformerFactory informers;
    private final Informer services;
    private final Informer slices;
    private final Informer pods;
    private final Map<String, String> serviceByClusterIp = new ConcurrentHashMap<>();
    private final Map<String, String> podByIp = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> slicesByService = new ConcurrentHashMap<>();
    /** sessionAffinity ClientIP: the endpoint each client was sent to, by Service and client. */
    private final Map<String, String> affinity = new ConcurrentHashMap<>();
    private final Random random;

    ServiceNetwork(KubeClient observer, ComponentContext ctx, Network network,
                   Function<String, NodeStreams> kubelets) {
        this.ctx = ctx;
        this.network = network;
        this.kubelets = kubelets;
        this.random = new Random(ctx.seed() ^ 0x5E41CE5L);
        this.informers = new InformerFactory(observer, ctx);
        this.services = informers.informer(Resource.SERVICES);
        this.slices = informers.informer(ENDPOINTSLICES);
        this.pods = informers.informer(Resource.PODS);
        services.addHandler(index(serviceByClusterIp, svc -> List.of(Json.text(svc, "spec", "clusterIP"))));
        pods.addHandler(index(podByIp, pod -> {
            List<String> ips = new ArrayList<>();
            pod.path("status").path("podIPs").forEach(ip -> ips.add(ip.path("ip").asText()));
            ips.add(Json.text(pod, "status", "podIP"));
            return ips;
        }));
        slices.addHandler(new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode slice) {
                String svc = serviceOf(slice);
                if (svc != null) {
                    slicesByService.computeIfAbsent(svc, k -> ConcurrentHashMap.newKeySet()).add(Json.key(slice));
                }
            }

            @Override
            public void onDelete(ObjectNode slice) {
                String svc = serviceOf(slice);
                if (svc != null) {
                    slicesByService.computeIfPresent(svc, (k, set) -> {
                        set.remove(Json.key(slice));
                        return set.isEmpty() ? null : set;
                    });
                }
            }
        });
    }

    private boolean started;
    private boolean closed;

    /**
     * Starts watching on the first call, so that a cluster whose tests never call into it pays nothing (a thousand
     * nodes' pods are not cached twice). The in-process list is done when this returns.
     */
    private synchronized void ensureStarted() {
        if (closed) {
            throw new ClusterHttp.CallException("the cluster is closed");
        }
        if (!started) {
            started = true;
            informers.start();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        informers.close();
    }

    /** Calls from {@code party} (the test, an identity, a node for its pods), short names in {@code namespace}. */
    ClusterHttp client(String party, String namespace) {
        return new ClusterHttp() {
            @Override
            public CompletableFuture<Response> send(Request request) {
                return ServiceNetwork.this.send(party, namespace, request);
            }

            @Override
            public ClusterHttp inNamespace(String ns) {
                return client(party, ns);
            }
        };
    }

    private static String serviceOf(JsonNode slice) {
        String name = Json.text(slice, "metadata", "labels", "kubernetes.io/service-name");
        return name == null ? null : Json.key(Json.namespace(slice), name);
    }

    /** A handler keeping {@code index} from addresses to the key of the object that has them. */
    private static Informer.Handler index(Map<String, String> index, Function<ObjectNode, List<String>> addresses) {
        return new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode obj) {
                for (String a : addresses.apply(obj)) {
                    if (a != null && !a.isEmpty() && !a.equals("None")) {
                        index.put(a, Json.key(obj));
                    }
                }
            }

            @Override
            public void onUpdate(ObjectNode oldObj, ObjectNode newObj) {
                onDelete(oldObj);
                onAdd(newObj);
            }

            @Override
            public void onDelete(ObjectNode obj) {
                for (String a : addresses.apply(obj)) {
                    if (a != null) {
                        index.remove(a, Json.key(obj));
                    }
                }
            }
        };
    }

    // ---- a call

    /** Where a call goes: a pod's port, or why it cannot go. */
    private record Target(ObjectNode pod, String ip, int port) {
    }

    CompletableFuture<ClusterHttp.Response> send(String party, String namespace, ClusterHttp.Request request) {
        CompletableFuture<ClusterHttp.Response> result = new CompletableFuture<>();
        try {
            ensureStarted();
            URI uri = URI.create(request.url());
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ClusterHttp.CallException("unsupported URL " + request.url() + ": cluster HTTP calls are "
                        + "plain http://host[:port]/path");
            }
            int port = uri.getPort() < 0 ? 80 : uri.getPort();
            Target target = resolve(party, namespace, uri.getHost(), port);
            String hostHeader = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            dial(party, target, HttpCodec.request(request, hostHeader, request.path()), result);
        } catch (ClusterHttp.CallException e) {
            result.completeExceptionally(e);
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(new ClusterHttp.CallException("invalid URL " + request.url() + ": "
                    + e.getMessage()));
        }
        return result;
    }

    /**
     * A raw TCP connection from {@code party} to a Service's port, through kube-proxy (an endpoint picked per
     * connection) and across {@code net} (its rules in force at the opening), for a loopback port.
     *
     * @throws ClusterHttp.CallException if it cannot be opened, saying why
     */
    StreamHandle connect(String party, String namespace, String service, int port, ByteSink toClient,
                         StreamListener listener) {
        ensureStarted();
        Target target = resolve(party, namespace, service + "." + namespace + ".svc." + CLUSTER_DOMAIN, port);
        String node = Json.text(target.pod(), "spec", "nodeName");
        String address = target.ip() + ":" + target.port();
        boolean local = node != null && (node.equals(party) || node.equals(network.hostOf(party)));
        if (node == null || !local && (!network.reachable(party, node) || !network.reachable(node, party))) {
            throw new ClusterHttp.CallException("dial tcp " + address + ": i/o timeout");
        }
        NodeStreams kubelet = kubelets.apply(node);
        if (kubelet == null) {
            throw new ClusterHttp.CallException("dial tcp " + address + ": i/o timeout (node " + node + " is down)");
        }
        try {
            return kubelet.portForward(Json.namespace(target.pod()), Json.name(target.pod()), target.port(),
                    toClient, listener);
        } catch (NodeStreamException e) {
            throw new ClusterHttp.CallException("dial tcp " + address + ": connect: connection refused ("
                    + e.getMessage() + ")");
        }
    }

    /** Cluster DNS, then kube-proxy for a ClusterIP. */
    private Target resolve(String party, String namespace, String host, int port) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (isIpv4(name)) {
            String svc = serviceByClusterIp.get(name);
            if (svc != null) {
                return viaProxy(party, services.get(svc), name, port);
            }
            String pod = podByIp.get(name);
            ObjectNode p = pod == null ? null : pods.get(pod);
            if (p == null) {
                throw new ClusterHttp.CallException("dial tcp " + name + ":" + port + ": i/o timeout (no pod or "
                        + "Service has the IP " + name + ")");
            }
            return new Target(p, name, port);
        }
        if (name.endsWith("." + CLUSTER_DOMAIN)) {
            name = name.substring(0, name.length() - CLUSTER_DOMAIN.length() - 1);
        }
        String[] labels = name.split("\\.");
        List<String[]> candidates = new ArrayList<>(); // {hostname or null, service, namespace}
        if (labels.length >= 2 && labels[labels.length - 1].equals("svc")) {
            if (labels.length == 3) {
                candidates.add(new String[] {null, labels[0], labels[1]});
            } else if (labels.length == 4) {
                candidates.add(new String[] {labels[0], labels[1], labels[2]});
            }
        } else if (labels.length == 1) {
            candidates.add(new String[] {null, labels[0], namespace});
        } else if (labels.length == 2) {
            candidates.add(new String[] {labels[0], labels[1], namespace}); // the search path's first try
            candidates.add(new String[] {null, labels[0], labels[1]});
        } else if (labels.length == 3) {
            candidates.add(new String[] {labels[0], labels[1], labels[2]});
        }
        for (String[] c : candidates) {
            ObjectNode svc = services.get(c[2], c[1]);
            if (svc == null) {
                continue;
            }
            if (c[0] != null) {
                ObjectNode pod = podByHostname(svc, c[0]);
                if (pod != null) {
                    return new Target(pod, podIp(pod), port);
                }
                continue;
            }
            if ("None".equals(Json.text(svc, "spec", "clusterIP"))) {
                List<ObjectNode> ready = dnsRecords(svc);
                if (ready.isEmpty()) {
                    continue;
                }
                ObjectNode pod = pick(ready);
                return new Target(pod, podIp(pod), port);
            }
            return viaProxy(party, svc, Json.text(svc, "spec", "clusterIP"), port);
        }
        throw noSuchHost(host, namespace);
    }

    private ClusterHttp.CallException noSuchHost(String host, String namespace) {
        Set<String> names = new TreeSet<>();
        for (ObjectNode svc : services.list()) {
            if (namespace.equals(Json.namespace(svc))) {
                names.add(Json.name(svc) + "." + namespace + ".svc." + CLUSTER_DOMAIN);
            }
        }
        return new ClusterHttp.CallException("dial tcp: lookup " + host + ": no such host (the Services of namespace "
                + namespace + ": " + names + "; also ClusterIPs, pod IPs and hostname.subdomain."
                + "<namespace>.svc." + CLUSTER_DOMAIN + " of a headless Service's pods)");
    }

    /** A pod of the headless Service by its {@code spec.hostname}, as cluster DNS answers it. */
    private ObjectNode podByHostname(ObjectNode svc, String hostname) {
        for (JsonNode ep : endpoints(svc)) {
            if (hostname.equals(ep.path("hostname").asText(null)) && isReadyForDns(svc, ep)) {
                ObjectNode pod = pods.get(Json.namespace(svc), ep.path("targetRef").path("name").asText());
                if (pod != null) {
                    return pod;
                }
            }
        }
        return null;
    }

    private static boolean isReadyForDns(JsonNode svc, JsonNode ep) {
        return ep.path("conditions").path("ready").asBoolean(true)
                || svc.path("spec").path("publishNotReadyAddresses").asBoolean(false);
    }

    /** A headless Service's A records: its ready endpoints' pods (all with publishNotReadyAddresses). */
    private List<ObjectNode> dnsRecords(ObjectNode svc) {
        List<ObjectNode> found = new ArrayList<>();
        for (JsonNode ep : endpoints(svc)) {
            if (isReadyForDns(svc, ep)) {
                ObjectNode pod = pods.get(Json.namespace(svc), ep.path("targetRef").path("name").asText());
                if (pod != null) {
                    found.add(pod);
                }
            }
        }
        return found;
    }

    private List<JsonNode> endpoints(ObjectNode svc) {
        List<JsonNode> all = new ArrayList<>();
        for (String key : slicesByService.getOrDefault(Json.key(svc), Set.of())) {
            ObjectNode slice = slices.get(key);
            if (slice != null) {
                slice.path("endpoints").forEach(all::add);
            }
        }
        return all;
    }

    /**
     * kube-proxy: the Service port {@code port} of a ClusterIP, sent to one of its ready endpoints (serving
     * terminating ones if none is ready, as kube-proxy falls back), at the endpoint's port of the same name.
     */
    private Target viaProxy(String party, ObjectNode svc, String clusterIp, int port) {
        JsonNode servicePort = null;
        for (JsonNode p : svc.path("spec").path("ports")) {
            if (p.path("port").asInt() == port && "TCP".equals(p.path("protocol").asText("TCP"))) {
                servicePort = p;
            }
        }
        String dial = "dial tcp " + clusterIp + ":" + port + ": connect: connection refused";
        if (servicePort == null) {
            throw new ClusterHttp.CallException(dial + " (Service " + Json.key(svc) + " has no port " + port
                    + ", it has " + svc.path("spec").path("ports").findValuesAsText("port") + ")");
        }
        String portName = servicePort.path("name").asText("");
        List<Target> ready = new ArrayList<>();
        List<Target> terminating = new ArrayList<>();
        for (String key : slicesByService.getOrDefault(Json.key(svc), Set.of())) {
            ObjectNode slice = slices.get(key);
            if (slice == null) {
                continue;
            }
            int targetPort = -1;
            for (JsonNode p : slice.path("ports")) {
                if (portName.equals(p.path("name").asText(""))) {
                    targetPort = p.path("port").asInt();
                }
            }
            if (targetPort < 0) {
                continue;
            }
            for (JsonNode ep : slice.path("endpoints")) {
                JsonNode c = ep.path("conditions");
                ObjectNode pod = pods.get(Json.namespace(svc), ep.path("targetRef").path("name").asText());
                if (pod == null) {
                    continue;
                }
                Target t = new Target(pod, ep.path("addresses").path(0).asText(), targetPort);
                if (c.path("ready").asBoolean(true)) {
                    ready.add(t);
                } else if (c.path("serving").asBoolean(false) && c.path("terminating").asBoolean(false)) {
                    terminating.add(t);
                }
            }
        }
        List<Target> usable = ready.isEmpty() ? terminating : ready;
        if (usable.isEmpty()) {
            throw new ClusterHttp.CallException(dial + " (Service " + Json.key(svc) + " has no ready endpoints)");
        }
        usable.sort(java.util.Comparator.comparing(Target::ip));
        if ("ClientIP".equals(Json.text(svc, "spec", "sessionAffinity"))) {
            String key = Json.key(svc) + "\u0000" + party;
            String last = affinity.get(key);
            for (Target t : usable) {
                if (t.ip().equals(last)) {
                    return t;
                }
            }
            Target chosen = pick(usable);
            affinity.put(key, chosen.ip());
            return chosen;
        }
        return pick(usable);
    }

    private <T> T pick(List<T> from) {
        synchronized (random) {
            return from.get(random.nextInt(from.size()));
        }
    }

    /** Crosses the network to the pod's node, then connects to its port through the node's kubelet. */
    private void dial(String party, Target target, byte[] request, CompletableFuture<ClusterHttp.Response> result) {
        String node = Json.text(target.pod(), "spec", "nodeName");
        String address = target.ip() + ":" + target.port();
        String timeout = "dial tcp " + address + ": i/o timeout";
        if (node == null || node.isEmpty()) {
            throw new ClusterHttp.CallException(timeout + " (pod " + Json.key(target.pod()) + " is on no node)");
        }
        boolean local = node.equals(party) || node.equals(network.hostOf(party));
        if (!local && (!network.reachable(party, node) || !network.reachable(node, party)
                || network.drops(party, node, random) || network.drops(node, party, random))) {
            throw new ClusterHttp.CallException(timeout);
        }
        long delay = local ? 0 : network.delayNanos(party, node) + network.delayNanos(node, party);
        Runnable connect = () -> {
            try {
                connect(party, node, target, address, request, result, local);
            } catch (RuntimeException e) {
                result.completeExceptionally(new ClusterHttp.CallException("dial tcp " + address + ": " + e));
            }
        };
        if (delay > 0) {
            ctx.timers().after(Duration.ofNanos(delay), connect);
        } else {
            connect.run();
        }
    }

    private void connect(String party, String node, Target target, String address, byte[] request,
                         CompletableFuture<ClusterHttp.Response> result, boolean local) {
        NodeStreams kubelet = kubelets.apply(node);
        if (kubelet == null) {
            result.completeExceptionally(new ClusterHttp.CallException("dial tcp " + address + ": i/o timeout "
                    + "(node " + node + " is down)"));
            return;
        }
        HttpCodec.ResponseReader reader = new HttpCodec.ResponseReader();
        AtomicBoolean done = new AtomicBoolean();
        StreamHandle[] handle = new StreamHandle[1];
        Timers.Task[] timer = new Timers.Task[1];
        Function<Object, Boolean> finish = outcome -> {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            synchronized (handle) {
                if (handle[0] != null) {
                    handle[0].cancel();
                }
                if (timer[0] != null) {
                    timer[0].cancel();
                }
            }
            if (outcome instanceof ClusterHttp.Response r) {
                if (!local && !network.reachable(node, party)) {
                    result.completeExceptionally(new ClusterHttp.CallException("read tcp " + address
                            + ": i/o timeout"));
                } else {
                    result.complete(r);
                }
            } else {
                result.completeExceptionally((RuntimeException) outcome);
            }
            return true;
        };
        ByteSink toClient = new ByteSink() {
            @Override
            public boolean write(byte[] data) {
                try {
                    ClusterHttp.Response r;
                    synchronized (reader) {
                        r = reader.add(data);
                    }
                    if (r != null) {
                        finish.apply(r);
                    }
                } catch (ClusterHttp.CallException e) {
                    finish.apply(e);
                }
                return true;
            }

            @Override
            public void whenReady(Runnable action) {
                action.run();
            }

            @Override
            public void close() {
                // the stream's listener says how it ended, right after
            }
        };
        StreamListener listener = new StreamListener() {
            @Override
            public void ended(int exitCode) {
                ClusterHttp.Response r;
                synchronized (reader) {
                    r = reader.end();
                }
                finish.apply(r != null ? r : new ClusterHttp.CallException("read tcp " + address
                        + ": connection reset by peer (empty reply from server)"));
            }

            @Override
            public void failed(String message) {
                finish.apply(new ClusterHttp.CallException(message.contains("connection refused")
                        ? "dial tcp " + address + ": connect: connection refused"
                        : "read tcp " + address + ": " + message));
            }
        };
        Timers.Task t = ctx.timers().after(CALL_TIMEOUT, () -> finish.apply(new ClusterHttp.CallException(
                "read tcp " + address + ": i/o timeout (no answer within " + CALL_TIMEOUT + ")")));
        synchronized (handle) {
            timer[0] = t;
        }
        try {
            StreamHandle h = kubelet.portForward(Json.namespace(target.pod()), Json.name(target.pod()),
                    target.port(), toClient, listener);
            synchronized (handle) {
                handle[0] = h;
            }
            if (done.get()) {
                h.cancel();
                t.cancel();
                return;
            }
            ByteSink in = h.input();
            if (in != null) {
                in.write(request);
            }
        } catch (NodeStreamException e) {
            finish.apply(new ClusterHttp.CallException("dial tcp " + address + ": connect: connection refused ("
                    + e.getMessage() + ")"));
        }
    }

    private static String podIp(ObjectNode pod) {
        return Json.text(pod, "status", "podIP");
    }

    private static boolean isIpv4(String s) {
        String[] parts = s.split("\\.");
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return false;
            }
        }
        return true;
    }
}

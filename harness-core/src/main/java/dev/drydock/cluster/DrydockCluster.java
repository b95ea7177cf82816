package dev.drydock.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.ApiErrors;
import dev.drydock.api.ApiServer;
import dev.drydock.api.Compactor;
import dev.drydock.api.HttpApiServer;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.cache.WatchCache;
import dev.drydock.api.kinds.BuiltInObjects;
import dev.drydock.api.kinds.CoreV1Kinds;
import dev.drydock.api.streams.PodStreams;
import dev.drydock.api.streams.PodStreamsHttp;
import dev.drydock.base.BoundedExecutor;
import dev.drydock.base.Clock;
import dev.drydock.base.ComponentContext;
import dev.drydock.base.ManualClock;
import dev.drydock.base.Threads;
import dev.drydock.base.Timers;
import dev.drydock.base.Timings;
import dev.drydock.chaos.ApiFaults;
import dev.drydock.chaos.Chaos;
import dev.drydock.chaos.NetworkFault;
import dev.drydock.chaos.NetworkFaults;
import dev.drydock.chaos.NodeFault;
import dev.drydock.chaos.Parties;
import dev.drydock.chaos.Timeline;
import dev.drydock.client.Informer;
import dev.drydock.client.KubeClient;
import dev.drydock.controller.ControllerManager;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kubelet.NodeConfig;
import dev.drydock.net.Network;
import dev.drydock.runtime.ImageRegistry;
import dev.drydock.runtime.ClusterRuntime;
import dev.drydock.runtime.RuntimeProvider;
import dev.drydock.scheduler.Scheduler;
import dev.drydock.store.ReplicatedStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running drydock cluster: an API server on 127.0.0.1 speaking the Kubernetes REST API, a store, the scheduler,
 * the controllers, and a kubelet per simulated node, all in this JVM. Close it to stop every thread, socket and temp
 * file it started.
 *
 * <pre>{@code
 * try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().nodes(3))) {
 *     KubernetesClient k8s = new KubernetesClientBuilder()
 *             .withConfig(Config.fromKubeconfig(Files.readString(cluster.kubeconfig()))).build();
 *     ...
 *     cluster.node("node-2").crash();
 * }
 * }</pre>
 */
public final class DrydockCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DrydockCluster.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final long seed;
    private final Timings timings;
    private final Clock clock;
    /** The clock of what keeps real time on a manual clock: the store, and waits for real quiet. */
    private final Clock realClock;
    private final Threads.Factory workerThreads;
    private final Threads.Factory watchThreads;
    /** Every timer of the components, on the cluster's clock. */
    private final Timers timers;
    /**
     * The API server's timers that wait for the store (its retries and reloads): the components' timer on a clock
     * that runs by itself (null here then), a real-time timer of their own on a {@link ManualClock}, since the store's
     * Raft keeps real time. Its watch timeouts, bookmarks and cut watches' breaks run on the components' timer, on
     * the cluster's clock.
     */
    private final Threads.Factory apiTimerThreads;
    private final ScheduledThreadPoolExecutor apiTimer;
    private final dev.drydock.base.Workers workers;
    /** The lanes on which the API server hands watch events to watchers: bounded, whatever the watchers. */
    private final ThreadPoolExecutor watchLanes;
    private final ReplicatedStore store;
    private final StoreHandle storeHandle;
    private final ApiServer api;
    private final Network network;
    private final NetworkFaults networkFaults;
    private final Chaos chaos;
    private final Timeline timeline;
    private final Map<String, NodeHandle> nodes = new LinkedHashMap<>();
    private final KubeClient client;
    private final ApiFaults apiFaults;
    private final Map<String, ClientIdentity> identities = new ConcurrentHashMap<>();
    private final InvariantChecker invariants;
    private final ImageRegistry images;
    // Started by boot(); null until then, so that close() can undo a start that failed half-way.
    private HttpApiServer http;
    private PodStreams podStreams;
    private Scheduler scheduler;
    private ControllerManager controllers;
    private ServiceNetwork serviceNetwork;
    private final List<LoopbackPort> loopbackPorts = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The runtime's share of this cluster as it opens (null for an API server alone), closed after the nodes. */
    private volatile CompletableFuture<ClusterRuntime> runtimeOpening;
    private Timers.Task compaction;
    private TimelineRecorder recorder;
    private Path kubeconfig;
    private volatile boolean closed;

    private DrydockCluster(ClusterSpec spec) {
        name = spec.resolvedName();
        seed = spec.resolvedSeed();
        timings = spec.timingsValue();
        clock = spec.clockValue();
        images = new ImageRegistry(spec.unknownImagesValue());
        network = new Network(seed);
        workerThreads = Threads.factory(name, "worker");
        timeline = new Timeline(spec.clockValue());
        workers = new dev.drydock.base.Workers(4, workerThreads);
        timers = Timers.create(name, clock, workers);
        boolean manual = clock instanceof ManualClock;
        apiTimerThreads = manual ? Threads.factory(name, "api-timer") : null;
        apiTimer = manual ? new ScheduledThreadPoolExecutor(1, apiTimerThreads) : null;
        if (apiTimer != null) {
            apiTimer.setRemoveOnCancelPolicy(true);
        }
        realClock = manual ? Clock.SYSTEM : clock;
        watchThreads = Threads.factory(name, "watch");
        int lanes = Math.max(2, Runtime.getRuntime().availableProcessors());
        watchLanes = new ThreadPoolExecutor(lanes, lanes, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                watchThreads);
        watchLanes.allowCoreThreadTimeOut(true);
        // The store's Raft timers and lease expiry keep real time on a manual clock: a leader must stay elected
        // however the test moves the cluster's clock.
        store = new ReplicatedStore(name, ReplicatedStore.Settings.of(spec.storeReplicasValue(), timings), network,
                realClock, seed);
        storeHandle = new StoreHandle(store, network, timeline);
        api = new ApiServer(store, KindRegistry.builtIn(), clock,
                apiTimer != null ? apiTimer : timers.asScheduledExecutorService(), timers.asScheduledExecutorService(),
                seed, new BoundedExecutor(watchLanes, lanes), WatchCache.Settings.defaults());
        api.eventTtl(timings.eventTTL());
        apiFaults = ApiFaults.install(api, timeline, clock);
        client = new KubeClient(api.transport(Network.TEST, network));
        networkFaults = new NetworkFaults(network, timeline, this::parties);
        invariants = new InvariantChecker(store, manual ? null : timers, workers);
        chaos = new Chaos(new ChaosNodes(), () -> parties().storeReplicas(), networkFaults, timeline, seed,
                timers.asScheduledExecutorService(), workers);
    }

    /** The nodes as scheduled chaos acts on them. */
    private final class ChaosNodes implements Chaos.Nodes {
        @Override
        public List<String> names() {
            synchronized (nodes) {
                return List.copyOf(nodes.keySet());
            }
        }

        @Override
        public boolean isRunning(String node) {
            return node(node).isRunning();
        }

        @Override
        public void crash(String node) {
            node(node).crash();
        }

        @Override
        public void restart(String node) {
            node(node).restart();
        }

        @Override
        public boolean isFrozen(String node) {
            return node(node).isFrozen();
        }

        @Override
        public NodeFault freeze(String node) {
            return node(node).freeze();
        }
    }

    /** The network parties of this cluster now, by role (see {@link Parties}). */
    private Parties.Directory parties() {
        List<String> components = new java.util.ArrayList<>(List.of(Network.API_SERVER, Network.TEST));
        if (scheduler != null) {
            components.addAll(List.of(Parties.SCHEDULER, Parties.CONTROLLER_MANAGER));
        }
        List<String> nodeNames;
        synchronized (nodes) {
            nodeNames = List.copyOf(nodes.keySet());
        }
        List<String> replicas = new java.util.ArrayList<>();
        for (int r = 0; r < store.replicas(); r++) {
            replicas.add(store.replicaName(r));
        }
        List<String> ids = identities.values().stream().map(ClientIdentity::party).sorted().toList();
        return new Parties.Directory(components, nodeNames, replicas, ids);
    }

    private void boot(ClusterSpec spec) throws IOException {
        // Before anything starts; an API server alone needs no runtime.
        RuntimeProvider provider = spec.apiServerOnlyValue() ? null : RuntimeProvider.find(spec.runtimeName());
        // A runtime's own set-up (Docker's: the engine, the cluster's network) overlaps with the API server's.
        CompletableFuture<ClusterRuntime> opening = provider == null ? null
                : CompletableFuture.supplyAsync(() -> provider.open(name), workers);
        runtimeOpening = opening; // closed by close(), even if the boot fails meanwhile
        java.util.function.Function<String, dev.drydock.runtime.NodeStreams> kubelets = node -> {
            NodeHandle handle;
            synchronized (nodes) {
                handle = nodes.get(node);
            }
            return handle == null ? null : handle.streams();
        };
        podStreams = new PodStreams(api, network, kubelets, timers.asScheduledExecutorService());
        dev.drydock.api.metrics.MetricsServer.register(api.registry(), api, network, kubelets);
        // The HTTP side starts on a worker while this thread writes the bootstrap objects: on a cold JVM each half
        // is mostly class loading (the HTTP server's on one side, JSON's and the field schemas' on the other), and
        // the two overlap. No one knows the port before start() returns, so nothing is served before they exist.
        CompletableFuture<HttpApiServer> serving = CompletableFuture.supplyAsync(() -> {
            try {
                HttpApiServer server = new HttpApiServer(api, api.transport(Network.TEST, network),
                        new PodStreamsHttp(podStreams, Network.TEST), new InetSocketAddress(spec.host(), spec.port()),
                        name);
                server.partyTransports(party -> api.transport(party, network)); // by the credentials of a request
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, workers);
        try {
            createBootstrapObjects();
        } catch (RuntimeException e) {
            try {
                awaitHttp(serving).close();
            } catch (IOException | RuntimeException also) {
                e.addSuppressed(also);
            }
            throw e;
        }
        http = awaitHttp(serving);
        timeline.event(Network.API_SERVER, "serving on " + http.url());
        createKubernetesService(http.port());
        recorder = new TimelineRecorder(observer(), timers, timeline).start(); // reads past net's faults
        Duration interval = timings.compactionInterval();
        compaction = timers.every("compaction", interval, interval, new Compactor(store));
        if (spec.apiServerOnlyValue()) {
            timeline.event(name, "started the API server only, seed " + seed);
            return;
        }
        ClusterRuntime runtime = awaitRuntime(opening);
        network.addListener(() -> runtime.linksChanged(network::reachable));
        ComponentContext ctx = new ComponentContext(name, seed, timings, timers, workers, timeline::syncFailed);
        scheduler = new Scheduler(new KubeClient(api.transport("scheduler", network)), ctx);
        controllers = new ControllerManager(new KubeClient(api.transport("controller-manager", network)), ctx);
        scheduler.start();
        controllers.start();
        serviceNetwork = new ServiceNetwork(observer(), ctx, network, node -> {
            NodeHandle handle;
            synchronized (nodes) {
                handle = nodes.get(node);
            }
            return handle == null ? null : handle.streams();
        });
        int i = 0;
        for (NodeSpec nodeSpec : spec.nodeSpecs()) {
            NodeConfig config = nodeSpec.config(spec, ++i);
            String node = config.name();
            NodeHandle handle = new NodeHandle(config, runtime,
                    new KubeClient(api.transport(node, network)), ctx, timeline, this::runningNodes, images,
                    serviceNetwork.client(node, "default"));
            synchronized (nodes) {
                nodes.put(node, handle);
            }
        }
        nodes.values().forEach(NodeHandle::boot);
        timeline.event(name, "started with " + spec.nodeCount() + " node(s), seed " + seed);
    }

    /** The namespaces kube-apiserver creates, and the built-in objects (bootstrap RBAC, priority classes...). */
    private void createBootstrapObjects() {
        for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
            ObjectNode obj = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
            Json.with(obj, "metadata").put("name", ns);
            client.create(Resource.NAMESPACES, null, obj);
        }
        BuiltInObjects.all().forEach(item -> client.create(item.resource(), null, item.object()));
    }

    /** Closes the runtime's share of the cluster, once it has opened (its failure to open was the boot's to report). */
    private void closeRuntime() {
        CompletableFuture<ClusterRuntime> opening = runtimeOpening;
        if (opening == null) {
            return;
        }
        ClusterRuntime opened;
        try {
            opened = opening.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return;
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("cluster {}: its container runtime did not open within {} s; not closing it", name,
                    START_TIMEOUT.toSeconds());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            opened.close();
        } catch (RuntimeException e) {
            LOG.warn("cluster {}: closing its container runtime failed: {}", name, e.toString(), e);
        }
    }

    /** The runtime's share of the cluster once it is open, or its own failure (e.g. no Docker engine answers). */
    private static ClusterRuntime awaitRuntime(CompletableFuture<ClusterRuntime> opening) {
        try {
            return opening.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("the container runtime could not start: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the container runtime did not start within " + START_TIMEOUT.toSeconds()
                    + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the container runtime started", e);
        }
    }

    /** The HTTP side once it serves, or its start's own failure (e.g. the port is taken). */
    private static HttpApiServer awaitHttp(CompletableFuture<HttpApiServer> serving) throws IOException {
        try {
            return serving.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            serving.thenAccept(HttpApiServer::close); // should it ever start, it does not outlive the cluster
            throw new IllegalStateException("the API server's HTTP side did not start within " + START_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            serving.thenAccept(HttpApiServer::close);
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    /**
     * The {@code default/kubernetes} Service that kube-apiserver keeps, at the first address of the service CIDR and
     * pointing at the API server's port. Its Endpoints are left out: kube's validation refuses the loopback address
     * drydock's API server listens on.
     */
    private void createKubernetesService(int apiPort) {
        ObjectNode svc = Json.object().put("apiVersion", "v1").put("kind", "Service");
        ObjectNode meta = Json.with(svc, "metadata");
        meta.put("name", "kubernetes");
        meta.put("namespace", "default");
        meta.putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
        ObjectNode spec = Json.with(svc, "spec");
        spec.put("type", "ClusterIP");
        spec.put("clusterIP", CoreV1Kinds.kubernetesServiceIP());
        spec.putArray("ports").addObject().put("name", "https").put("port", 443).put("protocol", "TCP")
                .put("targetPort", apiPort);
        client.create(Resource.SERVICES, "default", svc);
    }

    /**
     * Starts a cluster and returns once its API serves and every node is Ready (with
     * {@link ClusterSpec#apiServerOnly()}: once its API serves).
     *
     * @throws IllegalStateException if it could not start within a minute
     */
    public static DrydockCluster start(ClusterSpec spec) {
        DrydockCluster cluster = new DrydockCluster(spec);
        try {
            cluster.boot(spec);
            cluster.awaitNodesReady(START_TIMEOUT);
            return cluster;
        } catch (IOException e) {
            cluster.close();
            throw new UncheckedIOException("could not start the API server on " + spec.host() + ":" + spec.port()
                    + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void awaitNodesReady(Duration timeout) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Informer watch = new Informer(client, Resource.NODES, null, Map.of(), timers);
        // The Ready nodes as the watch tells them, one at a time: a count per event, not a scan of every node.
        Set<String> readyNodes = ConcurrentHashMap.newKeySet();
        Runnable check = () -> {
            if (readyNodes.size() >= nodes.size()) {
                ready.complete(null);
            }
        };
        watch.addHandler(new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode obj) {
                if ("True".equals(Json.condition(obj, "Ready"))) {
                    readyNodes.add(Json.name(obj));
                } else {
                    readyNodes.remove(Json.name(obj));
                }
                check.run();
            }

            @Override
            public void onUpdate(ObjectNode oldObj, ObjectNode newObj) {
                onAdd(newObj);
            }

            @Override
            public void onDelete(ObjectNode obj) {
                readyNodes.remove(Json.name(obj));
            }
        });
        watch.start();
        check.run();
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("nodes not Ready after " + timeout + ":\n" + describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            watch.close();
        }
    }

    /** The cluster's name, as in its thread names ({@code drydock-<name>-...}). */
    public String name() {
        return name;
    }

    /** The seed of this cluster's random choices: pass it to {@link ClusterSpec#seed(long)} to replay a run. */
    public long seed() {
        return seed;
    }

    /** The API server's URL, e.g. {@code http://127.0.0.1:41234}. */
    public String apiUrl() {
        return http.url();
    }

    /** The port the API server listens on, on 127.0.0.1 (as in {@link #apiUrl()}). */
    public int port() {
        return http.port();
    }

    /** A kubeconfig file for this cluster (written on first call, deleted when the cluster closes). */
    public synchronized Path kubeconfig() {
        if (kubeconfig == null) {
            kubeconfig = Kubeconfigs.temporary("drydock-" + name + "-", this::writeKubeconfig);
        }
        return kubeconfig;
    }

    /** Writes a kubeconfig for this cluster to {@code file}, with a context named {@code drydock-<name>}. */
    public void writeKubeconfig(Path file) throws IOException {
        String context = "drydock-" + name;
        Kubeconfigs.write(file, context, apiUrl(), context, "drydock", null);
    }

    /** How many of pods' streams (logs, exec, attach, port-forward) are open now: for tests of their ends. */
    int openPodStreams() {
        return podStreams == null ? 0 : podStreams.openStreams();
    }

    /** An in-process client of this cluster's API, for tests that want no HTTP. */
    public KubeClient client() {
        return client;
    }

    /**
     * A client identity of this cluster, made on first use (the same one later): a kubeconfig and a client of its own,
     * whose requests are attributed to the network party {@code client:<name>}, so that faults can be aimed at it
     * ({@link #apiFaults()}) while the test's own requests still get through. {@link ClientIdentity#onNode(String)}
     * runs it on a node, whose partitions then cut it too.
     *
     * @throws IllegalArgumentException if the name is not a lowercase DNS-1123 name, e.g. {@code operator}
     */
    public ClientIdentity identity(String identityName) {
        ClientIdentity known = identities.get(identityName == null ? "" : identityName);
        if (known != null) {
            return known;
        }
        var id = api.identities().identity(identityName);
        return identities.computeIfAbsent(id.name(), n -> new ClientIdentity(id, name, this::apiUrl,
                api.transport(id.party(), network), network, () -> parties().nodes()));
    }

    /**
     * Faults of the API for one client identity or for all clients: errors, latency, ended or stalled watches,
     * stale lists. Each is recorded on the {@link #timeline()}.
     */
    public ApiFaults apiFaults() {
        return apiFaults;
    }

    /**
     * Faults of the network between the cluster's named parties ({@link Parties}): partitions, isolated parties,
     * one-way cuts, latency and loss on the store's links. Each returns a handle that heals it, and is recorded on the
     * {@link #timeline()}.
     *
     * <pre>{@code
     * try (NetworkFault f = cluster.networkFaults().partition(Parties.nodes("node-1"), Parties.controlPlane())) {
     *     ...
     * }
     * }</pre>
     */
    public NetworkFaults networkFaults() {
        return networkFaults;
    }

    /**
     * Cuts every link between two groups of parties, both ways: {@code networkFaults().partition(a, b)}, spelled as
     * the test reads it. Undo it with the returned handle (try-with-resources) or {@link #heal()}.
     *
     * <pre>{@code
     * try (NetworkFault split = cluster.partition(Parties.nodes("node-1"), Parties.controlPlane())) {
     *     ...
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException if a group is empty, names a party that does not exist (naming those that do),
     *                                  or shares a party with the other; nothing is cut then
     */
    public NetworkFault partition(Parties groupA, Parties groupB) {
        return networkFaults.partition(groupA, groupB);
    }

    /**
     * Cuts every link between two groups of parties named one by one, e.g.
     * {@code cluster.partition(List.of("node-1"), List.of("apiserver"))}: see {@link #partition(Parties, Parties)}.
     */
    public NetworkFault partition(Collection<String> groupA, Collection<String> groupB) {
        return networkFaults.partition(groupA, groupB);
    }

    /**
     * Cuts every link of one party, both ways ({@code networkFaults().isolate(party)}), e.g.
     * {@code cluster.isolate("node-1")} or {@code cluster.isolate("client:operator")}.
     *
     * @throws IllegalArgumentException if the party does not exist, naming those that do; nothing is cut then
     */
    public NetworkFault isolate(String party) {
        return networkFaults.isolate(party);
    }

    /**
     * Heals every network fault in force ({@code networkFaults().heal()}). Handles of healed faults stay safe to
     * close, so a try-with-resources block around a fault healed here ends quietly. API faults
     * ({@link #apiFaults()}), node freezes and container faults are healed by their own handles.
     */
    public void heal() {
        networkFaults.heal();
    }

    /**
     * Scheduled chaos: a fault every interval, drawn with its target from the cluster's {@link #seed()}, so that the
     * same seed replays the same faults in the same order on the same targets.
     *
     * <pre>{@code
     * try (ChaosSchedule s = cluster.chaos().every(Duration.ofSeconds(2))
     *         .pick(Chaos.isolateRandomNode(Duration.ofSeconds(1)), Chaos.crashRandomNode(Duration.ofSeconds(1)))) {
     *     ...
     * }
     * }</pre>
     */
    public Chaos chaos() {
        return chaos;
    }

    /**
     * Plain HTTP into the cluster's Service network, as the test (party {@code test}, outside the cluster) sends it:
     * Service DNS names ({@code web}, {@code web.default}, {@code web.default.svc},
     * {@code web.default.svc.cluster.local}; short names are of namespace {@code default}), ClusterIPs, pod IPs, a
     * headless Service's names (its ready pods) and {@code hostname.subdomain.ns.svc.cluster.local}. A Service's calls
     * are spread over its ready endpoints as kube-proxy spreads them (none ready: connection refused); every call
     * crosses {@code net} to the target pod's node, so partitions, latency and loss apply.
     *
     * <pre>{@code
     * ClusterHttp.Response r = cluster.http().get("http://web.default.svc.cluster.local/");
     * assertThat(r.status()).isEqualTo(200);
     * }</pre>
     *
     * @throws IllegalStateException for a cluster started with {@link ClusterSpec#apiServerOnly()}
     */
    public dev.drydock.runtime.ClusterHttp http() {
        if (serviceNetwork == null) {
            throw new IllegalStateException("cluster " + name + " runs the API server only: it has no pods to call");
        }
        return serviceNetwork.client(Network.TEST, "default");
    }

    /**
     * Opens a real TCP port on {@code 127.0.0.1} forwarding to a Service's port (opt-in, one per call), for tools
     * outside the JVM: each connection goes through kube-proxy to a ready endpoint and across {@code net}, as
     * {@link #http()} does. Closed with the cluster, or by its own {@code close()}.
     *
     * @throws IllegalArgumentException if there is no such Service, naming the namespace's Services
     */
    public LoopbackPort exposeService(String namespace, String service, int port) {
        http();
        if (client.find(Resource.SERVICES, namespace, service) == null) {
            List<String> names = client.items(Resource.SERVICES, namespace, null).stream().map(Json::name).toList();
            throw new IllegalArgumentException("no Service " + namespace + "/" + service + "; the Services of "
                    + namespace + ": " + names);
        }
        try {
            LoopbackPort exposed = new LoopbackPort(name, namespace, service, port, serviceNetwork);
            loopbackPorts.add(exposed);
            return exposed;
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a loopback port for service " + namespace + "/"
                    + service, e);
        }
    }

    /** {@link #http()} as a client identity sends it: from its party, so faults aimed at it (or its node) apply. */
    public dev.drydock.runtime.ClusterHttp http(ClientIdentity identity) {
        http();
        return serviceNetwork.client(identity.party(), "default");
    }

    /** The cluster's network, for tests of identities' links. */
    Network network() {
        return network;
    }

    /**
     * Starts recording every write of the cluster's store, each marked as a heartbeat or not, until the returned log
     * is closed: the check that a converged cluster writes nothing but its heartbeats.
     */
    public WriteLog recordWrites() {
        return new WriteLog(store, realClock);
    }

    /**
     * Waits until the cluster writes nothing but its heartbeats for {@code window}, and fails with the writes it saw
     * if that does not happen within {@code atMost}: the check that a converged cluster, your operator included, does
     * not write in a loop.
     *
     * <pre>{@code
     * cluster.awaitQuiet(Duration.ofSeconds(2), Duration.ofSeconds(30));
     * }</pre>
     *
     * @throws AssertionError if the cluster did not go quiet in time
     */
    public void awaitQuiet(Duration window, Duration atMost) {
        try (WriteLog writes = recordWrites()) {
            writes.awaitQuiet(window, atMost);
        }
    }

    /**
     * The store's replicas and their faults: stop and restart one, isolate the leader, partition them, lose the
     * quorum, heal. Each fault is recorded on the {@link #timeline()}.
     */
    public StoreHandle store() {
        return storeHandle;
    }

    /**
     * A pod by namespace and name, for faults of its containers:
     * {@code cluster.pod("default", "web-0").container("app").kill(137)}.
     *
     * @throws IllegalArgumentException if there is no such pod, naming the pods of the namespace
     */
    public PodHandle pod(String namespace, String podName) {
        PodHandle pod = new PodHandle(namespace, podName, client, this::node);
        pod.pod(); // it must exist now
        return pod;
    }

    /**
     * Starts checking an invariant over the cluster, continuously until the returned handle is closed: after every
     * write to the cluster's store and every few milliseconds of its clock, on a lane of the cluster's workers (see
     * {@link Invariant}). A violation is recorded on the {@link #timeline()}, and the handle's
     * {@link Invariant#close()} (or {@link Invariant#check()}) then fails with the invariant's name, when it broke, what
     * the API showed then and the timeline around it. The invariant is checked once at once, on the caller's thread.
     *
     * <pre>{@code
     * try (Invariant oneLeader = cluster.invariant("never two leaders", c -> leaders(c) <= 1)) {
     *     try (NetworkFault split = cluster.partition(Parties.nodes("node-1"), Parties.controlPlane())) {
     *         ...
     *     }
     * }
     * }</pre>
     *
     * @param name  what the invariant says, for the failure message and the timeline
     * @param holds whether it holds now; reads the cluster through its API ({@code c.client()})
     * @throws IllegalStateException if the cluster is closed
     */
    public Invariant invariant(String name, Predicate<DrydockCluster> holds) {
        Objects.requireNonNull(holds, "holds");
        return invariantSatisfying(name, c -> {
            if (!holds.test(c)) {
                throw new AssertionError("the check returned false");
            }
        });
    }

    /**
     * Starts checking an invariant written as assertions: violated whenever {@code check} throws. See
     * {@link #invariant(String, Predicate)}.
     *
     * <pre>{@code
     * try (Invariant i = cluster.invariantSatisfying("web keeps 2 available",
     *         c -> assertThat(c).deployment("web").hasAvailableReplicasAtLeast(2))) {
     *     cluster.node("node-2").crash();
     * }
     * }</pre>
     */
    public Invariant invariantSatisfying(String name, Invariant.Check check) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        if (closed) {
            throw new IllegalStateException("cluster " + this.name + " is closed: no invariant can be checked on it");
        }
        Invariant invariant = new Invariant(this, name, check, invariants);
        timeline.event("invariant", "checking \"" + name + "\"");
        invariant.checkOnce();
        invariants.add(invariant);
        return invariant;
    }

    /**
     * The invariants being checked now (opened with {@link #invariant} and not closed yet), oldest first: a test
     * framework closes those a test left open, which fails the test if one was violated.
     */
    public List<Invariant> invariants() {
        return invariants.open();
    }

    /** Whether the invariants are polled on a timer now (they are not on a manual clock): for tests. */
    boolean invariantsPolled() {
        return invariants.polling();
    }

    /** The names of the nodes running now (not crashed). */
    private List<String> runningNodes() {
        return nodes().stream().filter(NodeHandle::isRunning).map(NodeHandle::name).toList();
    }

    /** A node by name ({@code node-1}...). */
    public NodeHandle node(String nodeName) {
        NodeHandle n = nodes.get(nodeName);
        if (n == null) {
            throw new IllegalArgumentException("no node named '" + nodeName + "'; nodes are " + nodes.keySet());
        }
        return n;
    }

    /**
     * Every node of the cluster in the spec's order ({@code node-1} to {@code node-N}, or the named ones of
     * {@link ClusterSpec#nodes(NodeSpec...)}), crashed ones included (see
     * {@link NodeHandle#isRunning()}). The list is a snapshot; the handles are live.
     */
    public List<NodeHandle> nodes() {
        return List.copyOf(nodes.values());
    }

    /**
     * The timings this cluster runs on (from {@link ClusterSpec#timings(Timings)}): how often kubelets renew their
     * Leases and post status, how soon a silent node is {@code Unknown} and its pods evicted. Useful to size a wait,
     * e.g. {@code await().atMost(cluster.timings().nodeMonitorGracePeriod().multipliedBy(10))}.
     */
    public Timings timings() {
        return timings;
    }

    /**
     * The image registry this cluster's nodes pull from: mark an image missing or slow to pull, and register what an
     * image does, per cluster. What unknown images do is {@link ClusterSpec#unknownImages}.
     *
     * <pre>{@code
     * cluster.images().missing("shop/cart:2"); // its pods wait in ErrImagePull, then ImagePullBackOff
     * cluster.images().register("shop/cart:1", behaviour); // the fake runtime's ImageBehaviour, this cluster only
     * }</pre>
     */
    public ImageRegistry images() {
        return images;
    }

    /** The clock every component of this cluster reads (from {@link ClusterSpec#clock(Clock)}). */
    public Clock clock() {
        return clock;
    }

    /** Every fault and notable event of this cluster, in order. */
    public Timeline timeline() {
        return timeline;
    }

    /**
     * The API server's most recent error responses to the cluster's parties (nodes, controllers, identities, the
     * test), oldest first, faults' included: what a failing test's report lists.
     */
    public List<ApiErrors.ApiError> recentApiErrors() {
        return api.recentErrors().recent();
    }

    /** How many error responses the API server has given the cluster's parties in all. */
    long apiErrorCount() {
        return api.recentErrors().total();
    }

    /** A client of the API server itself, past every fault of the network and the API: for reports of the state. */
    KubeClient observer() {
        return new KubeClient(api);
    }

    /** A readable dump of the cluster's state: nodes, pods, recent events, the timeline. For failing tests. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append("drydock cluster ").append(name).append(" (seed ").append(seed).append(", API ")
                .append(http == null ? "-" : apiUrl()).append(")\n");
        try {
            s.append("nodes:\n");
            for (ObjectNode n : client.items(Resource.NODES, null, null)) {
                s.append("  ").append(Json.name(n)).append("  Ready=").append(Json.condition(n, "Ready")).append('\n');
            }
            s.append("pods:\n");
            for (ObjectNode p : client.items(Resource.PODS, null, null)) {
                s.append("  ").append(Json.key(p)).append("  ").append(Json.text(p, "status", "phase"))
                        .append("  node=").append(Json.text(p, "spec", "nodeName"))
                        .append(Json.isDeleting(p) ? "  (terminating)" : "").append('\n');
            }
            List<ObjectNode> events = client.items(Resource.EVENTS, null, null);
            events.sort(Comparator.comparing(e -> e.path("lastTimestamp").asText("")));
            s.append("events (last 40 of ").append(events.size()).append("):\n");
            for (ObjectNode e : events.subList(Math.max(0, events.size() - 40), events.size())) {
                s.append("  ").append(e.path("lastTimestamp").asText()).append("  ").append(e.path("type").asText())
                        .append("  ").append(e.path("reason").asText()).append("  ")
                        .append(e.path("involvedObject").path("kind").asText()).append('/')
                        .append(e.path("involvedObject").path("name").asText()).append("  ")
                        .append(e.path("message").asText()).append('\n');
            }
        } catch (ApiException | IllegalStateException e) {
            s.append("  (state unavailable: ").append(e.getMessage()).append(")\n");
        }
        s.append("timeline:\n").append(timeline.toString().indent(2));
        return s.toString();
    }

    /** Stops everything this cluster started: nodes, controllers, scheduler, API server, store, threads, files. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        invariants.stop();
        chaos.shutdown();
        if (compaction != null) {
            compaction.cancel();
        }
        nodes.values().forEach(NodeHandle::stop);
        closeRuntime();
        if (scheduler != null) {
            scheduler.close();
        }
        if (controllers != null) {
            controllers.close();
        }
        loopbackPorts.forEach(LoopbackPort::close);
        if (serviceNetwork != null) {
            serviceNetwork.close();
        }
        if (recorder != null) {
            recorder.close();
        }
        if (http != null) {
            http.close();
        }
        api.close();
        timers.close(); // waits for its timer thread
        if (apiTimer != null) {
            apiTimer.shutdownNow();
        }
        workers.shutdownNow();
        watchLanes.shutdownNow();
        store.close();
        try {
            // Terminated executors may still have threads on their way out: wait until they are gone.
            boolean stopped = workers.awaitTermination(5, TimeUnit.SECONDS);
            stopped &= watchLanes.awaitTermination(5, TimeUnit.SECONDS); // each waits even if the one before failed
            if (apiTimer != null) {
                stopped &= apiTimer.awaitTermination(5, TimeUnit.SECONDS);
                stopped &= apiTimerThreads.join(5_000);
            }
            stopped &= workerThreads.join(5_000);
            stopped &= watchThreads.join(5_000);
            if (!stopped) {
                LOG.warn("cluster {}: threads still running after close", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        identities.values().forEach(ClientIdentity::deleteFiles);
        synchronized (this) {
            if (kubeconfig != null) {
                try {
                    Files.deleteIfExists(kubeconfig);
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", kubeconfig, e.toString());
                }
            }
        }
    }
}

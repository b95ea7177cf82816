package dev.drydock.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.drydock.base.RankedTask;
import dev.drydock.runtime.ClusterRuntime;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.GrpcHealthClient;
import dev.drydock.runtime.NodeContext;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.channels.AsynchronousChannelGroup;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker runtime's share of one cluster: the engine connection, the links between its nodes (every pod's sandbox is
 * on the engine's default bridge, so pods reach each other by IP, and cuts are packet filters: {@link NodeLinks}), the
 * engine's container events (the kubelets' PLEG) and, at the end, the
 * removal of everything the cluster made. Everything it makes carries the {@link Labels}; what a killed JVM left
 * behind is removed when the next cluster on the same host opens.
 */
final class DockerCluster implements ClusterRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(DockerCluster.class);

    final Engine engine;
    final DockerClient docker;
    final URI host;
    final String cluster;
    final String instance;
    /**
     * The network of every pod: the engine's default bridge, on which a container starts as fast as a bare
     * {@code docker run} (one on a user-defined network starts about 100 ms later here: the engine sets up its
     * embedded DNS in each container, among others).
     */
    final String network = "bridge";
    /** {@code host:pid} of this JVM, on everything it makes. */
    final String owner;
    /** The sockets of forwarded ports: one thread for all of them, gone at close. */
    final AsynchronousChannelGroup sockets;
    /** The grpc probes' calls: one thread for all of them (started at the first), gone at close. */
    final GrpcHealthClient grpc;
    private final Map<String, DockerRuntime> nodes = new ConcurrentHashMap<>();
    /** The pods of each node on the network, and the cuts between nodes. */
    final NodeLinks links;
    /**
     * Where containers and the pods' sandboxes are created and started ({@link #startContainer},
     * {@link #startSandbox}): the engine takes hundreds of milliseconds for each, which must not hold the cluster's
     * workers. Bounded: the engine itself does little more at once on a small machine.
     */
    private final java.util.concurrent.ThreadPoolExecutor starts;
    /** The order of the starts queued with the same priority. */
    private final java.util.concurrent.atomic.AtomicLong startOrder = new java.util.concurrent.atomic.AtomicLong();
    /**
     * Where the nodes' warm sandboxes are started ({@link SandboxPool}): one at a time, off the lanes pods and nodes
     * need.
     */
    final java.util.concurrent.ExecutorService warm;
    /** How many warm sandboxes each node keeps ready ({@value DockerRuntime#WARM_SANDBOXES}). */
    private final int warmSandboxes;
    private final java.util.concurrent.atomic.AtomicInteger startsUnderWay =
            new java.util.concurrent.atomic.AtomicInteger();
    /** The pods' volumes, as host directories the engine bind-mounts. */
    final VolumeFiles volumes;
    private final Closeable events;

    private DockerCluster(Engine engine, String cluster) throws IOException {
        this.warmSandboxes = warmSandboxes(); // before anything is made: a bad setting leaves nothing behind
        this.engine = engine;
        this.docker = engine.docker();
        this.host = engine.host();
        this.cluster = cluster;
        this.grpc = new GrpcHealthClient(cluster); // no thread until a grpc probe runs
        this.instance = UUID.randomUUID().toString().substring(0, 12);
        this.owner = ownerId();
        removeLeftovers();
        ensurePauseImage();
        this.volumes = new VolumeFiles(java.nio.file.Files.createTempDirectory(VOLUMES_PREFIX
                + ProcessHandle.current().pid() + "-"));
        this.links = new NodeLinks(cluster, this::networkPid);
        try {
            checkNetwork();
            this.sockets = AsynchronousChannelGroup.withFixedThreadPool(1, r -> {
                Thread t = new Thread(r, "drydock-" + cluster + "-docker-ports");
                t.setDaemon(true);
                return t;
            });
        } catch (IOException | RuntimeException e) {
            links.close();
            volumes.close();
            throw e;
        }
        java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(8, 8, 10,
                TimeUnit.SECONDS, new java.util.concurrent.PriorityBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "drydock-" + cluster + "-docker-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true); // an idle cluster holds none
        this.starts = pool;
        java.util.concurrent.ThreadPoolExecutor warmLane = new java.util.concurrent.ThreadPoolExecutor(1, 1, 10,
                TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "drydock-" + cluster + "-docker-warm");
                    t.setDaemon(true);
                    return t;
                });
        warmLane.allowCoreThreadTimeOut(true);
        this.warm = warmLane;
        long since = System.currentTimeMillis() / 1000 - 1;
        this.events = docker.eventsCmd().withSince(Long.toString(since))
                .withEventTypeFilter(EventType.CONTAINER)
                .withLabelFilter(Map.of(Labels.INSTANCE, instance))
                .exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event event) {
                        dispatch(event);
                    }

                    @Override
                    public void onError(Throwable error) {
                        if (!closed) {
                            LOG.warn("cluster {}: the Docker engine's event stream failed ({}); pods on Docker no "
                                    + "longer hear that their containers exited", cluster, error.toString());
                        }
                    }
                });
    }

    private volatile boolean closed;
    /** The start of the name of each cluster's volume directory, before the owning process id. */
    private static final String VOLUMES_PREFIX = "drydock-docker-volumes-";

    /**
     * Connects to the engine at {@code DOCKER_HOST} (or the default socket) and sets up the cluster's share of it.
     *
     * @throws IllegalStateException if no engine answers there, naming the host it tried
     */
    static DockerCluster open(String cluster) {
        Engine engine = connect();
        DockerClient docker = engine.docker();
        URI host = engine.host();
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            closeQuietly(docker);
            throw new IllegalStateException("no Docker engine answers at " + host + " (from DOCKER_HOST, or the "
                    + "default socket): " + e.getMessage() + ". Start one (e.g. dockerd) or point DOCKER_HOST at it",
                    e);
        }
        try {
            return new DockerCluster(engine, cluster);
        } catch (IOException | RuntimeException e) {
            closeQuietly(docker);
            throw new IllegalStateException("the Docker engine at " + host + " could not set up cluster " + cluster
                    + ": " + e.getMessage(), e);
        }
    }

    /** A client of an engine, and where the engine is. */
    record Engine(DockerClient docker, DockerHttpClient http, URI host) {

        /**
         * Imports {@code rootfs} (a tar archive) as the image {@code name} ({@code docker import}). Sent with its
         * length: docker-java's own import streams the body, which the engine here cut short ("unexpected EOF").
         */
        void importImage(String name, byte[] rootfs) {
            int colon = name.lastIndexOf(':');
            String path = "/images/create?fromSrc=-&repo=" + java.net.URLEncoder.encode(name.substring(0, colon),
                    java.nio.charset.StandardCharsets.UTF_8) + "&tag=" + name.substring(colon + 1);
            DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.POST).path(path)
                    .putHeader("Content-Type", "application/x-tar").bodyBytes(rootfs).build();
            try (DockerHttpClient.Response response = http.execute(request)) {
                String body = new String(response.getBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (response.getStatusCode() != 200 || body.contains("\"error\"")) {
                    throw new IllegalStateException("importing the image " + name + " failed: "
                            + response.getStatusCode() + " " + body);
                }
            } catch (IOException e) {
                throw new IllegalStateException("importing the image " + name + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** A client of the engine at {@code DOCKER_HOST}, or the default socket; it does not connect yet. */
    static Engine connect() {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        DockerHttpClient http = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig()).maxConnections(64).connectionTimeout(Duration.ofSeconds(5))
                .build();
        return new Engine(DockerClientImpl.getInstance(config, http), http, config.getDockerHost());
    }

    @Override
    public ContainerRuntime node(NodeContext node) {
        DockerRuntime runtime = new DockerRuntime(this, node, warmSandboxes);
        links.node(node.node());
        nodes.put(node.node(), runtime);
        runtime.pool.refill();
        return runtime;
    }

    /** A node's runtime was closed (its node crashed or stopped). */
    void nodeClosed(DockerRuntime runtime) {
        nodes.remove(runtime.nodeName(), runtime);
    }

    /** The labels of everything this cluster makes. */
    Map<String, String> labels() {
        return Map.of(Labels.INSTANCE, instance, Labels.CLUSTER, cluster, Labels.OWNER, owner);
    }

    private void dispatch(Event event) {
        Map<String, String> attributes = event.getActor() == null ? null : event.getActor().getAttributes();
        if (attributes == null) {
            return;
        }
        DockerRuntime node = nodes.get(attributes.getOrDefault(Labels.NODE, ""));
        if (node != null) {
            String sandbox = attributes.containsKey(Labels.IS_SANDBOX) ? event.getId() : attributes.get(Labels.SANDBOX);
            node.containerChanged(sandbox, event.getId(), event.getAction());
        }
    }

    /** Pods on the default bridge must reach each other: said at warn when the engine forbids it. */
    private void checkNetwork() {
        Network bridge = docker.inspectNetworkCmd().withNetworkId(network).exec();
        Map<String, String> options = bridge.getOptions() == null ? Map.of() : bridge.getOptions();
        if ("false".equals(options.get("com.docker.network.bridge.enable_icc"))) {
            LOG.warn("cluster {}: the Docker engine at {} forbids traffic between containers on its default bridge "
                    + "(icc=false): pods on Docker cannot reach each other by IP", cluster, host);
        }
    }

    /** The pid of the process holding a sandbox's network namespace (its sandbox container's); 0 if none runs. */
    private long networkPid(String sandboxId) {
        try {
            Long pid = docker.inspectContainerCmd(sandboxId).exec().getState().getPidLong();
            return pid != null && pid > 0 ? pid : 0;
        } catch (NotFoundException gone) {
            return 0;
        }
    }

    /**
     * Runs a container's creation and start on the Docker lane, ahead of the sandboxes queued there: under a burst of
     * pods, a pod whose sandbox runs gets its container before more sandboxes are started, so pods become Running
     * one after another rather than all at the end (the engine does the same work either way).
     *
     * @throws java.util.concurrent.RejectedExecutionException if the cluster is closing
     */
    void startContainer(Runnable work) {
        starts.execute(new RankedTask(0, startOrder.incrementAndGet(), work)); // containers before sandboxes
    }

    /**
     * Runs a pod's sandbox's creation and start on the Docker lane, after the containers queued there.
     *
     * @throws java.util.concurrent.RejectedExecutionException if the cluster is closing
     */
    void startSandbox(Runnable work) {
        starts.execute(new RankedTask(1, startOrder.incrementAndGet(), work));
    }

    /** A container start (or a sandbox's) is under way in the engine: warm sandboxes wait for it to end. */
    void startBegan() {
        startsUnderWay.incrementAndGet();
    }

    /** A container start ended: once none is under way, the pools fill again. */
    void startEnded() {
        if (startsUnderWay.decrementAndGet() == 0) {
            nodes.values().forEach(n -> n.pool.startsIdle());
        }
    }

    /** How many container starts are under way in the engine. */
    int startsUnderWay() {
        return startsUnderWay.get();
    }

    @Override
    public void linksChanged(java.util.function.BiPredicate<String, String> reachable) {
        if (!closed) {
            links.changed(reachable);
        }
    }

    /** Imports the sandbox's pause image when the engine lacks it. */
    private void ensurePauseImage() {
        try {
            docker.inspectImageCmd(PauseImage.NAME).exec();
            return;
        } catch (NotFoundException absent) {
            // made below
        }
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        engine.importImage(PauseImage.NAME, PauseImage.rootfs(arch));
    }

    /**
     * Removes the containers and networks that a drydock JVM on this host left behind when it was killed before it
     * could close its clusters: those whose owning process is gone.
     */
    private void removeLeftovers() {
        String me = hostName() + ":";
        List<Container> containers = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(Labels.OWNER)).exec();
        for (Container c : containers) {
            String from = c.getLabels().getOrDefault(Labels.OWNER, "");
            if (from.startsWith(me) && !alive(from.substring(me.length()))) {
                LOG.info("removing container {} left by drydock process {}", c.getId(), from);
                removeContainer(c.getId());
            }
        }
        java.nio.file.Path tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
        try (java.util.stream.Stream<java.nio.file.Path> dirs = java.nio.file.Files.list(tmp)) {
            for (java.nio.file.Path d : dirs.filter(d -> d.getFileName().toString().startsWith(VOLUMES_PREFIX))
                    .toList()) {
                String pid = d.getFileName().toString().substring(VOLUMES_PREFIX.length()).split("-")[0];
                if (!alive(pid)) {
                    LOG.info("removing the volumes {} left by drydock process {}", d, pid);
                    new VolumeFiles(d).close();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not look for volume directories left in {}: {}", tmp, e.toString());
        }
        for (Network n : docker.listNetworksCmd().withFilter("label", List.of(Labels.OWNER)).exec()) {
            String from = n.getLabels() == null ? "" : n.getLabels().getOrDefault(Labels.OWNER, "");
            if (from.startsWith(me) && !alive(from.substring(me.length()))) {
                LOG.info("removing network {} left by drydock process {}", n.getName(), from);
                removeNetwork(n.getId());
            }
        }
    }

    /** {@value DockerRuntime#WARM_SANDBOXES}, or its default; 0 turns the warm pools off. */
    private static int warmSandboxes() {
        String value = System.getProperty(DockerRuntime.WARM_SANDBOXES);
        if (value == null || value.isBlank()) {
            return DockerRuntime.DEFAULT_WARM_SANDBOXES;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(DockerRuntime.WARM_SANDBOXES + " must be a number of sandboxes per node, "
                + "0 or more: got " + value);
    }

    private static boolean alive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not ours to judge
        }
    }

    /** Removes a container, whatever its state; a container already gone is fine. */
    void removeContainer(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException gone) {
            // removed already
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("already in progress")) {
                throw e;
            }
        }
    }

    private void removeNetwork(String id) {
        try {
            docker.removeNetworkCmd(id).exec();
        } catch (NotFoundException gone) {
            // removed already
        }
    }

    /** Removes every container this cluster made, then lets go of the engine. */
    @Override
    public void close() {
        closed = true;
        try {
            events.close();
        } catch (IOException e) {
            LOG.debug("closing the event stream: {}", e.toString());
        }
        links.close();
        starts.shutdownNow();
        nodes.values().forEach(n -> n.pool.close()); // a node whose runtime was not closed: its pool ends here
        warm.shutdown(); // not interrupted: a warm sandbox's creation cut short could leave it unknown to the removal

        try {
            if (!starts.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("cluster {}: container starts on Docker still under way after 10 s", cluster);
            }
            if (!warm.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("cluster {}: a warm sandbox's start on Docker still under way after 10 s", cluster);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RuntimeException failure = null;
        try {
            for (Container c : docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(Labels.INSTANCE, instance)).exec()) {
                try {
                    removeContainer(c.getId());
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            sockets.shutdownNow();
            if (!sockets.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("cluster {}: the Docker port-forward thread did not stop within 5 s", cluster);
            }
        } catch (IOException e) {
            LOG.warn("cluster {}: closing the Docker port-forward sockets failed: {}", cluster, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        grpc.close();
        try {
            volumes.close();
        } catch (RuntimeException e) {
            failure = failure != null ? failure : e;
        }
        closeQuietly(docker);
        if (failure != null) {
            throw new IllegalStateException("cluster " + cluster + ": could not remove all it made in the Docker engine "
                    + "at " + host + " (label " + Labels.INSTANCE + "=" + instance + "): " + failure.getMessage(),
                    failure);
        }
    }

    private static void closeQuietly(DockerClient docker) {
        try {
            docker.close();
        } catch (IOException e) {
            LOG.debug("closing the Docker client: {}", e.toString());
        }
    }

    private static String ownerId() {
        return hostName() + ":" + ProcessHandle.current().pid();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}

package dev.drydock.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.ContainerConfig;
import dev.drydock.runtime.ContainerEventListener;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.ContainerStatus;
import dev.drydock.runtime.GrpcHealthClient;
import dev.drydock.runtime.ImagePullListener;
import dev.drydock.runtime.LogOptions;
import dev.drydock.runtime.NodeContext;
import dev.drydock.runtime.PodSandboxConfig;
import dev.drydock.runtime.PodSandboxStatus;
import dev.drydock.runtime.ProcessIo;
import dev.drydock.runtime.RuntimeError;
import dev.drydock.runtime.StreamHandle;
import dev.drydock.runtime.StreamListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's containers as real Docker containers: a pod is a sandbox container (the {@link PauseImage}) holding the
 * pod's network namespace on the cluster's network, and its app containers join that namespace, as Kubernetes'
 * dockershim did, so the pod keeps its address while its containers restart. A pod takes a sandbox its node started
 * ahead of need ({@link SandboxPool}) unless it declares ports, which the engine publishes on 127.0.0.1 only and only
 * for a sandbox made for them. Closing it is the node's power cut: every container of the node is killed and removed
 * at once.
 */
final class DockerRuntime implements ContainerRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);
    private static final AtomicLong NAMES = new AtomicLong();

    /** The system property that sets how many warm sandboxes each node keeps ready ({@link SandboxPool}). */
    static final String WARM_SANDBOXES = "drydock.docker.warmSandboxes";
    /** How many warm sandboxes each node keeps ready by default. */
    static final int DEFAULT_WARM_SANDBOXES = 1;
    /**
     * The longest a grpc probe's call may last if its caller never cancels it. The prober cancels it when its attempt
     * times out (on the cluster's clock), so this bound is not the probe's timeout, only a guard for the socket.
     */
    static final java.time.Duration GRPC_CALL_BOUND = java.time.Duration.ofMinutes(2);

    /**
     * A sandbox as this runtime made it: whether it came from the node's warm pool (its containers' host name is then
     * set as they start), and its IP on the engine's bridge, which it keeps for its life.
     */
    static final class Sandbox {
        private final String id;
        private final PodSandboxConfig config;
        private final boolean warm;
        private volatile String ip;

        Sandbox(String id, PodSandboxConfig config, boolean warm) {
            this.id = id;
            this.config = config;
            this.warm = warm;
        }

        String id() {
            return id;
        }

        PodSandboxConfig config() {
            return config;
        }

        boolean warm() {
            return warm;
        }

        /** Its IP, or null if its container stopped before it was seen running. */
        String ip() {
            return ip;
        }
    }

    private final DockerCluster cluster;
    private final NodeContext node;
    private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
    /** The sandbox of each container this runtime created. */
    private final Map<String, String> sandboxOf = new ConcurrentHashMap<>();
    /**
     * The engine's view of a container right after this runtime started it, until the kubelet first asks for its
     * status (which then costs no second round trip); dropped by any later event of the container.
     */
    private final Map<String, InspectContainerResponse> justStarted = new ConcurrentHashMap<>();
    /** In {@link #justStarted} while the inspection after a start is under way. */
    private static final InspectContainerResponse INSPECTING = new InspectContainerResponse();
    /** Exit codes a test asked for with {@link #killContainer}, which Docker itself cannot give. */
    private final Map<String, Integer> killedWith = new ConcurrentHashMap<>();
    private volatile ContainerEventListener listener;
    private volatile boolean closed;
    /** The node's warm sandboxes. */
    final SandboxPool pool;

    DockerRuntime(DockerCluster cluster, NodeContext node, int warmSandboxes) {
        this.cluster = cluster;
        this.node = node;
        this.pool = new SandboxPool(cluster, node.node(), warmSandboxes);
    }

    String nodeName() {
        return node.node();
    }

    @Override
    public void setListener(ContainerEventListener listener) {
        this.listener = listener;
    }

    /** The engine says a container of this node changed state ({@code action}: the event's). */
    void containerChanged(String sandboxId, String containerId, String action) {
        if (!"create".equals(action) && !"start".equals(action)) {
            justStarted.remove(containerId); // what was seen right after its start may be stale now
        }
        ContainerEventListener l = listener;
        if (l != null && !closed && sandboxId != null && !pool.unclaimed(sandboxId)) {
            l.containerChanged(sandboxId, containerId);
        }
    }

    private Map<String, String> labels(PodSandboxConfig pod) {
        Map<String, String> labels = new HashMap<>(cluster.labels());
        labels.put(Labels.NODE, node.node());
        labels.put(Labels.POD, pod.namespace() + "/" + pod.name());
        labels.put(Labels.POD_UID, pod.uid());
        return labels;
    }

    private String name(PodSandboxConfig pod, String container) {
        String raw = "drydock-" + cluster.instance + "-" + node.node() + "-" + pod.namespace() + "-" + pod.name()
                + "-" + container + "-" + NAMES.incrementAndGet();
        return raw.replaceAll("[^a-zA-Z0-9_.-]", "_");
    }

    // ---- sandboxes

    /**
     * A warm sandbox of the node's pool when the pod declares no ports (the engine publishes ports only for a
     * container it creates), else one started for the pod, as when the pool is empty.
     */
    @Override
    public String runPodSandbox(PodSandboxConfig config) {
        String warm = claimWarm(config);
        if (warm != null) {
            return warm;
        }
        cluster.startBegan();
        try {
            return startSandbox(config);
        } finally {
            cluster.startEnded();
        }
    }

    /**
     * A warm sandbox is the pod's at once, on the caller's thread (no engine call but a rename on the warm lane);
     * one started for the pod is started on the cluster's Docker lane, beside the other pods' sandboxes and
     * containers, never on the caller's thread. A sandbox whose start ends after the node was closed is removed.
     */
    @Override
    public void runPodSandbox(PodSandboxConfig config, dev.drydock.runtime.PodSandboxListener listener) {
        if (closed) {
            listener.failed(new RuntimeError("CreatePodSandboxError", "node " + node.node() + " is gone"));
            return;
        }
        String warm;
        try {
            warm = claimWarm(config);
        } catch (RuntimeException e) {
            listener.failed(new RuntimeError("CreatePodSandboxError", String.valueOf(e.getMessage())));
            return;
        }
        if (warm != null) {
            listener.ready(warm);
            return;
        }
        cluster.startBegan();
        try {
            cluster.startSandbox(() -> {
                String id = null;
                RuntimeError failure = null;
                try {
                    id = startSandbox(config);
                } catch (RuntimeError e) {
                    failure = e;
                } catch (RuntimeException e) { // the engine's transport failed
                    failure = new RuntimeError("CreatePodSandboxError", String.valueOf(e.getMessage()));
                } finally {
                    cluster.startEnded();
                }
                if (id != null && closed) { // the node's power was cut meanwhile: nothing of it outlives it
                    removeSandboxQuietly(id);
                    id = null;
                    failure = new RuntimeError("CreatePodSandboxError", "node " + node.node() + " is gone");
                }
                if (id != null) {
                    listener.ready(id);
                } else {
                    listener.failed(failure);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            cluster.startEnded();
            listener.failed(new RuntimeError("CreatePodSandboxError", "the cluster is closing"));
        }
    }

    /** The sandbox of a pod that declares no ports, claimed from the node's warm pool; null if none is ready. */
    private String claimWarm(PodSandboxConfig config) {
        if (!config.portMappings().isEmpty()) {
            return null;
        }
        SandboxPool.Warm warm = pool.claim();
        if (warm == null) {
            return null;
        }
        Sandbox sandbox = new Sandbox(warm.id(), config, true);
        sandboxes.put(warm.id(), sandbox);
        pool.adopt(warm, hostname(config), name(config, "sandbox"));
        sandbox.ip = warm.ip();
        cluster.links.joined(node.node(), warm.id(), warm.ip(), warm.pid());
        return warm.id();
    }

    private void removeQuietly(String container) {
        try {
            cluster.removeContainer(container);
        } catch (RuntimeException e) {
            LOG.debug("node {}: removing {} failed: {}", node.node(), container, e.toString());
        }
    }

    private void removeContainerQuietly(String id) {
        try {
            removeContainer(id);
        } catch (RuntimeException e) {
            LOG.debug("node {}: removing container {} failed: {}", node.node(), id, e.toString());
        }
    }

    private void removeSandboxQuietly(String id) {
        try {
            removePodSandbox(id);
        } catch (RuntimeException e) {
            LOG.debug("node {}: removing sandbox {} failed: {}", node.node(), id, e.toString());
        }
    }

    private String startSandbox(PodSandboxConfig config) {
        Map<String, String> labels = labels(config);
        labels.put(Labels.IS_SANDBOX, "true");
        String id;
        String name = name(config, "sandbox");
        try {
            id = cluster.docker.createContainerCmd(PauseImage.NAME).withName(name)
                    .withEntrypoint("/pause").withLabels(labels).withHostName(hostname(config))
                    .withExposedPorts(exposed(config))
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode(cluster.network)
                            .withPortBindings(published(config)))
                    .exec().getId();
        } catch (DockerException e) {
            removeQuietly(name); // the engine may have made it all the same (a call cut short): by its name
            throw new RuntimeError("CreatePodSandboxError", "failed to create sandbox container: " + e.getMessage());
        }
        Sandbox sandbox = new Sandbox(id, config, false);
        sandboxes.put(id, sandbox);
        try {
            cluster.docker.startContainerCmd(id).exec();
            joined(sandbox, cluster.docker.inspectContainerCmd(id).exec());
        } catch (DockerException e) { // nothing of a sandbox that failed is left
            removeSandboxQuietly(id);
            throw new RuntimeError("CreatePodSandboxError", "failed to start sandbox container " + id + ": "
                    + e.getMessage());
        }
        return id;
    }

    /**
     * The sandbox's network namespace runs (its container, as {@code inspected} shows it): its address is the
     * engine's, and the cuts of its node apply to it.
     */
    private void joined(Sandbox sandbox, InspectContainerResponse inspected) {
        com.github.dockerjava.api.model.ContainerNetwork on = inspected.getNetworkSettings() == null
                || inspected.getNetworkSettings().getNetworks() == null ? null
                : inspected.getNetworkSettings().getNetworks().get(cluster.network);
        Long pid = inspected.getState().getPidLong();
        if (on == null || on.getIpAddress() == null || on.getIpAddress().isEmpty() || pid == null || pid <= 0) {
            return; // it stopped already: no address, nothing to filter
        }
        sandbox.ip = on.getIpAddress();
        cluster.links.joined(node.node(), sandbox.id(), sandbox.ip, pid);
    }

    private static String hostname(PodSandboxConfig config) {
        return config.name().length() > 63 ? config.name().substring(0, 63) : config.name();
    }

    private static List<ExposedPort> exposed(PodSandboxConfig config) {
        List<ExposedPort> exposed = new ArrayList<>();
        for (PodSandboxConfig.PortMapping p : config.portMappings()) {
            ExposedPort port = new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol()));
            if (!exposed.contains(port)) {
                exposed.add(port);
            }
        }
        return exposed;
    }

    /** The pod's declared ports, published on 127.0.0.1 only (on a port the engine picks). */
    private static Ports published(PodSandboxConfig config) {
        Ports bindings = new Ports();
        exposed(config).forEach(p -> bindings.bind(p, Ports.Binding.bindIp("127.0.0.1")));
        return bindings;
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        for (String id : containerIds(sandboxId)) {
            kill(id);
        }
        kill(sandboxId);
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        for (String id : containerIds(sandboxId)) {
            cluster.removeContainer(id);
        }
        cluster.removeContainer(sandboxId);
        sandboxOf.values().removeIf(sandboxId::equals);
        cluster.volumes.removeSandbox(sandboxId);
        sandboxes.remove(sandboxId);
        cluster.links.left(sandboxId);
    }

    @Override
    public PodSandboxStatus podSandboxStatus(String sandboxId) {
        Sandbox s = sandboxes.get(sandboxId);
        if (s == null) {
            return null;
        }
        ContainerStatus status = containerStatus(sandboxId);
        return status == null ? null : new PodSandboxStatus(sandboxId,
                status.state() == ContainerStatus.State.RUNNING, s.ip());
    }

    /** The sandbox as this runtime made it, or null. */
    Sandbox sandbox(String sandboxId) {
        return sandboxes.get(sandboxId);
    }

    private List<String> containerIds(String sandboxId) {
        List<String> ids = new ArrayList<>();
        for (Container c : cluster.docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.INSTANCE, cluster.instance, Labels.SANDBOX, sandboxId)).exec()) {
            ids.add(c.getId());
        }
        return ids;
    }

    private void kill(String id) {
        try {
            cluster.docker.killContainerCmd(id).withSignal("KILL").exec();
        } catch (NotFoundException | ConflictException gone) {
            // not running, or gone: stopped already
        }
    }

    // ---- images

    @Override
    public boolean imagePresent(String image) {
        try {
            cluster.docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public void pullImage(String image, ImagePullListener pulled) {
        node.workers().execute(() -> {
            try {
                cluster.docker.pullImageCmd(image).start().awaitCompletion();
                long size = 0;
                try {
                    Long s = cluster.docker.inspectImageCmd(image).exec().getSize();
                    size = s == null ? 0 : s;
                } catch (NotFoundException e) {
                    // reported as 0 bytes
                }
                pulled.pulled(image, size);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pulled.failed(new RuntimeError("ErrImagePull", "pulling " + image + " was interrupted"));
            } catch (RuntimeException e) {
                pulled.failed(new RuntimeError("ErrImagePull", "failed to pull and unpack image \"" + image
                        + "\": " + e.getMessage()));
            }
        });
    }

    // ---- containers

    @Override
    public String createContainer(String sandboxId, ContainerConfig config) {
        Sandbox sandbox = sandboxes.get(sandboxId);
        if (sandbox == null) {
            throw new RuntimeError("CreateContainerError", "no sandbox " + sandboxId + " on node " + node.node());
        }
        Map<String, String> labels = labels(sandbox.config());
        labels.put(Labels.CONTAINER, config.name());
        labels.put(Labels.SANDBOX, sandboxId);
        List<String> env = new ArrayList<>();
        if (sandbox.warm() && !config.env().containsKey("HOSTNAME")) {
            env.add("HOSTNAME=" + hostname(sandbox.config())); // the engine would give the warm sandbox's
        }
        config.env().forEach((k, v) -> env.add(k + "=" + v));
        CreateContainerCmd create = cluster.docker.createContainerCmd(config.image())
                .withName(name(sandbox.config(), config.name())).withLabels(labels).withEnv(env)
                .withTty(config.tty()).withStdinOpen(config.stdin()).withStdInOnce(config.stdinOnce());
        List<com.github.dockerjava.api.model.Bind> binds = cluster.volumes.binds(sandboxId, config.name(),
                config.mounts());
        HostConfig host = HostConfig.newHostConfig().withBinds(binds);
        long memory = config.resources().memoryLimitBytes();
        if (memory > 0) {
            host.withMemory(memory).withMemorySwap(memory); // no swap: over the limit is the OOM killer's
        }
        if (config.resources().cpuLimitMillis() > 0) {
            host.withNanoCPUs(config.resources().cpuLimitMillis() * 1_000_000L);
        }
        create.withHostConfig(host.withNetworkMode("container:" + sandboxId));
        // kube's rule: command replaces the image's entrypoint (and drops its CMD), args replace its CMD
        if (!config.command().isEmpty()) {
            create.withEntrypoint(config.command()).withCmd(config.args());
        } else if (!config.args().isEmpty()) {
            create.withCmd(config.args());
        }
        try {
            String id = create.exec().getId();
            sandboxOf.put(id, sandboxId);
            cluster.volumes.created(id, sandboxId, config.name(), config.mounts(), binds);
            return id;
        } catch (NotFoundException e) {
            throw new RuntimeError("CreateContainerError", "image " + config.image() + " is not on node "
                    + node.node() + ": " + e.getMessage());
        } catch (DockerException e) {
            throw new RuntimeError("CreateContainerError", e.getMessage());
        }
    }

    /**
     * Creates and starts the container on the cluster's Docker lane, never on the caller's thread. The listener hears
     * it created beside the start rather than before it (the kubelet records an event then, an API write that need
     * not hold the engine's start back), and started only once it heard created.
     */
    @Override
    public void createAndStartContainer(String sandboxId, ContainerConfig config,
                                        dev.drydock.runtime.ContainerStartListener listener) {
        cluster.startBegan();
        try {
            cluster.startContainer(() -> {
                try {
                    createAndStart(sandboxId, config, listener);
                } finally {
                    cluster.startEnded();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            cluster.startEnded();
            listener.failed(null, new RuntimeError("CreateContainerError", "the cluster is closing"));
        }
    }

    private void createAndStart(String sandboxId, ContainerConfig config,
                                dev.drydock.runtime.ContainerStartListener listener) {
        if (closed) { // the node's power was cut while this waited in line: nothing of it may start now
            listener.failed(null, new RuntimeError("CreateContainerError", "node " + node.node() + " is gone"));
            return;
        }
        String id;
        try {
            id = createContainer(sandboxId, config);
        } catch (RuntimeError e) {
            listener.failed(null, e);
            return;
        } catch (RuntimeException e) { // the engine's transport failed
            listener.failed(null, new RuntimeError("CreateContainerError", String.valueOf(e.getMessage())));
            return;
        }
        Runnable created = once(() -> listener.created(id));
        try {
            node.workers().execute(created);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // heard below, on this thread
        }
        RuntimeError failure = null;
        try {
            startContainer(id);
        } catch (RuntimeError e) {
            failure = e;
        } catch (RuntimeException e) { // the transport failed: the sandbox's removal takes the rest
            failure = new RuntimeError("RunContainerError", String.valueOf(e.getMessage()));
        }
        created.run(); // heard here unless a worker heard it already; returns once it was heard
        if (closed) { // the node's power was cut meanwhile: its container does not outlive it
            removeContainerQuietly(id);
            failure = new RuntimeError("RunContainerError", "node " + node.node() + " is gone");
        }
        if (failure != null) {
            listener.failed(id, failure);
        } else {
            listener.started(id);
        }
    }

    /**
     * {@code action} run by the first caller of the result; a later caller returns once the first one's run ended (so
     * whoever returns from it knows the action happened).
     */
    private static Runnable once(Runnable action) {
        java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
        return () -> {
            if (claimed.compareAndSet(false, true)) {
                try {
                    action.run();
                } finally {
                    ran.countDown();
                }
                return;
            }
            try {
                ran.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Override
    public void startContainer(String containerId) {
        try {
            cluster.docker.startContainerCmd(containerId).exec();
        } catch (DockerException e) {
            throw new RuntimeError("RunContainerError", e.getMessage());
        }
        String sandboxId = sandboxOf.get(containerId);
        Sandbox sandbox = sandboxId == null ? null : sandboxes.get(sandboxId);
        if (sandbox != null && sandbox.warm()) { // the engine gave it the warm sandbox's host name: the pod's now
            InspectContainerResponse inspected;
            justStarted.put(containerId, INSPECTING); // an event from now on drops what the inspection sees
            try {
                inspected = cluster.docker.inspectContainerCmd(containerId).exec();
            } catch (NotFoundException gone) {
                justStarted.remove(containerId);
                return; // removed meanwhile: its status says so
            }
            justStarted.replace(containerId, INSPECTING, inspected);
            Long pid = inspected.getState().getPidLong();
            if (pid != null && pid > 0) {
                Hostnames.set(pid, hostname(sandbox.config()));
            }
        }
    }

    @Override
    public void stopContainer(String containerId, long timeoutSeconds) {
        stopContainer(containerId, java.time.Duration.ofSeconds(Math.max(0, timeoutSeconds)));
    }

    /**
     * CRI's StopContainer without holding the caller: SIGTERM now, SIGKILL once {@code timeout} has passed on the
     * cluster's clock if the container still runs; the engine's event tells the kubelet when it exited.
     */
    @Override
    public void stopContainer(String containerId, java.time.Duration timeout) {
        try {
            cluster.docker.killContainerCmd(containerId).withSignal("TERM").exec();
        } catch (NotFoundException | ConflictException stopped) {
            return; // exited or gone already
        }
        try {
            node.timer().schedule(() -> node.workers().execute(() -> kill(containerId)),
                    Math.max(0, timeout.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            kill(containerId); // the cluster is closing: no grace left
        }
    }

    @Override
    public void updateMounts(String containerId, List<dev.drydock.runtime.Mount> mounts) {
        cluster.volumes.update(containerId, mounts);
    }

    /** The container's usage now, from the engine's one-shot stats; null if it does not run. */
    @Override
    public dev.drydock.runtime.ContainerStats containerStats(String containerId) {
        com.github.dockerjava.api.model.Statistics stats;
        try (com.github.dockerjava.core.InvocationBuilder.AsyncResultCallback<com.github.dockerjava.api.model.Statistics>
                     callback = new com.github.dockerjava.core.InvocationBuilder.AsyncResultCallback<>()) {
            cluster.docker.statsCmd(containerId).withNoStream(true).exec(callback);
            stats = callback.awaitResult();
        } catch (NotFoundException | java.io.IOException e) {
            return null;
        }
        if (stats == null || stats.getMemoryStats() == null || stats.getCpuStats() == null
                || stats.getCpuStats().getCpuUsage() == null) {
            return null;
        }
        long memory = stats.getMemoryStats().getUsage() == null ? 0 : stats.getMemoryStats().getUsage();
        long cpuTotal = stats.getCpuStats().getCpuUsage().getTotalUsage() == null ? 0
                : stats.getCpuStats().getCpuUsage().getTotalUsage();
        long nanoCores = 0;
        if (stats.getPreCpuStats() != null && stats.getPreCpuStats().getCpuUsage() != null
                && stats.getPreCpuStats().getCpuUsage().getTotalUsage() != null
                && stats.getCpuStats().getSystemCpuUsage() != null
                && stats.getPreCpuStats().getSystemCpuUsage() != null) {
            long cpuDelta = cpuTotal - stats.getPreCpuStats().getCpuUsage().getTotalUsage();
            long systemDelta = stats.getCpuStats().getSystemCpuUsage() - stats.getPreCpuStats().getSystemCpuUsage();
            long cpus = stats.getCpuStats().getOnlineCpus() == null ? 1 : stats.getCpuStats().getOnlineCpus();
            if (systemDelta > 0) {
                nanoCores = (long) ((double) cpuDelta / systemDelta * cpus * 1e9);
            }
        }
        return new dev.drydock.runtime.ContainerStats(containerId, node.clock().now(), nanoCores, cpuTotal, memory);
    }

    @Override
    public void removeContainer(String containerId) {
        cluster.removeContainer(containerId);
        justStarted.remove(containerId);
        killedWith.remove(containerId);
        sandboxOf.remove(containerId);
        cluster.volumes.removed(containerId);
    }

    @Override
    public ContainerStatus containerStatus(String containerId) {
        InspectContainerResponse c = justStarted.remove(containerId);
        if (c == INSPECTING) {
            c = null;
        }
        try {
            if (c == null) {
                c = cluster.docker.inspectContainerCmd(containerId).exec();
            }
        } catch (NotFoundException e) {
            return null;
        }
        InspectContainerResponse.ContainerState s = c.getState();
        String status = s.getStatus() == null ? "" : s.getStatus();
        ContainerStatus.State state = switch (status) {
            case "created" -> ContainerStatus.State.CREATED;
            case "running", "paused", "restarting" -> ContainerStatus.State.RUNNING;
            case "exited", "dead" -> ContainerStatus.State.EXITED;
            default -> ContainerStatus.State.UNKNOWN;
        };
        int exit = s.getExitCodeLong() == null ? 0 : s.getExitCodeLong().intValue();
        exit = killedWith.getOrDefault(containerId, exit);
        String reason = null;
        if (state == ContainerStatus.State.EXITED) {
            reason = Boolean.TRUE.equals(s.getOOMKilled()) ? "OOMKilled" : exit == 0 ? "Completed" : "Error";
        }
        String name = c.getConfig().getLabels() == null ? c.getName()
                : c.getConfig().getLabels().getOrDefault(Labels.CONTAINER, c.getName());
        return new ContainerStatus(containerId, name, c.getConfig().getImage(), state, time(c.getCreated()),
                time(s.getStartedAt()), state == ContainerStatus.State.EXITED ? time(s.getFinishedAt()) : null,
                exit, reason);
    }

    @Override
    public List<ContainerStatus> listContainers(String sandboxId) {
        List<ContainerStatus> all = new ArrayList<>();
        for (String id : containerIds(sandboxId)) {
            ContainerStatus s = containerStatus(id);
            if (s != null) {
                all.add(s);
            }
        }
        return all;
    }

    /** Docker's RFC 3339 time, or null for its zero time ({@code 0001-01-01T00:00:00Z}: never). */
    private static Instant time(String text) {
        if (text == null || text.isEmpty() || text.startsWith("0001-")) {
            return null;
        }
        return Instant.parse(text);
    }

    // ---- faults

    @Override
    public void killContainer(String containerId, int exitCode) {
        try {
            killedWith.put(containerId, exitCode);
            cluster.docker.killContainerCmd(containerId).withSignal("KILL").exec();
        } catch (NotFoundException e) {
            killedWith.remove(containerId);
            throw new RuntimeError("NotFound", "no container " + containerId + " on node " + node.node());
        } catch (ConflictException e) {
            killedWith.remove(containerId);
            throw new RuntimeError("NotRunning", "container " + containerId + " is not running: " + e.getMessage());
        }
    }

    @Override
    public void pauseContainer(String containerId) {
        try {
            cluster.docker.pauseContainerCmd(containerId).exec();
        } catch (NotFoundException e) {
            throw new RuntimeError("NotFound", "no container " + containerId + " on node " + node.node());
        } catch (ConflictException e) {
            if (!String.valueOf(e.getMessage()).contains("already paused")) {
                throw new RuntimeError("NotRunning", "container " + containerId + " is not running: "
                        + e.getMessage());
            }
        }
    }

    @Override
    public void resumeContainer(String containerId) {
        try {
            cluster.docker.unpauseContainerCmd(containerId).exec();
        } catch (NotFoundException | ConflictException e) {
            // not paused, or gone: nothing to resume
        }
    }

    // ---- streams

    @Override
    public StreamHandle exec(String containerId, List<String> command, ProcessIo io) {
        return DockerStreams.exec(cluster.docker, containerId, command, io);
    }

    @Override
    public StreamHandle attach(String containerId, ProcessIo io) {
        return DockerStreams.attach(cluster.docker, containerId, io);
    }

    @Override
    public StreamHandle readLog(String containerId, LogOptions options, ByteSink out, StreamListener done) {
        return DockerStreams.readLog(cluster.docker, containerId, options, out, done);
    }

    @Override
    public StreamHandle portForward(String sandboxId, int port, ByteSink toClient, StreamListener done) {
        Sandbox sandbox = sandboxes.get(sandboxId);
        if (sandbox == null) {
            throw new RuntimeError("NotFound", "no sandbox " + sandboxId + " on node " + node.node());
        }
        if (sandbox.ip() == null) {
            throw new RuntimeError("NotFound", "the sandbox of pod " + sandbox.config().namespace() + "/"
                    + sandbox.config().name() + " has no IP");
        }
        // Straight to the pod's IP on the cluster's network, as the kubelet dials a pod: a port nothing serves is
        // refused (a published loopback port would be accepted by Docker's proxy whatever the pod serves).
        try {
            return PortStream.connect(cluster.sockets, new java.net.InetSocketAddress(sandbox.ip(), port), toClient,
                    done);
        } catch (PortStream.UncheckedIOExceptionWrapper e) {
            throw new RuntimeError("PortForwardError", e.getMessage());
        }
    }

    /**
     * gRPC's health check ({@link GrpcHealthClient}: HTTP/2 without TLS, one connection per call), dialled at the
     * pod's address as the kubelet's grpc probe dials it. Cancelling the returned stage (the prober does when its
     * attempt ends, on the cluster's clock) closes the connection; {@link #GRPC_CALL_BOUND} only ends a call that
     * nobody cancels.
     */
    @Override
    public java.util.concurrent.CompletionStage<String> grpcHealthCheck(String sandboxId, int port, String service) {
        Sandbox sandbox = sandboxes.get(sandboxId);
        if (sandbox == null || sandbox.ip() == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new RuntimeError("Unavailable", "no sandbox "
                    + sandboxId + " with an address on node " + node.node()));
        }
        return cluster.grpc.check(new java.net.InetSocketAddress(sandbox.ip(), port), service, GRPC_CALL_BOUND);
    }

    /** The power cut: every container of this node is killed and removed at once. */
    @Override
    public void close() {
        closed = true;
        cluster.nodeClosed(this);
        pool.close();
        try {
            for (Container c : cluster.docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(Labels.INSTANCE, cluster.instance, Labels.NODE, node.node())).exec()) {
                cluster.removeContainer(c.getId());
            }
        } catch (RuntimeException e) {
            LOG.warn("node {}: removing its Docker containers failed: {}", node.node(), e.toString());
        }
        sandboxes.keySet().forEach(cluster.links::left);
        sandboxes.clear();
        justStarted.clear();
    }
}

package dev.drydock.fake;

import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.ContainerConfig;
import dev.drydock.runtime.ContainerEventListener;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.ContainerStats;
import dev.drydock.runtime.ContainerStatus;
import dev.drydock.runtime.ImagePullListener;
import dev.drydock.runtime.LogOptions;
import dev.drydock.runtime.NodeContext;
import dev.drydock.runtime.PodSandboxConfig;
import dev.drydock.runtime.PodSandboxStatus;
import dev.drydock.runtime.ProcessIo;
import dev.drydock.runtime.RuntimeError;
import dev.drydock.runtime.StreamHandle;
import dev.drydock.runtime.StreamListener;
import dev.drydock.runtime.UnknownImages;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One node's in-memory runtime. A sandbox is an IP from the node's pod network; a container runs its image's
 * {@link ImageBehaviour}: its main {@link Program} (by default the built-in commands, or a sleeper), the commands
 * exec runs, the ports it serves. What a container writes is its log. It owns no thread: programs, log readers and
 * forwarded connections run on lanes of the node's shared workers, and their timers on the cluster's timer.
 */
final class FakeRuntime implements ContainerRuntime {

    private static final class Sandbox {
        final PodSandboxConfig config;
        final String ip;
        final List<String> containers = new ArrayList<>();
        /** The pod's own directories (emptyDir), by volume name, shared by its containers. */
        final Map<String, Map<String, byte[]>> directories = new ConcurrentHashMap<>();
        boolean ready = true;

        Sandbox(PodSandboxConfig config, String ip) {
            this.config = config;
            this.ip = ip;
        }
    }

    /** A container: its status, its main program while it runs, its log, and the streams open into it. */
    private final class Container {
        final String id;
        final String sandboxId;
        final ContainerConfig config;
        final ImageBehaviour behaviour;
        final List<String> argv;
        /** The pod's namespace, and the cluster's network as the pod calls it. */
        final String namespace;
        final dev.drydock.runtime.ClusterHttp http;
        final ContainerLog log = new ContainerLog(FakeRuntime.this.node.clock());
        final Set<Exec> execs = ConcurrentHashMap.newKeySet();
        final Set<Attach> attached = ConcurrentHashMap.newKeySet();
        final Set<PortConnection> connections = ConcurrentHashMap.newKeySet();
        final Set<ContainerLog.Reader> readers = ConcurrentHashMap.newKeySet();
        final ContainerFiles files;
        final ContainerUsage usage;
        volatile ContainerStatus status;
        volatile ProgramRunner main;
        /** Paused ({@link #pauseContainer}): its processes and connections are frozen. Guarded by the runtime. */
        boolean paused;

        Container(String id, Sandbox sandbox, String sandboxId, ContainerConfig config) {
            this.id = id;
            this.sandboxId = sandboxId;
            this.config = config;
            this.files = new ContainerFiles(config.mounts(), volume -> sandbox.directories.computeIfAbsent(volume,
                    v -> new java.util.concurrent.ConcurrentSkipListMap<>()));
            this.usage = new ContainerUsage(id, FakeRuntime.this.node.clock(), config.resources().cpuLimitMillis(),
                    config.resources().memoryLimitBytes());
            this.behaviour = FakeImages.behaviour(node.images(), config.image());
            List<String> a = new ArrayList<>(config.command());
            a.addAll(config.args());
            this.argv = List.copyOf(a);
            Sandbox s = sandboxes.get(sandboxId);
            this.namespace = s == null ? "default" : s.config.namespace();
            this.http = node.http().inNamespace(namespace);
        }

        boolean running() {
            return status.state() == ContainerStatus.State.RUNNING;
        }
    }

    /** An attached client: the main program's output from now on, and its stdin if the container keeps one. */
    private record Attach(ProcessIo io) {
    }

    /** A command exec runs in a container, and its client. */
    private record Exec(ProgramRunner runner, ProcessIo io) {
    }

    private final NodeContext node;
    private final Map<String, Sandbox> sandboxes = new LinkedHashMap<>();
    private final Map<String, Container> containers = new LinkedHashMap<>();
    private final String ipBase;
    private final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
    private ContainerEventListener listener = (s, c) -> { };
    /** The images this node pulled (a node that boots again starts without them). */
    private final Set<String> pulledImages = new java.util.HashSet<>();
    /** The slow pulls under way, cancelled when the node goes. */
    private final Set<java.util.concurrent.ScheduledFuture<?>> pulls = new java.util.HashSet<>();
    private int nextIp = 2;
    private int nextId;
    private boolean closed;

    FakeRuntime(NodeContext node) {
        this.node = node;
        String cidr = node.podCidr() == null ? "10.244.0.0/24" : node.podCidr();
        this.ipBase = cidr.substring(0, cidr.lastIndexOf('.') + 1);
    }

    @Override
    public synchronized void setListener(ContainerEventListener listener) {
        this.listener = listener;
    }

    @Override
    public synchronized String runPodSandbox(PodSandboxConfig config) {
        checkOpen();
        String id = "sandbox-" + node.node() + "-" + ++nextId;
        sandboxes.put(id, new Sandbox(config, freeIp()));
        return id;
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        List<Container> stopped = new ArrayList<>();
        synchronized (this) {
            Sandbox s = sandboxes.get(sandboxId);
            if (s == null) {
                return;
            }
            for (String c : s.containers) {
                Container container = containers.get(c);
                if (container != null && container.running()) {
                    exited(container, 137, "Error");
                    stopped.add(container);
                }
            }
            s.ready = false;
        }
        stopped.forEach(this::afterExit);
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        List<Container> removed = new ArrayList<>();
        synchronized (this) {
            Sandbox s = sandboxes.remove(sandboxId);
            if (s == null) {
                return;
            }
            for (String c : s.containers) {
                Container container = containers.remove(c);
                if (container != null) {
                    if (container.running()) {
                        exited(container, 137, "Error");
                    }
                    removed.add(container);
                }
            }
        }
        for (Container c : removed) {
            afterExit(c);
            c.readers.forEach(ContainerLog.Reader::end);
        }
    }

    @Override
    public synchronized PodSandboxStatus podSandboxStatus(String sandboxId) {
        Sandbox s = sandboxes.get(sandboxId);
        return s == null ? null : new PodSandboxStatus(sandboxId, s.ready, s.ip);
    }

    // ---- images

    @Override
    public synchronized boolean imagePresent(String image) {
        return pulledImages.contains(image);
    }

    /**
     * Pulls from the cluster's {@link dev.drydock.runtime.ImageRegistry}: an image exists if the test did not mark it
     * missing and it is known ({@link FakeImages#isKnown}) or the cluster runs unknown images as sleepers. The pull
     * takes what {@code slowPull} set, on the cluster's clock, holding no thread meanwhile.
     */
    @Override
    public void pullImage(String image, ImagePullListener listener) {
        synchronized (this) {
            checkOpen();
        }
        dev.drydock.runtime.ImageRegistry registry = node.images();
        java.time.Duration took = registry.pullTime(image);
        Runnable end = () -> {
            boolean exists = !registry.isMissing(image) && (FakeImages.isKnown(registry, image)
                    || registry.unknownImages() == UnknownImages.SLEEP);
            synchronized (this) {
                if (closed) {
                    return; // the node is gone: nobody waits for it
                }
                if (exists) {
                    pulledImages.add(image);
                }
            }
            if (exists) {
                listener.pulled(image, imageSize(image));
            } else {
                String ref = reference(image);
                listener.failed(new RuntimeError("ErrImagePull", "rpc error: code = NotFound desc = failed to pull "
                        + "and unpack image \"" + ref + "\": failed to resolve reference \"" + ref + "\": " + ref
                        + ": not found"));
            }
        };
        if (took.isZero()) {
            end.run();
            return;
        }
        try {
            java.util.concurrent.ScheduledFuture<?>[] pull = new java.util.concurrent.ScheduledFuture<?>[1];
            synchronized (this) {
                pull[0] = node.timer().schedule(() -> {
                    synchronized (this) {
                        pulls.remove(pull[0]);
                    }
                    node.workers().execute(end); // the timer only tells the time
                }, took.toNanos(), TimeUnit.NANOSECONDS);
                pulls.add(pull[0]);
            }
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new RuntimeError("RuntimeUnavailable", "runtime of node " + node.node() + " is stopping");
        }
    }

    /** A fake but steady size for an image, as the {@code Pulled} event reports it. */
    private static long imageSize(String image) {
        return 2_000_000L + Math.floorMod(image.hashCode(), 50_000_000);
    }

    /** The image's full reference as containerd resolves it: {@code busybox} is {@code docker.io/library/busybox:latest}. */
    static String reference(String image) {
        String name = image;
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        if (slash < 0) {
            name = "docker.io/library/" + name;
        } else if (!first.contains(".") && !first.contains(":") && !first.equals("localhost")) {
            name = "docker.io/" + name;
        }
        if (!name.contains("@") && dev.drydock.runtime.ImageRegistry.repository(name).equals(name)) {
            name += ":latest";
        }
        return name;
    }

    @Override
    public synchronized String createContainer(String sandboxId, ContainerConfig config) {
        checkOpen();
        Sandbox s = sandboxes.get(sandboxId);
        if (s == null) {
            throw new RuntimeError("CreateContainerError", "sandbox " + sandboxId + " not found");
        }
        if (config.image() == null || config.image().isBlank()) {
            throw new RuntimeError("InvalidImageName", "empty image name");
        }
        String id = "container-" + node.node() + "-" + ++nextId;
        Container c = new Container(id, s, sandboxId, config);
        c.status = new ContainerStatus(id, config.name(), config.image(), ContainerStatus.State.CREATED, now(), null,
                null, 0, null);
        containers.put(id, c);
        s.containers.add(id);
        return id;
    }

    @Override
    public synchronized void startContainer(String containerId) {
        checkOpen();
        Container c = require(containerId);
        if (c.status.state() != ContainerStatus.State.CREATED) {
            throw new RuntimeError("ContainerNotCreated", "container " + containerId + " is not in created state");
        }
        c.status = new ContainerStatus(c.id, c.config.name(), c.config.image(), ContainerStatus.State.RUNNING,
                c.status.createdAt(), now(), null, 0, null);
        Program program;
        try {
            program = c.behaviour.main(c.argv);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            org.slf4j.LoggerFactory.getLogger(FakeRuntime.class).warn("the behaviour of {} failed to give container {}"
                    + " a program: {}", c.config.image(), c.config.name(), e.toString(), e);
            program = Builtins.crashed("the behaviour of " + c.config.image(), e); // exits 1, as a crash does
        }
        ProgramRunner main = new ProgramRunner("container " + c.config.name() + " (" + c.config.image() + ")",
                program, c.argv, env(c), hostname(c), node.clock(), c.config.tty(), mainOutput(c, false),
                mainOutput(c, true), node.workers(), node.timer(), c.config.stdin(),
                code -> mainExited(c, code));
        main.inContainer(c.files, c.usage, () -> outOfMemory(c));
        main.http(c.http);
        c.main = main;
        main.start();
        listener.containerChanged(c.sandboxId, containerId);
    }

    @Override
    public void stopContainer(String containerId, long timeoutSeconds) {
        stopContainer(containerId, java.time.Duration.ofSeconds(Math.max(0, timeoutSeconds)));
    }

    /**
     * SIGTERM to the main program ({@link Program#terminate}, which by default exits with 143), then SIGKILL (137)
     * after {@code timeout} on the cluster's clock, unless it exited meanwhile. A program whose step hangs its
     * thread is killed all the same (see {@link ProgramRunner#kill}).
     */
    @Override
    public void stopContainer(String containerId, java.time.Duration timeout) {
        ProgramRunner main;
        synchronized (this) {
            Container c = containers.get(containerId);
            if (c == null || !c.running()) {
                return;
            }
            main = c.main;
        }
        if (timeout.isZero() || timeout.isNegative()) {
            main.kill(137);
            return;
        }
        main.terminate();
        try {
            node.timer().schedule(() -> {
                if (!main.isExited()) {
                    main.kill(137);
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            main.kill(137);
        }
    }

    @Override
    public void removeContainer(String containerId) {
        Container c;
        synchronized (this) {
            c = containers.remove(containerId);
            if (c == null) {
                return;
            }
            if (c.running()) {
                exited(c, 137, "Error");
            }
            Sandbox s = sandboxes.get(c.sandboxId);
            if (s != null) {
                s.containers.remove(containerId);
            }
        }
        afterExit(c);
        c.readers.forEach(ContainerLog.Reader::end);
    }

    @Override
    public synchronized ContainerStatus containerStatus(String containerId) {
        Container c = containers.get(containerId);
        return c == null ? null : c.status;
    }

    @Override
    public synchronized List<ContainerStatus> listContainers(String sandboxId) {
        Sandbox s = sandboxes.get(sandboxId);
        List<ContainerStatus> out = new ArrayList<>();
        if (s != null) {
            s.containers.forEach(c -> out.add(containers.get(c).status));
        }
        return out;
    }

    // ---- streams

    @Override
    public StreamHandle exec(String containerId, List<String> command, ProcessIo io) {
        Container c;
        String execId;
        Map<String, String> env;
        String hostname;
        synchronized (this) {
            c = requireRunning(containerId);
            execId = execId(containerId);
            env = env(c);
            hostname = hostname(c);
        }
        Program program = command.isEmpty() ? null : c.behaviour.exec(command);
        if (program == null) {
            String why = command.isEmpty() ? "args must not be empty"
                    : "exec failed: unable to start container process: exec: \"" + command.get(0)
                    + "\": executable file not found in $PATH";
            node.workers().execute(() -> io.listener().failed("failed to exec in container: failed to start exec \""
                    + execId + "\": OCI runtime exec failed: " + why + ": unknown"));
            return new StreamHandle() {
                @Override
                public ByteSink input() {
                    return ByteSink.DISCARD;
                }

                @Override
                public void cancel() {
                }
            };
        }
        Exec[] exec = new Exec[1];
        ProgramRunner runner = new ProgramRunner("exec " + command + " in " + c.config.name(), program, command, env,
                hostname, node.clock(), io.tty(), io.stdout(), io.stderr(), node.workers(), node.timer(),
                io.stdin(), code -> {
                    c.execs.remove(exec[0]);
                    io.stdout().close();
                    io.stderr().close();
                    io.listener().ended(code);
                });
        runner.inContainer(c.files, c.usage, () -> outOfMemory(c));
        runner.http(c.http);
        exec[0] = new Exec(runner, io);
        c.execs.add(exec[0]);
        synchronized (this) {
            if (c.paused) { // it joins the container's frozen processes, and stalls with them
                runner.freeze();
            }
        }
        if (!c.running()) { // the container stopped meanwhile: the exec dies with it
            runner.kill(137);
        }
        runner.start();
        return processHandle(runner, () -> {
            c.execs.remove(exec[0]);
            runner.cancel();
        }, runner.stdin());
    }

    @Override
    public StreamHandle attach(String containerId, ProcessIo io) {
        Container c;
        ProgramRunner main;
        Attach a = new Attach(io);
        synchronized (this) {
            c = requireRunning(containerId);
            main = c.main;
            c.attached.add(a);
        }
        ByteSink stdin = !io.stdin() || !c.config.stdin() ? ByteSink.DISCARD : new ByteSink() {
            @Override
            public boolean write(byte[] data) {
                return main.stdin().write(data);
            }

            @Override
            public void whenReady(Runnable action) {
                main.stdin().whenReady(action);
            }

            @Override
            public void close() {
                if (c.config.stdinOnce()) {
                    main.stdin().close();
                }
            }
        };
        return processHandle(main, () -> c.attached.remove(a), stdin);
    }

    /** What a running container of a sandbox serves ({@link #server}), and that container. */
    private record Served<T>(Container container, T what) {
    }

    /**
     * The first running container of the sandbox for which {@code serves} gives something (its handler of a port,
     * its gRPC health), or null if none does.
     *
     * @throws RuntimeError if the sandbox does not exist
     */
    private synchronized <T> Served<T> server(String sandboxId, java.util.function.Function<Container, T> serves) {
        checkOpen();
        Sandbox s = sandboxes.get(sandboxId);
        if (s == null) {
            throw new RuntimeError("NotFound", "failed to find sandbox \"" + sandboxId + "\" in store");
        }
        for (String id : s.containers) {
            Container c = containers.get(id);
            if (c != null && c.running()) {
                T what = serves.apply(c);
                if (what != null) {
                    return new Served<>(c, what);
                }
            }
        }
        return null;
    }

    @Override
    public StreamHandle portForward(String sandboxId, int port, ByteSink toClient, StreamListener listener) {
        Served<PortHandler> served = server(sandboxId, c -> c.behaviour.port(port, podContext(c)));
        PortHandler handler = served == null ? null : served.what();
        if (handler == null) {
            String refused = "failed to connect to localhost:" + port + " inside namespace \"" + sandboxId
                    + "\", IPv4: dial tcp4 127.0.0.1:" + port + ": connect: connection refused IPv6 dial tcp6 [::1]:"
                    + port + ": connect: connection refused ";
            node.workers().execute(() -> {
                toClient.close();
                listener.failed(refused);
            });
            return new StreamHandle() {
                @Override
                public ByteSink input() {
                    return ByteSink.DISCARD;
                }

                @Override
                public void cancel() {
                }
            };
        }
        Container c = served.container();
        PortConnection connection = new PortConnection("port " + port + " of " + c.config.image(), handler,
                toClient, listener, node.workers(), c.connections::remove);
        c.connections.add(connection);
        synchronized (this) {
            if (c.paused) { // connected, but the frozen server answers nothing
                connection.freeze();
            }
        }
        connection.start();
        if (!c.running()) {
            connection.reset();
        }
        return connection;
    }

    /**
     * Asks the {@link GrpcHealth} of the first running container of the sandbox whose behaviour serves gRPC on
     * {@code port}; a paused one answers nothing until it is resumed (the caller's timeout ends the wait).
     */
    @Override
    public java.util.concurrent.CompletionStage<String> grpcHealthCheck(String sandboxId, int port, String service) {
        java.util.concurrent.CompletableFuture<String> answer = new java.util.concurrent.CompletableFuture<>();
        GrpcHealth health;
        synchronized (this) {
            Served<GrpcHealth> served = server(sandboxId, c -> c.behaviour.grpcHealth(port, c.argv));
            if (served != null && served.container().paused) {
                return answer; // a frozen server answers nothing
            }
            health = served == null ? null : served.what();
        }
        if (health == null) {
            answer.completeExceptionally(new RuntimeError("Unavailable", "connection error: desc = \"transport: "
                    + "Error while dialing: dial tcp " + ipOf(sandboxId) + ":" + port + ": connect: connection "
                    + "refused\""));
            return answer;
        }
        GrpcHealth h = health;
        node.workers().execute(() -> {
            try {
                String status = h.check(service == null ? "" : service);
                if (status == null) {
                    answer.completeExceptionally(new RuntimeError("NotFound", "unknown service"));
                } else {
                    answer.complete(status);
                }
            } catch (RuntimeException e) {
                answer.completeExceptionally(new RuntimeError("Unknown", e.toString()));
            }
        });
        return answer;
    }

    private synchronized String ipOf(String sandboxId) {
        Sandbox s = sandboxes.get(sandboxId);
        return s == null ? "" : s.ip;
    }

    @Override
    public StreamHandle readLog(String containerId, LogOptions options, ByteSink out, StreamListener listener) {
        Container c;
        synchronized (this) {
            c = containers.get(containerId);
            if (c == null) {
                throw new RuntimeError("NotFound", "container \"" + containerId + "\" not found");
            }
        }
        ContainerLog.Reader reader = c.log.reader(options, out, listener, node.workers(), c.readers::remove);
        c.readers.add(reader);
        reader.drain();
        return reader;
    }

    // ---- faults

    @Override
    public void killContainer(String containerId, int exitCode) {
        Container c;
        synchronized (this) {
            c = requireRunning(containerId);
            exited(c, exitCode, exitCode == 0 ? "Completed" : "Error");
        }
        afterExit(c);
    }

    @Override
    public synchronized void pauseContainer(String containerId) {
        Container c = requireRunning(containerId);
        if (c.paused) {
            return;
        }
        c.paused = true;
        c.main.freeze();
        c.execs.forEach(e -> e.runner().freeze());
        c.connections.forEach(PortConnection::freeze);
    }

    @Override
    public synchronized void resumeContainer(String containerId) {
        Container c = containers.get(containerId);
        if (c != null) {
            thaw(c);
        }
    }

    /** Holding the lock: a paused container's processes and connections run again. */
    private void thaw(Container c) {
        if (!c.paused) {
            return;
        }
        c.paused = false;
        c.main.thaw();
        c.execs.forEach(e -> e.runner().thaw());
        c.connections.forEach(PortConnection::thaw);
    }

    /** Whether a container is paused: for tests. */
    synchronized boolean isPaused(String containerId) {
        Container c = containers.get(containerId);
        return c != null && c.paused;
    }

    /** How many streams are open into this node's containers now: execs, attaches, connections, log readers. */
    synchronized int openStreams() {
        int n = 0;
        for (Container c : containers.values()) {
            n += c.execs.size() + c.attached.size() + c.connections.size() + c.readers.size();
        }
        return n;
    }

    /** How many bytes the main processes of this node's containers have written: for tests. */
    long written() {
        return written.get();
    }

    /** The log of a container, as text: for tests. */
    synchronized String logText(String containerId) {
        Container c = containers.get(containerId);
        return c == null ? null : c.log.text();
    }

    private static StreamHandle processHandle(ProgramRunner runner, Runnable cancel, ByteSink input) {
        return new StreamHandle() {
            @Override
            public ByteSink input() {
                return input;
            }

            @Override
            public void resize(int width, int height) {
                runner.resize(width, height);
            }

            @Override
            public void cancel() {
                cancel.run();
            }
        };
    }

    // ---- lifecycle

    /** The main program's output: the container's log, and every attached client. */
    private ByteSink mainOutput(Container c, boolean stderr) {
        return new ByteSink() {
            @Override
            public boolean write(byte[] data) {
                written.addAndGet(data.length);
                c.log.append(stderr, data);
                for (Attach a : c.attached) {
                    (stderr ? a.io().stderr() : a.io().stdout()).write(data);
                }
                return true;
            }

            @Override
            public void whenReady(Runnable action) {
                action.run();
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * A process of the container pushed it over its memory limit: the kernel's OOM killer ends it, and the container
     * is {@code OOMKilled} with exit code 137 (SIGKILL's).
     */
    private void outOfMemory(Container c) {
        synchronized (this) {
            if (!c.running() || closed) {
                return;
            }
            exited(c, 137, "OOMKilled");
        }
        afterExit(c);
    }

    @Override
    public void updateMounts(String containerId, List<dev.drydock.runtime.Mount> mounts) {
        Container c;
        synchronized (this) {
            c = containers.get(containerId);
        }
        if (c != null) {
            c.files.update(mounts);
        }
    }

    @Override
    public synchronized ContainerStats containerStats(String containerId) {
        Container c = containers.get(containerId);
        return c == null || !c.running() ? null : c.usage.stats();
    }

    /** On the main program's lane: it exited by itself. */
    private void mainExited(Container c, int code) {
        synchronized (this) {
            if (!c.running() || closed) {
                return;
            }
            exited(c, code, code == 0 ? "Completed" : "Error");
        }
        afterExit(c);
    }

    /** Marks the container exited (holding the lock); {@link #afterExit} then ends what ran in it. */
    private void exited(Container c, int code, String reason) {
        c.status = new ContainerStatus(c.id, c.config.name(), c.config.image(), ContainerStatus.State.EXITED,
                c.status.createdAt(), c.status.startedAt(), now(), code, reason);
        listener.containerChanged(c.sandboxId, c.id);
    }

    /** Outside the lock: the container's processes die with it, and its streams end. */
    private void afterExit(Container c) {
        synchronized (this) {
            thaw(c); // its processes are gone: nothing of it stays frozen
        }
        ProgramRunner main = c.main;
        if (main != null && !main.isExited()) {
            main.cancel();
        }
        c.log.close();
        for (Exec exec : c.execs) {
            exec.runner().kill(137); // killed with the container's processes: SIGKILL
        }
        for (Attach a : c.attached) {
            c.attached.remove(a);
            a.io().stdout().close();
            a.io().stderr().close();
            a.io().listener().ended(0);
        }
        for (PortConnection conn : c.connections) {
            conn.reset();
        }
    }

    /** Stops everything at once: every open stream fails, as its client loses the connection to the node. */
    @Override
    public void close() {
        List<Container> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            pulls.forEach(p -> p.cancel(false));
            pulls.clear();
            all = new ArrayList<>(containers.values());
            sandboxes.clear();
            containers.clear();
        }
        String lost = "the node " + node.node() + " is gone: its connection was lost";
        for (Container c : all) {
            if (c.main != null) {
                c.main.cancel();
            }
            for (Exec exec : c.execs) {
                exec.runner().cancel();
                exec.io().listener().failed(lost);
            }
            c.execs.clear();
            for (Attach a : c.attached) {
                a.io().listener().failed(lost);
            }
            c.attached.clear();
            for (PortConnection conn : c.connections) {
                conn.cancel();
                conn.lost(lost);
            }
            c.connections.clear();
            c.readers.forEach(ContainerLog.Reader::end);
        }
    }

    private Map<String, String> env(Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOSTNAME", hostname(c));
        env.putAll(c.config.env());
        env.putIfAbsent("HOME", "/root");
        return java.util.Collections.unmodifiableMap(env);
    }

    /** What a container's port handlers see of their pod. */
    private PodContext podContext(Container c) {
        String namespace = c.namespace;
        Map<String, String> env = env(c);
        String hostname = hostname(c);
        dev.drydock.runtime.ClusterHttp http = c.http;
        return new PodContext() {
            @Override
            public List<String> argv() {
                return c.argv;
            }

            @Override
            public Map<String, String> env() {
                return env;
            }

            @Override
            public String hostname() {
                return hostname;
            }

            @Override
            public String namespace() {
                return namespace;
            }

            @Override
            public java.time.Instant now() {
                return node.clock().now();
            }

            @Override
            public dev.drydock.runtime.ClusterHttp http() {
                return http;
            }

            @Override
            public byte[] file(String path) {
                return c.files.read(path);
            }

            @Override
            public void after(java.time.Duration delay, Runnable action) {
                node.timer().schedule(() -> node.workers().execute(action), delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        };
    }

    private String hostname(Container c) {
        Sandbox s = sandboxes.get(c.sandboxId);
        return s == null ? "" : s.config.name();
    }

    /** An exec's id as containerd gives one: 64 hex digits, here derived from the node and a counter. */
    private String execId(String containerId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((node.node() + "/" + containerId + "/"
                    + ++nextId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next address of the node's /24 that no sandbox holds (2..254; .1 stands for the node's bridge). */
    private String freeIp() {
        java.util.Set<String> taken = new java.util.HashSet<>();
        sandboxes.values().forEach(s -> taken.add(s.ip));
        for (int i = 0; i < 253; i++) {
            String ip = ipBase + ((nextIp - 2 + i) % 253 + 2);
            if (!taken.contains(ip)) {
                nextIp = (nextIp - 2 + i + 1) % 253 + 2;
                return ip;
            }
        }
        throw new RuntimeError("CreatePodSandboxError", "no free pod IP left in " + ipBase + "0/24 on node "
                + node.node());
    }

    private Container require(String id) {
        Container c = containers.get(id);
        if (c == null) {
            throw new RuntimeError("ContainerNotFound", "container " + id + " not found");
        }
        return c;
    }

    private Container requireRunning(String id) {
        checkOpen();
        Container c = containers.get(id);
        if (c == null) {
            throw new RuntimeError("NotFound", "failed to find container \"" + id + "\" in store");
        }
        if (!c.running()) {
            throw new RuntimeError("ContainerNotRunning", "container is in " + switch (c.status.state()) {
                case CREATED -> "CONTAINER_CREATED";
                case EXITED -> "CONTAINER_EXITED";
                default -> "CONTAINER_UNKNOWN";
            } + " state");
        }
        return c;
    }

    private void checkOpen() {
        if (closed) {
            throw new RuntimeError("RuntimeUnavailable", "runtime of node " + node.node() + " is stopped");
        }
    }

    private Instant now() {
        return node.clock().now();
    }
}

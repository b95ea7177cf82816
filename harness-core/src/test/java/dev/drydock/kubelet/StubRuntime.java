package dev.drydock.kubelet;

import dev.drydock.base.Clock;
import dev.drydock.runtime.ContainerConfig;
import dev.drydock.runtime.ContainerEventListener;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.ContainerStatus;
import dev.drydock.runtime.ImagePullListener;
import dev.drydock.runtime.ImageRegistry;
import dev.drydock.runtime.NodeContext;
import dev.drydock.runtime.PodSandboxConfig;
import dev.drydock.runtime.PodSandboxStatus;
import dev.drydock.runtime.RuntimeError;
import dev.drydock.runtime.RuntimeProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The least runtime a kubelet can run pods on, for harness-core's own tests (the fake runtime lives in a module of its
 * own): a container of image {@code crash} exits with code 1 as soon as it starts, any other runs until stopped (or
 * killed; a paused one is only marked so). Its
 * times come from the node's clock; what it tells its listener goes through the node's workers, as a runtime's
 * events would. Registered as runtime {@code stub} for clusters of harness-core's tests.
 */
public final class StubRuntime implements ContainerRuntime {

    /** The {@code stub} runtime's provider. */
    public static final class Provider implements RuntimeProvider {
        @Override
        public String name() {
            return "stub";
        }

        @Override
        public ContainerRuntime create(NodeContext node) {
            return new StubRuntime(node.clock(), node.workers()).pullingFrom(node.images(), node.timer());
        }
    }

    private record Sandbox(String id, String ip, List<String> containers) {
    }

    private final Clock clock;
    private final Executor events;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
    private final Map<String, ContainerStatus> containers = new ConcurrentHashMap<>();
    private final Map<String, String> sandboxOf = new ConcurrentHashMap<>();
    private final java.util.Set<String> paused = ConcurrentHashMap.newKeySet();
    private volatile ContainerEventListener listener = (sandbox, container) -> { };

    public StubRuntime(Clock clock, Executor events) {
        this.clock = clock;
        this.events = events;
    }

    /** Where pulls go, when a test gives one: null, every image is present. */
    private volatile ImageRegistry images;
    private volatile ScheduledExecutorService timer;
    private final java.util.Set<String> pulled = ConcurrentHashMap.newKeySet();

    /**
     * Pulls images from {@code images}, waiting its {@code slowPull} times on {@code timer}: an image exists unless it
     * is marked missing. Without it every image is present at once.
     */
    public StubRuntime pullingFrom(ImageRegistry images, ScheduledExecutorService timer) {
        this.images = images;
        this.timer = timer;
        return this;
    }

    @Override
    public boolean imagePresent(String image) {
        return images == null || pulled.contains(image);
    }

    @Override
    public void pullImage(String image, ImagePullListener listener) {
        ImageRegistry registry = images;
        if (registry == null) {
            listener.pulled(image, 0);
            return;
        }
        Runnable end = () -> {
            if (registry.isMissing(image)) {
                listener.failed(new RuntimeError("ErrImagePull", "rpc error: code = NotFound desc = " + image
                        + ": not found"));
            } else {
                pulled.add(image);
                listener.pulled(image, 1000);
            }
        };
        Duration took = registry.pullTime(image);
        if (took.isZero()) {
            end.run();
        } else {
            timer.schedule(() -> events.execute(end), took.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** A sandbox start held until a test releases (or fails) it, by pod name. */
    private static final class HeldStart {
        final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        volatile String failure;
        final List<Runnable> waiting = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean begun;
    }

    private final Map<String, HeldStart> held = new ConcurrentHashMap<>();

    /**
     * The sandbox of pod {@code name} starts only once {@link #releaseSandbox} (or {@link #failSandbox}) is called, as
     * a slow engine's: the synchronous {@link #runPodSandbox(PodSandboxConfig)} blocks its caller until then, the
     * asynchronous one returns at once and tells its listener at the release.
     */
    public void holdSandbox(String name) {
        held.put(name, new HeldStart());
    }

    /** Whether the start of pod {@code name}'s held sandbox was asked for. */
    public boolean sandboxStartBegun(String name) {
        HeldStart h = held.get(name);
        return h != null && h.begun;
    }

    /** The held sandbox start of pod {@code name} goes on: the sandbox runs. */
    public void releaseSandbox(String name) {
        HeldStart h = held.remove(name);
        h.released.countDown();
        h.waiting.forEach(events::execute);
    }

    /** The held sandbox start of pod {@code name} fails with {@code message}; later ones are not held. */
    public void failSandbox(String name, String message) {
        HeldStart h = held.remove(name);
        h.failure = message;
        h.released.countDown();
        h.waiting.forEach(events::execute);
    }

    /** The ids of the sandboxes that exist now. */
    public java.util.Set<String> sandboxIds() {
        return java.util.Set.copyOf(sandboxes.keySet());
    }

    @Override
    public void runPodSandbox(PodSandboxConfig config, dev.drydock.runtime.PodSandboxListener listener) {
        HeldStart h = held.get(config.name());
        if (h == null) {
            ContainerRuntime.super.runPodSandbox(config, listener);
            return;
        }
        h.waiting.add(() -> {
            if (h.failure != null) {
                listener.failed(new RuntimeError("CreatePodSandboxError", h.failure));
            } else {
                listener.ready(newSandbox());
            }
        });
        h.begun = true;
    }

    @Override
    public String runPodSandbox(PodSandboxConfig config) {
        HeldStart h = held.get(config.name());
        if (h != null) {
            h.begun = true;
            try {
                if (!h.released.await(30, TimeUnit.SECONDS)) {
                    throw new RuntimeError("DeadlineExceeded", "the sandbox of " + config.name() + " was held");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeError("Interrupted", e.toString());
            }
            if (h.failure != null) {
                throw new RuntimeError("CreatePodSandboxError", h.failure);
            }
        }
        return newSandbox();
    }

    private String newSandbox() {
        String id = "sandbox-" + ids.incrementAndGet();
        sandboxes.put(id, new Sandbox(id, "10.244.0." + ids.get(), new ArrayList<>()));
        return id;
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        Sandbox s = sandboxes.get(sandboxId);
        if (s != null) {
            synchronized (s) {
                s.containers().forEach(c -> stopContainer(c, 0));
            }
        }
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        Sandbox s = sandboxes.remove(sandboxId);
        if (s != null) {
            synchronized (s) {
                s.containers().forEach(containers::remove);
            }
        }
    }

    @Override
    public PodSandboxStatus podSandboxStatus(String sandboxId) {
        Sandbox s = sandboxes.get(sandboxId);
        return s == null ? null : new PodSandboxStatus(s.id(), true, s.ip());
    }

    @Override
    public String createContainer(String sandboxId, ContainerConfig config) {
        Sandbox s = sandboxes.get(sandboxId);
        if (s == null) {
            throw new RuntimeError("NotFound", "no sandbox " + sandboxId);
        }
        String id = "container-" + ids.incrementAndGet();
        containers.put(id, new ContainerStatus(id, config.name(), config.image(), ContainerStatus.State.CREATED,
                clock.now(), null, null, 0, null));
        sandboxOf.put(id, sandboxId);
        synchronized (s) {
            s.containers().add(id);
        }
        return id;
    }

    @Override
    public void startContainer(String containerId) {
        ContainerStatus c = containers.get(containerId);
        if (c == null) {
            throw new RuntimeError("NotFound", "no container " + containerId);
        }
        boolean crashes = c.image().equals("crash");
        containers.put(containerId, new ContainerStatus(c.id(), c.name(), c.image(),
                crashes ? ContainerStatus.State.EXITED : ContainerStatus.State.RUNNING, c.createdAt(), clock.now(),
                crashes ? clock.now() : null, crashes ? 1 : 0, crashes ? "Error" : null));
        if (crashes) {
            String sandbox = sandboxOf.get(containerId);
            events.execute(() -> listener.containerChanged(sandbox, containerId));
        }
    }

    @Override
    public void stopContainer(String containerId, long timeoutSeconds) {
        ContainerStatus before = containers.get(containerId);
        containers.computeIfPresent(containerId, (id, c) -> c.state() != ContainerStatus.State.RUNNING ? c
                : new ContainerStatus(c.id(), c.name(), c.image(), ContainerStatus.State.EXITED, c.createdAt(),
                c.startedAt(), clock.now(), 137, "Killed"));
        String sandbox = sandboxOf.get(containerId);
        if (before != null && before.state() == ContainerStatus.State.RUNNING && sandbox != null) {
            events.execute(() -> listener.containerChanged(sandbox, containerId));
        }
    }

    @Override
    public void killContainer(String containerId, int exitCode) {
        ContainerStatus c = containers.get(containerId);
        if (c == null || c.state() != ContainerStatus.State.RUNNING) {
            throw new RuntimeError("ContainerNotRunning", "container " + containerId + " is not running");
        }
        containers.put(containerId, new ContainerStatus(c.id(), c.name(), c.image(), ContainerStatus.State.EXITED,
                c.createdAt(), c.startedAt(), clock.now(), exitCode, exitCode == 0 ? "Completed" : "Error"));
        paused.remove(containerId);
        String sandbox = sandboxOf.get(containerId);
        events.execute(() -> listener.containerChanged(sandbox, containerId));
    }

    @Override
    public void pauseContainer(String containerId) {
        ContainerStatus c = containers.get(containerId);
        if (c == null || c.state() != ContainerStatus.State.RUNNING) {
            throw new RuntimeError("ContainerNotRunning", "container " + containerId + " is not running");
        }
        paused.add(containerId);
    }

    @Override
    public void resumeContainer(String containerId) {
        paused.remove(containerId);
    }

    /** Whether a container is paused now: for tests. */
    public boolean isPaused(String containerId) {
        return paused.contains(containerId);
    }

    @Override
    public void removeContainer(String containerId) {
        containers.remove(containerId);
    }

    @Override
    public ContainerStatus containerStatus(String containerId) {
        return containers.get(containerId);
    }

    @Override
    public List<ContainerStatus> listContainers(String sandboxId) {
        Sandbox s = sandboxes.get(sandboxId);
        if (s == null) {
            return List.of();
        }
        synchronized (s) {
            return s.containers().stream().map(containers::get).filter(java.util.Objects::nonNull).toList();
        }
    }

    @Override
    public void setListener(ContainerEventListener listener) {
        this.listener = listener;
    }

    @Override
    public void close() {
        sandboxes.clear();
        containers.clear();
    }
}

package dev.drydock.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.base.Timers;
import dev.drydock.client.EventRecorder;
import dev.drydock.kube.Json;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.PodSandboxStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's probe manager (kube's {@code pkg/kubelet/prober}): for every container instance it starts, one
 * {@link ProbeWorker} per probe its spec has (startup, liveness, readiness), each a timer on the cluster's clock;
 * the pod's status asks it whether a container is {@linkplain #started started} and {@linkplain #ready ready}, and
 * its sync asks it which containers failed a liveness or startup probe and must be {@linkplain #unhealthy
 * killed}. A result that changes queues the pod's sync. Initial delays and periods are the spec's seconds times the
 * cluster's {@code probeSecond} timing, timeouts times its {@code probeTimeoutSecond}. It holds no lane while a
 * probe waits: probes go through the runtime asynchronously.
 */
final class ProbeManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeManager.class);

    private final String node;
    private final ContainerRuntime runtime;
    private final ComponentContext ctx;
    private final EventRecorder events;
    private final Prober prober;
    private final Consumer<String> resync;
    private final BooleanSupplier paused;
    /** The probed container instances, by container id. */
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    /** The probed instance of each container of a pod now, by {@code podKey/container}: its id. */
    private final Map<String, String> current = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param resync called with a pod's key when a probe's result changed: the pod is synced again
     * @param paused whether the kubelet is frozen: then no probe runs
     */
    ProbeManager(String node, ContainerRuntime runtime, ComponentContext ctx, EventRecorder events,
                 Consumer<String> resync, BooleanSupplier paused) {
        this.node = node;
        this.runtime = runtime;
        this.ctx = ctx;
        this.events = events;
        this.prober = new Prober(runtime, ctx.timers(), ctx.workers(), ctx.timings().probeTimeoutSecond());
        this.resync = resync;
        this.paused = paused;
    }

    /**
     * A container instance started: its probes start, those of the instance before it (if any) stop. A container
     * without probes costs nothing.
     */
    void containerStarted(String podKey, ObjectNode pod, JsonNode container, String containerId, String sandboxId) {
        String name = container.path("name").asText();
        String before = current.remove(podKey + "/" + name);
        if (before != null) {
            Instance old = instances.remove(before);
            if (old != null) {
                old.stop();
            }
        }
        if (closed) {
            return;
        }
        List<ProbeSpec> specs = new ArrayList<>();
        for (ProbeType type : ProbeType.values()) {
            ProbeSpec spec = ProbeSpec.of(type, container);
            if (spec != null) {
                specs.add(spec);
            }
        }
        if (specs.isEmpty()) {
            return;
        }
        Instance instance = new Instance(podKey, pod, container, containerId, sandboxId);
        for (ProbeSpec spec : specs) {
            instance.workers.put(spec.type(), new ProbeWorker(instance, spec));
        }
        instances.put(containerId, instance);
        current.put(podKey + "/" + name, containerId);
        try {
            instance.workers.values().forEach(ProbeWorker::start);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            instance.stop(); // the cluster is closing
        }
    }

    /** The pod is gone from this node (or stops): its probes stop. */
    void podGone(String podKey) {
        for (Instance i : new ArrayList<>(instances.values())) {
            if (i.podKey.equals(podKey)) {
                instances.remove(i.containerId);
                current.remove(podKey + "/" + i.name(), i.containerId);
                i.stop();
            }
        }
    }

    /** Whether a running container counts as started: it has no startup probe, or that probe succeeded. */
    boolean started(String containerId) {
        Instance i = instances.get(containerId);
        return i == null || i.started();
    }

    /**
     * Whether a running, started container is ready: it has no readiness probe, or that probe's last result (past
     * its thresholds) is a success.
     */
    boolean ready(String containerId) {
        Instance i = instances.get(containerId);
        if (i == null) {
            return true;
        }
        ProbeWorker readiness = i.workers.get(ProbeType.READINESS);
        return readiness == null || readiness.result() == Prober.Outcome.SUCCESS;
    }

    /** Why a container must be killed, and its grace period in seconds: see {@link #unhealthy}. */
    record Unhealthy(String message, long graceSeconds) {
    }

    /**
     * On the pod's sync, as kube's {@code computePodActions}: whether a container's liveness or startup probe
     * failed, so that it must be killed (with kube's {@code Killing} message); the kubelet restarts it when it
     * exited, as the pod's {@code restartPolicy} says. Answered once per container instance. The grace period is
     * the probe's {@code terminationGracePeriodSeconds}, else the pod's.
     *
     * @return null if it is healthy, or was reported already, or the pod is being deleted
     */
    Unhealthy unhealthy(ObjectNode pod, String containerId) {
        Instance i = instances.get(containerId);
        if (i == null || Json.isDeleting(pod)) {
            return null;
        }
        ProbeWorker failed = null;
        for (ProbeType type : List.of(ProbeType.LIVENESS, ProbeType.STARTUP)) {
            ProbeWorker w = i.workers.get(type);
            if (w != null && w.result() == Prober.Outcome.FAILURE) {
                failed = w;
                break;
            }
        }
        synchronized (i) {
            if (failed == null || i.killed) {
                return null;
            }
            i.killed = true;
        }
        boolean restart = !"Never".equals(Json.text(pod, "spec", "restartPolicy"));
        String kind = failed.spec().type() == ProbeType.LIVENESS ? "liveness" : "startup";
        Long grace = failed.spec().terminationGracePeriodSeconds();
        long seconds = grace != null ? grace : pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
        return new Unhealthy("Container " + i.name() + " failed " + kind + " probe"
                + (restart ? ", will be restarted" : ""), Math.max(0, seconds));
    }

    /** Stops every probe. */
    @Override
    public void close() {
        closed = true;
        instances.values().forEach(Instance::stop);
        instances.clear();
        current.clear();
    }

    // ---- what the workers use

    String node() {
        return node;
    }

    Timers timers() {
        return ctx.timers();
    }

    Executor workers() {
        return ctx.workers();
    }

    Duration probeSecond() {
        return ctx.timings().probeSecond();
    }

    ContainerRuntime runtime() {
        return runtime;
    }

    Prober prober() {
        return prober;
    }

    boolean paused() {
        return paused.getAsBoolean() || closed;
    }

    /**
     * A probe failed (or errored): kube's {@code Unhealthy} warning on the pod's container (queued: the recorder
     * writes it).
     */
    void unhealthy(Instance i, String message) {
        events.warning(i.pod, Kubelet.containerPath(i.pod, i.container.path("name").asText()), "Unhealthy", message);
    }

    /** A probe's result changed: the pod's status (or its containers) must follow. */
    void resultChanged(Instance i, ProbeType type) {
        if (instances.get(i.containerId) != i) {
            return; // a stopped instance
        }
        if (type == ProbeType.STARTUP && i.started()) {
            ProbeWorker readiness = i.workers.get(ProbeType.READINESS);
            if (readiness != null) {
                readiness.trigger(); // as kube's status update triggers a readiness probe that has no result yet
            }
        }
        resync.accept(i.podKey);
    }

    /** One container instance and its probes. */
    final class Instance {
        private final String podKey;
        private final ObjectNode pod;
        private final JsonNode container;
        private final String containerId;
        private final String sandboxId;
        private final Map<ProbeType, ProbeWorker> workers = new java.util.EnumMap<>(ProbeType.class);
        /** Killed after a failed liveness or startup probe. Guarded by this. */
        private boolean killed;

        Instance(String podKey, ObjectNode pod, JsonNode container, String containerId, String sandboxId) {
            this.podKey = podKey;
            this.pod = pod;
            this.container = container;
            this.containerId = containerId;
            this.sandboxId = sandboxId;
        }

        ProbeManager manager() {
            return ProbeManager.this;
        }

        String podKey() {
            return podKey;
        }

        String name() {
            return container.path("name").asText();
        }

        String containerId() {
            return containerId;
        }

        boolean started() {
            ProbeWorker startup = workers.get(ProbeType.STARTUP);
            return startup == null || startup.result() == Prober.Outcome.SUCCESS;
        }

        Prober.Target target() {
            PodSandboxStatus sandbox = runtime.podSandboxStatus(sandboxId);
            return new Prober.Target(containerId, sandboxId, sandbox == null || sandbox.ip() == null ? ""
                    : sandbox.ip(), container);
        }

        void stop() {
            workers.values().forEach(ProbeWorker::stop);
        }
    }
}

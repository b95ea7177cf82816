package dev.drydock.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.base.Timers;
import dev.drydock.client.EventRecorder;
import dev.drydock.client.Informer;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.runtime.ContainerConfig;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.ContainerStartListener;
import dev.drydock.runtime.ContainerStatus;
import dev.drydock.runtime.NodeStreams;
import dev.drydock.runtime.PodSandboxConfig;
import dev.drydock.runtime.PodSandboxStatus;
import dev.drydock.runtime.RuntimeError;
import dev.drydock.runtime.StreamHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet of one node: registers the node, renews its Lease, posts its status, and runs the pods bound to it on
 * the node's {@link ContainerRuntime}, writing their status back (phase, conditions, container statuses, IPs).
 * It talks to the cluster only through its client, and costs no thread: its timers run on the cluster's
 * {@link Timers} (so on the cluster's clock) and its pod syncs on the shared workers.
 */
public final class Kubelet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);

    /**
     * What the kubelet runs for one pod: its sandbox and, by name, its containers (init and app); whether it was
     * initialized (its init containers are through, for good), its termination once it is being stopped, and
     * whether its sandbox was stopped (a pod that finished). Its sandbox is started without holding the pod's lane
     * (Docker takes hundreds of milliseconds): until it runs, the pod has no sandbox id and its containers wait in
     * {@code ContainerCreating}.
     */
    static final class RunningPod {
        private final String uid;
        /** Its sandbox once it runs; null while it starts, or after its start failed. */
        private volatile String sandboxId;
        private final Map<String, ContainerSlot> containers;
        volatile boolean initialized;
        volatile PodTerminator.Termination termination;
        volatile boolean sandboxStopped;
        /** Its sandbox was stopped and removed: a container whose start ends after that is removed at once. */
        volatile boolean killed;
        /** The pod as its last sync saw it: what stops its containers if it vanishes from the API. */
        volatile ObjectNode lastSeen;
        /** The runtime starts its sandbox now; {@link #sandboxResult} gets its outcome. */
        volatile boolean sandboxStarting;
        /**
         * How the last sandbox start ended, until the pod's lane takes it: the sandbox's id, or the runtime's error.
         * Set, like {@link #killed}, under the pod's lock, so a sandbox whose start ends after the pod went is removed.
         */
        volatile Object sandboxResult;
        /** When its sandbox's start last failed ({@code FailedCreatePodSandBox}): tried again after the back-off. */
        volatile Instant sandboxFailedAt;

        RunningPod(String uid, Map<String, ContainerSlot> containers) {
            this.uid = uid;
            this.containers = containers;
        }

        String uid() {
            return uid;
        }

        String sandboxId() {
            return sandboxId;
        }

        Map<String, ContainerSlot> containers() {
            return containers;
        }
    }

    /** One container of a running pod: its instance now, the one before, and its restarts and back-off. */
    static final class ContainerSlot {
        volatile String id;
        volatile String previousId;
        volatile int restarts;
        java.time.Duration backOff;
        volatile Instant waitingUntil;
        volatile boolean resyncScheduled;
        /** The kill of its instance after a failed liveness or startup probe, while under way. */
        volatile PodTerminator.Kill kill;
        /** Why the container has no instance yet, as its {@code waiting} state says; null: {@code ContainerCreating}. */
        volatile String waitingReason;
        volatile String waitingMessage;
        /** A pull of its image is under way; {@link #pullResult} gets its outcome. */
        volatile boolean pulling;
        /** How the last pull ended, until the pod's lane takes it: a {@link Pulled}, or the runtime's error. */
        volatile Object pullResult;
        volatile Instant pullStarted;
        /** kube's image back-off of this pod's image: the last failure, the back-off from it. */
        Instant pullFailedAt;
        java.time.Duration pullBackOff;
        /** When a resync of the pull is scheduled (null: none). */
        Instant pullResyncAt;
        /** Why its volumes could not be set up the last time ({@code FailedMount}), or null. */
        volatile String mountFailure;
        /** The container could not be created for another reason than its image: it is not tried again. */
        boolean createFailed;
        /** The runtime creates and starts an instance now; {@link #startResult} gets its outcome. */
        volatile boolean starting;
        /** How the last start ended, until the pod's lane takes it: the new instance's id, or the runtime's error. */
        volatile Object startResult;
        /** The {@code postStart} hook of its instance, while it runs or until the pod's lane takes its end. */
        volatile PostStart postStart;

        /** Cancels its instance's {@code postStart} hook if it still runs (the pod goes, or is being stopped). */
        void cancelPostStart() {
            PostStart hook = postStart;
            if (hook != null) {
                postStart = null;
                hook.cancel.run();
            }
        }
    }

    /**
     * A container instance's {@code postStart} hook: until it ends, the container is shown {@code waiting} (kube's
     * {@code startContainer} runs it before the pod's sync ends) and its probes do not start.
     */
    static final class PostStart {
        final String id;
        volatile Runnable cancel = () -> { };
        volatile boolean done;
        /** Why it failed, or null. */
        volatile String failure;

        PostStart(String id) {
            this.id = id;
        }

        /** Whether it is the running hook of instance {@code containerId}. */
        boolean runsFor(String containerId) {
            return !done && id.equals(containerId);
        }
    }

    /** A pull that succeeded, as {@link ContainerSlot#pullResult} holds it. */
    private record Pulled(long sizeBytes) {
    }

    private final NodeConfig node;
    private final KubeClient client;
    private final ContainerRuntime runtime;
    private final ComponentContext ctx;
    private final EventRecorder events;
    private final ContainerEnvironment environment;
    private final Informer pods;
    /** Every Service, for containers' environment variables (kube's kubelet has a Service informer too). */
    private final Informer services;
    private final PodWorkers queue;
    private final StatusManager statusManager;
    private final PodTerminator terminator;
    private final LifecycleHooks hooks;
    private final Map<String, RunningPod> running = new ConcurrentHashMap<>();
    private final KubeletStreams streams;
    private final ProbeManager probes;
    private final Map<String, String> podOfSandbox = new ConcurrentHashMap<>();
    private final List<Timers.Task> timers = new ArrayList<>();
    private volatile boolean stopped;
    /** While frozen ({@link #freeze()}), the pod keys whose syncs wait for {@link #thaw()}; null when not frozen. */
    private java.util.Set<String> deferredSyncs; // guarded by frozenLock
    /** The streams opened while frozen, connected at {@link #thaw()}. */
    private final List<DeferredStream> deferredStreams = new ArrayList<>(); // guarded by frozenLock
    private final Object frozenLock = new Object();
    private volatile boolean frozen;
    /** The node's Lease renewals and status posts, sent on the cluster's {@link NodeHeartbeats} lane. */
    private final NodeHeartbeat nodeHeartbeat;
    /** Changes only when the node boots again (a new Kubelet), as the real bootID does. */
    private final String bootId;

    /** The kubelet of a node's first boot. */
    public Kubelet(NodeConfig node, KubeClient client, ContainerRuntime runtime, ComponentContext ctx) {
        this(node, client, runtime, ctx, 1);
    }

    /**
     * The kubelet of a node's {@code boot}-th boot: its {@code bootID} is drawn from the cluster's seed, the node and
     * the boot, so that it changes with every boot (also on a clock that stands still) and a replayed run reports
     * the same ones.
     */
    public Kubelet(NodeConfig node, KubeClient client, ContainerRuntime runtime, ComponentContext ctx, int boot) {
        this.node = node;
        this.client = client;
        this.runtime = runtime;
        this.ctx = ctx;
        this.events = new EventRecorder(client, ctx, "kubelet", node.name());
        this.services = new Informer(client, Resource.SERVICES, null, Map.of(), ctx.timers()).withoutManagedFields()
                .addIndex(Informer.BY_NAMESPACE, Informer::namespaceOf);
        this.environment = new ContainerEnvironment(client, node, events, ctx.timers(), ctx.workers(), this,
                services);
        java.nio.ByteBuffer id = dev.drydock.base.Seeds.digest(ctx.seed(), "kubelet/boot-id", node.name(), boot);
        this.bootId = new java.util.UUID(id.getLong() & ~0xF000L | 0x4000L,
                id.getLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L).toString();
        this.nodeHeartbeat = new NodeHeartbeat(node, client, ctx, events, bootId, () -> !stopped && !frozen);
        this.queue = new PodWorkers(node.name(), ctx, this::syncPod);
        this.statusManager = new StatusManager(node, client, runtime, ctx.clock());
        this.terminator = new PodTerminator(node.name(), runtime, ctx, events, queue);
        this.hooks = new LifecycleHooks(runtime, ctx);
        this.pods = new Informer(client, Resource.PODS, null,
                Informer.selectors(null, "spec.nodeName=" + node.name()), ctx.timers()).withoutManagedFields();
        pods.addHandler(new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode obj) {
                queue.add(Json.key(obj));
            }

            @Override
            public void onUpdate(ObjectNode oldObj, ObjectNode newObj) {
                queue.add(Json.key(newObj));
                environment.podUpdated(oldObj, newObj);
            }

            @Override
            public void onDelete(ObjectNode obj) {
                queue.add(Json.key(obj));
            }
        });
        this.streams = new KubeletStreams(this);
        this.probes = new ProbeManager(node.name(), runtime, ctx, events, queue::add, this::isFrozen);
        ProbeManager manager = probes;
        statusManager.setProbeResults(new StatusManager.ProbeResults() {
            @Override
            public Boolean ready(String containerId) {
                return manager.ready(containerId);
            }

            @Override
            public Boolean started(String containerId) {
                return manager.started(containerId);
            }
        });
        runtime.setListener((sandbox, container) -> {
            String key = podOfSandbox.get(sandbox);
            if (key != null) {
                queue.add(key);
            }
        });
    }

    public String nodeName() {
        return node.name();
    }

    /** Registers the node (or takes it over after a restart), then starts heartbeats and pod syncs. */
    public void start() {
        synchronized (timers) {
            timers.add(NodeHeartbeats.join(ctx, nodeHeartbeat));
        }
        services.start(); // listed first (when the API server answers), so that the first pods find them
        pods.start();
    }

    /** Stops at once, as a power cut: no goodbye to the API server; streams waiting on a frozen kubelet fail. */
    @Override
    public void close() {
        stopped = true;
        events.close(); // a power cut: what was not sent yet is lost
        queue.shutdown();
        running.values().forEach(terminator::forget); // hooks under way: their timers and streams
        pods.close();
        services.close();
        probes.close();
        environment.close();
        synchronized (timers) {
            timers.forEach(Timers.Task::cancel);
            timers.clear();
        }
        List<DeferredStream> waiting;
        synchronized (frozenLock) {
            waiting = new ArrayList<>(deferredStreams);
            deferredStreams.clear();
        }
        waiting.forEach(w -> w.lost("the node " + node.name() + " is gone: its connection was lost"));
    }

    /**
     * Freezes the kubelet as a hung machine's: it keeps its state but does nothing: no Lease renewal, no node status,
     * no pod sync (what changes meanwhile is synced at {@link #thaw()}), and a stream opened to it (exec, attach,
     * port-forward, logs) waits, unanswered, until then. The containers it runs are the runtime's to freeze.
     *
     * @throws IllegalStateException if it is frozen already or stopped
     */
    public void freeze() {
        synchronized (frozenLock) {
            if (stopped) {
                throw new IllegalStateException("the kubelet of " + node.name() + " is stopped");
            }
            if (frozen) {
                throw new IllegalStateException("the kubelet of " + node.name() + " is frozen already");
            }
            frozen = true;
            deferredSyncs = new java.util.LinkedHashSet<>();
        }
    }

    /**
     * Lets a frozen kubelet run again, as a machine that resumes: it renews its Lease and posts its status at once,
     * reconciles every pod against the API (containers of pods deleted meanwhile are stopped, pods still bound run
     * on) and connects the streams that waited.
     *
     * @throws IllegalStateException if it is not frozen
     */
    public void thaw() {
        java.util.Set<String> keys;
        List<DeferredStream> waiting;
        synchronized (frozenLock) {
            if (!frozen) {
                throw new IllegalStateException("the kubelet of " + node.name() + " is not frozen");
            }
            frozen = false;
            keys = deferredSyncs;
            deferredSyncs = null;
            waiting = new ArrayList<>(deferredStreams);
            deferredStreams.clear();
        }
        String gone = "the node " + node.name() + " is gone: its connection was lost";
        if (stopped) {
            waiting.forEach(w -> w.lost(gone));
            return;
        }
        keys.addAll(running.keySet()); // whatever the informer says of them now
        pods.list().forEach(p -> keys.add(Json.key(p)));
        keys.forEach(queue::add);
        try {
            ctx.workers().execute(() -> {
                runQuietly(this::heartbeat, "lease renewal");
                runQuietly(this::postNodeStatus, "node status update");
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            waiting.forEach(w -> w.lost(gone)); // the cluster is closing
            return;
        }
        waiting.forEach(DeferredStream::connect);
    }

    /** Whether {@link #freeze()} holds it. */
    public boolean isFrozen() {
        return frozen;
    }

    private void runQuietly(Runnable work, String what) {
        try {
            work.run();
        } catch (RuntimeException e) {
            // the timer's next tick retries it, and reports a streak of failures
            LOG.debug("node {}: {} after a thaw failed: {}", node.name(), what, e.toString());
        }
    }

    /**
     * A stream that, while the kubelet is frozen, waits to be opened: {@code open} runs at the thaw; null if the
     * kubelet is not frozen (then the caller opens it at once).
     */
    StreamHandle deferIfFrozen(java.util.function.Supplier<StreamHandle> open,
                               java.util.function.Consumer<String> fail, boolean takesInput) {
        synchronized (frozenLock) {
            if (!frozen) {
                return null;
            }
            DeferredStream d = new DeferredStream(open, fail, takesInput, s -> {
                synchronized (frozenLock) {
                    deferredStreams.remove(s);
                }
            });
            deferredStreams.add(d);
            return d;
        }
    }

    /** The ids of the containers of the pods this kubelet runs now (each one's current instance, if any). */
    public List<String> containers() {
        List<String> ids = new ArrayList<>();
        for (RunningPod run : running.values()) {
            for (ContainerSlot slot : run.containers().values()) {
                if (slot.id != null) {
                    ids.add(slot.id);
                }
            }
        }
        return ids;
    }

    // ---- node

    /** Renews the node's Lease now (the lane renews it at its ticks). */
    private void heartbeat() {
        nodeHeartbeat.renewLease();
    }

    /** Registers the node if needed and posts its status if due, now (the lane does it at its ticks). */
    private void postNodeStatus() {
        nodeHeartbeat.postNodeStatus();
    }

    // ---- pods

    /**
     * One sync of a pod on its lane (kube's {@code SyncPod}, {@code SyncTerminatingPod} and
     * {@code SyncTerminatedPod}): a pod being deleted is stopped gracefully ({@link PodTerminator}) and its deletion
     * confirmed once its containers stopped; a finished pod's sandbox is stopped; any other runs what
     * {@link PodActions} says (init containers in order, then the app containers and sidecars, restarts with
     * back-off); then the {@link StatusManager} writes the status if it changed.
     */
    private void syncPod(String key) {
        if (stopped) {
            return;
        }
        synchronized (frozenLock) {
            if (frozen) {
                deferredSyncs.add(key);
                return;
            }
        }
        ObjectNode pod = pods.get(key);
        RunningPod run = running.get(key);
        if (run != null && pod == null && run.lastSeen != null) {
            // force-deleted (or gone while the kubelet looked away): its containers still stop gracefully
            if (terminator.terminate(key, run.lastSeen, run, PodTerminator.gracePeriodSeconds(run.lastSeen),
                    false)) {
                killPod(key, run);
            }
            return;
        }
        if (run != null && (pod == null || !run.uid().equals(Json.uid(pod)))) {
            killPod(key, run); // replaced by a new pod of the name
            run = null;
        }
        if (pod == null) {
            return;
        }
        if (run != null) {
            run.lastSeen = pod;
        }
        if (Json.isDeleting(pod)) {
            if (run == null) {
                confirmDeletion(pod);
                return;
            }
            boolean stoppedAll = terminator.terminate(key, pod, run, PodTerminator.gracePeriodSeconds(pod), false);
            statusManager.write(pod, statusManager.generate(pod, run, stoppedAll));
            if (stoppedAll && run.sandboxStarting) {
                return; // its sandbox's start ends first (its end syncs the pod again): the deletion leaves nothing
            }
            if (stoppedAll) {
                killPod(key, run);
                confirmDeletion(pod);
            }
            return;
        }
        if (StatusManager.isTerminal(Json.text(pod, "status", "phase"))) {
            if (run != null && !run.sandboxStopped && run.sandboxId() != null) { // kube stops a finished pod's
                run.sandboxStopped = true;                                         // sandbox; its logs stay
                try {
                    runtime.stopPodSandbox(run.sandboxId());
                } catch (RuntimeError e) {
                    LOG.debug("node {}: stopping the sandbox of {} failed: {}", node.name(), key, e.getMessage());
                }
                statusManager.write(pod, statusManager.generate(pod, run, true));
            }
            return;
        }
        if (run == null) {
            run = startPod(key, pod);
            if (run == null) {
                return;
            }
            run.lastSeen = pod;
        }
        if (!ensureSandbox(key, pod, run)) { // its containers wait in ContainerCreating
            statusManager.write(pod, statusManager.generate(pod, run, false));
            return;
        }
        endPostStarts(key, pod, run);
        killUnhealthy(key, pod, run);
        RunningPod r = run;
        PodActions actions = PodActions.compute(pod.path("spec"), name -> observe(r, name), run.initialized);
        if (actions.initialized()) {
            run.initialized = true;
        }
        boolean terminal = false;
        if (actions.done()) { // nothing runs or will run again but sidecars: they stop, and the pod is done
            terminal = terminator.terminate(key, pod, run,
                    pod.path("spec").path("terminationGracePeriodSeconds").asLong(30), !actions.failed());
        } else {
            for (String name : actions.start()) {
                runContainer(key, pod, run, name);
            }
        }
        statusManager.write(pod, statusManager.generate(pod, run, terminal));
    }

    /** What a container of the pod does now, as {@link PodActions} reads it. */
    private PodActions.Observed observe(RunningPod run, String name) {
        ContainerSlot slot = run.containers().get(name);
        ContainerStatus cs = slot == null || slot.id == null ? null : runtime.containerStatus(slot.id);
        if (cs == null) {
            return PodActions.Observed.NONE;
        }
        return switch (cs.state()) {
            case RUNNING -> new PodActions.Observed(PodActions.State.RUNNING, 0, statusManager.started(cs.id()));
            case EXITED -> new PodActions.Observed(PodActions.State.EXITED, cs.exitCode(), false);
            default -> new PodActions.Observed(PodActions.State.RUNNING, 0, false); // being started
        };
    }

    /** Starts a container that has no instance, or restarts (after its back-off) one that exited. */
    private void runContainer(String key, ObjectNode pod, RunningPod run, String name) {
        ContainerSlot slot = run.containers().get(name);
        JsonNode c = containerSpec(pod, name);
        if (slot == null || c == null) {
            return;
        }
        if (slot.id == null) {
            if (!slot.createFailed) {
                startContainer(key, pod, run, c, slot);
            }
            return;
        }
        ContainerStatus cs = runtime.containerStatus(slot.id);
        if (cs != null && cs.state() == ContainerStatus.State.EXITED) {
            restartExited(key, pod, run, c, slot, cs);
        }
    }

    /**
     * A container whose liveness or startup probe failed is killed as kube's {@code killContainer} kills it: its
     * {@code preStop} hook, SIGTERM, SIGKILL after the grace period; each sync takes a kill under way a step further.
     */
    private void killUnhealthy(String key, ObjectNode pod, RunningPod run) {
        for (Map.Entry<String, ContainerSlot> e : run.containers().entrySet()) {
            ContainerSlot slot = e.getValue();
            String id = slot.id;
            PodTerminator.Kill kill = slot.kill;
            if (kill != null && !kill.id.equals(id)) {
                terminator.cancel(kill); // an instance since replaced
                slot.kill = kill = null;
            }
            if (id == null) {
                continue;
            }
            if (kill == null) {
                ProbeManager.Unhealthy unhealthy = probes.unhealthy(pod, id);
                if (unhealthy == null) {
                    continue;
                }
                kill = terminator.startKill(key, id, unhealthy.graceSeconds(), unhealthy.message());
                slot.kill = kill;
            }
            JsonNode spec = containerSpec(pod, e.getKey());
            if (spec == null || terminator.kill(key, pod, run, spec, kill)) {
                slot.kill = null;
            }
        }
    }

    /**
     * Takes the ends of the {@code postStart} hooks that ended, as kube's {@code startContainer} does: a container
     * whose hook succeeded is started (its probes begin); one whose hook failed gets a {@code FailedPostStartHook}
     * event and is killed as {@code killContainer} kills it ({@code preStop}, then the pod's grace period), then
     * restarted as its restart policy says.
     */
    private void endPostStarts(String key, ObjectNode pod, RunningPod run) {
        for (Map.Entry<String, ContainerSlot> e : run.containers().entrySet()) {
            ContainerSlot slot = e.getValue();
            PostStart hook = slot.postStart;
            if (hook == null) {
                continue;
            }
            if (!hook.id.equals(slot.id)) {
                slot.cancelPostStart(); // an instance since replaced
                continue;
            }
            if (!hook.done) {
                continue;
            }
            slot.postStart = null;
            JsonNode spec = containerSpec(pod, e.getKey());
            if (spec == null) {
                continue;
            }
            if (hook.failure == null) {
                probes.containerStarted(key, pod, spec, hook.id, run.sandboxId());
                continue;
            }
            LOG.debug("node {}: postStart hook of container {} of {} failed: {}", node.name(), e.getKey(), key,
                    hook.failure);
            // kube leaves the handler's message out of the event, lest it show a secret
            events.warning(pod, containerPath(pod, e.getKey()), "FailedPostStartHook", "PostStartHook failed");
            if (slot.kill == null || !slot.kill.id.equals(hook.id)) {
                slot.kill = terminator.startKill(key, hook.id, PodTerminator.gracePeriodSeconds(pod),
                        "FailedPostStartHook");
            }
        }
    }

    /** The spec of the pod's init or app container {@code name}, or null. */
    private static JsonNode containerSpec(ObjectNode pod, String name) {
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : pod.path("spec").path(list)) {
                if (name.equals(c.path("name").asText())) {
                    return c;
                }
            }
        }
        return null;
    }

    /** Whether the kubelet is stopping the pod's containers (its termination began: hooks run, SIGTERMs sent). */
    boolean isTerminating(String namespace, String name) {
        RunningPod run = running.get(namespace + "/" + name);
        return run != null && run.termination != null;
    }

    /** Where the readiness and {@code started} of containers come from: a probe manager. */
    void setProbeResults(StatusManager.ProbeResults probes) {
        statusManager.setProbeResults(probes);
    }

    /** The pod's sandbox, started without waiting for it: its containers are created once it runs. */
    private RunningPod startPod(String key, ObjectNode pod) {
        RunningPod run = new RunningPod(Json.uid(pod), new ConcurrentHashMap<>());
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : pod.path("spec").path(list)) {
                run.containers().put(c.path("name").asText(), new ContainerSlot());
            }
        }
        running.put(key, run);
        return run;
    }

    /**
     * kube's {@code createPodSandbox} step of {@code SyncPod}: true once the pod's sandbox runs. Else its start is
     * under way without holding this lane (its end syncs the pod again), or it failed: a
     * {@code FailedCreatePodSandBox} event, and it is tried again after the pod worker's back-off
     * ({@code backOffPeriod}), as kube's pod worker retries a failed sync.
     */
    private boolean ensureSandbox(String key, ObjectNode pod, RunningPod run) {
        if (run.sandboxId() != null) {
            return true;
        }
        if (run.sandboxStarting) {
            return false;
        }
        Instant now = ctx.clock().now();
        java.time.Duration backOff = ctx.timings().imageBackOffPeriod();
        Object result = run.sandboxResult;
        if (result != null) {
            run.sandboxResult = null;
            if (result instanceof String id) {
                podOfSandbox.put(id, key);
                run.sandboxId = id;
                run.sandboxFailedAt = null;
                return true;
            }
            RuntimeError e = (RuntimeError) result;
            events.warning(pod, "FailedCreatePodSandBox", "Failed to create pod sandbox: " + e.getMessage());
            LOG.debug("node {}: the sandbox of {} failed: {}", node.name(), key, e.getMessage());
            run.sandboxFailedAt = now;
            queue.addAt(key, now.plus(backOff));
            return false;
        }
        if (run.sandboxFailedAt != null && now.isBefore(run.sandboxFailedAt.plus(backOff))) {
            queue.addAt(key, run.sandboxFailedAt.plus(backOff));
            return false;
        }
        run.sandboxStarting = true;
        java.util.concurrent.atomic.AtomicBoolean sync = new java.util.concurrent.atomic.AtomicBoolean();
        runtime.runPodSandbox(sandboxConfig(pod), new dev.drydock.runtime.PodSandboxListener() {
            @Override
            public void ready(String sandboxId) {
                done(sandboxId);
            }

            @Override
            public void failed(RuntimeError error) {
                done(error);
            }

            private void done(Object outcome) {
                boolean gone;
                synchronized (run) {
                    gone = run.killed || stopped;
                    if (!gone) {
                        run.sandboxResult = outcome;
                    }
                    run.sandboxStarting = false;
                }
                if (gone) { // its pod went (or its node) meanwhile: nothing of it may be left
                    if (outcome instanceof String sandboxId) {
                        removeSandbox(key, sandboxId);
                    }
                } else if (sync.get()) {
                    queue.add(key);
                }
            }
        });
        sync.set(true);
        if (!run.sandboxStarting) { // it ended at once
            return ensureSandbox(key, pod, run);
        }
        return false;
    }

    private static PodSandboxConfig sandboxConfig(ObjectNode pod) {
        ObjectNode meta = (ObjectNode) pod.path("metadata");
        Map<String, String> labels = new LinkedHashMap<>();
        meta.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<PodSandboxConfig.PortMapping> ports = new ArrayList<>();
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : pod.path("spec").path(list)) {
                for (JsonNode p : c.path("ports")) {
                    ports.add(new PodSandboxConfig.PortMapping(p.path("protocol").asText("TCP"),
                            p.path("containerPort").asInt()));
                }
            }
        }
        int concurrent = pod.path("spec").path("containers").size();
        for (JsonNode init : pod.path("spec").path("initContainers")) {
            concurrent += "Always".equals(init.path("restartPolicy").asText()) ? 1 : 0;
        }
        return new PodSandboxConfig(Json.namespace(pod), Json.name(pod), Json.uid(pod), labels, ports, concurrent);
    }

    /** Pulls the image of one container as needed, then creates and starts it; its waiting reason says how far. */
    private void startContainer(String key, ObjectNode pod, RunningPod run, JsonNode c, ContainerSlot slot) {
        String name = c.path("name").asText();
        if (slot.starting) {
            return; // its end syncs the pod again
        }
        Object result = slot.startResult;
        if (result != null) {
            slot.startResult = null;
            if (result instanceof RuntimeError e) {
                startFailed(key, pod, slot, name, e);
                return;
            }
            String id = (String) result;
            events.normal(pod, containerPath(pod, name), "Started", "Started container " + name);
            slot.waitingReason = null;
            slot.waitingMessage = null;
            slot.id = id;
            if (slot.previousId != null) {
                slot.restarts++;
            }
            JsonNode hook = c.path("lifecycle").path("postStart");
            if (LifecycleHooks.isHandler(hook)) {
                PostStart postStart = new PostStart(id);
                slot.postStart = postStart;
                postStart.cancel = hooks.run(hook, c, run.sandboxId(), id, why -> {
                    postStart.failure = why;
                    postStart.done = true;
                    queue.add(key);
                });
                return; // its end syncs the pod again
            }
            probes.containerStarted(key, pod, c, id, run.sandboxId());
            return;
        }
        String image = c.path("image").asText();
        if (!ensureImage(key, pod, c, slot, image)) {
            return;
        }
        ContainerConfig config;
        try {
            config = containerConfig(pod, c, run);
        } catch (RuntimeError e) {
            startFailed(key, pod, slot, name, e);
            return;
        }
        // The runtime creates and starts it without holding this lane (Docker takes hundreds of milliseconds); its
        // end is taken by the pod's next sync, at once if it ended already.
        slot.starting = true;
        java.util.concurrent.atomic.AtomicBoolean sync = new java.util.concurrent.atomic.AtomicBoolean();
        runtime.createAndStartContainer(run.sandboxId(), config, new ContainerStartListener() {
            @Override
            public void created(String containerId) {
                events.normal(pod, containerPath(pod, name), "Created", "Created container " + name);
            }

            @Override
            public void started(String containerId) {
                done(containerId, containerId);
            }

            @Override
            public void failed(String containerId, RuntimeError error) {
                done(containerId, error);
            }

            private void done(String containerId, Object outcome) {
                if (run.killed) { // its pod went meanwhile: nothing may outlive the sandbox
                    if (containerId != null) {
                        try {
                            runtime.removeContainer(containerId);
                        } catch (RuntimeError e) {
                            LOG.debug("node {}: removing {} failed: {}", node.name(), containerId, e.getMessage());
                        }
                    }
                    return;
                }
                slot.startResult = outcome;
                slot.starting = false;
                if (sync.get()) {
                    queue.add(key);
                }
            }
        });
        sync.set(true);
        if (!slot.starting) { // it ended at once
            startContainer(key, pod, run, c, slot);
        }
    }

    /**
     * The field path by which kube's kubelet refers to a container in its events ({@code GenerateContainerRef}):
     * {@code spec.containers{name}}, {@code spec.initContainers{name}} or {@code spec.ephemeralContainers{name}}.
     */
    static String containerPath(JsonNode pod, String name) {
        for (String list : new String[] {"containers", "initContainers", "ephemeralContainers"}) {
            JsonNode containers = pod.path("spec").path(list);
            for (int i = 0; i < containers.size(); i++) {
                if (containers.get(i).path("name").asText().equals(name)) {
                    return name.isEmpty() ? "spec." + list + "[" + i + "]" : "spec." + list + "{" + name + "}";
                }
            }
        }
        return "implicitly required container " + name;
    }

    private static String containerPath(JsonNode pod, JsonNode container) {
        return containerPath(pod, container.path("name").asText());
    }

    /** A container that could not be created or started: its waiting reason says why, and when it is tried again. */
    private void startFailed(String key, ObjectNode pod, ContainerSlot slot, String name, RuntimeError e) {
        if (ContainerEnvironment.retries(e)) {
            configFailed(key, pod, slot, name, e);
            return;
        }
        events.warning(pod, containerPath(pod, name), "Failed", "Error: " + e.reason() + ": " + e.getMessage());
        LOG.debug("node {}: container {} of {} failed: {}", node.name(), name, Json.key(pod), e.getMessage());
        slot.createFailed = true;
        slot.waitingReason = switch (e.reason()) {
            case "InvalidImageName", "CreateContainerConfigError" -> e.reason();
            default -> "CreateContainerError";
        };
        slot.waitingMessage = e.getMessage();
    }

    /**
     * kube's image manager ({@code EnsureImageExists}): true once the image is on the node as the container's pull
     * policy wants it; otherwise the slot says why it waits (a pull under way, {@code ErrImagePull},
     * {@code ImagePullBackOff}, {@code ErrImageNeverPull}) and a sync is due when that may change.
     */
    private boolean ensureImage(String key, ObjectNode pod, JsonNode c, ContainerSlot slot, String image) {
        if (slot.pulling) {
            return false; // its end syncs the pod again
        }
        Instant now = ctx.clock().now();
        Object result = slot.pullResult;
        if (result != null) {
            slot.pullResult = null;
            if (result instanceof Pulled p) {
                java.time.Duration took = java.time.Duration.between(slot.pullStarted, now);
                events.normal(pod, containerPath(pod, c), "Pulled",
                        "Successfully pulled image \"" + image + "\" in " + goDuration(took)
                        + " (" + goDuration(took) + " including waiting). Image size: " + p.sizeBytes() + " bytes.");
                slot.pullFailedAt = null;
                slot.pullBackOff = null;
                return true;
            }
            RuntimeError e = (RuntimeError) result;
            events.warning(pod, containerPath(pod, c), "Failed",
                    "Failed to pull image \"" + image + "\": " + e.getMessage());
            events.warning(pod, containerPath(pod, c), "Failed", "Error: ErrImagePull");
            // flowcontrol.Backoff's Next: from the start again once it lay unused for twice the maximum
            java.time.Duration max = ctx.timings().maxImageBackOff();
            boolean expired = slot.pullFailedAt == null
                    || java.time.Duration.between(slot.pullFailedAt, now).compareTo(max.multipliedBy(2)) > 0;
            slot.pullBackOff = expired ? ctx.timings().imageBackOffPeriod()
                    : slot.pullBackOff.multipliedBy(2).compareTo(max) > 0 ? max : slot.pullBackOff.multipliedBy(2);
            slot.pullFailedAt = now;
            slot.waitingReason = "ErrImagePull";
            slot.waitingMessage = e.getMessage();
            // kube's pod worker syncs a pod whose sync failed again after backOffPeriod: within the back-off that
            // sync shows ImagePullBackOff, past it the image is pulled again
            java.time.Duration retry = ctx.timings().imageBackOffPeriod();
            resyncAt(key, slot, now.plus(retry.compareTo(slot.pullBackOff) < 0 ? retry : slot.pullBackOff));
            return false;
        }
        String policy = pullPolicy(c);
        boolean present = runtime.imagePresent(image);
        if (present && !policy.equals("Always")) {
            events.normal(pod, containerPath(pod, c), "Pulled",
                    "Container image \"" + image + "\" already present on machine");
            return true;
        }
        if (policy.equals("Never")) {
            String message = "Container image \"" + image + "\" is not present with pull policy of Never";
            if (!"ErrImageNeverPull".equals(slot.waitingReason)) {
                events.warning(pod, containerPath(pod, c), "ErrImageNeverPull", message);
                events.warning(pod, containerPath(pod, c), "Failed", "Error: ErrImageNeverPull");
            }
            slot.waitingReason = "ErrImageNeverPull";
            slot.waitingMessage = message;
            return false; // kube retries at its pod worker's resync; a new pod (or image) is what changes it here
        }
        if (slot.pullFailedAt != null && now.isBefore(slot.pullFailedAt.plus(slot.pullBackOff))) {
            if ("ErrImagePull".equals(slot.waitingReason)
                    && now.isBefore(slot.pullFailedAt.plus(ctx.timings().imageBackOffPeriod()))) {
                // a sync of the pod's own update: kube's pod worker retries only after backOffPeriod, so until
                // then the pod shows the failed pull
                return false;
            }
            if (!"ImagePullBackOff".equals(slot.waitingReason)) {
                events.normal(pod, containerPath(pod, c), "BackOff", "Back-off pulling image \"" + image + "\"");
                events.warning(pod, containerPath(pod, c), "Failed", "Error: ImagePullBackOff");
                slot.waitingMessage = "Back-off pulling image \"" + image + "\": " + slot.waitingMessage;
            }
            slot.waitingReason = "ImagePullBackOff";
            resyncAt(key, slot, slot.pullFailedAt.plus(slot.pullBackOff));
            return false;
        }
        events.normal(pod, containerPath(pod, c), "Pulling", "Pulling image \"" + image + "\"");
        slot.pulling = true;
        slot.pullStarted = now;
        slot.waitingReason = null;
        slot.waitingMessage = null;
        java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();
        runtime.pullImage(image, new dev.drydock.runtime.ImagePullListener() {
            @Override
            public void pulled(String pulledImage, long sizeBytes) {
                done(new Pulled(sizeBytes));
            }

            @Override
            public void failed(RuntimeError error) {
                done(error);
            }

            private void done(Object outcome) {
                slot.pullResult = outcome;
                slot.pulling = false;
                if (returned.get()) {
                    // A pull that ended inside pullImage is this sync's to take: a sync of its own would pull an
                    // image whose policy is Always again, and so on, in a loop as fast as the runtime answers
                    queue.add(key);
                }
            }
        });
        returned.set(true);
        if (!slot.pulling) { // it ended at once
            return ensureImage(key, pod, c, slot, image);
        }
        return false;
    }

    /** Syncs the pod again at {@code at} on the cluster's clock, unless a sync is due then already. */
    private void resyncAt(String key, ContainerSlot slot, Instant at) {
        if (at.equals(slot.pullResyncAt)) {
            return;
        }
        slot.pullResyncAt = at;
        try {
            java.time.Duration delay = java.time.Duration.between(ctx.clock().now(), at);
            ctx.timers().after(delay.isNegative() ? java.time.Duration.ZERO : delay, () -> queue.add(key));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("node {}: not syncing {} again: the cluster is closing", node.name(), key);
        }
    }

    /** The container's {@code imagePullPolicy}, or kube's default: Always for {@code :latest} or no tag. */
    static String pullPolicy(JsonNode c) {
        String policy = c.path("imagePullPolicy").asText("");
        if (!policy.isEmpty()) {
            return policy;
        }
        String image = c.path("image").asText();
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        String repository = dev.drydock.runtime.ImageRegistry.repository(image);
        return repository.equals(image) || image.endsWith(":latest") ? "Always" : "IfNotPresent";
    }

    /**
     * Restarts a container that exited (as {@link PodActions} decided from the pod's {@code restartPolicy}) with
     * kube's back-off: the first restart at once, then after {@code containerBackOffPeriod}, doubled each time up to
     * {@code maxContainerBackOff}; meanwhile the container waits in {@code CrashLoopBackOff}. The instance before is
     * kept (its log is what {@code kubectl logs --previous} reads); the one before that goes.
     */
    private void restartExited(String key, ObjectNode pod, RunningPod run, JsonNode c, ContainerSlot slot,
                               ContainerStatus cs) {
        Instant now = ctx.clock().now();
        if (slot.backOff != null) {
            Instant due = (cs.finishedAt() == null ? now : cs.finishedAt()).plus(slot.backOff);
            if (now.isBefore(due)) {
                slot.waitingUntil = due;
                if (!slot.resyncScheduled) {
                    slot.resyncScheduled = true;
                    events.warning(pod, containerPath(pod, c), "BackOff",
                            "Back-off restarting failed container " + c.path("name").asText() + " in pod "
                            + Json.name(pod) + "_" + Json.namespace(pod) + "(" + Json.uid(pod) + ")");
                    queue.addAt(key, due);
                }
                return;
            }
        }
        slot.resyncScheduled = false;
        java.time.Duration max = ctx.timings().maxContainerBackOff();
        slot.backOff = slot.backOff == null ? ctx.timings().containerBackOffPeriod()
                : slot.backOff.multipliedBy(2).compareTo(max) > 0 ? max : slot.backOff.multipliedBy(2);
        slot.waitingUntil = null;
        if (slot.previousId != null) {
            try {
                runtime.removeContainer(slot.previousId);
            } catch (RuntimeError e) {
                LOG.debug("node {}: removing {} failed: {}", node.name(), slot.previousId, e.getMessage());
            }
        }
        slot.previousId = slot.id;
        slot.id = null;
        startContainer(key, pod, run, c, slot);
    }

    /** The runtime's config of a container: its environment, volumes and resources resolved. */
    private ContainerConfig containerConfig(ObjectNode pod, JsonNode c, RunningPod run) {
        PodSandboxStatus sandbox = runtime.podSandboxStatus(run.sandboxId());
        return environment.config(pod, c, sandbox == null ? null : sandbox.ip());
    }

    /**
     * A container's config could not be made: what it references is missing. As kube, the container waits with
     * {@code CreateContainerConfigError} (a volume that cannot be set up: the pod waits in
     * {@code ContainerCreating}, with a {@code FailedMount} event), and the pod is synced again after the pod
     * worker's back-off, so the container starts once what it needs appears.
     */
    private void configFailed(String key, ObjectNode pod, ContainerSlot slot, String name, RuntimeError e) {
        if (e.reason().equals(ContainerEnvironment.FAILED_MOUNT)) {
            if (!e.getMessage().equals(slot.mountFailure)) {
                events.warning(pod, "FailedMount", e.getMessage());
            }
            slot.mountFailure = e.getMessage();
            slot.waitingReason = null;
            slot.waitingMessage = null;
        } else {
            if (!e.reason().equals(slot.waitingReason) || !e.getMessage().equals(slot.waitingMessage)) {
                events.warning(pod, containerPath(pod, name), "Failed", "Error: " + e.getMessage());
            }
            slot.mountFailure = null;
            slot.waitingReason = e.reason();
            slot.waitingMessage = e.getMessage();
        }
        resyncAt(key, slot, ctx.clock().now().plus(ctx.timings().imageBackOffPeriod()));
    }

    /**
     * The end of a graceful deletion, as kube's status manager: once the pod's containers are stopped, it deletes
     * the pod with no grace period left (and its uid as a precondition, so a new pod of the same name is safe).
     */
    private void confirmDeletion(ObjectNode pod) {
        if (pod.path("metadata").path("deletionGracePeriodSeconds").asLong(0) == 0) {
            return; // finalizers hold it, not its kubelet: nothing to confirm
        }
        try {
            client.delete(Resource.PODS, Json.namespace(pod), Json.name(pod), null, Json.uid(pod), 0L);
        } catch (ApiException e) {
            if (!e.isNotFound() && !e.isConflict()) {
                throw e;
            }
        }
    }

    private void killPod(String key, RunningPod run) {
        String sandbox;
        synchronized (run) { // a sandbox whose start ends after this is removed by that end
            run.killed = true;
            sandbox = run.sandboxId() != null ? run.sandboxId()
                    : run.sandboxResult instanceof String started ? started : null;
            run.sandboxResult = null;
        }
        run.containers().values().forEach(ContainerSlot::cancelPostStart);
        terminator.forget(run);
        running.remove(key);
        probes.podGone(key);
        if (sandbox != null) {
            removeSandbox(key, sandbox);
        }
    }

    private void removeSandbox(String key, String sandbox) {
        podOfSandbox.remove(sandbox);
        try {
            runtime.stopPodSandbox(sandbox);
            runtime.removePodSandbox(sandbox);
        } catch (RuntimeError e) {
            LOG.debug("node {}: stopping {} failed: {}", node.name(), key, e.getMessage());
        }
    }

    /** A duration as Go prints it ({@code 10s}, {@code 2m40s}, {@code 250ms}), for kube's back-off message. */
    static String goDuration(java.time.Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long m = ms / 60_000;
        double s = (ms % 60_000) / 1000.0;
        String sec = s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
        return (m > 0 ? m + "m" : "") + sec + "s";
    }

    // ---- what the streaming endpoints see

    /** The pod this kubelet runs under {@code namespace/name}, or null. */
    ObjectNode pod(String namespace, String name) {
        ObjectNode pod = pods.get(namespace + "/" + name);
        return pod != null && running.containsKey(namespace + "/" + name) ? pod : null;
    }

    /** The sandbox of a running pod, or null. */
    String sandboxOf(String namespace, String name) {
        RunningPod run = running.get(namespace + "/" + name);
        return run == null ? null : run.sandboxId();
    }

    /** The current and previous instance of a pod's container, or null if the kubelet does not run it. */
    ContainerIds containerIds(String namespace, String name, String container) {
        RunningPod run = running.get(namespace + "/" + name);
        ContainerSlot slot = run == null ? null : run.containers().get(container);
        return slot == null ? null : new ContainerIds(slot.id, slot.previousId);
    }

    /**
     * The id of the current instance of a container of a pod this kubelet runs, or null if it runs no such pod or
     * container, or the container could not be created.
     */
    public String containerId(String namespace, String pod, String container) {
        ContainerIds ids = containerIds(namespace, pod, container);
        return ids == null ? null : ids.current();
    }

    /** A container's instances: the current one (null if it could not be created) and the one before it. */
    record ContainerIds(String current, String previous) {
    }

    ContainerRuntime runtime() {
        return runtime;
    }

    /** The pods this kubelet runs now, as its informer has them: for its summary API. */
    List<ObjectNode> runningPods() {
        List<ObjectNode> out = new ArrayList<>();
        for (String key : running.keySet()) {
            ObjectNode pod = pods.get(key);
            if (pod != null) {
                out.add(pod);
            }
        }
        return out;
    }

    Instant now() {
        return ctx.clock().now();
    }

    /** The node's streaming endpoints (exec, attach, port-forward, logs), as the API server reaches them. */
    public NodeStreams streams() {
        return streams;
    }
}

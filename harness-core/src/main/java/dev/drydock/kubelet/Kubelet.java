package dev.drydock.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.base.Timers;
import dev.drydock.client.EventRecorder;
import dev.drydock.client.Informer;
import dev.drydock.client.KubeClient;
import dev.drydock.client.WorkQueue;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Conditions;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Semantic;
import dev.drydock.runtime.ContainerConfig;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.ContainerStatus;
import dev.drydock.runtime.NodeStreams;
import dev.drydock.runtime.PodSandboxConfig;
import dev.drydock.runtime.PodSandboxStatus;
import dev.drydock.runtime.RuntimeError;
import dev.drydock.runtime.StreamHandle;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
    private static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

    /** What the kubelet runs for one pod: its sandbox and, by name, its containers. */
    private record RunningPod(String uid, String sandboxId, Map<String, ContainerSlot> containers) {
    }

    /** One container of a running pod: its instance now, the one before, and its restarts and back-off. */
    private static final class ContainerSlot {
        volatile String id;
        volatile String previousId;
        volatile int restarts;
        java.time.Duration backOff;
        volatile Instant waitingUntil;
        volatile boolean resyncScheduled;
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
        /** The container could not be created for another reason than its image: it is not tried again. */
        boolean createFailed;
    }

    /** A pull that succeeded, as {@link ContainerSlot#pullResult} holds it. */
    private record Pulled(long sizeBytes) {
    }

    private final NodeConfig node;
    private final KubeClient client;
    private final ContainerRuntime runtime;
    private final ComponentContext ctx;
    private final EventRecorder events;
    private final Informer pods;
    private final WorkQueue queue;
    private final Map<String, RunningPod> running = new ConcurrentHashMap<>();
    private final KubeletStreams streams;
    private final Map<String, String> podOfSandbox = new ConcurrentHashMap<>();
    private final List<Timers.Task> timers = new ArrayList<>();
    private volatile boolean stopped;
    /** While frozen ({@link #freeze()}), the pod keys whose syncs wait for {@link #thaw()}; null when not frozen. */
    private java.util.Set<String> deferredSyncs; // guarded by frozenLock
    /** The streams opened while frozen, connected at {@link #thaw()}. */
    private final List<DeferredStream> deferredStreams = new ArrayList<>(); // guarded by frozenLock
    private final Object frozenLock = new Object();
    private volatile boolean frozen;
    private volatile Instant lastStatusPost = Instant.EPOCH;
    /** The Lease as the last renewal wrote it; null when it must be read again. */
    private volatile ObjectNode lastLease;
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
        this.events = new EventRecorder(client, ctx.clock(), "kubelet", node.name());
        java.nio.ByteBuffer id = dev.drydock.base.Seeds.digest(ctx.seed(), "kubelet/boot-id", node.name(), boot);
        this.bootId = new java.util.UUID(id.getLong() & ~0xF000L | 0x4000L,
                id.getLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L).toString();
        this.queue = new WorkQueue("kubelet-" + node.name(), ctx, this::syncPod);
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
            }

            @Override
            public void onDelete(ObjectNode obj) {
                queue.add(Json.key(obj));
            }
        });
        this.streams = new KubeletStreams(this);
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
            timers.add(ctx.timers().every("node " + node.name() + ": lease renewal", java.time.Duration.ZERO,
                    ctx.timings().nodeLeaseRenewInterval(), this::heartbeat));
            timers.add(ctx.timers().every("node " + node.name() + ": node status update", java.time.Duration.ZERO,
                    ctx.timings().nodeStatusUpdateFrequency(), this::postNodeStatus));
        }
        pods.start();
    }

    /** Stops at once, as a power cut: no goodbye to the API server; streams waiting on a frozen kubelet fail. */
    @Override
    public void close() {
        stopped = true;
        queue.shutdown();
        pods.close();
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

    /**
     * Renews the node's Lease. Like kube's lease controller it updates the copy its last write returned, and reads
     * the Lease again only when that copy is missing or stale (a conflict or a failure).
     */
    private void heartbeat() {
        if (stopped || frozen) {
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
            throw e; // reported by the timers, once per streak of failures
        }
    }

    /**
     * Registers the node if needed, and posts its status when it changed or when the report is due. A failure is
     * reported by the timers (once per streak); a conflict (the node lifecycle controller wrote the node between
     * the read and the write) is retried at the next tick quietly.
     */
    private void postNodeStatus() {
        if (stopped || frozen) {
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


    // ---- pods

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
        if (pod == null || Json.isDeleting(pod) || run != null && !run.uid().equals(Json.uid(pod))) {
            if (run != null) {
                killPod(key, run);
            }
            if (pod != null && Json.isDeleting(pod)) {
                confirmDeletion(pod);
            }
            if (pod == null || Json.isDeleting(pod)) {
                return;
            }
            run = null;
        }
        String phase = Json.text(pod, "status", "phase");
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return;
        }
        if (run == null) {
            run = startPod(key, pod);
            if (run == null) {
                return;
            }
        }
        startMissing(key, pod, run);
        restartExited(key, pod, run);
        ObjectNode status = podStatus(pod, run);
        if (!Semantic.equal(status, pod.path("status"))) {
            ObjectNode updated = pod.deepCopy();
            updated.set("status", status);
            try {
                client.updateStatus(Resource.PODS, updated);
            } catch (ApiException e) {
                // On a conflict the informer brings the newer pod and its update syncs the key again.
                if (!e.isConflict() && !e.isNotFound()) {
                    throw e;
                }
            }
        }
    }

    private RunningPod startPod(String key, ObjectNode pod) {
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
        String sandbox = runtime.runPodSandbox(new PodSandboxConfig(Json.namespace(pod), Json.name(pod),
                Json.uid(pod), labels, ports, concurrent));
        podOfSandbox.put(sandbox, key);
        RunningPod run = new RunningPod(Json.uid(pod), sandbox, new ConcurrentHashMap<>());
        running.put(key, run);
        for (JsonNode c : pod.path("spec").path("containers")) {
            ContainerSlot slot = new ContainerSlot();
            run.containers().put(c.path("name").asText(), slot);
        }
        return run;
    }

    /**
     * Gives every container of the pod that has no instance one, as kube's {@code startContainer}: its image first
     * (as its {@code imagePullPolicy} says, with kube's image back-off), then create and start. A pull runs without
     * holding the pod's lane: its end syncs the pod again.
     */
    private void startMissing(String key, ObjectNode pod, RunningPod run) {
        for (JsonNode c : pod.path("spec").path("containers")) {
            ContainerSlot slot = run.containers().get(c.path("name").asText());
            if (slot != null && slot.id == null && !slot.createFailed) {
                startContainer(key, pod, run, c, slot);
            }
        }
    }

    /** Pulls the image of one container as needed, then creates and starts it; its waiting reason says how far. */
    private void startContainer(String key, ObjectNode pod, RunningPod run, JsonNode c, ContainerSlot slot) {
        String name = c.path("name").asText();
        String image = c.path("image").asText();
        if (!ensureImage(key, pod, c, slot, image)) {
            return;
        }
        try {
            String id = runtime.createContainer(run.sandboxId(), containerConfig(c));
            events.normal(pod, "Created", "Created container " + name);
            runtime.startContainer(id);
            events.normal(pod, "Started", "Started container " + name);
            slot.waitingReason = null;
            slot.waitingMessage = null;
            slot.id = id;
            if (slot.previousId != null) {
                slot.restarts++;
            }
        } catch (RuntimeError e) {
            events.warning(pod, "Failed", "Error: " + e.reason() + ": " + e.getMessage());
            LOG.debug("node {}: container {} of {} failed: {}", node.name(), name, Json.key(pod), e.getMessage());
            slot.createFailed = true;
            slot.waitingReason = switch (e.reason()) {
                case "InvalidImageName", "CreateContainerConfigError" -> e.reason();
                default -> "CreateContainerError";
            };
            slot.waitingMessage = e.getMessage();
        }
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
                events.normal(pod, "Pulled", "Successfully pulled image \"" + image + "\" in " + goDuration(took)
                        + " (" + goDuration(took) + " including waiting). Image size: " + p.sizeBytes() + " bytes.");
                slot.pullFailedAt = null;
                slot.pullBackOff = null;
                return true;
            }
            RuntimeError e = (RuntimeError) result;
            events.warning(pod, "Failed", "Failed to pull image \"" + image + "\": " + e.getMessage());
            events.warning(pod, "Failed", "Error: ErrImagePull");
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
            events.normal(pod, "Pulled", "Container image \"" + image + "\" already present on machine");
            return true;
        }
        if (policy.equals("Never")) {
            String message = "Container image \"" + image + "\" is not present with pull policy of Never";
            if (!"ErrImageNeverPull".equals(slot.waitingReason)) {
                events.warning(pod, "ErrImageNeverPull", message);
                events.warning(pod, "Failed", "Error: ErrImageNeverPull");
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
                events.normal(pod, "BackOff", "Back-off pulling image \"" + image + "\"");
                events.warning(pod, "Failed", "Error: ImagePullBackOff");
                slot.waitingMessage = "Back-off pulling image \"" + image + "\": " + slot.waitingMessage;
            }
            slot.waitingReason = "ImagePullBackOff";
            resyncAt(key, slot, slot.pullFailedAt.plus(slot.pullBackOff));
            return false;
        }
        events.normal(pod, "Pulling", "Pulling image \"" + image + "\"");
        slot.pulling = true;
        slot.pullStarted = now;
        slot.waitingReason = null;
        slot.waitingMessage = null;
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
                queue.add(key);
            }
        });
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
     * Restarts the containers that exited, as the pod's {@code restartPolicy} says (Always, the default; OnFailure;
     * Never), with kube's back-off: the first restart at once, then after {@code containerBackOffPeriod}, doubled
     * each time up to {@code maxContainerBackOff}; meanwhile the container waits in {@code CrashLoopBackOff}. The
     * instance before is kept (its log is what {@code kubectl logs --previous} reads); the one before that goes.
     */
    private void restartExited(String key, ObjectNode pod, RunningPod run) {
        String policy = Json.text(pod, "spec", "restartPolicy");
        Instant now = ctx.clock().now();
        for (JsonNode c : pod.path("spec").path("containers")) {
            ContainerSlot slot = run.containers().get(c.path("name").asText());
            ContainerStatus cs = slot == null || slot.id == null ? null : runtime.containerStatus(slot.id);
            if (cs == null || cs.state() != ContainerStatus.State.EXITED || !restarts(policy, cs.exitCode())) {
                continue;
            }
            if (slot.backOff != null) {
                Instant due = (cs.finishedAt() == null ? now : cs.finishedAt()).plus(slot.backOff);
                if (now.isBefore(due)) {
                    slot.waitingUntil = due;
                    if (!slot.resyncScheduled) {
                        slot.resyncScheduled = true;
                        events.warning(pod, "BackOff", "Back-off restarting failed container " + c.path("name")
                                .asText() + " in pod " + Json.name(pod) + "_" + Json.namespace(pod) + "("
                                + Json.uid(pod) + ")");
                        try {
                            ctx.timers().after(java.time.Duration.between(now, due), () -> {
                                slot.resyncScheduled = false;
                                queue.add(key);
                            });
                        } catch (java.util.concurrent.RejectedExecutionException e) {
                            slot.resyncScheduled = false; // the cluster is closing
                        }
                    }
                    continue;
                }
            }
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
    }

    private static boolean restarts(String policy, int exitCode) {
        return policy == null || policy.equals("Always") || policy.equals("OnFailure") && exitCode != 0;
    }

    private static ContainerConfig containerConfig(JsonNode c) {
        List<String> command = new ArrayList<>();
        c.path("command").forEach(x -> command.add(x.asText()));
        List<String> args = new ArrayList<>();
        c.path("args").forEach(x -> args.add(x.asText()));
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : c.path("env")) {
            if (e.has("value")) {
                env.put(e.path("name").asText(), e.path("value").asText());
            }
        }
        return new ContainerConfig(c.path("name").asText(), c.path("image").asText(),
                pullPolicy(c), command, args, env, c.path("stdin").asBoolean(),
                c.path("stdinOnce").asBoolean(), c.path("tty").asBoolean());
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
        running.remove(key);
        podOfSandbox.remove(run.sandboxId());
        try {
            runtime.stopPodSandbox(run.sandboxId());
            runtime.removePodSandbox(run.sandboxId());
        } catch (RuntimeError e) {
            LOG.debug("node {}: stopping {} failed: {}", node.name(), key, e.getMessage());
        }
    }

    /** The pod's status as the kubelet computes it from the runtime (kube's {@code generateAPIPodStatus}). */
    private ObjectNode podStatus(ObjectNode pod, RunningPod run) {
        JsonNode old = pod.path("status");
        Instant now = ctx.clock().now();
        String t = now.truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode status = Json.object();
        boolean allReady = true;
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        ArrayNode containerStatuses = Json.array();
        for (JsonNode c : pod.path("spec").path("containers")) {
            String name = c.path("name").asText();
            ContainerSlot slot = run.containers().get(name);
            ContainerStatus cs = slot == null || slot.id == null ? null : runtime.containerStatus(slot.id);
            ContainerStatus last = slot == null || slot.previousId == null ? null
                    : runtime.containerStatus(slot.previousId);
            ObjectNode s = containerStatuses.addObject();
            s.put("name", name);
            ObjectNode state = s.putObject("state");
            boolean isRunning = cs != null && cs.state() == ContainerStatus.State.RUNNING;
            if (isRunning) {
                state.putObject("running").put("startedAt", seconds(cs.startedAt()));
                running++;
            } else if (cs != null && cs.state() == ContainerStatus.State.EXITED && slot.waitingUntil != null) {
                // exited, and waits to be restarted: what it was is its last state
                last = cs;
                state.putObject("waiting").put("reason", "CrashLoopBackOff").put("message", "back-off "
                        + goDuration(slot.backOff) + " restarting failed container=" + name + " pod="
                        + Json.name(pod) + "_" + Json.namespace(pod) + "(" + Json.uid(pod) + ")");
                stopped++;
                succeeded += cs.exitCode() == 0 ? 1 : 0;
            } else if (cs != null && cs.state() == ContainerStatus.State.EXITED) {
                state.set("terminated", terminated(cs));
                stopped++;
                succeeded += cs.exitCode() == 0 ? 1 : 0;
            } else {
                ObjectNode w = state.putObject("waiting");
                String reason = cs != null || slot == null || slot.waitingReason == null ? "ContainerCreating"
                        : slot.waitingReason;
                w.put("reason", reason);
                if (cs == null && slot != null && slot.waitingMessage != null) {
                    w.put("message", slot.waitingMessage);
                }
                if (last != null) {
                    stopped++;
                } else {
                    waiting++;
                }
            }
            if (last != null) {
                s.putObject("lastState").set("terminated", terminated(last));
            } else {
                s.putObject("lastState");
            }
            s.put("ready", isRunning);
            s.put("restartCount", slot == null ? 0 : slot.restarts);
            s.put("image", c.path("image").asText());
            s.put("imageID", "");
            if (cs != null) {
                s.put("containerID", "drydock://" + cs.id());
            }
            s.put("started", isRunning);
            allReady &= isRunning;
        }
        status.put("phase", phase(Json.text(pod, "spec", "restartPolicy"), running, waiting, stopped, succeeded));
        ArrayNode conditions = status.putArray("conditions");
        JsonNode before = old.path("conditions");
        Conditions.set(conditions, before, "PodReadyToStartContainers", "True", null, null, Conditions.PROBE, now);
        Conditions.set(conditions, before, "Initialized", "True", null, null, Conditions.PROBE, now);
        Conditions.set(conditions, before, "Ready", allReady ? "True" : "False", null, null, Conditions.PROBE, now);
        Conditions.set(conditions, before, "ContainersReady", allReady ? "True" : "False", null, null,
                Conditions.PROBE, now);
        Conditions.set(conditions, before, "PodScheduled", "True", null, null, Conditions.PROBE, now);
        status.put("hostIP", node.internalIp());
        status.putArray("hostIPs").addObject().put("ip", node.internalIp());
        PodSandboxStatus sandbox = runtime.podSandboxStatus(run.sandboxId());
        if (sandbox != null && sandbox.ip() != null) {
            status.put("podIP", sandbox.ip());
            status.putArray("podIPs").addObject().put("ip", sandbox.ip());
        }
        status.put("startTime", old.path("startTime").asText(t));
        status.set("containerStatuses", containerStatuses);
        status.put("qosClass", old.path("qosClass").asText("BestEffort"));
        return status;
    }

    /** kube's {@code getPhase}: a pod whose containers all stopped runs on while any will restart. */
    private static String phase(String policy, int running, int waiting, int stopped, int succeeded) {
        if (waiting > 0) {
            return "Pending";
        }
        if (running > 0) {
            return "Running";
        }
        if (stopped == 0) {
            return "Pending";
        }
        if (policy == null || policy.equals("Always")) {
            return "Running";
        }
        if (stopped == succeeded) {
            return "Succeeded";
        }
        return policy.equals("Never") ? "Failed" : "Running";
    }

    private static ObjectNode terminated(ContainerStatus cs) {
        ObjectNode t = Json.object();
        t.put("exitCode", cs.exitCode()).put("reason", cs.reason()).put("startedAt", seconds(cs.startedAt()))
                .put("finishedAt", seconds(cs.finishedAt())).put("containerID", "drydock://" + cs.id());
        return t;
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

    /** The node's streaming endpoints (exec, attach, port-forward, logs), as the API server reaches them. */
    public NodeStreams streams() {
        return streams;
    }

    private static String seconds(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String microTime(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS).toString();
    }
}

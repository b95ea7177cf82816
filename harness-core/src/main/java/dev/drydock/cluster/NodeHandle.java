package dev.drydock.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.chaos.NodeFault;
import dev.drydock.chaos.Timeline;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kubelet.Kubelet;
import dev.drydock.kubelet.NodeConfig;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.ContainerStatus;
import dev.drydock.runtime.NodeContext;
import dev.drydock.runtime.NodeStreams;
import dev.drydock.runtime.RuntimeError;
import dev.drydock.runtime.ClusterRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One simulated node, and the faults a test can inject into it.
 *
 * <pre>{@code
 * cluster.node("node-2").crash();    // kubelet and containers gone at once, as a power cut
 * cluster.node("node-2").restart();  // boots again, empty; pods are scheduled to it anew
 * cluster.node("node-3").drain(Duration.ofSeconds(30)); // as kubectl drain: cordoned, its pods evicted
 * try (NodeFault f = cluster.node("node-1").freeze()) { // a hung VM: silent, but its pods' state kept
 *     ...                                             // NotReady after the grace period, pods evicted later
 * }                                                   // thawed: heartbeats again, pods reconciled
 * }</pre>
 *
 * <p>{@link #crash()} is a power cut: the containers are lost. {@link #freeze()} is a hung machine: the kubelet and
 * every container stop answering but keep their state, and {@link #thaw()} lets them go on from there.
 */
public final class NodeHandle {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NodeHandle.class);

    private final NodeConfig config;
    private final ClusterRuntime provider;
    private final KubeClient client;
    private final ComponentContext ctx;
    private final Timeline timeline;
    /** The names of the cluster's running nodes, for a refusal to name them. */
    private final java.util.function.Supplier<List<String>> runningNodes;
    private ContainerRuntime runtime;
    private Kubelet kubelet;
    /** The freeze in force, or null. */
    private NodeFault frozen;
    /** The containers the freeze paused, to resume at the thaw. */
    private List<String> frozenContainers = List.of();
    /** The container faults (hangs) in force on this node, and the container each holds paused. */
    private final Map<NodeFault, String> containerFaults = new LinkedHashMap<>();
    /** Why each paused container is paused: how many faults hold it (a freeze, a hang). */
    private final Map<String, Integer> pauses = new java.util.HashMap<>();

    /** The cluster's network as this node's pods call it. */
    private final dev.drydock.runtime.ClusterHttp http;

    /** The registry the node pulls from: the cluster's. */
    private final dev.drydock.runtime.ImageRegistry images;

    NodeHandle(NodeConfig config, ClusterRuntime provider, KubeClient client, ComponentContext ctx,
               Timeline timeline, java.util.function.Supplier<List<String>> runningNodes,
               dev.drydock.runtime.ImageRegistry images, dev.drydock.runtime.ClusterHttp http) {
        this.images = images;
        this.http = http;
        this.runningNodes = runningNodes;
        this.config = config;
        this.provider = provider;
        this.client = client;
        this.ctx = ctx;
        this.timeline = timeline;
    }

    /** The node's name ({@code node-1}...), as in its Node object and the pods' {@code spec.nodeName}. */
    public String name() {
        return config.name();
    }

    /** Whether the node's kubelet runs (false after {@link #crash()} until {@link #restart()}). */
    public synchronized boolean isRunning() {
        return kubelet != null;
    }

    /** Whether the node is frozen ({@link #freeze()}) now. */
    public synchronized boolean isFrozen() {
        return frozen != null;
    }

    /**
     * Freezes the node as a hung VM: its kubelet stops answering (no Lease renewal, no node status, no pod sync) and
     * its containers are paused (running, their state kept, but an exec, attach or connection to their ports stalls;
     * a stream opened to the kubelet waits unanswered). The control plane sees only silence: after the
     * node-monitor grace period the node is {@code Unknown} and tainted, and its pods are evicted as their
     * tolerations say. Recorded on the timeline. Undo it with {@link #thaw()} or the returned handle.
     *
     * <pre>{@code
     * try (NodeFault f = cluster.node("node-1").freeze()) {
     *     await().until(() -> nodeIsNotReady("node-1"));
     * }
     * }</pre>
     *
     * @throws IllegalStateException if the node is crashed (restart it first) or frozen already; nothing changes then
     */
    public synchronized NodeFault freeze() {
        if (kubelet == null) {
            throw new IllegalStateException("cannot freeze " + name() + ": it is crashed (not running); restart() it"
                    + " first. Nodes running: " + runningNodes.get());
        }
        if (frozen != null) {
            throw new IllegalStateException("cannot freeze " + name() + ": it is frozen already ('" + frozen
                    + "'); thaw() it first");
        }
        kubelet.freeze();
        List<String> paused = new ArrayList<>();
        try {
            for (String id : kubelet.containers()) {
                ContainerStatus cs = runtime.containerStatus(id);
                if (cs == null || cs.state() != ContainerStatus.State.RUNNING) {
                    continue; // exited, waiting to restart: nothing runs to freeze
                }
                try {
                    hold(id);
                    paused.add(id);
                } catch (RuntimeError e) {
                    if ("Unsupported".equals(e.reason())) {
                        LOG.info("node {}: the runtime cannot pause containers; they run on while the kubelet is "
                                + "frozen", name());
                        break;
                    }
                    LOG.debug("node {}: could not pause {} ({}): it stopped meanwhile", name(), id, e.getMessage());
                }
            }
        } catch (RuntimeException e) { // nothing half-applied stays behind
            paused.forEach(this::release);
            kubelet.thaw();
            throw e;
        }
        frozenContainers = paused;
        // the fault's entry is its description alone, which its heal's entry repeats ("healed freeze node-1")
        timeline.fault(name(), "freeze " + name());
        timeline.event(name(), paused.size() + " container(s) paused by the freeze");
        frozen = new NodeFault(name(), "freeze " + name(), timeline, this::unfreeze);
        return frozen;
    }

    /**
     * Thaws a frozen node, as a hung VM that resumes: its containers go on from where they stood, its kubelet renews
     * its Lease and posts its status at once, and reconciles with the API: the containers of pods deleted meanwhile
     * (evicted, say) are stopped, pods still bound to it run on. Recorded on the timeline.
     *
     * @throws IllegalStateException if the node is not frozen
     */
    public void thaw() {
        NodeFault f;
        synchronized (this) {
            f = frozen;
            if (f == null) {
                throw new IllegalStateException("cannot thaw " + name() + ": it is not frozen (it is "
                        + (kubelet == null ? "crashed" : "running") + ")");
            }
        }
        f.heal();
    }

    /** Undoes the freeze: what its handle runs. */
    private synchronized void unfreeze() {
        if (kubelet == null) {
            return; // crashed or restarted meanwhile: nothing frozen is left
        }
        frozenContainers.forEach(this::release);
        frozenContainers = List.of();
        frozen = null;
        kubelet.thaw();
    }

    /** One more reason for a container to be paused; the first pauses it. */
    private void hold(String id) {
        int holds = pauses.merge(id, 1, Integer::sum);
        if (holds == 1) {
            try {
                runtime.pauseContainer(id);
            } catch (RuntimeException e) {
                pauses.remove(id);
                throw e;
            }
        }
    }

    /** One reason less for a container to be paused; the last resumes it. */
    private void release(String id) {
        Integer holds = pauses.get(id);
        if (holds == null) {
            return;
        }
        if (holds > 1) {
            pauses.put(id, holds - 1);
            return;
        }
        pauses.remove(id);
        if (runtime != null) {
            runtime.resumeContainer(id);
        }
    }

    /**
     * Kills a container of a pod this node runs, as if its process died with {@code exitCode}: recorded on the
     * timeline; the kubelet then reports it terminated and restarts it as the pod's restartPolicy says.
     */
    synchronized void killContainer(String namespace, String podName, String container, int exitCode) {
        String pod = namespace + "/" + podName;
        String id = runningContainer(namespace, podName, container);
        timeline.fault(pod, "kill container " + container + " of pod " + pod + " with exit code " + exitCode);
        runtime.killContainer(id, exitCode);
    }

    /** Makes a container of a pod this node runs hang until the returned fault is healed. */
    synchronized NodeFault hangContainer(String namespace, String podName, String container) {
        String pod = namespace + "/" + podName;
        String id = runningContainer(namespace, podName, container);
        String description = "hang container " + container + " of pod " + pod;
        for (Map.Entry<NodeFault, String> f : containerFaults.entrySet()) {
            if (f.getValue().equals(id)) {
                throw new IllegalStateException("container " + container + " of pod " + pod + " hangs already ('"
                        + f.getKey() + "'); close that fault first");
            }
        }
        hold(id);
        timeline.fault(pod, description);
        NodeFault[] fault = new NodeFault[1];
        fault[0] = new NodeFault(pod, description, timeline, () -> {
            synchronized (this) {
                if (runtime != null && containerFaults.remove(fault[0]) != null) {
                    release(id);
                }
            }
        });
        containerFaults.put(fault[0], id);
        return fault[0];
    }

    /**
     * The id of a container's running instance, for a container fault.
     *
     * @throws IllegalStateException if the node is down, or does not run the pod, or the container is not running,
     *                               saying what it is instead
     */
    private String runningContainer(String namespace, String podName, String container) {
        String pod = namespace + "/" + podName;
        if (kubelet == null) {
            throw new IllegalStateException("cannot act on container " + container + " of pod " + pod + ": its node "
                    + name() + " is crashed (not running)");
        }
        String id = kubelet.containerId(namespace, podName, container);
        ContainerStatus cs = id == null ? null : runtime.containerStatus(id);
        if (cs == null) {
            throw new IllegalStateException("cannot act on container " + container + " of pod " + pod + ": node "
                    + name() + " runs no instance of it (yet)");
        }
        if (cs.state() != ContainerStatus.State.RUNNING) {
            throw new IllegalStateException("cannot act on container " + container + " of pod " + pod + ": it is not "
                    + "running but " + cs.state() + (cs.state() == ContainerStatus.State.EXITED ? " (exit code "
                    + cs.exitCode() + ", " + cs.reason() + ")" : ""));
        }
        return id;
    }

    /** The running kubelet, or null while the node is down. */
    synchronized Kubelet kubelet() {
        return kubelet;
    }

    /** The node's runtime, or null while the node is down: for tests. */
    synchronized ContainerRuntime runtime() {
        return runtime;
    }

    /** The streaming endpoints of the node's kubelet, or null while the node is down. */
    synchronized NodeStreams streams() {
        return kubelet == null ? null : kubelet.streams();
    }

    /** How often the node has booted: each boot's kubelet reports a bootID of its own. */
    private int boots; // guarded by this

    synchronized void boot() {
        runtime = provider.node(new NodeContext(ctx.cluster(), config.name(), config.podCidr(), ctx.clock(),
                ctx.timers().asScheduledExecutorService(), ctx.workers(), images, http));
        kubelet = new Kubelet(config, client, runtime, ctx, ++boots);
        kubelet.start();
    }

    /**
     * Cuts the power: the kubelet stops without a word to the API server and every container of the node is gone.
     * The control plane notices only through silence, as it would in Kubernetes.
     */
    public synchronized void crash() {
        if (kubelet == null) {
            return;
        }
        timeline.fault(name(), "crash");
        stop();
    }

    /** Boots a crashed node again (or crashes and boots a running one): a fresh kubelet and an empty runtime. */
    public synchronized void restart() {
        timeline.fault(name(), "restart");
        stop();
        boot();
    }

    /**
     * Marks the node unschedulable, as {@code kubectl cordon} does ({@code spec.unschedulable: true}): no new pod is
     * scheduled to it; the pods it runs stay. Recorded on the timeline.
     */
    public void cordon() {
        timeline.fault(name(), "cordon");
        unschedulable(true);
    }

    /** Undoes {@link #cordon()}, as {@code kubectl uncordon}. Recorded on the timeline. */
    public void uncordon() {
        timeline.fault(name(), "uncordon");
        unschedulable(false);
    }

    private void unschedulable(boolean unschedulable) {
        ObjectNode spec = Json.object();
        if (unschedulable) {
            spec.put("unschedulable", true);
        } else {
            spec.putNull("unschedulable");
        }
        ObjectNode patch = Json.object();
        patch.set("spec", spec);
        client.mergePatch(Resource.NODES, null, name(), null, patch);
    }

    /**
     * Drains the node as {@code kubectl drain --ignore-daemonsets --delete-emptydir-data --force} does: cordons it,
     * then evicts each of its pods through the eviction API (so PodDisruptionBudgets hold: an eviction they refuse is
     * retried), except DaemonSet pods and mirror pods, and waits until the evicted pods are gone. Recorded on the
     * timeline.
     *
     * @throws IllegalStateException if pods are still there after {@code timeout}, naming them (and the last refusal)
     */
    public void drain(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a drain needs a positive timeout, got " + timeout);
        }
        timeline.fault(name(), "drain");
        unschedulable(true);
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> pending = new LinkedHashMap<>(); // namespace/name -> uid
        for (ObjectNode pod : client.items(Resource.PODS, null, null)) {
            if (name().equals(pod.path("spec").path("nodeName").asText(null)) && evictable(pod)) {
                pending.put(Json.namespace(pod) + "/" + Json.name(pod), Json.uid(pod));
            }
        }
        String refused = null;
        Map<String, String> evicted = new LinkedHashMap<>();
        long backoff = TimeUnit.MILLISECONDS.toNanos(10);
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            for (Iterator<Map.Entry<String, String>> it = pending.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, String> p = it.next();
                String[] nsName = p.getKey().split("/", 2);
                try {
                    client.evict(nsName[0], nsName[1]);
                    evicted.put(p.getKey(), p.getValue());
                    it.remove();
                } catch (ApiException e) {
                    if (e.code() == 404) {
                        it.remove(); // gone already
                    } else if (e.code() == 429) {
                        refused = p.getKey() + ": " + e.getMessage(); // a disruption budget: again, later
                    } else {
                        throw e;
                    }
                }
            }
            if (!pending.isEmpty()) {
                LockSupport.parkNanos(backoff);
                backoff = Math.min(backoff * 2, TimeUnit.MILLISECONDS.toNanos(500));
            }
        }
        while (System.nanoTime() < deadline && !stillThere(evicted).isEmpty()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        List<String> left = new ArrayList<>(pending.keySet());
        left.addAll(stillThere(evicted));
        if (!left.isEmpty()) {
            throw new IllegalStateException("drain of " + name() + " did not finish within " + timeout + ": pods "
                    + left + " are still there" + (refused == null ? "" : "; last refusal: " + refused));
        }
    }

    /** kubectl drain's filters: DaemonSet pods and mirror pods stay. */
    private static boolean evictable(JsonNode pod) {
        if (pod.path("metadata").path("annotations").has("kubernetes.io/config.mirror")) {
            return false;
        }
        for (JsonNode owner : pod.path("metadata").path("ownerReferences")) {
            if (owner.path("controller").asBoolean(false) && owner.path("kind").asText().equals("DaemonSet")) {
                return false;
            }
        }
        return true;
    }

    /** Those of {@code evicted} (namespace/name to uid) still there, the same pod (not a replacement by name). */
    private List<String> stillThere(Map<String, String> evicted) {
        List<String> left = new ArrayList<>();
        for (Map.Entry<String, String> p : evicted.entrySet()) {
            String[] nsName = p.getKey().split("/", 2);
            ObjectNode pod = client.find(Resource.PODS, nsName[0], nsName[1]);
            if (pod != null && p.getValue().equals(Json.uid(pod))) {
                left.add(p.getKey());
            }
        }
        return left;
    }

    synchronized void stop() {
        if (frozen != null) {
            frozen.ended(name() + " went down while frozen");
            frozen = null;
            frozenContainers = List.of();
        }
        for (NodeFault f : List.copyOf(containerFaults.keySet())) {
            f.ended(name() + " went down: its containers are gone");
        }
        containerFaults.clear();
        pauses.clear();
        if (kubelet != null) {
            kubelet.close();
            runtime.close();
            kubelet = null;
            runtime = null;
        }
    }
}

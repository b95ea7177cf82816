package dev.drydock.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.chaos.Timeline;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kubelet.Kubelet;
import dev.drydock.kubelet.NodeConfig;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.NodeContext;
import dev.drydock.runtime.NodeStreams;
import dev.drydock.runtime.RuntimeProvider;
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
 * }</pre>
 */
public final class NodeHandle {

    private final NodeConfig config;
    private final RuntimeProvider provider;
    private final KubeClient client;
    private final ComponentContext ctx;
    private final Timeline timeline;
    private ContainerRuntime runtime;
    private Kubelet kubelet;

    NodeHandle(NodeConfig config, RuntimeProvider provider, KubeClient client, ComponentContext ctx,
               Timeline timeline) {
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
        runtime = provider.create(new NodeContext(ctx.cluster(), config.name(), config.podCidr(), ctx.clock(),
                ctx.timers().asScheduledExecutorService(), ctx.workers()));
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
        if (kubelet != null) {
            kubelet.close();
            runtime.close();
            kubelet = null;
            runtime = null;
        }
    }
}

package dev.drydock.cluster;

import dev.drydock.base.ComponentContext;
import dev.drydock.chaos.Timeline;
import dev.drydock.client.KubeClient;
import dev.drydock.kubelet.Kubelet;
import dev.drydock.kubelet.NodeConfig;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.NodeContext;
import dev.drydock.runtime.NodeStreams;
import dev.drydock.runtime.RuntimeProvider;

/**
 * One simulated node, and the faults a test can inject into it.
 *
 * <pre>{@code
 * cluster.node("node-2").crash();    // kubelet and containers gone at once, as a power cut
 * cluster.node("node-2").restart();  // boots again, empty; pods are scheduled to it anew
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

    synchronized void boot() {
        runtime = provider.create(new NodeContext(ctx.cluster(), config.name(), config.podCidr(), ctx.clock(),
                ctx.timers().asScheduledExecutorService(), ctx.workers()));
        kubelet = new Kubelet(config, client, runtime, ctx);
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

    synchronized void stop() {
        if (kubelet != null) {
            kubelet.close();
            runtime.close();
            kubelet = null;
            runtime = null;
        }
    }
}

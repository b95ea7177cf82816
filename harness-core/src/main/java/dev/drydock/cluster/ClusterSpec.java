package dev.drydock.cluster;

import dev.drydock.base.Clock;
import dev.drydock.base.Timings;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What cluster to start: a fluent, immutable description with good defaults (3 nodes of 4 cpu and 8Gi, the fake
 * runtime, a random free port on 127.0.0.1, compressed timings, a random seed).
 *
 * <pre>{@code
 * try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().nodes(5).seed(42))) {
 *     ...
 * }
 * }</pre>
 */
public final class ClusterSpec {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private String name;
    private int nodes = 3;
    private String nodeCpu = "4";
    private String nodeMemory = "8Gi";
    private int nodeMaxPods = 110;
    private String runtime;
    private String host = "127.0.0.1";
    private int port;
    private Long seed;
    private Timings timings = Timings.compressed();
    private Clock clock = Clock.SYSTEM;

    private ClusterSpec() {
    }

    public static ClusterSpec create() {
        return new ClusterSpec();
    }

    private ClusterSpec copy() {
        ClusterSpec c = new ClusterSpec();
        c.name = name;
        c.nodes = nodes;
        c.nodeCpu = nodeCpu;
        c.nodeMemory = nodeMemory;
        c.nodeMaxPods = nodeMaxPods;
        c.runtime = runtime;
        c.host = host;
        c.port = port;
        c.seed = seed;
        c.timings = timings;
        c.clock = clock;
        return c;
    }

    /** The cluster's name, used in thread names and kubeconfig contexts (default {@code c1}, {@code c2}...). */
    public ClusterSpec name(String name) {
        ClusterSpec c = copy();
        c.name = name;
        return c;
    }

    /** How many nodes, named {@code node-1} to {@code node-N}. */
    public ClusterSpec nodes(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("nodes must be >= 0, got " + count);
        }
        ClusterSpec c = copy();
        c.nodes = count;
        return c;
    }

    /** Each node's capacity, as Kubernetes quantities (e.g. {@code "4"}, {@code "8Gi"}). */
    public ClusterSpec nodeCapacity(String cpu, String memory) {
        ClusterSpec c = copy();
        c.nodeCpu = cpu;
        c.nodeMemory = memory;
        return c;
    }

    /** The container runtime by name ({@code fake}, {@code docker}); default: the fake one. */
    public ClusterSpec runtime(String runtime) {
        ClusterSpec c = copy();
        c.runtime = runtime;
        return c;
    }

    /** The API server's port on 127.0.0.1 (0, the default: any free port). */
    public ClusterSpec port(int port) {
        ClusterSpec c = copy();
        c.port = port;
        return c;
    }

    /** The seed of every random choice of the cluster, printed when a test fails so that it can be replayed. */
    public ClusterSpec seed(long seed) {
        ClusterSpec c = copy();
        c.seed = seed;
        return c;
    }

    public ClusterSpec timings(Timings timings) {
        ClusterSpec c = copy();
        c.timings = timings;
        return c;
    }

    public ClusterSpec clock(Clock clock) {
        ClusterSpec c = copy();
        c.clock = clock;
        return c;
    }

    String resolvedName() {
        return name != null ? name : "c" + COUNTER.incrementAndGet();
    }

    int nodeCount() {
        return nodes;
    }

    String nodeCpu() {
        return nodeCpu;
    }

    String nodeMemory() {
        return nodeMemory;
    }

    int nodeMaxPods() {
        return nodeMaxPods;
    }

    String runtimeName() {
        return runtime;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    long resolvedSeed() {
        return seed != null ? seed : new java.util.Random().nextLong();
    }

    Timings timingsValue() {
        return timings;
    }

    Clock clockValue() {
        return clock;
    }
}

package dev.drydock.cluster;

import dev.drydock.base.Clock;
import dev.drydock.base.Timings;
import dev.drydock.kube.Quantity;
import dev.drydock.runtime.UnknownImages;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What cluster to start: a fluent, immutable description with good defaults (3 nodes of 4 cpu, 8Gi and 110 pods,
 * the fake runtime, a random free port on 127.0.0.1, compressed timings, the system clock, a random seed). Every
 * method returns a new spec and checks its arguments at once: a bad value is an {@link IllegalArgumentException}
 * naming it, not a cluster that fails later.
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
    private List<NodeSpec> nodeSpecs;   // null: nodes plain nodes named node-1 to node-N
    private String nodeCpu = "4";
    private String nodeMemory = "8Gi";
    private int nodeMaxPods = 110;
    private String runtime;
    private String host = "127.0.0.1";
    private int port;
    private Long seed;
    private Timings timings = Timings.compressed();
    private Clock clock = Clock.SYSTEM;
    private boolean apiServerOnly;
    private int storeReplicas = 3;
    private UnknownImages unknownImages = UnknownImages.FAIL_TO_PULL;

    private ClusterSpec() {
    }

    /**
     * A spec with every default; change what the test needs with the methods below.
     *
     * @throws IllegalStateException if jackson-databind is not on the class path (drydock uses its user's Jackson)
     */
    public static ClusterSpec create() {
        requireJackson();
        return new ClusterSpec();
    }

    /**
     * drydock uses the Jackson its user's Kubernetes client brings, and brings none of its own: say so plainly when
     * there is none, rather than let the first cluster fail with a {@code NoClassDefFoundError}.
     */
    private static void requireJackson() {
        try {
            Class.forName("com.fasterxml.jackson.databind.JsonNode", false, ClusterSpec.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("drydock needs jackson-databind 2.19 or later on the class path and "
                    + "found none. fabric8 7.x and io.kubernetes:client-java bring it; without one of them (or with "
                    + "fabric8 8, which uses Jackson 3), add com.fasterxml.jackson.core:jackson-databind as a test "
                    + "dependency", e);
        }
    }

    private ClusterSpec copy() {
        ClusterSpec c = new ClusterSpec();
        c.name = name;
        c.nodes = nodes;
        c.nodeSpecs = nodeSpecs;
        c.nodeCpu = nodeCpu;
        c.nodeMemory = nodeMemory;
        c.nodeMaxPods = nodeMaxPods;
        c.runtime = runtime;
        c.host = host;
        c.port = port;
        c.seed = seed;
        c.timings = timings;
        c.clock = clock;
        c.apiServerOnly = apiServerOnly;
        c.storeReplicas = storeReplicas;
        c.unknownImages = unknownImages;
        return c;
    }

    /** The cluster's name, used in thread names and kubeconfig contexts (default {@code c1}, {@code c2}...). */
    public ClusterSpec name(String name) {
        ClusterSpec c = copy();
        c.name = name;
        return c;
    }

    /**
     * How many nodes, named {@code node-1} to {@code node-N}. Each gets a {@code /24} pod range ({@code spec.podCIDR})
     * of the cluster CIDR, {@code 10.244.0.0/16} up to 256 nodes and {@code 10.240.0.0/12} above, in order
     * ({@code node-1} has {@code 10.244.0.0/24}), and an InternalIP in {@code 10.0.0.0/16} ({@code node-1} has
     * {@code 10.0.0.2}).
     *
     * @throws IllegalArgumentException if {@code count} is negative or above 4096, or positive on an
     *                                  {@link #apiServerOnly()} spec
     */
    public ClusterSpec nodes(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("nodes must be >= 0, got " + count);
        }
        PodNetwork.forNodes(count); // names the limit
        if (count > 0 && apiServerOnly) {
            throw new IllegalArgumentException("nodes(" + count + ") on an apiServerOnly() spec: an API server alone "
                    + "runs no nodes");
        }
        ClusterSpec c = copy();
        c.nodes = count;
        c.nodeSpecs = null;
        return c;
    }

    /**
     * Exactly these nodes, in this order, each with its name, labels, taints and, where it sets one, capacity of its
     * own (the others take {@link #nodeCapacity} and {@link #nodeMaxPods}). Replaces {@link #nodes(int)}.
     *
     * <pre>{@code
     * ClusterSpec.create().nodes(NodeSpec.named("gpu-1").label("gpu", "true").taint("gpu", "true", "NoSchedule"),
     *         NodeSpec.named("cpu-1"));
     * }</pre>
     *
     * @throws IllegalArgumentException if two nodes have the same name, more than 4096 are given, or on an
     *                                  {@link #apiServerOnly()} spec
     */
    public ClusterSpec nodes(NodeSpec... nodes) {
        PodNetwork.forNodes(nodes.length); // names the limit
        Set<String> names = new HashSet<>();
        List<NodeSpec> list = new ArrayList<>();
        for (NodeSpec n : nodes) {
            if (n == null) {
                throw new IllegalArgumentException("nodes: a NodeSpec must not be null");
            }
            if (!names.add(n.name())) {
                throw new IllegalArgumentException("nodes: two nodes are named \"" + n.name() + "\"");
            }
            list.add(n);
        }
        if (!list.isEmpty() && apiServerOnly) {
            throw new IllegalArgumentException("nodes(" + list + ") on an apiServerOnly() spec: an API server alone "
                    + "runs no nodes");
        }
        ClusterSpec c = copy();
        c.nodeSpecs = List.copyOf(list);
        c.nodes = list.size();
        return c;
    }

    /**
     * Each node's capacity (and allocatable), as Kubernetes quantities; default {@code "4"} and {@code "8Gi"}. The
     * scheduler fits pods' requests into it.
     *
     * @param cpu    cores, e.g. {@code "4"}, {@code "1.5"}, {@code "500m"}
     * @param memory bytes, e.g. {@code "8Gi"}, {@code "512Mi"}, {@code "1G"}
     * @throws IllegalArgumentException if either is not a Kubernetes quantity, is negative or too large; the message
     *                                  names the argument and its value
     */
    public ClusterSpec nodeCapacity(String cpu, String memory) {
        ClusterSpec c = copy();
        c.nodeCpu = quantity("cpu", cpu, true);
        c.nodeMemory = quantity("memory", memory, false);
        return c;
    }

    /**
     * How many pods each node takes (the kubelet's {@code maxPods}, its {@code status.capacity.pods}); default 110,
     * as in Kubernetes.
     *
     * @throws IllegalArgumentException if {@code pods} is negative
     */
    public ClusterSpec nodeMaxPods(int pods) {
        if (pods < 0) {
            throw new IllegalArgumentException("nodeMaxPods must be >= 0, got " + pods);
        }
        ClusterSpec c = copy();
        c.nodeMaxPods = pods;
        return c;
    }

    /** Checks a capacity quantity now, so that a typo fails at the call and not as a node that takes no pods. */
    static String quantity(String argument, String value, boolean cpu) {
        String what = "nodeCapacity: " + argument + " \"" + value + "\"";
        if (value == null) {
            throw new IllegalArgumentException("nodeCapacity: " + argument + " must not be null");
        }
        String q = value.trim();
        BigDecimal parsed;
        try {
            parsed = Quantity.parse(q);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not a Kubernetes quantity (such as "
                    + (cpu ? "\"4\" or \"500m\"" : "\"8Gi\" or \"512Mi\"") + "): " + e.getMessage(), e);
        }
        if (parsed.signum() < 0) {
            throw new IllegalArgumentException(what + " must not be negative");
        }
        try {
            if (cpu) {
                Quantity.milli(q); // as the scheduler reads it
            } else {
                Quantity.value(q);
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " is too large", e);
        }
        return q;
    }

    /**
     * Only the API server and its store, as controller-runtime's envtest starts them: no scheduler, no controllers,
     * no nodes. Objects are validated, stored and served, and watches and informers work, but nothing acts on them:
     * a Deployment gets no ReplicaSet, a pod is never scheduled, a deleted namespace stays {@code Terminating}. For
     * testing a controller of your own against the API alone, and for measuring the API server.
     *
     * <pre>{@code
     * try (DrydockCluster api = DrydockCluster.start(ClusterSpec.create().apiServerOnly())) {
     *     ...
     * }
     * }</pre>
     */
    public ClusterSpec apiServerOnly() {
        ClusterSpec c = copy();
        c.apiServerOnly = true;
        c.nodes = 0;
        c.nodeSpecs = null;
        return c;
    }

    /**
     * The container runtime by name ({@code fake}, {@code docker}). Default: the system property
     * {@code drydock.runtime} if set (so a whole suite moves to Docker with {@code -Ddrydock.runtime=docker}), else
     * the fake one.
     */
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

    /**
     * How many replicas the store runs (etcd's members, {@code etcd-0} to {@code etcd-N-1}), agreeing through Raft:
     * 1, 3 (the default) or 5. Their faults are on {@link DrydockCluster#store()}.
     *
     * @throws IllegalArgumentException if {@code replicas} is not 1, 3 or 5
     */
    public ClusterSpec storeReplicas(int replicas) {
        if (replicas != 1 && replicas != 3 && replicas != 5) {
            throw new IllegalArgumentException("storeReplicas must be 1, 3 or 5, got " + replicas);
        }
        ClusterSpec c = copy();
        c.storeReplicas = replicas;
        return c;
    }

    /**
     * The seed of every random choice of the cluster, printed when a test fails so that it can be replayed; default a
     * random one. Each component draws from a generator of its own derived from it (see
     * {@link dev.drydock.base.Seeds}), and where several threads draw for unrelated things the draw is keyed by what
     * it is for, so one component's draws never shift another's. A run with the same seed replays:
     * <ul>
     *   <li>scheduled chaos ({@code cluster.chaos()}): the same faults, in the same order, on the same targets;</li>
     *   <li>uids and {@code generateName} suffixes: the same object (by kind, namespace and name, and how often that
     *   name was created before) gets the same uid, the same prefix the same names in the same order, however the
     *   cluster's own components interleave their creates with the test's;</li>
     *   <li>the scheduler's choice among equally good nodes, per pod, and each node's {@code bootID} per boot;</li>
     *   <li>client identities' tokens, service account tokens' signing key, the jitter and loss of the store's links
     *   (drawn in the order messages cross them), store lease ids, and the default timeouts of watches that name
     *   none (drawn in the order watches start).</li>
     * </ul>
     * What the seed does not replay: thread interleavings (which of two concurrent requests the store orders
     * first, when a component's watch event arrives, how many heartbeats fit in a second of real time), elections
     * inside the store's Raft (MicroRaft's timers keep real time, so which replica leads after a fault depends on
     * timing as well as on its seeded jitter), and everything timed by the wall clock on a system clock. Two
     * clusters with the same seed in one JVM give the same uids, as they should for a replay: a uid is unique within
     * its cluster over the cluster's life, which is what Kubernetes clients rely on.
     */
    public ClusterSpec seed(long seed) {
        ClusterSpec c = copy();
        c.seed = seed;
        return c;
    }

    /**
     * Every timing of the cluster (lease renewals, node status, failure detection, eviction...), default
     * {@link Timings#compressed()}: a silent node is {@code Unknown} after about a second. Use
     * {@link Timings#kubernetes()} for Kubernetes' own timings, or a {@code Timings} of your own.
     */
    public ClusterSpec timings(Timings timings) {
        if (timings == null) {
            throw new IllegalArgumentException("timings must not be null");
        }
        ClusterSpec c = copy();
        c.timings = timings;
        return c;
    }

    /**
     * The cluster's one source of time, read by every component for timestamps and intervals, and the clock every
     * component timer waits on (heartbeats, node monitoring, eviction, back-offs, retries); default
     * {@link Clock#SYSTEM}. On a {@link dev.drydock.base.ManualClock} the cluster starts with the clock standing still
     * and its timers fire only as the test advances it, so minutes of Kubernetes time take milliseconds:
     *
     * <pre>{@code
     * ManualClock clock = new ManualClock();
     * try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().clock(clock))) {
     *     cluster.node("node-1").crash();
     *     clock.advance(Duration.ofSeconds(2)); // past nodeMonitorGracePeriod: node-1 goes Unknown
     * }
     * }</pre>
     *
     * The rule on a manual clock: what the cluster decides by its own time runs on its clock (every component timer,
     * a watch's {@code timeoutSeconds} and the default timeout of one that names none, bookmarks, the break of a watch
     * whose link is cut, scheduled chaos); what holds a thread until it is over keeps real time, because the thread
     * that would advance the clock may be that very thread, or wait for it: the store's Raft timers and lease expiry
     * (Event TTLs), the API server's waits for and retries against the store, and an API fault's
     * {@code delay} (a delayed request holds its caller). So the cluster keeps a leader and serves whatever the test
     * does with its clock, and nothing that a thread waits for needs someone else to advance it.
     */
    public ClusterSpec clock(Clock clock) {
        if (clock == null) {
            throw new IllegalArgumentException("clock must not be null");
        }
        ClusterSpec c = copy();
        c.clock = clock;
        return c;
    }

    /**
     * What the fake runtime does with an image that is neither built in nor given a behaviour: fail its pull as
     * Kubernetes fails a name that does not exist ({@link UnknownImages#FAIL_TO_PULL}, the default: {@code ErrImagePull},
     * then {@code ImagePullBackOff}), or run it as a sleeper ({@link UnknownImages#SLEEP}: for tests of apps whose
     * images no behaviour stands for).
     * Single images can be marked missing or slow to pull on {@link DrydockCluster#images()}.
     *
     * @throws IllegalArgumentException if {@code unknownImages} is null
     */
    public ClusterSpec unknownImages(UnknownImages unknownImages) {
        if (unknownImages == null) {
            throw new IllegalArgumentException("unknownImages must not be null; it is one of "
                    + List.of(UnknownImages.values()));
        }
        ClusterSpec c = copy();
        c.unknownImages = unknownImages;
        return c;
    }

    String resolvedName() {
        return name != null ? name : "c" + COUNTER.incrementAndGet();
    }

    int nodeCount() {
        return nodes;
    }

    /** The nodes to start: those {@link #nodes(NodeSpec...)} named, or {@code node-1} to {@code node-N}. */
    List<NodeSpec> nodeSpecs() {
        if (nodeSpecs != null) {
            return nodeSpecs;
        }
        List<NodeSpec> plain = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            plain.add(NodeSpec.named("node-" + i));
        }
        return plain;
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
        if (runtime != null && !runtime.isEmpty()) {
            return runtime;
        }
        String chosen = System.getProperty("drydock.runtime");
        return chosen == null || chosen.isBlank() ? null : chosen.trim();
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

    int storeReplicasValue() {
        return storeReplicas;
    }

    UnknownImages unknownImagesValue() {
        return unknownImages;
    }

    boolean apiServerOnlyValue() {
        return apiServerOnly;
    }
}

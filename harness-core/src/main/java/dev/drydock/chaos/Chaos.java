package dev.drydock.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Scheduled chaos: at a fixed interval, one fault drawn from a set, on a target drawn from the cluster's candidates,
 * both drawn from a generator derived from the cluster's seed. A cluster started with the same seed and running the
 * same schedules replays the same faults, in the same order, on the same targets; every pick, fault and heal is on
 * the {@link Timeline}.
 *
 * <pre>{@code
 * try (ChaosSchedule chaos = cluster.chaos().every(Duration.ofSeconds(2))
 *         .pick(Chaos.isolateRandomNode(Duration.ofSeconds(1)), Chaos.crashRandomNode(Duration.ofSeconds(1)))) {
 *     // the workload under test keeps its promises while nodes come and go
 * } // stops picking, and heals what it started
 * }</pre>
 *
 * <p>The draws depend only on the seed, the order in which schedules are started on the cluster, and what the
 * schedule itself did: a target under one of its faults is not picked again until that fault ends. A fault ends
 * {@code duration} after its pick, and at the latest just before the first pick after that time, so a slow machine
 * changes when things happen but not what.
 */
public final class Chaos {

    /**
     * The nodes a schedule acts on; the cluster gives its own.
     */
    public interface Nodes {
        /** Every node's name, in order. */
        List<String> names();

        /** Whether the node runs (was not crashed, or was restarted since). */
        boolean isRunning(String node);

        /** Crashes the node as {@code NodeHandle.crash()} does. */
        void crash(String node);

        /** Boots a crashed node again as {@code NodeHandle.restart()} does. */
        void restart(String node);

        /** Whether the node is frozen now ({@code NodeHandle.isFrozen()}). */
        boolean isFrozen(String node);

        /** Freezes the node as {@code NodeHandle.freeze()} does; the returned handle thaws it. */
        NodeFault freeze(String node);
    }

    /** What a fault of a schedule acts on: the cluster's nodes, store replicas and network. */
    record Targets(Nodes nodes, Supplier<List<String>> storeReplicas, NetworkFaults network) {
    }

    private final Targets targets;
    private final Timeline timeline;
    private final long seed;
    private final ScheduledExecutorService timer;
    private final Executor workers;
    private final List<ChaosSchedule> schedules = new ArrayList<>(); // guarded by this
    private boolean shutDown;                                        // guarded by this

    /**
     * The chaos of one cluster: faults on its {@code nodes}, {@code storeReplicas} and {@code network}, drawn from
     * {@code seed}, run on its {@code timer} and {@code workers}, recorded on its {@code timeline}. Made by the
     * cluster.
     */
    public Chaos(Nodes nodes, Supplier<List<String>> storeReplicas, NetworkFaults network, Timeline timeline,
                 long seed, ScheduledExecutorService timer, Executor workers) {
        this.targets = new Targets(nodes, storeReplicas, network);
        this.timeline = timeline;
        this.seed = seed;
        this.timer = timer;
        this.workers = workers;
    }

    /**
     * A schedule that picks a fault every {@code interval}, the first one {@code interval} after it starts.
     *
     * @throws IllegalArgumentException unless the interval is positive
     */
    public Every every(Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("chaos picks a fault every positive interval, got " + interval);
        }
        return new Every(interval, 0);
    }

    /** The schedules started on this cluster that have not finished, oldest first. */
    public synchronized List<ChaosSchedule> running() {
        return schedules.stream().filter(s -> !s.isDone()).toList();
    }

    /**
     * Stops every schedule at once without healing what it started: for the cluster's close, which stops all the
     * rest anyway. A fault being made as this is called is made before it returns; none is made after.
     */
    public void shutdown() {
        List<ChaosSchedule> all;
        synchronized (this) {
            shutDown = true;
            all = List.copyOf(schedules);
        }
        all.forEach(ChaosSchedule::abandon);
    }

    /** A schedule being set up: how often, how many picks, then which faults. */
    public final class Every {
        private final Duration interval;
        private final int times;

        private Every(Duration interval, int times) {
            this.interval = interval;
            this.times = times;
        }

        /**
         * Stops picking after {@code picks} picks (the faults they made end at their time): a schedule that a test
         * can run to its end with {@link ChaosSchedule#isDone()}. Unbounded unless set.
         *
         * @throws IllegalArgumentException unless {@code picks} is positive
         */
        public Every times(int picks) {
            if (picks <= 0) {
                throw new IllegalArgumentException("a schedule makes at least one pick, got " + picks);
            }
            return new Every(interval, picks);
        }

        /**
         * Starts the schedule: each pick draws one of {@code faults}, then its target.
         *
         * @throws IllegalArgumentException if no fault is given, or one of them has no possible target in this
         *                                  cluster (e.g. a node fault on a cluster without nodes)
         * @throws IllegalStateException    if the cluster is closed
         */
        public ChaosSchedule pick(Fault... faults) {
            if (faults.length == 0) {
                throw new IllegalArgumentException("pick at least one fault, e.g. Chaos.isolateRandomNode(...)");
            }
            for (Fault f : faults) {
                Objects.requireNonNull(f, "a fault to pick");
                if (f.kind.universe(targets).isEmpty()) {
                    throw new IllegalArgumentException("'" + f + "' has no " + f.kind.targets + " to pick from in "
                            + "this cluster");
                }
            }
            synchronized (Chaos.this) {
                if (shutDown) {
                    throw new IllegalStateException("the cluster is closed");
                }
                int number = schedules.size() + 1;
                // one generator per schedule, from the cluster's seed and the schedule's number
                Random random = new Random(seed ^ 0xC4A05C4A05L ^ number * 0x9E3779B97F4A7C15L);
                ChaosSchedule s = new ChaosSchedule(number, interval, times, List.of(faults), random, targets,
                        timeline, timer, workers);
                schedules.add(s);
                s.start();
                return s;
            }
        }
    }

    // ---- the faults a schedule picks from

    enum Kind {
        ISOLATE_NODE("node") {
            @Override
            List<String> universe(Targets t) {
                return t.nodes().names();
            }
        },
        CRASH_NODE("node") {
            @Override
            List<String> universe(Targets t) {
                return t.nodes().names();
            }

            @Override
            boolean eligible(Targets t, String target) {
                return t.nodes().isRunning(target);
            }
        },
        FREEZE_NODE("node") {
            @Override
            List<String> universe(Targets t) {
                return t.nodes().names();
            }

            @Override
            boolean eligible(Targets t, String target) {
                return t.nodes().isRunning(target) && !t.nodes().isFrozen(target);
            }
        },
        ISOLATE_STORE_REPLICA("store replica") {
            @Override
            List<String> universe(Targets t) {
                return t.storeReplicas().get();
            }
        };

        final String targets;

        Kind(String targets) {
            this.targets = targets;
        }

        /** Every target this kind could pick in the cluster, in a fixed order. */
        abstract List<String> universe(Targets t);

        /** Whether a target may be picked now, besides not being under another fault of the schedule. */
        boolean eligible(Targets t, String target) {
            return true;
        }
    }

    /**
     * A fault a schedule can pick: what it does, to a target drawn when it is picked, for how long. Made by
     * {@link #isolateRandomNode}, {@link #crashRandomNode}, {@link #freezeRandomNode} and
     * {@link #isolateRandomStoreReplica}.
     */
    public static final class Fault {
        final Kind kind;
        final Duration duration;
        private final String description;

        private Fault(Kind kind, Duration duration, String description) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("a fault of a schedule lasts a positive time, got " + duration);
            }
            this.kind = kind;
            this.duration = duration;
            this.description = description + " for " + duration.toMillis() + "ms";
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /**
     * Isolates a random node's kubelet from every party (see {@link NetworkFaults#isolate(String)}) for
     * {@code duration}: its node goes NotReady if that outlasts the node monitor grace period.
     *
     * @throws IllegalArgumentException unless the duration is positive
     */
    public static Fault isolateRandomNode(Duration duration) {
        return new Fault(Kind.ISOLATE_NODE, duration, "isolate a random node");
    }

    /**
     * Crashes a random running node (kubelet and containers gone at once, as {@code NodeHandle.crash()}) and boots it
     * again, empty, {@code downFor} later.
     *
     * @throws IllegalArgumentException unless the duration is positive
     */
    public static Fault crashRandomNode(Duration downFor) {
        return new Fault(Kind.CRASH_NODE, downFor, "crash a random node");
    }

    /**
     * Freezes a random running node that is not frozen (its kubelet silent, its containers paused but kept, as
     * {@code NodeHandle.freeze()}) and thaws it {@code duration} later.
     *
     * @throws IllegalArgumentException unless the duration is positive
     */
    public static Fault freezeRandomNode(Duration duration) {
        return new Fault(Kind.FREEZE_NODE, duration, "freeze a random node");
    }

    /**
     * Isolates a random store replica from the others for {@code duration}: a leader's isolation makes the others
     * elect a new one.
     *
     * @throws IllegalArgumentException unless the duration is positive
     */
    public static Fault isolateRandomStoreReplica(Duration duration) {
        return new Fault(Kind.ISOLATE_STORE_REPLICA, duration, "isolate a random store replica");
    }
}

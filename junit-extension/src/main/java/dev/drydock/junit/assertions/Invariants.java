package dev.drydock.junit.assertions;

import dev.drydock.cluster.DrydockCluster;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Invariants checked continuously while a block of a test runs: "never fewer than 2 available while this node is
 * down", "never two leaders while the network is split". Needs neither AssertJ nor Awaitility; with AssertJ the same
 * reads {@code assertThat(cluster).always(...).during(...)} (see {@link ClusterAssert#always}).
 *
 * <pre>{@code
 * Invariants.during(cluster, "never fewer than 2 available",
 *         c -> c.client().get(Resource.DEPLOYMENTS, "default", "web").at("/status/availableReplicas").asInt() >= 2,
 *         () -> {
 *             cluster.node("node-2").crash();
 *             // ... wait until the Deployment has replaced the node's pods
 *         });
 * }</pre>
 *
 * <p>The check runs on a thread of its own ({@code drydock-<cluster>-invariant}, gone when the block ends) as soon as
 * the block starts and then every {@link #DEFAULT_INTERVAL} (10 ms), and once more after the block, on the test's
 * thread. The first time it does not hold is remembered: when, what the check said, and the nodes and pods the API
 * showed at that moment. After the block the test fails with all of that and the cluster's timeline from a little
 * before to a little after the moment. An exception from the block propagates unchanged, the violation (if any)
 * added to it as suppressed. A check should read the cluster through its API ({@code c.client()}) or the drydock
 * assertions, which run in the test's namespace there too.
 *
 * <p>For an invariant that is not tied to one block (opened in a {@code @BeforeEach}, say), the cluster's own
 * {@code cluster.invariant(name, predicate)} returns a handle checked on the cluster's lane until it is closed; its
 * report reads the same.
 */
public final class Invariants {

    /** How often an invariant is checked while its block runs, unless told otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(10);
    /** How much of the timeline before a violation its report shows. */
    static final Duration TIMELINE_BEFORE = dev.drydock.cluster.Invariant.TIMELINE_BEFORE;
    /** How much of the timeline after a violation its report shows. */
    static final Duration TIMELINE_AFTER = dev.drydock.cluster.Invariant.TIMELINE_AFTER;

    private Invariants() {
    }

    /** A check that holds when it returns and is violated when it throws (an {@link AssertionError} saying why). */
    @FunctionalInterface
    public interface Check {
        /**
         * Checks the invariant once.
         *
         * @param cluster the cluster, to read through its API
         * @throws Exception (an {@link AssertionError} or any other) when the invariant does not hold
         */
        void check(DrydockCluster cluster) throws Exception;
    }

    /** The block of a test during which an invariant must hold. */
    @FunctionalInterface
    public interface Block {
        /**
         * Runs the block: inject a fault, wait for the cluster to recover, and so on.
         *
         * @throws Exception whatever the block throws, which propagates unchanged
         */
        void run() throws Exception;
    }

    /**
     * Runs {@code block} while checking that {@code holds} stays true, and fails the test if it ever returned false.
     *
     * @param cluster the cluster the invariant is about
     * @param name    what the invariant says, for the failure message (e.g. {@code "never fewer than 2 available"})
     * @param holds   whether the invariant holds now
     * @param block   the block during which it must hold; what it throws propagates unchanged (checked ones too)
     * @throws AssertionError if the invariant was violated
     */
    public static void during(DrydockCluster cluster, String name, Predicate<DrydockCluster> holds, Block block) {
        Objects.requireNonNull(holds, "holds");
        run(cluster, name, predicate(holds), block, DEFAULT_INTERVAL);
    }

    /**
     * Runs {@code block} while checking that {@code check} does not throw, and fails the test if it ever threw:
     * the form for checks written as assertions.
     *
     * <pre>{@code
     * Invariants.duringSatisfying(cluster, "web keeps 2 available",
     *         c -> assertThat(c).deployment("web").hasAvailableReplicasAtLeast(2),
     *         () -> cluster.node("node-2").crash());
     * }</pre>
     *
     * @param cluster the cluster the invariant is about
     * @param name    what the invariant says, for the failure message
     * @param check   throws (an {@link AssertionError} saying what it saw) when the invariant does not hold
     * @param block   the block during which it must hold; what it throws propagates unchanged (checked ones too)
     * @throws AssertionError if the invariant was violated
     */
    public static void duringSatisfying(DrydockCluster cluster, String name, Check check, Block block) {
        run(cluster, name, check, block, DEFAULT_INTERVAL);
    }

    static Check predicate(Predicate<DrydockCluster> holds) {
        return c -> {
            if (!holds.test(c)) {
                throw new AssertionError("the check returned false");
            }
        };
    }

    static void run(DrydockCluster cluster, String name, Check check, Block block, Duration interval) {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(block, "block");
        InvariantRun run = new InvariantRun(cluster, name, check, interval);
        run.start();
        Throwable thrown = null;
        try {
            block.run();
        } catch (Throwable t) {
            thrown = t;
        }
        AssertionError violation = run.finish();
        if (thrown != null) {
            if (violation != null) {
                thrown.addSuppressed(violation);
            }
            throw InvariantRun.<RuntimeException>sneaky(thrown);
        }
        if (violation != null) {
            throw violation;
        }
    }
}

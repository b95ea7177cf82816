package dev.drydock.junit.assertions;

import dev.drydock.cluster.DrydockCluster;
import java.time.Duration;
import java.util.Objects;

/**
 * An invariant waiting for its block: made by {@link ClusterAssert#always} and
 * {@link ClusterAssert#alwaysSatisfies}, run by {@link #during(Invariants.Block)}. See {@link Invariants} for how it
 * is checked and what a violation reports.
 *
 * <pre>{@code
 * assertThat(cluster).always("never fewer than 2 available",
 *                 c -> assertThat(c).deployment("web").hasAvailableReplicasAtLeast(2))
 *         .during(() -> cluster.node("node-2").crash());
 * }</pre>
 */
public final class AlwaysAssert {

    private final DrydockCluster cluster;
    private final String name;
    private final Invariants.Check check;
    private Duration interval = Invariants.DEFAULT_INTERVAL;

    AlwaysAssert(DrydockCluster cluster, String name, Invariants.Check check) {
        this.cluster = cluster;
        this.name = Objects.requireNonNull(name, "name");
        this.check = Objects.requireNonNull(check, "check");
    }

    /**
     * Checks the invariant this often instead of every {@link Invariants#DEFAULT_INTERVAL}.
     *
     * @param interval the pause between two checks; positive
     * @return this, for chaining
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    public AlwaysAssert checkedEvery(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("an invariant's check interval must be positive, not " + interval);
        }
        this.interval = interval;
        return this;
    }

    /**
     * Runs {@code block} while checking the invariant, and fails the test if it was ever violated.
     *
     * @param block the block during which the invariant must hold; what it throws propagates unchanged (checked
     *              exceptions too), with a violation added as suppressed
     * @throws AssertionError naming the invariant, when it broke, what the check saw, and the timeline around it
     */
    public void during(Invariants.Block block) {
        Invariants.run(cluster, name, check, block, interval);
    }
}

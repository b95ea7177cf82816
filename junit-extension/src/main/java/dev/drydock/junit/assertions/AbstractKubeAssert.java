package dev.drydock.junit.assertions;

import dev.drydock.cluster.DrydockCluster;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What every assertion on the cluster's objects shares: it reads the object afresh through the cluster's API each
 * time it checks, and it checks either once (the default) or, after {@link #eventually()} or
 * {@link #within(Duration)}, again and again until it holds or the time is up.
 *
 * <p>A wait that runs out fails with the last failure it saw, how long it waited, and the last entries of the
 * cluster's timeline, so the report says what the cluster did meanwhile.
 *
 * @param <SELF> the concrete assertion, for chaining
 */
public abstract class AbstractKubeAssert<SELF extends AbstractKubeAssert<SELF>> {

    /** How long {@link #eventually()} waits unless told otherwise. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    /** How often a wait checks again. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    /** The cluster whose API the assertion reads. */
    protected final DrydockCluster cluster;
    private Duration wait;

    /**
     * @param cluster the cluster to read
     * @param wait    how long each assertion waits to hold, or null to check once
     */
    protected AbstractKubeAssert(DrydockCluster cluster, Duration wait) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.wait = wait;
    }

    /**
     * Makes every assertion after this one in the chain wait until it holds, for up to 30 seconds
     * ({@link #DEFAULT_WAIT}; Awaitility underneath); the first one that does not hold in time fails the test.
     *
     * <pre>{@code
     * assertThat(cluster).deployment("web").eventually().hasAvailableReplicas(3).isRolledOut();
     * }</pre>
     *
     * @return this assertion, now waiting
     */
    public SELF eventually() {
        return within(wait == null ? DEFAULT_WAIT : wait);
    }

    /**
     * Makes every assertion after this one in the chain wait until it holds, for up to {@code timeout}.
     *
     * <pre>{@code
     * assertThat(cluster).node("node-2").within(Duration.ofSeconds(5)).isNotReady();
     * }</pre>
     *
     * @param timeout how long each assertion may take to hold; positive
     * @return this assertion, now waiting
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public SELF within(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a wait must be positive, not " + timeout);
        }
        this.wait = timeout;
        return self();
    }

    /** How long each assertion waits to hold, or null when it checks once. */
    Duration waiting() {
        return wait;
    }

    /**
     * Checks {@code assertion} once, or until it holds if this assertion waits.
     *
     * @param assertion reads the cluster and throws an {@link AssertionError} saying what it saw if it does not hold
     * @return this assertion, for chaining
     */
    protected final SELF check(Runnable assertion) {
        if (wait == null) {
            assertion.run();
            return self();
        }
        AtomicReference<AssertionError> last = new AtomicReference<>();
        try {
            // In the test's thread: no thread of Awaitility's to outlive the test, and the test's namespace holds.
            Awaitility.await().atMost(wait).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL)
                    .untilAsserted(() -> {
                        try {
                            assertion.run();
                        } catch (AssertionError e) {
                            last.set(e);
                            throw e;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            AssertionError seen = last.get();
            AssertionError error = new AssertionError((seen == null ? "the assertion never completed"
                    : seen.getMessage()) + "\n(still so after waiting " + Reads.seconds(wait) + ")\n"
                    + Reads.recentTimeline(cluster));
            error.initCause(seen == null ? e : seen);
            throw error;
        }
        return self();
    }

    @SuppressWarnings("unchecked")
    private SELF self() {
        return (SELF) this;
    }
}

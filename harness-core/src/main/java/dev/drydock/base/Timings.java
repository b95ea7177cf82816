package dev.drydock.base;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every timing of a cluster, named as Kubernetes names it, compressed for tests: Kubernetes detects a dead node in
 * about 40 s and evicts its pods 5 min later; drydock by default in about a second and half a second later.
 *
 * @param nodeLeaseRenewInterval   how often a kubelet renews its node Lease (kube: 10 s, a quarter of the duration)
 * @param nodeLeaseDuration        the Lease's {@code leaseDurationSeconds} as written (kube: 40 s)
 * @param nodeStatusUpdateFrequency how often a kubelet checks and posts its node status (kube: 10 s)
 * @param nodeMonitorPeriod        how often the node lifecycle controller checks nodes (kube: 5 s)
 * @param nodeMonitorGracePeriod   silence after which a node becomes Ready=Unknown (kube: 40 s)
 * @param podEvictionTimeout       time a pod stays on an unreachable node before eviction (kube: the default
 *                                 {@code tolerationSeconds} of 300 s added to every pod)
 * @param compactionInterval       how often the API server compacts the store (kube: 5 min)
 * @param nodeStatusReportFrequency how often a kubelet posts an unchanged node status (kube: 5 min)
 * @param expectationsTimeout      how long a controller waits to see the pods it asked for before it trusts its
 *                                 cache again (kube's {@code ExpectationsTimeout}: 5 min)
 * @param containerBackOffPeriod   the kubelet's first back-off before it restarts a container that exited again
 *                                 ({@code CrashLoopBackOff}; kube's {@code backOffPeriod}: 10 s), doubled each time
 * @param maxContainerBackOff      the most that back-off grows to (kube's {@code MaxContainerBackOff}: 5 min)
 * @param imageBackOffPeriod       the kubelet's first back-off before it pulls an image again after a failed pull
 *                                 ({@code ImagePullBackOff}; kube's image manager starts at {@code backOffPeriod}: 10 s),
 *                                 doubled each time; also how soon a pod whose pull failed is synced again (kube's pod
 *                                 worker retries a failed sync after {@code backOffPeriod})
 * @param maxImageBackOff          the most that back-off grows to (kube's {@code MaxImageBackOff}: 5 min)
 * @param storeHeartbeatInterval   how often the store's Raft leader heartbeats its followers (etcd's
 *                                 {@code --heartbeat-interval}: 100 ms); at most 1 s. drydock's Raft library counts
 *                                 heartbeats in whole seconds, so the store runs its replicas' time this many times
 *                                 faster than a second
 * @param storeElectionTimeout     silence from the leader after which a follower starts an election (etcd's
 *                                 {@code --election-timeout}: 1 s); a multiple of the heartbeat interval
 * @param storeRequestTimeout      how long a store request waits for a leader and a quorum before it fails as
 *                                 unavailable (etcd's request timeout: 5 s plus twice the election timeout)
 * @param eventTTL                 how long an Event lives after its last write: the API server attaches it to a store
 *                                 lease of that TTL (kube-apiserver's {@code --event-ttl}: 1 h)
 * @param terminationGracePeriod   how long kube's default {@code terminationGracePeriodSeconds} of 30 s lasts on the
 *                                 cluster's clock: a pod's own grace period, and its {@code preStop} sleep, are
 *                                 compressed by the same ratio (kube: 30 s; drydock: 1 s, so a container that
 *                                 ignores SIGTERM is killed a second after its pod is deleted)
 * @param probeSecond              how long one second of a container probe's {@code initialDelaySeconds} and
 *                                 {@code periodSeconds} lasts (kube: 1 s; compressed: 100 ms, so a probe's default
 *                                 period of 10 s is 1 s)
 * @param probeTimeoutSecond       how long one second of a probe's {@code timeoutSeconds} lasts (kube: 1 s; compressed:
 *                                 1 s too: a timeout compressed as far as the periods fails probes whose answer merely
 *                                 waits behind other work on a busy machine, and a failed liveness probe kills)
 * @param eventSleepDuration       how long a component's event recorder waits before it tries again to write an
 *                                 Event it could not get to the API server (client-go's record package
 *                                 {@code sleepDuration}: 10 s, the first wait a random part of it; 12 tries in all)
 * @param eventSpamRefill          how long an event recorder's spam filter takes to give a source one more event
 *                                 about an object once its burst of 25 is spent (client-go's {@code defaultSpamQPS}:
 *                                 one per 300 s); compressed as the kubelet's back-offs are (10 s to 250 ms), to
 *                                 7.5 s, so that a pod that fails its syncs over and over is throttled after as many
 *                                 retries as in kube, not after a few seconds
 * @param eventAggregateInterval   how close together similar events must come for the recorder to aggregate them
 *                                 (client-go's {@code defaultAggregateIntervalInSeconds}: 600 s; compressed alike,
 *                                 to 15 s)
 */
public record Timings(Duration nodeLeaseRenewInterval, Duration nodeLeaseDuration,
                      Duration nodeStatusUpdateFrequency, Duration nodeMonitorPeriod,
                      Duration nodeMonitorGracePeriod, Duration podEvictionTimeout, Duration compactionInterval,
                      Duration nodeStatusReportFrequency, Duration expectationsTimeout,
                      Duration containerBackOffPeriod, Duration maxContainerBackOff,
                      Duration imageBackOffPeriod, Duration maxImageBackOff,
                      Duration storeHeartbeatInterval, Duration storeElectionTimeout, Duration storeRequestTimeout,
                      Duration eventTTL, Duration terminationGracePeriod, Duration probeSecond,
                      Duration probeTimeoutSecond, Duration eventSleepDuration, Duration eventSpamRefill,
                      Duration eventAggregateInterval) {

    /** kube's default {@code terminationGracePeriodSeconds}, the unit {@link #terminationGracePeriod} compresses. */
    private static final Duration KUBE_DEFAULT_GRACE = Duration.ofSeconds(30);

    /**
     * {@code seconds} of a pod's grace period (or of a {@code preStop} sleep) on the cluster's clock, compressed as
     * {@link #terminationGracePeriod} compresses kube's default 30 s.
     */
    public Duration gracePeriod(long seconds) {
        if (seconds <= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(java.math.BigInteger.valueOf(terminationGracePeriod.toNanos())
                .multiply(java.math.BigInteger.valueOf(seconds))
                .divide(java.math.BigInteger.valueOf(KUBE_DEFAULT_GRACE.getSeconds()))
                .min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue());
    }

    /** drydock's compressed defaults. */
    public static Timings compressed() {
        return new Timings(Duration.ofMillis(200), Duration.ofSeconds(40), Duration.ofMillis(500),
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofMinutes(1),
                Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofMillis(250), Duration.ofMillis(7500),
                Duration.ofMillis(250), Duration.ofMillis(7500), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMinutes(5),
                Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(200),
                Duration.ofMillis(7500), Duration.ofSeconds(15));
    }

    /**
     * These timings with one of them changed, by its name (the name of its component above, e.g.
     * {@code nodeMonitorGracePeriod}), as a setting read from a string would name it.
     *
     * <pre>{@code
     * Timings t = Timings.compressed().with("nodeMonitorGracePeriod", Duration.ofSeconds(3));
     * }</pre>
     *
     * @throws IllegalArgumentException if no timing has that name (the message lists them), or {@code value} is
     *                                  null, negative, or zero for any but {@code podEvictionTimeout}
     */
    public Timings with(String name, Duration value) {
        RecordComponent[] components = Timings.class.getRecordComponents();
        List<String> names = new ArrayList<>();
        for (RecordComponent c : components) {
            names.add(c.getName());
        }
        int index = names.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no timing named \"" + name + "\"; timings are " + names);
        }
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException("timing " + name + " must not be negative or null, got " + value);
        }
        // Every other timing is a period or a wait that must pass; a pod may be evicted at once, as with kube's
        // tolerationSeconds: 0.
        if (value.isZero() && !name.equals("podEvictionTimeout")) {
            throw new IllegalArgumentException("timing " + name + " must be positive, got " + value);
        }
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                values[i] = i == index ? value : components[i].getAccessor().invoke(this);
                types[i] = components[i].getType();
            }
            return Timings.class.getDeclaredConstructor(types).newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw bad;
            }
            throw new IllegalStateException("could not set timing " + name, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not set timing " + name, e);
        }
    }

    /** Kubernetes' own defaults, for tests that want real time. */
    public static Timings kubernetes() {
        return new Timings(Duration.ofSeconds(10), Duration.ofSeconds(40), Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofSeconds(40), Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofMinutes(5),
                Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(7), Duration.ofHours(1),
                Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofMinutes(5), Duration.ofMinutes(10));
    }
}

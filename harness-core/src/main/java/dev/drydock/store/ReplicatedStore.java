package dev.drydock.store;

import dev.drydock.base.Clock;
import dev.drydock.base.Seeds;
import dev.drydock.base.SerialExecutor;
import dev.drydock.base.Threads;
import dev.drydock.base.Timings;
import dev.drydock.net.Network;
import io.microraft.Ordered;
import io.microraft.QueryPolicy;
import io.microraft.RaftConfig;
import io.microraft.RaftEndpoint;
import io.microraft.RaftNode;
import io.microraft.RaftRole;
import io.microraft.exception.RaftException;
import io.microraft.impl.RaftNodeImpl;
import io.microraft.impl.state.RaftState;
import io.microraft.impl.task.PreVoteTask;
import io.microraft.model.message.RaftMessage;
import io.microraft.persistence.RestoredRaftState;
import io.microraft.report.RaftNodeReport;
import io.microraft.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's semantics on a Raft log replicated across N in-process replicas ({@code etcd-0}, {@code etcd-1}...), each a
 * MicroRaft node whose state machine applies the log to its own {@link MvccState}.
 *
 * <ul>
 *   <li><b>Writes</b> ({@link #txn}, {@link #compact}) go to the leader's log and are acknowledged once a majority
 *   holds them and the leader applied them. Without a leader or a quorum they are retried, with back-off, until
 *   {@link Settings#requestTimeout()}, then fail with {@link StoreException.Reason#UNAVAILABLE}, whose outcome is
 *   unknown (as etcd's request timeout): the write may still be committed later.</li>
 *   <li><b>Reads</b> ({@link #get}, {@link #range}, {@link #revision}) are linearizable: the leader answers once a
 *   round of heartbeats confirms that it still leads. {@link #compactRevision()} is the leader's local view.</li>
 *   <li><b>Watches</b> follow the leader's stream of applied changes, in revision order, with no gap and no
 *   duplicate across leader changes (see {@link WatchHub}).</li>
 *   <li><b>Leases</b>: grants and revocations go through the log as writes do, and a put attaches its key to a lease
 *   as part of its transaction: every replica, and every snapshot, knows every lease and its keys. When a lease
 *   expires is the leader's alone, as with etcd's primary lessor: the store keeps the deadlines on the cluster's clock
 *   for the replica that leads, checks them every heartbeat interval, and proposes a revocation for each lease past
 *   its deadline. A keep-alive is a linearizable read of the lease on the leader that renews its deadline. When
 *   another replica (or term) leads, every lease gets its full TTL again from then (etcd's {@code Promote}). The
 *   shortest TTL granted is one and a half election timeouts ({@link #minLeaseTtl()}).</li>
 *   <li><b>Replicas' messages</b> cross the cluster's {@link Network} between parties named as the replicas: a cut
 *   link drops them, a lossy link some of them. The store's own calls to the leader do not cross it.</li>
 *   <li><b>A stuck replica</b>: MicroRaft 0.7 cannot bring a replica in line whose log holds a snapshot followed only
 *   by entries it never replicated (a leader isolated right after a snapshot, then healed; fixed upstream in 0.8,
 *   commit d300e13). The store watches for a running replica that the leader reaches, that lags the leader and has
 *   applied nothing for ten election timeouts, and restarts it empty (see {@link #restart(int)}): it catches up
 *   from the leader's snapshot.</li>
 *   <li><b>A follower whose pre-vote round stays open</b>: MicroRaft 0.7 does not close a follower's pre-vote round
 *   when the leader it doubted is heard from again, and such a follower no longer checks that leader's heartbeats; two
 *   of them and a stopped leader leave the group without a leader for good. The store watches for a follower whose
 *   leader timed out while such a round is open, and starts a new round ({@link #stalePreVotesRestarted()}).</li>
 *   <li><b>A snapshot that does not install</b> on a replica stops that replica (MicroRaft has already moved its
 *   commit index to the snapshot's, so its state would no longer be its log's), as etcd stops a member whose
 *   snapshot does not load; {@link #restart(int)} brings it back empty. Both this and a stuck replica's restart are
 *   logged, counted ({@link #failedSnapshotRestores()}, {@link #stuckReplicaRestarts()}) and told to
 *   {@link #events(Events)}.</li>
 *   <li><b>Threads and time</b>: every replica runs as a serial lane on one shared thread,
 *   {@code drydock-<cluster>-store-1}, and watches are handed out on another, {@code drydock-<cluster>-store-watch-1}; time runs faster for the Raft library so that its heartbeat settings, whole
 *   seconds, last {@link Settings#heartbeatInterval()}. {@link #close()} leaves no thread.</li>
 * </ul>
 */
public final class ReplicatedStore implements Store {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedStore.class);
    /** Writes between two snapshots of a replica, as etcd's {@code --snapshot-count} (etcd 3.6's default). */
    public static final int DEFAULT_SNAPSHOT_COUNT = 10_000;
    private static final String GROUP = "etcd";

    /**
     * How the replicated store runs.
     *
     * @param replicas          how many replicas: 1, 3 or 5
     * @param heartbeatInterval the leader's heartbeat interval; divides a second
     * @param electionTimeout   a follower's patience with a silent leader; a multiple of the heartbeat interval
     * @param requestTimeout    how long a request waits for a leader and a quorum
     * @param snapshotCount     applied writes between two snapshots of a replica, after which its log is truncated
     */
    public record Settings(int replicas, Duration heartbeatInterval, Duration electionTimeout,
                           Duration requestTimeout, int snapshotCount) {

        public Settings {
            if (replicas != 1 && replicas != 3 && replicas != 5) {
                throw new IllegalArgumentException("store replicas must be 1, 3 or 5, got " + replicas);
            }
            long hb = heartbeatInterval.toMillis();
            if (hb < 1 || hb > 1000 || 1000 % hb != 0) {
                throw new IllegalArgumentException("store heartbeat interval must divide a second, got "
                        + heartbeatInterval);
            }
            if (electionTimeout.toMillis() < hb) {
                throw new IllegalArgumentException("store election timeout " + electionTimeout
                        + " is shorter than the heartbeat interval " + heartbeatInterval);
            }
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("store request timeout must be positive, got " + requestTimeout);
            }
            if (snapshotCount < 1) {
                throw new IllegalArgumentException("store snapshot count must be >= 1, got " + snapshotCount);
            }
        }

        /** {@code replicas} replicas on the store timings of {@code timings}, a snapshot every 10,000 writes. */
        public static Settings of(int replicas, Timings timings) {
            return new Settings(replicas, timings.storeHeartbeatInterval(), timings.storeElectionTimeout(),
                    timings.storeRequestTimeout(), DEFAULT_SNAPSHOT_COUNT);
        }

        /** The same with a snapshot every {@code count} writes. */
        public Settings withSnapshotCount(int count) {
            return new Settings(replicas, heartbeatInterval, electionTimeout, requestTimeout, count);
        }
    }

    /**
     * Hears what the store does to a replica of its own accord (not at a caller's request): a stuck replica it
     * restarted, a replica it stopped because a snapshot would not install. The cluster puts them on its timeline.
     */
    @FunctionalInterface
    public interface Events {
        /**
         * Called on the store's thread; must return quickly and not call back into the store.
         *
         * @param replica the replica's name ({@code etcd-<i>})
         * @param detail  what happened to it, and why
         */
        void event(String replica, String detail);

        /**
         * Called on the store's thread when a replica is first seen leading in a term newer than the last one
         * announced; must return quickly and not call back into the store.
         */
        default void leader(String replica, long term) {
        }
    }

    /** A replica's address in the Raft group: its party name on the network. */
    private record Endpoint(String id) implements RaftEndpoint {
        @Override
        public Object getId() {
            return id;
        }
    }

    private final Settings settings;
    private final Network network;
    private final Clock clock;
    /** When each lease expires, for the replica {@link #deadlinesLeader} leading in {@link #deadlinesTerm}. */
    private final LeaseDeadlines leaseDeadlines = new LeaseDeadlines();
    private int deadlinesLeader = -1;
    private int deadlinesTerm = -1;
    /** The expired leases whose revocation is in flight. */
    private final Set<Long> revoking = ConcurrentHashMap.newKeySet();
    private final long speedUp;
    private final RaftConfig config;
    /** Where the replicas share the equal key values, events and results they make of each entry. */
    private final SharedRecords sharedRecords = new SharedRecords();
    /** Callers of {@link #call} now: one alone runs its Raft steps on its own thread (see {@link #propose}). */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ScaledClock raftClock;
    private final Random random;
    /** The jitter of slowed links (see {@link Network#slow}), from the store's seed. */
    private final Random linkJitter;
    /** The draws of lossy links (see {@link Network#lossy}), from the store's seed. */
    private final Random linkLoss;
    /** The ids of leases granted without one, from the store's seed (drawn in the order grants arrive). */
    private final SplittableRandom leaseIds;
    private final Threads.Factory threads;
    private final Threads.Factory watchThreads;
    /** The replicas' lanes and timers: one thread, so that a message to another lane costs no thread wake-up. */
    private final ScheduledThreadPoolExecutor pool;
    /** The watch hub's lane: listeners never hold up the replicas' heartbeats. */
    private final ThreadPoolExecutor watchPool;
    private final WatchHub hub;
    private final Replica[] replicas;
    private final List<RaftEndpoint> endpoints = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong stuckRestarts = new AtomicLong();
    private final AtomicLong failedRestores = new AtomicLong();
    private final AtomicLong stalePreVotes = new AtomicLong();
    private volatile Events events = (replica, detail) -> { };
    private final CompletableFuture<Void> firstLeader = new CompletableFuture<>();
    private volatile int leaderHint = -1;
    /** The newest term's leader, as {@link Events#leader} was told of it. */
    private final Announced announced = new Announced();

    /** A term and its leader's name (guarded by itself). */
    private static final class Announced {
        long term = -1;
        String replica;
    }
    private volatile boolean closed;

    /**
     * Starts the replicas and returns once one of them leads (or after the request timeout: requests then wait for a
     * leader themselves).
     *
     * @param cluster the cluster's name, for thread names
     * @param seed    the seed of the replicas' random choices (election jitter)
     */
    public ReplicatedStore(String cluster, Settings settings, Network network, Clock clock, long seed) {
        this.settings = settings;
        this.network = network;
        this.clock = clock;
        this.speedUp = 1000 / settings.heartbeatInterval().toMillis();
        long hb = settings.heartbeatInterval().toMillis();
        long timeoutBeats = Math.max(1, (settings.electionTimeout().toMillis() + hb - 1) / hb);
        this.config = RaftConfig.newBuilder()
                .setLeaderHeartbeatPeriodSecs(1)
                .setLeaderHeartbeatTimeoutSecs(timeoutBeats)
                .setLeaderElectionTimeoutMillis(settings.electionTimeout().toMillis() * speedUp)
                .setCommitCountToTakeSnapshot(settings.snapshotCount())
                .setRaftNodeReportPublishPeriodSecs(60)
                .build();
        this.raftClock = new ScaledClock(clock, speedUp);
        this.random = new Random(seed);
        this.linkJitter = new Random(seed ^ 0x5DEECE66DL);
        this.linkLoss = new Random(seed ^ 0x2545F4914F6CDD1DL);
        this.leaseIds = Seeds.generator(seed, "store/lease-ids");
        this.threads = Threads.factory(cluster, "store");
        this.pool = new ScheduledThreadPoolExecutor(1, threads);
        pool.setRemoveOnCancelPolicy(true);
        this.watchThreads = Threads.factory(cluster, "store-watch");
        this.watchPool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), watchThreads);
        this.hub = new WatchHub(new SerialExecutor(watchPool)); // a burst of writes wakes the watch thread once
        this.replicas = new Replica[settings.replicas()];
        for (int i = 0; i < replicas.length; i++) {
            replicas[i] = new Replica(i);
            endpoints.add(replicas[i].endpoint);
        }
        hub.follow(replicas[0].machine);
        for (int i = replicas.length - 1; i >= 0; i--) {
            replicas[i].start(); // etcd-0 last, so that the others hear its election at once
        }
        long check = settings.electionTimeout().toMillis();
        pool.scheduleWithFixedDelay(this::restartStuckReplicas, check, check, TimeUnit.MILLISECONDS);
        pool.scheduleWithFixedDelay(this::checkStalePreVotes, check, check, TimeUnit.MILLISECONDS);
        pool.scheduleWithFixedDelay(this::expireLeases, hb, hb, TimeUnit.MILLISECONDS);
        try {
            firstLeader.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("store: no leader elected within {}", settings.requestTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The settings this store runs on. */
    public Settings settings() {
        return settings;
    }

    // ---- the Store

    @Override
    public long revision() {
        return (Long) read("revision", RaftOps.Revision.INSTANCE);
    }

    @Override
    public KeyValue get(String key, long revision) {
        return ((ReplicaMachine.Maybe) read("get " + key, new RaftOps.Get(key, revision))).kv();
    }

    @Override
    public RangeResult range(String prefix, String fromKey, long revision, int limit) {
        return (RangeResult) read("range " + prefix, new RaftOps.Range(prefix, fromKey, revision, limit));
    }

    @Override
    public TxnResult txn(Txn txn) {
        // One id for every attempt: a retry of a write whose first attempt was committed applies once.
        RaftOps.Write write = new RaftOps.Write(ids.incrementAndGet(), txn);
        return (TxnResult) call("txn", node -> node.replicate(write));
    }

    @Override
    public void compact(long revision) {
        RaftOps.Compaction compaction = new RaftOps.Compaction(ids.incrementAndGet(), revision);
        call("compact " + revision, node -> node.replicate(compaction));
    }

    /**
     * The shortest TTL this store grants: one and a half election timeouts, etcd's minimum (which etcd rounds up to
     * whole seconds; this store's time may run compressed), so that a lease outlives a leader election.
     */
    public Duration minLeaseTtl() {
        return settings.electionTimeout().multipliedBy(3).dividedBy(2);
    }

    private long nextLeaseId() {
        synchronized (leaseIds) {
            return leaseIds.nextLong(1, Long.MAX_VALUE);
        }
    }

    @Override
    public Lease leaseGrant(long id, Duration ttl) {
        if (id < 0) {
            throw new IllegalArgumentException("a lease id is positive, got " + id);
        }
        Duration granted = ttl.compareTo(minLeaseTtl()) < 0 ? minLeaseTtl() : ttl;
        while (true) {
            long lease = id != 0 ? id : nextLeaseId();
            long write = ids.incrementAndGet();
            try {
                Lease result = (Lease) call("lease grant",
                        node -> node.replicate(new RaftOps.LeaseGrant(write, lease, granted)));
                synchronized (leaseDeadlines) {
                    leaseDeadlines.renew(lease, granted, clock.nanoTime());
                }
                return result;
            } catch (StoreException e) {
                if (id != 0 || e.reason() != StoreException.Reason.LEASE_EXISTS) {
                    throw e;
                }
                // an id of our own choice is taken: choose again
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>A lease past its deadline whose revocation the leader has proposed is not found (etcd's lessor waits for
     * that revocation, then answers the same).
     */
    @Override
    public Duration leaseKeepAlive(long id) {
        Lease lease = (Lease) read("lease keep-alive", new RaftOps.LeaseLookup(id));
        synchronized (leaseDeadlines) {
            long now = clock.nanoTime();
            if (revoking.contains(id) || leaseDeadlines.remaining(id, lease.grantedTtl(), now).isZero()) {
                throw new StoreException(StoreException.Reason.LEASE_NOT_FOUND,
                        "etcdserver: requested lease not found", 0);
            }
            leaseDeadlines.renew(id, lease.grantedTtl(), now);
        }
        return lease.grantedTtl();
    }

    @Override
    public void leaseRevoke(long id) {
        long write = ids.incrementAndGet();
        call("lease revoke", node -> node.replicate(new RaftOps.LeaseRevoke(write, id)));
        synchronized (leaseDeadlines) {
            leaseDeadlines.forget(id);
        }
    }

    @Override
    public Lease leaseTimeToLive(long id) {
        Lease lease;
        try {
            lease = (Lease) read("lease time-to-live", new RaftOps.LeaseLookup(id));
        } catch (StoreException e) {
            if (e.reason() == StoreException.Reason.LEASE_NOT_FOUND) {
                return null;
            }
            throw e;
        }
        synchronized (leaseDeadlines) {
            return new Lease(id, lease.grantedTtl(),
                    leaseDeadlines.remaining(id, lease.grantedTtl(), clock.nanoTime()), lease.keys());
        }
    }

    /**
     * Every heartbeat interval: the leader's leases past their deadline are revoked through the log. A new leader (or
     * term) starts the deadlines afresh, each lease with its full TTL.
     */
    private void expireLeases() {
        try {
            int leader = leader();
            if (closed || leader < 0) {
                return;
            }
            Replica l = replicas[leader];
            int term = l.term;
            ReplicaMachine m = l.machine;
            Map<Long, Duration> leases;
            m.lock.lock();
            try {
                leases = m.state.leases();
            } finally {
                m.lock.unlock();
            }
            List<Long> expired;
            synchronized (leaseDeadlines) {
                if (leader != deadlinesLeader || term != deadlinesTerm) {
                    if (!leases.isEmpty()) {
                        LOG.debug("store: {} leads in term {}; its {} leases get their full TTL", l.endpoint.id(),
                                term, leases.size());
                    }
                    leaseDeadlines.reset();
                    deadlinesLeader = leader;
                    deadlinesTerm = term;
                }
                expired = leaseDeadlines.expired(leases, clock.nanoTime());
            }
            for (long lease : expired) {
                if (!revoking.add(lease)) {
                    continue;
                }
                LOG.debug("store: lease {} expired; {} revokes it", lease, l.endpoint.id());
                l.node.replicate(new RaftOps.LeaseRevoke(ids.incrementAndGet(), lease)).whenComplete((o, e) -> {
                    revoking.remove(lease);
                    if (e != null) {
                        LOG.debug("store: revoking expired lease {} failed, the next check retries: {}", lease,
                                e.toString());
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warn("store: the lease expiry check failed", e); // and runs again next time
        }
    }

    @Override
    public long compactRevision() {
        ReplicaMachine m = hub.followed();
        m.lock.lock();
        try {
            return m.state.compactRevision();
        } finally {
            m.lock.unlock();
        }
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        checkOpen();
        return hub.watch(prefix, fromRevision, listener, () -> closed ? closedException() : null);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<?>> stopping = new ArrayList<>();
        for (Replica r : replicas) {
            synchronized (r) {
                if (r.running) {
                    r.running = false;
                    stopping.add(r.node.terminate());
                }
            }
        }
        try {
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).get(1, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.debug("store: replicas did not all terminate in time: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Replica r : replicas) {
            r.lane.stop();
        }
        pool.shutdownNow();
        watchPool.shutdownNow();
        try {
            boolean stopped = pool.awaitTermination(5, TimeUnit.SECONDS);
            stopped &= watchPool.awaitTermination(5, TimeUnit.SECONDS);
            stopped &= threads.join(5_000);
            stopped &= watchThreads.join(5_000);
            if (!stopped) {
                LOG.warn("store: threads still running after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        hub.closeAll(closedException());
    }

    // ---- faults and views, for the cluster's store handle and tests

    /** How many replicas the store has. */
    public int replicas() {
        return replicas.length;
    }

    /** A replica's name, its party on the network: {@code etcd-<i>}. */
    public String replicaName(int replica) {
        return replica(replica).endpoint.id();
    }

    /**
     * The replica that leads now: of the running replicas that believe they lead, the one of the latest term; -1 if
     * none (during an election, or without a quorum once the old leader stepped down).
     */
    public int leader() {
        int best = -1;
        int bestTerm = -1;
        for (Replica r : replicas) {
            if (r.running && r.role == RaftRole.LEADER && r.term > bestTerm) {
                best = r.index;
                bestTerm = r.term;
            }
        }
        return best;
    }

    /** Whether a replica runs (it was not stopped, or was restarted since). */
    public boolean isRunning(int replica) {
        return replica(replica).running;
    }

    /**
     * The revision a replica has applied: its own view, which lags the leader's on a follower that is cut off or was
     * restarted (a serializable read from that replica).
     */
    public long replicaRevision(int replica) {
        return replica(replica).machine.revision();
    }

    /**
     * A serializable read of one key from one replica's own state, as etcd's {@code --consistency=s} on that member: a
     * lagging or cut-off replica answers its stale view. {@code null} if that replica knows no such key.
     */
    public KeyValue replicaGet(int replica, String key) {
        ReplicaMachine m = replica(replica).machine;
        m.lock.lock();
        try {
            return m.state.get(key, 0);
        } finally {
            m.lock.unlock();
        }
    }

    /**
     * A serializable range read from one replica's own state, as etcd's {@code --consistency=s} on that member: a
     * lagging or cut-off replica answers its stale view.
     */
    public RangeResult replicaRange(int replica, String prefix) {
        ReplicaMachine m = replica(replica).machine;
        m.lock.lock();
        try {
            return m.state.range(prefix, null, 0, 0);
        } finally {
            m.lock.unlock();
        }
    }

    /** The leases a replica's own state knows, each with its attached keys: id to keys. */
    Map<Long, List<String>> replicaLeases(int replica) {
        ReplicaMachine m = replica(replica).machine;
        m.lock.lock();
        try {
            Map<Long, List<String>> out = new java.util.TreeMap<>();
            for (long id : m.state.leases().keySet()) {
                out.put(id, m.state.leaseKeys(id));
            }
            return out;
        } finally {
            m.lock.unlock();
        }
    }

    /** How many snapshots a replica's current incarnation installed from the leader. */
    int replicaSnapshotsInstalled(int replica) {
        return replica(replica).machine.snapshotsInstalled();
    }

    /**
     * The state machine of a replica's current incarnation. A test-only seam: the store's check plants bugs through
     * it ({@code PlantedRaftBugs}); the store itself never hands it out.
     */
    ReplicaMachine machine(int replica) {
        return replica(replica).machine;
    }

    /** The Raft commit index a replica has applied. */
    public long replicaAppliedIndex(int replica) {
        return replica(replica).machine.appliedIndex();
    }

    /** Stops a replica: it answers nothing and hears nothing until {@link #restart(int)}. */
    public void stop(int replica) {
        Replica r = replica(replica);
        synchronized (r) {
            if (!r.running) {
                return;
            }
            r.running = false;
            r.role = null;
            ReplicaLane lane = r.lane;
            r.node.terminate().whenComplete((o, e) -> lane.stop());
        }
    }

    /**
     * Starts a stopped replica again, empty but for its term and vote (see {@link HardState}): it catches up from the
     * leader, by a snapshot if the leader's log no longer reaches back to the start. Restarting a running replica stops
     * it first. As with etcd members that lost their data, restarting a majority empty can lose acknowledged writes.
     *
     * @throws IllegalStateException on a store of one replica, which would lose everything
     */
    public void restart(int replica) {
        Replica r = replica(replica);
        checkOpen();
        if (replicas.length == 1) {
            throw new IllegalStateException("restarting the only replica empty would lose every write");
        }
        stop(replica);
        r.start();
        // The leader remembers how far this replica's log matched, and MicroRaft 0.7 never sends a replica entries
        // (or a snapshot) below that: a new leader, which knows nothing of it, brings the empty replica back.
        int leader = leader();
        if (leader >= 0 && leader != replica) {
            for (Replica other : replicas) {
                if (other.index != leader && other.index != replica && other.running) {
                    LOG.info("store: {} restarted empty; handing leadership from {} to {} so that it catches up",
                            r.endpoint.id(), replicas[leader].endpoint.id(), other.endpoint.id());
                    replicas[leader].node.transferLeadership(other.endpoint).whenComplete((o, e) -> {
                        if (e != null) {
                            LOG.warn("store: could not hand leadership to {} after restarting {}: {}",
                                    other.endpoint.id(), r.endpoint.id(), e.toString());
                        }
                    });
                    break;
                }
            }
        }
    }

    /**
     * Slows a replica down, as an etcd member on a slow disk: each step of it (applying an entry, persisting, answering
     * a message, a timer) waits {@code delay} first, in order, on the store's timers; {@link Duration#ZERO} lifts it.
     * It lasts across {@link #restart(int)}. A slow follower does not hold up commits (the others make a quorum); a
     * slow leader makes every request slower.
     */
    public void slowDisk(int replica, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a disk delay cannot be negative, got " + delay);
        }
        Replica r = replica(replica);
        synchronized (r) {
            r.diskDelayNanos = delay.toNanos();
            r.lane.slow(r.diskDelayNanos);
        }
    }

    private Replica replica(int replica) {
        if (replica < 0 || replica >= replicas.length) {
            throw new IllegalArgumentException("no store replica " + replica + "; replicas are 0 to "
                    + (replicas.length - 1));
        }
        return replicas[replica];
    }

    // ---- requests

    private Object read(String what, Object query) {
        return call(what, node -> node.query(query, QueryPolicy.LINEARIZABLE, Optional.empty(), Optional.empty()));
    }

    /**
     * Hands a request to a replica. A request alone in the store (no other caller's in flight) runs its Raft steps
     * on the caller's thread ({@link ReplicaLane#runHere}): one client's write then wakes no store thread per message
     * between the replicas. Requests that come together are handed to the store's thread, which takes them in
     * batches (running each on its caller's thread made eight HTTP clients' creates slower).
     */
    private CompletableFuture<Ordered<Object>> propose(Function<RaftNode, CompletableFuture<Ordered<Object>>> request,
                                                       RaftNode node) {
        return inFlight.get() == 1 ? ReplicaLane.runHere(() -> request.apply(node)) : request.apply(node);
    }

    /**
     * Runs a request on the leader, retrying (with back-off) while there is none or it cannot answer, until the
     * request timeout. A write retried after an unknown outcome applies once (see {@link ReplicaMachine}).
     */
    private Object call(String what, Function<RaftNode, CompletableFuture<Ordered<Object>>> request) {
        inFlight.incrementAndGet();
        try {
            return callCounted(what, request);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private Object callCounted(String what, Function<RaftNode, CompletableFuture<Ordered<Object>>> request) {
        long start = System.nanoTime();
        long deadline = start + settings.requestTimeout().toNanos();
        long attemptCap = settings.electionTimeout().toNanos() * 5;
        long backoff = TimeUnit.MILLISECONDS.toNanos(1);
        Throwable last = null;
        while (true) {
            checkOpen();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warn("store: {} failed: no leader with a quorum answered within {} (last: {})", what,
                        settings.requestTimeout(), last == null ? "no leader known" : last.toString());
                throw new StoreException(StoreException.Reason.UNAVAILABLE, "etcdserver: request timed out", 0);
            }
            Replica target = target();
            if (target != null) {
                RaftNode node = target.node;
                try {
                    Object result = propose(request, node)
                            .get(Math.min(left, attemptCap), TimeUnit.NANOSECONDS).getResult();
                    if (result instanceof StoreException e) {
                        throw new StoreException(e.reason(), e.getMessage(), e.revision()); // this caller's stack
                    }
                    return result;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof StoreException se) {
                        // MicroRaft fails the future with a state machine's answer that is an exception.
                        throw new StoreException(se.reason(), se.getMessage(), se.revision()); // this caller's stack
                    }
                    if (!(cause instanceof RaftException re)) {
                        checkOpen(); // the store closed under the request
                        if (target.running && target.node == node) {
                            throw new IllegalStateException("store: " + what + " failed", cause);
                        }
                        // the replica was stopped under the request: ask the next leader
                        LOG.debug("store: {} on stopped {} failed, retrying: {}", what, target.endpoint.id(),
                                cause.toString());
                        last = cause;
                        LockSupport.parkNanos(backoff);
                        backoff = Math.min(backoff * 2, settings.heartbeatInterval().toNanos());
                        continue;
                    }
                    last = re;
                    int hinted = re.getLeader() == null ? -1 : endpoints.indexOf(re.getLeader());
                    if (hinted >= 0 && hinted != target.index) {
                        leaderHint = hinted;
                        continue; // redirected at once
                    }
                    LOG.debug("store: {} on {} failed, retrying: {}", what, target.endpoint.id(), re.toString());
                } catch (TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoreException(StoreException.Reason.UNAVAILABLE, "interrupted", 0);
                }
            }
            LockSupport.parkNanos(backoff);
            backoff = Math.min(backoff * 2, settings.heartbeatInterval().toNanos());
        }
    }

    /** Where to send a request: the leader if one is known, else the latest hint, else any running replica. */
    private Replica target() {
        int leader = leader();
        if (leader >= 0) {
            return replicas[leader];
        }
        int hint = leaderHint;
        if (hint >= 0 && replicas[hint].running) {
            return replicas[hint];
        }
        for (Replica r : replicas) {
            if (r.running) {
                return r;
            }
        }
        return null;
    }

    private void checkOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private static StoreException closedException() {
        return new StoreException(StoreException.Reason.CLOSED, "store closed", 0);
    }

    /** See the class comment: a replica that cannot catch up from its log is restarted empty. */
    private void restartStuckReplicas() {
        try {
            checkStuckReplicas();
        } catch (RuntimeException e) {
            LOG.warn("store: the check for stuck replicas failed", e); // and runs again next time
        }
    }

    private void checkStuckReplicas() {
        int leader = leader();
        if (closed || leader < 0) {
            return;
        }
        Replica l = replicas[leader];
        long leaderApplied = l.machine.appliedIndex();
        long now = System.nanoTime();
        long patience = settings.electionTimeout().toNanos() * 10;
        for (Replica r : replicas) {
            long applied = r.machine.appliedIndex();
            boolean lagging = r != l && r.running && applied < leaderApplied
                    && network.reachable(l.endpoint.id(), r.endpoint.id())
                    && network.reachable(r.endpoint.id(), l.endpoint.id());
            if (!lagging || applied != r.watchedApplied || r.watchedSince == 0) {
                r.watchedApplied = applied;
                r.watchedSince = now;
                continue;
            }
            if (now - r.watchedSince > patience) {
                LOG.warn("store: {} has applied nothing past index {} for {} ms while the leader {} is at {} and "
                        + "reaches it; restarting it empty to catch up from a snapshot (MicroRaft 0.7 cannot sync "
                        + "a log that holds a snapshot followed by unreplicated entries)", r.endpoint.id(), applied,
                        (now - r.watchedSince) / 1_000_000, l.endpoint.id(), leaderApplied);
                r.watchedSince = now;
                stuckRestarts.incrementAndGet();
                restart(r.index);
                event(r, "restarted empty: stuck at index " + applied + " while the leader " + l.endpoint.id()
                        + " is at " + leaderApplied + " (MicroRaft 0.7's post-snapshot sync bug)");
            }
        }
    }

    /**
     * See the class comment: MicroRaft 0.7 leaves a follower that started a pre-vote and then heard from the leader
     * again with its pre-vote round open for good, and such a follower never notices that leader fail (its heartbeat
     * check waits for the round to close). When both followers of three are in that state and the leader stops, the
     * group has no leader again, ever: found by the store check's soak. A follower whose leader has timed out while
     * such a round is open forgets the leader and starts a new pre-vote round, as it would have without the bug.
     * Pre-votes change no term and no vote, so this is safe at any time.
     */
    private void checkStalePreVotes() {
        if (closed) {
            return;
        }
        for (Replica r : replicas) {
            try {
                onReplica(r.index, node -> {
                    RaftState state = node.state();
                    if (state.role() == RaftRole.FOLLOWER && state.preCandidateState() != null
                            && state.leader() != null && node.isLeaderHeartbeatTimeoutElapsed()) {
                        LOG.warn("store: {} lost its leader {} while a pre-vote round of its was left open (MicroRaft "
                                + "0.7 then never starts another); starting one", r.endpoint.id(),
                                state.leader().getId());
                        stalePreVotes.incrementAndGet();
                        node.leader(null);
                        new PreVoteTask(node, state.term()).run();
                    }
                });
            } catch (RuntimeException e) {
                LOG.warn("store: the check of {}'s pre-vote state failed", r.endpoint.id(), e);
            }
        }
    }

    /** Runs {@code action} on a running replica's lane, with its Raft node (nothing if it is stopped). */
    void onReplica(int replica, java.util.function.Consumer<RaftNodeImpl> action) {
        Replica r = replica(replica);
        RaftNode node;
        ReplicaLane lane;
        synchronized (r) {
            if (!r.running) {
                return;
            }
            node = r.node;
            lane = r.lane;
        }
        if (node instanceof RaftNodeImpl impl) {
            lane.execute(() -> action.accept(impl));
        }
    }

    /** How many times a follower's pre-vote round left open by MicroRaft 0.7 was started again (class comment). */
    public long stalePreVotesRestarted() {
        return stalePreVotes.get();
    }

    /** How many times the store restarted a stuck replica (see the class comment). */
    public long stuckReplicaRestarts() {
        return stuckRestarts.get();
    }

    /**
     * A replica's state machine could not install the snapshot the leader sent: MicroRaft 0.7 has already moved the
     * replica's commit index to the snapshot's, so its state no longer matches its log and it must not serve or vote
     * on. The replica is stopped, as an etcd member whose snapshot does not load stops (etcd panics); the others go
     * on, and a test can {@link #restart(int)} it empty.
     */
    private void restoreFailed(ReplicaMachine machine, long commitIndex, RuntimeException cause) {
        Replica r = replicas[machine.replica];
        failedRestores.incrementAndGet();
        LOG.error("store: {} could not install the snapshot at index {}; stopping it (restart it to rejoin empty)",
                r.endpoint.id(), commitIndex, cause);
        synchronized (r) {
            if (r.machine == machine) {
                stop(r.index);
            }
        }
        event(r, "stopped: installing the snapshot at index " + commitIndex + " failed: " + cause);
    }

    /** How many times a replica was stopped because a snapshot from the leader would not install on it. */
    public long failedSnapshotRestores() {
        return failedRestores.get();
    }

    /** Where the store tells what it does to replicas of its own accord (see {@link Events}); replaces the last. */
    public void events(Events listener) {
        synchronized (announced) {
            this.events = listener;
            if (announced.replica != null) {
                announceLeader(); // the leader elected before it listened
            }
        }
    }

    private void announceLeader() {
        try {
            events.leader(announced.replica, announced.term);
        } catch (RuntimeException e) {
            LOG.warn("store: the listener of store events failed on {} leading in term {}", announced.replica,
                    announced.term, e);
        }
    }

    private void event(Replica r, String detail) {
        try {
            events.event(r.endpoint.id(), detail);
        } catch (RuntimeException e) {
            LOG.warn("store: the listener of store events failed on {} {}", r.endpoint.id(), detail, e);
        }
    }

    private void leads(Replica r, int term) {
        leaderHint = r.index;
        synchronized (announced) {
            // once per term: not again on the periodic reports of the same leadership
            if (term > announced.term) {
                announced.term = term;
                announced.replica = r.endpoint.id();
                announceLeader();
            }
        }
        LOG.debug("store: {} leads in term {}", r.endpoint.id(), term);
        hub.follow(r.machine);
        firstLeader.complete(null);
    }

    /** One replica: its identity and hard state, and its current incarnation (node, lane, state machine). */
    private final class Replica {
        final int index;
        final Endpoint endpoint;
        final HardState hard = new HardState();
        volatile RaftNode node;
        volatile ReplicaLane lane;
        volatile ReplicaMachine machine;
        volatile boolean running;
        /** See {@link #slowDisk}: applied to each incarnation's lane. */
        long diskDelayNanos;
        volatile RaftRole role;
        volatile int term;
        /** For the stuck check: the applied index last seen, and since when it has not moved. */
        long watchedApplied;
        long watchedSince;

        Replica(int index) {
            this.index = index;
            this.endpoint = new Endpoint("etcd-" + index);
            this.machine = new ReplicaMachine(index, hub, ReplicatedStore.this::restoreFailed, sharedRecords);
        }

        synchronized void start() {
            if (running) {
                return;
            }
            ReplicaMachine m = node == null ? machine : new ReplicaMachine(index, hub,
                    ReplicatedStore.this::restoreFailed, sharedRecords);
            ReplicaLane l = new ReplicaLane(endpoint.id(), pool, speedUp, new Random(random.nextLong()));
            RaftNode.RaftNodeBuilder builder = RaftNode.newBuilder()
                    .setGroupId(GROUP)
                    .setConfig(config)
                    .setExecutor(l)
                    .setTransport(new Link(this))
                    .setStateMachine(m)
                    .setStore(hard)
                    .setClock(raftClock)
                    .setRandom(new Random(random.nextLong()))
                    .setRaftNodeReportListener(this::report);
            RestoredRaftState restored = hard.restored();
            if (restored != null) {
                builder.setRestoredState(restored);
            } else {
                builder.setLocalEndpoint(endpoint).setInitialGroupMembers(endpoints);
            }
            if (node == null && index == 0) {
                l.startElectionAtOnce(); // the group's first start: etcd-0 leads at once
            }
            l.slow(diskDelayNanos);
            machine = m;
            lane = l;
            role = null;
            node = builder.build();
            running = true;
            node.start();
        }

        private void report(RaftNodeReport report) {
            if (!running || report.getEndpoint() != null && !endpoint.equals(report.getEndpoint())) {
                return;
            }
            role = report.getRole();
            term = report.getTerm().getTerm();
            if (role == RaftRole.LEADER) {
                leads(this, term);
            }
        }
    }

    /**
     * A replica's side of the network: its messages to the others cross the cluster's links, or are dropped: all of
     * them on a cut link, some on a lossy one (see {@link Network#lossy}, drawn from the store's seed; Raft resends
     * what it misses: entries on the next heartbeat, votes in the next election, snapshot chunks when asked again).
     * On a slowed link (see {@link Network#slow}) a message arrives its delay later, plus up to a quarter of it of seeded
     * jitter, in the order sent (as over one TCP connection), on the store's timers.
     */
    private final class Link implements Transport {
        private final Replica from;
        /** When the last message held up on the link to each replica is due (guarded by this). */
        private final long[] due = new long[replicas.length];

        Link(Replica from) {
            this.from = from;
        }

        @Override
        public void send(RaftEndpoint target, RaftMessage message) {
            int to = endpoints.indexOf(target);
            if (to < 0 || !from.running) {
                return;
            }
            Replica r = replicas[to];
            String f = from.endpoint.id();
            String t = r.endpoint.id();
            if (r.running && network.reachable(f, t) && !network.drops(f, t, linkLoss)) {
                long delay = network.delayNanos(f, t);
                if (network.reorders(f, t, linkLoss)) {
                    outOfOrder(delay, r, message); // the messages sent after it overtake it
                } else if (delay > 0) {
                    later(to, delay, r.node, message);
                } else {
                    r.node.handle(message); // queued on the receiver's lane
                }
                if (network.duplicates(f, t, linkLoss)) {
                    outOfOrder(delay, r, message); // the same message again, a little later
                }
            }
        }

        /** Delivers a message 1-5 ms after its delay, outside the link's order. */
        private void outOfOrder(long delay, Replica r, RaftMessage message) {
            double extra;
            synchronized (linkJitter) {
                extra = linkJitter.nextDouble();
            }
            RaftNode node = r.node;
            try {
                pool.schedule(() -> {
                    if (r.node == node && r.running && network.reachable(from.endpoint.id(), r.endpoint.id())) {
                        node.handle(message);
                    }
                }, delay + 1_000_000 + (long) (4_000_000 * extra), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the store is closing: the message is lost with it
            }
        }

        private void later(int to, long delay, RaftNode node, RaftMessage message) {
            double jitter;
            synchronized (linkJitter) {
                jitter = linkJitter.nextDouble();
            }
            synchronized (this) {
                long now = System.nanoTime();
                // 1 µs after the previous one, so that the timers keep them in order (Raft does not rely on it)
                long at = Math.max(now + delay + (long) (delay * 0.25 * jitter), due[to] + 1_000);
                due[to] = at;
                Replica r = replicas[to];
                try {
                    pool.schedule(() -> {
                        if (r.node == node && r.running && network.reachable(from.endpoint.id(), r.endpoint.id())) {
                            node.handle(message);
                        }
                    }, at - now, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // the store is closing: the message is lost with it
                }
            }
        }

        @Override
        public boolean isReachable(RaftEndpoint target) {
            int to = endpoints.indexOf(target);
            return to >= 0 && replicas[to].running && network.reachable(from.endpoint.id(), replicas[to].endpoint.id());
        }
    }
}

package dev.drydock.cluster;

import dev.drydock.chaos.Timeline;
import dev.drydock.net.Network;
import dev.drydock.store.KeyValue;
import dev.drydock.store.ReplicatedStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The cluster's store, as a test breaks it: its replicas ({@code etcd-0} to {@code etcd-N-1}, numbered from 0), which
 * of them leads, and the faults of an etcd cluster. Network faults are rules on the links between replicas (the API
 * server's requests to the leader do not cross them); {@link #heal()} lifts every one this handle made. Every fault is
 * recorded on the cluster's timeline, and so is what the store does to a replica of its own accord (stopping one whose
 * snapshot would not install, restarting one stuck by its Raft library's bug).
 *
 * <p>While a majority of replicas cannot reach each other, writes and reads wait up to the store's request timeout
 * ({@link dev.drydock.base.Timings#storeRequestTimeout()}) and then fail; after {@link #heal()} the store goes on,
 * with no acknowledged write lost.
 *
 * <pre>{@code
 * int old = cluster.store().isolateLeader();
 * await().until(() -> cluster.store().leader() >= 0);  // a new leader among the others
 * ...
 * cluster.store().heal();
 * }</pre>
 */
public final class StoreHandle {

    private static final String SUBJECT = "store";

    private final ReplicatedStore store;
    private final Network network;
    private final Timeline timeline;
    /** Parties this handle isolated, and pairs of parties whose link it cut, for {@link #heal()}. */
    private final Set<String> isolated = new LinkedHashSet<>();
    private final List<String[]> cuts = new ArrayList<>();
    /** Parties whose links this handle slowed, and replicas whose disk it slowed, for {@link #heal()}. */
    private final Set<String> slowLinks = new LinkedHashSet<>();
    /** Parties whose links this handle made lossy, for {@link #heal()}. */
    private final Set<String> lossyLinks = new LinkedHashSet<>();
    private final Set<Integer> slowDisks = new LinkedHashSet<>();

    StoreHandle(ReplicatedStore store, Network network, Timeline timeline) {
        this.store = store;
        this.network = network;
        this.timeline = timeline;
        store.events(new ReplicatedStore.Events() {
            @Override
            public void event(String replica, String detail) {
                timeline.event(SUBJECT, replica + " " + detail);
            }

            @Override
            public void leader(String replica, long term) {
                timeline.record(Timeline.LEADER, SUBJECT, replica, replica + " leads in term " + term);
            }
        });
    }

    /** How many replicas the store has (from {@link ClusterSpec#storeReplicas(int)}). */
    public int replicas() {
        return store.replicas();
    }

    /** A replica's name, as on the network and the timeline: {@code etcd-<replica>}. */
    public String name(int replica) {
        return store.replicaName(replica);
    }

    /**
     * The replica that leads now, or -1 during an election or without a quorum. An isolated leader that has not yet
     * noticed it lost its followers does not count once another replica leads in a later term.
     */
    public int leader() {
        return store.leader();
    }

    /** Whether a replica runs (it was not stopped, or was restarted since). */
    public boolean isRunning(int replica) {
        return store.isRunning(replica);
    }

    /** The revision a replica has applied: behind the leader's on a replica that is cut off or catching up. */
    public long revision(int replica) {
        return store.replicaRevision(replica);
    }

    /**
     * Reads one key from one replica's own state, without asking the leader: etcd's serializable read
     * ({@code etcdctl get --consistency=s} against that member). A follower that is cut off or lags answers what it
     * has applied so far, which can be older than what the API server has acknowledged; the API server's own reads
     * are linearizable. The API server keeps each object under
     * {@code /registry/<group or core>/<plural>/<namespace>/<name>} (no namespace for cluster-scoped kinds), its value
     * the object's JSON.
     *
     * <pre>{@code
     * store.isolate(follower);
     * client.update(...);                                      // acknowledged by the other two
     * store.serializableGet(follower, key);                    // still the old object
     * }</pre>
     *
     * @return the key's latest version on that replica, or {@code null} if it knows no such key
     * @throws IllegalStateException if the replica is stopped (a stopped etcd member answers nothing)
     */
    public KeyValue serializableGet(int replica, String key) {
        checkRunning(replica);
        return store.replicaGet(replica, key);
    }

    /**
     * Reads every key under a prefix from one replica's own state, in key order, without asking the leader: etcd's
     * serializable range read. See {@link #serializableGet(int, String)}.
     *
     * @throws IllegalStateException if the replica is stopped
     */
    public List<KeyValue> serializableList(int replica, String prefix) {
        checkRunning(replica);
        return store.replicaRange(replica, prefix).kvs();
    }

    private void checkRunning(int replica) {
        if (!store.isRunning(replica)) {
            throw new IllegalStateException(name(replica) + " is stopped: a stopped replica answers no read");
        }
    }

    /** Stops a replica, as a crashed etcd member: it answers nothing until {@link #restart(int)}. */
    public void stop(int replica) {
        timeline.fault(SUBJECT, "stop " + name(replica));
        store.stop(replica);
    }

    /**
     * Starts a replica again, empty but for its term and vote, as an etcd member whose data was lost: it catches up
     * from the leader (from a snapshot once the leader's log was truncated). If it was running, it is stopped first.
     * Restarting a majority empty can lose acknowledged writes, as losing a majority of etcd's data directories does.
     *
     * @throws IllegalStateException on a store of one replica
     */
    public void restart(int replica) {
        if (replicas() == 1) {
            throw new IllegalStateException("restarting the only store replica empty would lose every write");
        }
        timeline.fault(SUBJECT, "restart " + name(replica) + " empty");
        store.restart(replica);
    }

    /**
     * Cuts the leader off from every other replica; the others elect a new leader among themselves.
     *
     * @return the isolated replica
     * @throws IllegalStateException if no replica leads now
     */
    public int isolateLeader() {
        int leader = store.leader();
        if (leader < 0) {
            throw new IllegalStateException("no store replica leads now; nothing to isolate");
        }
        isolate(leader);
        return leader;
    }

    /** Cuts one replica off from every other party until {@link #heal()}. */
    public synchronized void isolate(int replica) {
        String party = name(replica);
        timeline.fault(SUBJECT, "isolate " + party);
        isolated.add(party);
        network.isolate(party);
    }

    /**
     * Splits the replicas in two: those listed on one side, the others on the other; no message crosses until
     * {@link #heal()}. {@code partition(0)} on 3 replicas makes a 1|2 split; {@code partition(0, 1)} on 5 a 2|3 one.
     *
     * @throws IllegalArgumentException if a replica does not exist, or the side is empty or holds every replica;
     *                                  nothing is cut or recorded then
     */
    public synchronized void partition(int... side) {
        Set<Integer> one = new LinkedHashSet<>();
        for (int r : side) {
            name(r); // checks the number
            one.add(r);
        }
        if (one.isEmpty() || one.size() == replicas()) {
            throw new IllegalArgumentException("a partition needs replicas on both sides: name some of the replicas 0"
                    + " to " + (replicas() - 1) + " for one side, not " + (one.isEmpty() ? "none" : "all"));
        }
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int r = 0; r < replicas(); r++) {
            (one.contains(r) ? a : b).add(name(r));
        }
        timeline.fault(SUBJECT, "partition " + a + " | " + b);
        for (String x : a) {
            for (String y : b) {
                network.cut(x, y);
                cuts.add(new String[] {x, y});
            }
        }
    }

    /** Cuts every replica off from every other: no majority, so no leader, until {@link #heal()}. */
    public synchronized void loseQuorum() {
        timeline.fault(SUBJECT, "lose quorum: every replica cut off");
        for (int r = 0; r < replicas(); r++) {
            isolated.add(name(r));
            network.isolate(name(r));
        }
    }

    /**
     * Slows every link of a replica, both ways: each message between it and another replica arrives {@code delay}
     * later, plus up to a quarter of it of jitter drawn from the cluster's seed, until {@link #heal()}. A slow
     * follower does not hold up commits; with a slow leader every write waits for its round trips.
     *
     * @throws IllegalArgumentException if the replica does not exist or the delay is negative; nothing changes then
     */
    public synchronized void slowLinks(int replica, Duration delay) {
        String party = name(replica);
        requireNotNegative("a link delay", delay);
        timeline.fault(SUBJECT, "slow the links of " + party + " by " + delay.toMillis() + " ms");
        slowLinks.add(party);
        network.slow(party, delay);
    }

    /**
     * Makes every link of a replica lossy, both ways: each message between it and another replica is lost with
     * {@code probability}, drawn from the cluster's seed, until {@link #heal()} (or a probability of 0). Raft resends
     * what is lost, so writes still commit, later: a lossy follower lags, a lossy leader makes writes slower and may
     * lose its leadership when its heartbeats go missing.
     *
     * @throws IllegalArgumentException unless {@code 0 <= probability <= 1}
     */
    public synchronized void lossyLinks(int replica, double probability) {
        String party = name(replica);
        network.lossy(party, probability); // checks the probability first
        String percent = BigDecimal.valueOf(probability).movePointRight(2).stripTrailingZeros().toPlainString();
        timeline.fault(SUBJECT, "lose " + percent + "% of the messages on the links of " + party);
        if (probability == 0) {
            lossyLinks.remove(party);
        } else {
            lossyLinks.add(party);
        }
    }

    /**
     * Slows a replica's disk: every step it takes (persisting and applying an entry, answering a message) waits
     * {@code delay} first, until {@link #heal()}. It lasts across {@link #restart(int)}.
     *
     * @throws IllegalArgumentException if the replica does not exist or the delay is negative; nothing changes then
     */
    public synchronized void slowDisk(int replica, Duration delay) {
        name(replica); // checks the number
        requireNotNegative("a disk delay", delay);
        timeline.fault(SUBJECT, "slow the disk of " + name(replica) + " by " + delay.toMillis() + " ms");
        slowDisks.add(replica);
        store.slowDisk(replica, delay);
    }

    /** Refuses a negative delay before anything is recorded or changed. */
    private static void requireNotNegative(String what, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException(what + " cannot be negative, got " + delay);
        }
    }

    /**
     * Lifts every network fault and slowness this handle made (stopped replicas stay stopped: {@link #restart(int)}
     * them).
     */
    public synchronized void heal() {
        timeline.fault(SUBJECT, "heal");
        isolated.forEach(network::rejoin);
        isolated.clear();
        cuts.forEach(c -> network.restore(c[0], c[1]));
        cuts.clear();
        slowLinks.forEach(p -> network.slow(p, Duration.ZERO));
        slowLinks.clear();
        lossyLinks.forEach(p -> network.lossy(p, 0));
        lossyLinks.clear();
        slowDisks.forEach(r -> store.slowDisk(r, Duration.ZERO));
        slowDisks.clear();
    }

    /**
     * How many times the store stopped a replica because the snapshot the leader sent it would not install: its state
     * would no longer match its log, so it serves no more (as an etcd member whose snapshot does not load) until
     * {@link #restart(int)}. Each is on the timeline, and logged at error. Always 0 unless something is wrong.
     */
    public long failedSnapshotRestores() {
        return store.failedSnapshotRestores();
    }

    /**
     * How many times the store restarted a replica stuck by its Raft library's bug (see {@link ReplicatedStore}); each
     * is on the timeline.
     */
    public long stuckReplicaRestarts() {
        return store.stuckReplicaRestarts();
    }
}

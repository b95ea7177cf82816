package dev.drydock.store.check;

import dev.drydock.net.Network;
import dev.drydock.store.ReplicatedStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The faults of a Raft-replicated store, one at a time, chosen from the workload's seed: every other step heals the
 * last fault (with a chance of letting it last one more step), the steps between inject one of
 * <ul>
 *   <li>stop a replica (it comes back empty when healed, as an etcd member whose data directory was lost);</li>
 *   <li>restart a running replica empty at once;</li>
 *   <li>isolate the leader;</li>
 *   <li>isolate the leader just after it took a snapshot (MicroRaft 0.7's known bug: its log then holds a snapshot
 *       followed by entries it never replicated; the store restarts such a stuck replica);</li>
 *   <li>partition the replicas into a minority and a majority (2|1 on 3 replicas, 2|3 or 3|2 on 5);</li>
 *   <li>lose the quorum (every replica cut off);</li>
 *   <li>slow a replica's links or its disk by 5 to 40 ms (the leader's, half the time);</li>
 *   <li>lose 10 to 40% of the messages on a replica's links (the leader's, half the time).</li>
 * </ul>
 * Snapshots themselves come from the store's low snapshot count, during the run.
 *
 * <p>A replica is stopped, or restarted empty, only while every other replica runs and has applied what the leader
 * applied (and no network fault is on): Raft lets a wiped replica vote for a candidate that lacks committed entries,
 * so wiping one while another lags can lose acknowledged writes, as wiping etcd members does, and that is not a bug;
 * and a stopped replica whose peers lag may never be let back (a first run of seed 15 stopped one while the other
 * follower still caught up, and healing waited on it for 10 s). At most
 * a minority is ever stopped; {@link #healAll()} restores every link and restarts every stopped replica, so the
 * store ends with all its replicas.
 */
final class RaftNemesis implements Nemesis {

    private final ReplicatedStore store;
    private final Network network;
    private final int n;
    private final Set<Integer> stopped = new LinkedHashSet<>();
    private boolean networkFault;
    private final Set<Integer> slowDisks = new LinkedHashSet<>();
    private int faults;
    private final Map<String, Integer> kinds = new TreeMap<>();
    private final boolean leaderChangesOnly;
    private int isolatedLeader = -1;

    RaftNemesis(ReplicatedStore store, Network network) {
        this(store, network, false);
    }

    /**
     * @param leaderChangesOnly whether its only fault is to isolate the leader until another replica leads (then
     *     heal), so that every fault changes the leader: for the planted bugs that only a leader change reveals,
     *     which the mixed faults (chosen by the seed, timed by the machine's speed) may not bring about in a short
     *     run on a slow machine
     */
    RaftNemesis(ReplicatedStore store, Network network, boolean leaderChangesOnly) {
        this.store = store;
        this.network = network;
        this.n = store.replicas();
        this.leaderChangesOnly = leaderChangesOnly;
    }

    /** How many faults it injected (heals not counted). */
    synchronized int faults() {
        return faults;
    }

    /** How many faults of each kind it injected, by kind ("stop", "isolate leader after snapshot"...). */
    synchronized Map<String, Integer> kinds() {
        return new TreeMap<>(kinds);
    }

    @Override
    public synchronized String step(Random random) {
        boolean faulty = networkFault || !stopped.isEmpty() || !slowDisks.isEmpty();
        if (faulty) {
            if (leaderChangesOnly) {
                return healOnceAnotherLeads();
            }
            if (random.nextInt(4) == 0) {
                return null; // the fault lasts one more step
            }
            return heal();
        }
        String done = inject(random);
        if (done != null) {
            faults++;
            String kind = done.startsWith("isolate leader") && done.contains("snapshot") ? "isolate leader after snapshot"
                    : done.contains("% of the messages") ? "lossy links"
                    : done.replaceAll(" etcd-\\d.*| \\[.*", "");
            kinds.merge(kind, 1, Integer::sum);
        }
        return done;
    }

    private String inject(Random random) {
        int leader = store.leader();
        if (leaderChangesOnly) {
            if (leader < 0) {
                return null;
            }
            isolate(leader);
            isolatedLeader = leader;
            return "isolate leader " + store.replicaName(leader);
        }
        switch (random.nextInt(10)) {
            case 0 -> {
                int r = random.nextInt(n);
                if (!othersCatchUp(r)) {
                    return null; // it comes back empty: the others must hold every committed entry
                }
                store.stop(r);
                stopped.add(r);
                return "stop " + store.replicaName(r);
            }
            case 1 -> {
                int r = random.nextInt(n);
                if (!othersCaughtUp(r)) {
                    return null;
                }
                store.restart(r);
                return "restart " + store.replicaName(r) + " empty";
            }
            case 2 -> {
                if (leader < 0) {
                    return null;
                }
                isolate(leader);
                return "isolate leader " + store.replicaName(leader);
            }
            case 3 -> {
                return isolateLeaderAfterSnapshot();
            }
            case 4, 5 -> {
                List<Integer> minority = new ArrayList<>();
                int size = n == 5 && random.nextBoolean() ? 2 : 1;
                while (minority.size() < size) {
                    int r = random.nextInt(n);
                    if (!minority.contains(r)) {
                        minority.add(r);
                    }
                }
                if (random.nextBoolean() && leader >= 0 && !minority.contains(leader)) {
                    minority.set(0, leader); // the leader on the minority side
                }
                List<String> a = new ArrayList<>();
                List<String> b = new ArrayList<>();
                for (int r = 0; r < n; r++) {
                    (minority.contains(r) ? a : b).add(store.replicaName(r));
                }
                for (String x : a) {
                    for (String y : b) {
                        network.cut(x, y);
                    }
                }
                networkFault = true;
                return "partition " + a + " | " + b;
            }
            case 6, 7 -> {
                int r = leader >= 0 && random.nextBoolean() ? leader : random.nextInt(n);
                Duration delay = Duration.ofMillis(5 + random.nextInt(36));
                if (random.nextBoolean()) {
                    network.slow(store.replicaName(r), delay);
                    networkFault = true;
                    return "slow the links of " + store.replicaName(r) + " by " + delay.toMillis() + " ms";
                }
                store.slowDisk(r, delay);
                slowDisks.add(r);
                return "slow the disk of " + store.replicaName(r) + " by " + delay.toMillis() + " ms";
            }
            case 8 -> {
                int r = leader >= 0 && random.nextBoolean() ? leader : random.nextInt(n);
                int percent = 10 * (1 + random.nextInt(4));
                network.lossy(store.replicaName(r), percent / 100.0);
                networkFault = true;
                return "lose " + percent + "% of the messages on the links of " + store.replicaName(r);
            }
            default -> {
                for (int r = 0; r < n; r++) {
                    network.isolate(store.replicaName(r));
                }
                networkFault = true;
                return "lose quorum";
            }
        }
    }

    /**
     * Heals the leader isolated by the last step once another replica leads (waiting up to 5 s for the election;
     * the step is retried at the next interval if none won by then).
     */
    private String healOnceAnotherLeads() {
        long give = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < give) {
            int leader = store.leader();
            if (leader >= 0 && leader != isolatedLeader) {
                String old = store.replicaName(isolatedLeader);
                isolatedLeader = -1;
                return heal() + " (" + store.replicaName(leader) + " leads instead of " + old + ")";
            }
            LockSupport.parkNanos(1_000_000);
        }
        return null;
    }

    /** Waits (a little) for the leader to cross a snapshot boundary, then isolates it. */
    private String isolateLeaderAfterSnapshot() {
        int every = store.settings().snapshotCount();
        long give = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < give) {
            int leader = store.leader();
            if (leader >= 0) {
                long applied = store.replicaAppliedIndex(leader);
                if (applied >= every && applied % every < Math.max(2, every / 8)) {
                    isolate(leader);
                    return "isolate leader " + store.replicaName(leader) + " just after its snapshot at index "
                            + applied / every * every + " (applied " + applied + ")";
                }
            }
            LockSupport.parkNanos(200_000);
        }
        return null;
    }

    private void isolate(int replica) {
        network.isolate(store.replicaName(replica));
        networkFault = true;
    }

    /**
     * Heals the network, then restarts (empty) the stopped replicas whose peers have caught up; one whose peers have
     * not yet stays stopped until a later step.
     */
    private String heal() {
        StringBuilder done = new StringBuilder();
        if (networkFault) {
            network.heal();
            networkFault = false;
            done.append("heal the network");
        }
        if (!slowDisks.isEmpty()) {
            slowDisks.forEach(r -> store.slowDisk(r, Duration.ZERO));
            slowDisks.clear();
            done.append(done.isEmpty() ? "" : ", ").append("disks at full speed");
        }
        for (var it = stopped.iterator(); it.hasNext(); ) {
            int r = it.next();
            if (!networkFault && done.isEmpty() && othersCatchUp(r)) {
                store.restart(r);
                it.remove();
                done.append("restart ").append(store.replicaName(r)).append(" empty");
            }
        }
        return done.isEmpty() ? null : done.toString();
    }

    /**
     * Whether every replica but {@code replica} runs and, within 300 ms, applies all that the leader had applied when
     * asked. For a replica stopped (or about to be): it is wiped only when restarted, and then every entry committed
     * since it stopped is on the others' quorum, every one before it on the leader and now on the others. Under a
     * steady load the followers always trail the leader by a few entries, so an instant comparison would never let a
     * replica be stopped.
     */
    private boolean othersCatchUp(int replica) {
        int leader = store.leader();
        if (leader < 0) {
            return false;
        }
        long applied = store.replicaAppliedIndex(leader);
        long give = System.nanoTime() + 300_000_000L;
        while (true) {
            boolean all = true;
            for (int r = 0; r < n; r++) {
                if (r != replica && (!store.isRunning(r) || store.replicaAppliedIndex(r) < applied)) {
                    all = false;
                }
            }
            if (all) {
                return true;
            }
            if (System.nanoTime() > give) {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * Whether every replica but {@code replica} runs and has applied all the leader applied, now: before wiping a
     * running replica at once (the store then hands the leadership to another, which must hold every entry).
     */
    private boolean othersCaughtUp(int replica) {
        int leader = store.leader();
        if (leader < 0) {
            return false;
        }
        long applied = store.replicaAppliedIndex(leader);
        for (int r = 0; r < n; r++) {
            if (r != replica && (!store.isRunning(r) || store.replicaAppliedIndex(r) < applied)) {
                return false;
            }
        }
        return true;
    }

    /** Each replica's state, for an explanation: which leads, which run, how far each applied. */
    String replicaStates() {
        StringBuilder b = new StringBuilder("leader ").append(store.leader());
        for (int r = 0; r < n; r++) {
            b.append(", ").append(store.replicaName(r)).append(store.isRunning(r) ? " applied " : " stopped at ")
                    .append(store.replicaAppliedIndex(r));
        }
        return b.append(", stuck-replica restarts ").append(store.stuckReplicaRestarts()).toString();
    }

    @Override
    public synchronized String healAll() {
        List<String> done = new ArrayList<>();
        network.heal();
        if (networkFault) {
            done.add("heal the network");
        }
        networkFault = false;
        if (!slowDisks.isEmpty()) {
            slowDisks.forEach(r -> store.slowDisk(r, Duration.ZERO));
            slowDisks.clear();
            done.add("disks at full speed");
        }
        long give = System.nanoTime() + 30_000_000_000L; // generous: a loaded CI machine is slow to catch up
        while (!stopped.isEmpty() && System.nanoTime() < give) {
            int r = stopped.iterator().next();
            if (othersCatchUp(r)) {
                store.restart(r);
                stopped.remove(r);
                done.add("restart " + store.replicaName(r) + " empty");
            } else {
                LockSupport.parkNanos(1_000_000);
            }
        }
        if (!stopped.isEmpty()) {
            throw new IllegalStateException("replicas " + stopped + " stay stopped: their peers did not catch up"
                    + " with the leader within 30 s of healing the network; " + replicaStates());
        }
        return done.isEmpty() ? null : String.join(", ", done);
    }
}

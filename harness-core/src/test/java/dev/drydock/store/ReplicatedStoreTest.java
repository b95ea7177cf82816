package dev.drydock.store;

import static dev.drydock.store.MvccStateTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.drydock.base.Clock;
import dev.drydock.base.Timings;
import dev.drydock.net.Network;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The replicated store under faults: a lost leader, a lost quorum, a replica restarted empty, a snapshot. */
class ReplicatedStoreTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final String cluster = "t" + System.identityHashCode(this);
    private final Network network = new Network();
    private final List<ReplicatedStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(ReplicatedStore::close);
        String prefix = "drydock-" + cluster + "-store";
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith(prefix))
                .filteredOn(Thread::isAlive).as("store threads after close").isEmpty();
    }

    private ReplicatedStore start(ReplicatedStore.Settings settings) {
        ReplicatedStore store = new ReplicatedStore(cluster, settings, network, Clock.SYSTEM, 7);
        stores.add(store);
        return store;
    }

    private ReplicatedStore start(int replicas) {
        return start(ReplicatedStore.Settings.of(replicas, Timings.compressed()));
    }

    @Test
    void anIsolatedLeaderIsReplacedWritesGoOnAndItCatchesUpOnceHealed() {
        ReplicatedStore store = start(3);
        store.put("/k/a", bytes("1"));
        int old = awaitLeader(store);

        network.isolate(store.replicaName(old));
        eventually().until(() -> store.leader() >= 0 && store.leader() != old);
        KeyValue written = store.put("/k/b", bytes("2"));

        assertThat(store.get("/k/b", 0).value()).isEqualTo(bytes("2"));
        assertThat(store.replicaRevision(old)).isLessThan(written.modRevision());
        network.rejoin(store.replicaName(old));
        eventually().until(() -> store.replicaRevision(old) == store.revision());
        assertThat(store.replicaRange(old, "/k/").kvs()).isEqualTo(store.range("/k/", null, 0, 0).kvs());
    }

    /**
     * MicroRaft 0.7 keeps a follower's pre-vote round open once the leader it doubted is heard again, and then never
     * checks that leader's heartbeats: both followers left so and the leader stopped, no leader is ever elected again
     * unless the store starts their rounds anew (found by the store check's soak; here the open rounds are made
     * directly, as the late heartbeats of a slow leader make them).
     */
    @Test
    void followersWithAPreVoteRoundLeftOpenStillElectALeaderWhenTheLeaderStops() {
        ReplicatedStore store = start(3);
        store.put("/k/a", bytes("1"));
        int leader = awaitLeader(store);
        CountDownLatch opened = new CountDownLatch(2);
        for (int r = 0; r < 3; r++) {
            if (r != leader) {
                store.onReplica(r, node -> {
                    node.state().initPreCandidateState(); // a round that MicroRaft 0.7 never closes
                    opened.countDown();
                });
            }
        }
        eventually().until(() -> opened.getCount() == 0);

        store.stop(leader);

        eventually().until(() -> store.leader() >= 0 && store.leader() != leader);
        assertThat(store.stalePreVotesRestarted()).isGreaterThanOrEqualTo(1);
        assertThat(store.put("/k/b", bytes("2")).modRevision()).isGreaterThan(0);
    }

    @Test
    void withoutAQuorumAWriteFailsAfterTheRequestTimeoutAndEveryAcknowledgedWriteSurvivesTheHeal() {
        Timings t = Timings.compressed();
        ReplicatedStore store = start(new ReplicatedStore.Settings(3, t.storeHeartbeatInterval(),
                t.storeElectionTimeout(), Duration.ofSeconds(1), ReplicatedStore.DEFAULT_SNAPSHOT_COUNT));
        List<KeyValue> acknowledged = new ArrayList<>();
        acknowledged.add(store.put("/k/before", bytes("1")));
        int leader = awaitLeader(store);
        for (int i = 0; i < 3; i++) {
            if (i != leader) {
                network.isolate(store.replicaName(i));
            }
        }

        assertThatThrownBy(() -> store.put("/k/lost", bytes("x")))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.UNAVAILABLE));
        assertThatThrownBy(() -> store.get("/k/before", 0)).isInstanceOf(StoreException.class);

        network.heal();
        acknowledged.add(store.put("/k/after", bytes("2")));
        for (KeyValue kv : acknowledged) {
            assertThat(store.get(kv.key(), 0)).as(kv.key()).isNotNull();
            assertThat(store.get(kv.key(), 0).modRevision()).isEqualTo(kv.modRevision());
        }
    }

    @Test
    void aReplicaRestartedEmptyCatchesUpFromASnapshot() {
        ReplicatedStore store = start(ReplicatedStore.Settings.of(3, Timings.compressed()).withSnapshotCount(20));
        store.put("/k/first", bytes("1"));
        int leader = awaitLeader(store);
        int follower = (leader + 1) % 3;
        store.stop(follower);
        for (int i = 0; i < 100; i++) {
            store.put("/k/" + (i % 10), bytes(Integer.toString(i)));
        }
        store.compact(store.revision() - 5);

        store.restart(follower);

        eventually().until(() -> store.replicaRevision(follower) == store.revision());
        assertThat(store.replicaRange(follower, "/k/").kvs()).isEqualTo(store.range("/k/", null, 0, 0).kvs());
        assertThat(store.replicaRange(follower, "/k/").kvs()).hasSize(11);
        // It took the leader's snapshot (the log from the start was truncated), not a replay from revision 1.
        assertThat(store.replicaSnapshotsInstalled(follower)).isPositive();
        store.stop(leader); // the restarted replica now makes the majority
        assertThat(store.put("/k/later", bytes("x")).modRevision()).isGreaterThan(101);
    }

    /**
     * MicroRaft 0.7's known bug (fixed upstream in 0.8, commit d300e13): a leader whose log holds a snapshot and,
     * after it, only entries it could not replicate, once healed, cannot be brought in line with the new leader (it
     * can verify no entry the new leader offers, and refuses the snapshot it already has).
     */
    @Test
    void aLeaderIsolatedRightAfterASnapshotCatchesUpOnceHealed() throws Exception {
        int snapshotEvery = 20;
        ReplicatedStore store = start(ReplicatedStore.Settings.of(3, Timings.compressed())
                .withSnapshotCount(snapshotEvery));
        List<String> events = new CopyOnWriteArrayList<>();
        store.events((replica, detail) -> events.add(replica + " " + detail));
        store.put("/k/0", bytes("0"));
        int old = awaitLeader(store);
        String leaderName = store.replicaName(old);
        String behind = store.replicaName((old + 2) % 3);
        awaitAllAt(store, store.revision());
        // With one follower far behind, the leader's snapshot truncates its whole log: nothing before it is kept.
        network.cut(leaderName, behind);
        int n = 1;
        while (store.replicaAppliedIndex(old) % snapshotEvery != 0) {
            store.put("/k/" + n, bytes(Integer.toString(n)));
            n++;
        }
        network.isolate(leaderName);
        network.restore(leaderName, behind);
        // This write reaches the isolated leader first, whose log keeps it unreplicated after the snapshot; then the
        // store retries it on the new leader.
        CompletableFuture<KeyValue> pending = CompletableFuture.supplyAsync(() -> store.put("/k/pending", bytes("p")));
        eventually().until(() -> store.leader() >= 0 && store.leader() != old);
        for (int i = 0; i < 5; i++) {
            store.put("/k/new" + i, bytes("n"));
        }
        KeyValue retried = pending.get();

        network.rejoin(leaderName);
        eventually().until(() -> store.replicaRevision(old) == store.revision());
        assertThat(store.replicaRange(old, "/k/").kvs()).isEqualTo(store.range("/k/", null, 0, 0).kvs());
        assertThat(store.get("/k/pending", 0).modRevision()).isEqualTo(retried.modRevision());
        // MicroRaft 0.7 gets this wrong: the store restarted the stuck old leader empty. On a fixed MicroRaft this
        // fails, telling whoever upgrades that the workaround can go.
        assertThat(store.stuckReplicaRestarts()).isEqualTo(1);
        assertThat(events).as("the cluster's timeline hears of it").singleElement().asString()
                .startsWith(leaderName + " restarted empty: stuck at index ")
                .endsWith(" (MicroRaft 0.7's post-snapshot sync bug)");
    }

    /**
     * MicroRaft moves a follower's commit index to a snapshot's before its state machine installs it: a snapshot that
     * does not install would leave the replica serving a state that is not its log's. The store stops it instead.
     */
    @Test
    void aFollowerThatCannotInstallTheLeadersSnapshotIsStoppedAndTheOthersServeOn() {
        ReplicatedStore store = start(ReplicatedStore.Settings.of(3, Timings.compressed()).withSnapshotCount(20));
        List<String> events = new CopyOnWriteArrayList<>();
        store.events((replica, detail) -> events.add(replica + " " + detail));
        store.put("/k/first", bytes("1"));
        int leader = awaitLeader(store);
        int follower = (leader + 1) % 3;
        int other = (leader + 2) % 3;
        awaitAllAt(store, store.revision());
        network.isolate(store.replicaName(follower));
        PlantedRaftBugs.corruptSnapshots(store, leader);
        PlantedRaftBugs.corruptSnapshots(store, other);
        for (int i = 0; i < 200; i++) {
            store.put("/k/" + (i % 10), bytes(Integer.toString(i)));
        }
        long behind = store.replicaRevision(follower);

        network.heal(); // the leader's log no longer reaches back to the follower's: it sends its snapshot

        eventually().until(() -> !store.isRunning(follower));
        assertThat(store.failedSnapshotRestores()).isEqualTo(1);
        assertThat(store.replicaSnapshotsInstalled(follower)).isZero();
        assertThat(store.replicaRevision(follower)).as("it applied nothing past the snapshot").isEqualTo(behind);
        assertThat(events).singleElement().asString().startsWith("etcd-" + follower
                + " stopped: installing the snapshot at index ").contains("not a chunk of a store snapshot");
        KeyValue after = store.put("/k/after", bytes("a"));
        assertThat(store.get("/k/after", 0).modRevision()).isEqualTo(after.modRevision());
        assertThat(store.isRunning(leader) && store.isRunning(other)).isTrue();
        eventually().until(() -> store.replicaRevision(leader) == store.replicaRevision(other)
                && store.replicaRevision(other) == store.revision());

        PlantedRaftBugs.soundSnapshots(store, leader);
        PlantedRaftBugs.soundSnapshots(store, other);
        for (int i = 0; i < 25; i++) { // past the next snapshot, a sound one
            store.put("/k/later", bytes(Integer.toString(i)));
        }
        store.restart(follower); // empty but for its term and vote: it catches up from the sound snapshot
        eventually().until(() -> store.replicaRevision(follower) == store.revision());
        assertThat(store.replicaRange(follower, "/k/").kvs()).isEqualTo(store.range("/k/", null, 0, 0).kvs());
    }

    private static void awaitAllAt(ReplicatedStore store, long revision) {
        eventually().until(() -> {
            for (int i = 0; i < store.replicas(); i++) {
                if (store.replicaRevision(i) != revision) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void aWatchSeesEveryRevisionOnceAndInOrderAcrossLeaderChanges() throws Exception {
        ReplicatedStore store = start(3);
        StoreContractTest.Recorder rec = new StoreContractTest.Recorder();
        store.watch("/k/", 1, rec);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread writer = new Thread(() -> {
            int i = 0;
            while (writing.get()) {
                try {
                    store.put("/k/" + (i % 7), bytes(Integer.toString(i++)));
                } catch (StoreException e) {
                    failures.add(e);
                }
            }
        }, "drydock-" + cluster + "-test-writer");
        writer.start();
        try {
            for (int round = 0; round < 3; round++) {
                long before = store.revision();
                eventually().until(() -> store.revision() > before + 50);
                int leader = awaitLeader(store);
                network.isolate(store.replicaName(leader));
                eventually().until(() -> store.leader() >= 0 && store.leader() != leader);
                long during = store.revision();
                eventually().until(() -> store.revision() > during + 50);
                network.rejoin(store.replicaName(leader));
            }
        } finally {
            writing.set(false);
            writer.join(PATIENCE.toMillis());
        }
        long last = store.revision();

        eventually().until(() -> rec.lastRevision() == last);
        List<Long> expected = new ArrayList<>();
        for (long r = 1; r <= last; r++) {
            expected.add(r);
        }
        assertThat(rec.revisions()).isEqualTo(expected);
        assertThat(rec.closed).isNotDone();
        assertThat(failures).as("writes that failed across leader changes").isEmpty();
    }

    @Test
    void oneReplicaAndFiveReplicasServeTheSameWay() {
        for (int replicas : new int[] {1, 5}) {
            ReplicatedStore store = start(replicas);
            store.put("/k/a", bytes("1"));
            assertThat(store.get("/k/a", 0).value()).isEqualTo(bytes("1"));
            assertThat(store.replicas()).isEqualTo(replicas);
            if (replicas == 1) {
                assertThatThrownBy(() -> store.restart(0)).isInstanceOf(IllegalStateException.class);
            }
            store.close();
        }
    }

    @Test
    void aLeaseOutlivesALeaderChangeAndTheNewLeaderStillExpiresIt() {
        ReplicatedStore store = start(3);
        Lease lease = store.leaseGrant(0, Duration.ofSeconds(1));
        store.put("/k/leased", bytes("1"), lease.id());
        store.put("/k/plain", bytes("1"));
        int old = awaitLeader(store);
        awaitAllAt(store, store.revision());

        store.leaseKeepAlive(lease.id());
        network.isolate(store.replicaName(old));
        eventually().until(() -> store.leader() >= 0 && store.leader() != old);

        // The new leader knows the lease and renews it; kept alive, it outlives two TTLs.
        await().during(lease.grantedTtl().multipliedBy(2)).atMost(PATIENCE)
                .pollInterval(lease.grantedTtl().dividedBy(5))
                .until(() -> store.leaseKeepAlive(lease.id()).equals(lease.grantedTtl())
                        && store.get("/k/leased", 0) != null);
        assertThat(store.replicaLeases(store.leader())).containsEntry(lease.id(), List.of("/k/leased"));
        // No longer kept alive, it expires on the new leader's clock, and every replica hears the revocation.
        eventually().until(() -> store.get("/k/leased", 0) == null);
        assertThat(store.leaseTimeToLive(lease.id())).isNull();
        assertThat(store.get("/k/plain", 0)).isNotNull();
        network.rejoin(store.replicaName(old));
        eventually().until(() -> store.replicaRevision(old) == store.revision());
        assertThat(store.replicaLeases(old)).isEmpty();
        assertThat(store.replicaRange(old, "/k/").kvs()).extracting(KeyValue::key).containsExactly("/k/plain");
    }

    @Test
    void aReplicaRestartedEmptyLearnsTheLeasesFromTheSnapshot() {
        ReplicatedStore store = start(ReplicatedStore.Settings.of(3, Timings.compressed()).withSnapshotCount(20));
        long lease = store.leaseGrant(Duration.ofSeconds(60));
        long other = store.leaseGrant(Duration.ofSeconds(60));
        store.put("/k/a", bytes("1"), lease);
        store.put("/k/b", bytes("1"), lease);
        store.put("/k/c", bytes("1"), other);
        int leader = awaitLeader(store);
        int follower = (leader + 1) % 3;
        store.stop(follower);
        for (int i = 0; i < 60; i++) {
            store.put("/k/n" + (i % 10), bytes(Integer.toString(i)));
        }

        store.restart(follower);

        eventually().until(() -> store.replicaRevision(follower) == store.revision());
        assertThat(store.replicaSnapshotsInstalled(follower)).isPositive();
        assertThat(store.replicaLeases(follower))
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of(lease, List.of("/k/a", "/k/b"),
                        other, List.of("/k/c")));
        // One of the others stops: the restarted replica is now part of every majority.
        store.stop((follower + 1) % 3);
        long before = store.revision();
        store.leaseRevoke(lease);
        assertThat(store.revision()).isEqualTo(before + 1);
        eventually().until(() -> store.replicaRevision(follower) == store.revision());
        assertThat(store.replicaRange(follower, "/k/").kvs()).extracting(KeyValue::key).doesNotContain("/k/a", "/k/b")
                .contains("/k/c");
        assertThat(store.replicaLeases(follower)).containsOnlyKeys(other);
    }

    private static int awaitLeader(ReplicatedStore store) {
        eventually().until(() -> store.leader() >= 0);
        return store.leader();
    }

    private static ConditionFactory eventually() {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5));
    }
}

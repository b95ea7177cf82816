package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.base.Clock;
import dev.drydock.base.Timings;
import dev.drydock.chaos.Timeline;
import dev.drydock.net.Network;
import dev.drydock.store.PlantedRaftBugs;
import dev.drydock.store.ReplicatedStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store handle over a store of its own (no cluster around it), where a test can plant what no cluster test can
 * reach: what the store does to a replica of its own accord lands on the timeline.
 */
class StoreHandleTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final String cluster = "h" + System.identityHashCode(this);
    private final Network network = new Network();
    private final Timeline timeline = new Timeline(Clock.SYSTEM);
    private final ReplicatedStore store = new ReplicatedStore(cluster,
            ReplicatedStore.Settings.of(3, Timings.compressed()).withSnapshotCount(20), network, Clock.SYSTEM, 11);
    private final StoreHandle handle = new StoreHandle(store, network, timeline);

    @AfterEach
    void closeStore() {
        store.close();
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("drydock-" + cluster))
                .filteredOn(Thread::isAlive).as("store threads after close").isEmpty();
    }

    @Test
    void aReplicaStoppedBecauseItsSnapshotWouldNotInstallIsOnTheTimelineAndCounted() {
        store.put("/k/first", bytes("1"));
        await().atMost(PATIENCE).until(() -> handle.leader() >= 0);
        int leader = handle.leader();
        int follower = (leader + 1) % 3;
        int other = (leader + 2) % 3;
        await().atMost(PATIENCE).until(() -> handle.revision(follower) == store.revision());
        handle.isolate(follower);
        PlantedRaftBugs.corruptSnapshots(store, leader);
        PlantedRaftBugs.corruptSnapshots(store, other);
        for (int i = 0; i < 200; i++) {
            store.put("/k/" + (i % 10), bytes(Integer.toString(i)));
        }

        handle.heal();

        await().atMost(PATIENCE).until(() -> handle.failedSnapshotRestores() == 1);
        assertThat(handle.isRunning(follower)).isFalse();
        assertThat(timeline.entries()).filteredOn(e -> e.kind().equals("event")).singleElement()
                .satisfies(e -> {
                    assertThat(e.subject()).isEqualTo("store");
                    assertThat(e.detail()).startsWith("etcd-" + follower + " stopped: installing the snapshot at "
                            + "index ").contains("not a chunk of a store snapshot");
                });
        store.put("/k/after", bytes("a")); // the other two serve on
        await().atMost(PATIENCE).until(() -> handle.serializableGet(other, "/k/after") != null);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

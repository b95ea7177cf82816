package dev.drydock.store;

import static dev.drydock.store.MvccStateTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The replicated store's watch hub switching replicas, with no threads: its lane runs each task at once. */
class WatchHubTest {

    private final WatchHub hub = new WatchHub(Runnable::run);
    private static final ReplicaMachine.Failure UNEXPECTED = (m, index, e) -> {
        throw new AssertionError("no snapshot is installed here", e);
    };

    private final SharedRecords shared = new SharedRecords();
    private final ReplicaMachine a = new ReplicaMachine(0, hub, UNEXPECTED, shared);
    private final ReplicaMachine b = new ReplicaMachine(1, hub, UNEXPECTED, shared);
    private long ids;

    @Test
    void switchingToAReplicaThatIsAheadHandsWhatTheHubMissedOnceAndInOrder() {
        hub.follow(a);
        StoreContractTest.Recorder rec = new StoreContractTest.Recorder();
        hub.watch("/k/", 1, rec, () -> null);
        puts(a, 3);
        puts(b, 5); // the same log, applied further on the other replica

        hub.follow(b);
        puts(a, 1); // the old leader's late applies are not heard any more
        puts(b, 1);

        assertThat(rec.revisions()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aReplicaThatIsBehindIsFollowedOnlyOnceItCaughtUp() {
        hub.follow(a);
        StoreContractTest.Recorder rec = new StoreContractTest.Recorder();
        hub.watch("/k/", 1, rec, () -> null);
        puts(a, 5);
        puts(b, 3);

        hub.follow(b);
        assertThat(hub.followed()).isSameAs(a);
        puts(b, 3); // revisions 4 and 5 again, then 6

        assertThat(hub.followed()).isSameAs(b);
        assertThat(rec.revisions()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void whenTheNewReplicaCompactedWhatTheHubMissedEveryWatchEndsWithCompacted() {
        hub.follow(a);
        StoreContractTest.Recorder rec = new StoreContractTest.Recorder();
        hub.watch("/k/", 1, rec, () -> null);
        puts(a, 2);
        puts(b, 10);
        b.runOperation(++ids, new RaftOps.Compaction(ids, 8));

        hub.follow(b);

        assertThat(rec.revisions()).containsExactly(1L, 2L);
        assertThat(rec.closed).isCompleted();
        assertThat(rec.closed.join().reason()).isEqualTo(StoreException.Reason.COMPACTED);
    }

    @Test
    void aProgressNotificationCarriesTheRevisionHandedLast() {
        hub.follow(a);
        StoreContractTest.Recorder rec = new StoreContractTest.Recorder();
        Watch w = hub.watch("/k/", 0, rec, () -> null);
        puts(a, 2);

        w.requestProgress();

        assertThat(rec.progress).containsExactly(2L);
        assertThat(rec.order).containsExactly("events", "events", "progress");
    }

    /** Applies {@code count} more puts to a replica, as its log would; both replicas see the same writes. */
    private void puts(ReplicaMachine m, int count) {
        for (int i = 0; i < count; i++) {
            long rev = m.revision() + 1;
            m.runOperation(rev, new RaftOps.Write(1000 + rev, new Txn(List.of(),
                    List.of(TxnOp.put("/k/" + rev, bytes(Long.toString(rev)))), List.of())));
        }
    }
}

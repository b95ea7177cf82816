package dev.drydock.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The MVCC core against etcd's semantics (mvcc package and the v3 KV API), with no threads. */
class MvccStateTest {

    private final MvccState state = new MvccState();

    // ---- replicas

    @Test
    void replicasOfOneStoreShareTheEqualRecordsTheyMakeOfTheSameWritesAndKeepTheirOwnState() {
        SharedRecords shared = new SharedRecords();
        MvccState one = new MvccState(shared);
        MvccState two = new MvccState(shared);
        byte[] value = bytes("1");
        Txn create = new Txn(List.of(Compare.createRevision("/a", Compare.Op.EQUAL, 0)),
                List.of(TxnOp.put("/a", value)), List.of());
        List<WatchEvent> oneEvents = new ArrayList<>();
        List<WatchEvent> twoEvents = new ArrayList<>();

        TxnResult r1 = one.apply(create, oneEvents);
        TxnResult r2 = two.apply(create, twoEvents);
        two.apply(new Txn(List.of(), List.of(TxnOp.put("/b", bytes("2"))), List.of()), twoEvents);
        one.apply(new Txn(List.of(), List.of(TxnOp.put("/b", bytes("2"))), List.of()), oneEvents);
        one.apply(new Txn(List.of(), List.of(TxnOp.delete("/a")), List.of()), oneEvents);

        assertThat(r2).isSameAs(r1);
        assertThat(two.get("/a", 0)).isSameAs(one.get("/a", 1));
        assertThat(twoEvents.get(0)).isSameAs(oneEvents.get(0));
        assertThat(two.get("/b", 0)).as("values in different arrays: each its own").isNotSameAs(one.get("/b", 0));
        assertThat(one.get("/a", 0)).isNull();
        assertThat(two.get("/a", 0).value()).isSameAs(value);
        assertThat(two.revision()).isEqualTo(2);
        assertThat(one.revision()).isEqualTo(3);
    }

    // ---- revisions

    @Test
    void aNewStateIsAtRevisionZeroWithNothingCompacted() {
        assertThat(state.revision()).isZero();
        assertThat(state.compactRevision()).isZero();
        assertThat(state.get("/a", 0)).isNull();
    }

    @Test
    void everyWriteTransactionBumpsTheRevisionByOneAndItsWritesShareIt() {
        put("/a", "1");
        TxnResult r = txn(List.of(), List.of(TxnOp.put("/b", bytes("2")), TxnOp.put("/c", bytes("3"))));

        assertThat(r.revision()).isEqualTo(2);
        assertThat(state.revision()).isEqualTo(2);
        assertThat(state.get("/b", 0).modRevision()).isEqualTo(2);
        assertThat(state.get("/c", 0).modRevision()).isEqualTo(2);
        assertThat(state.get("/a", 0).modRevision()).isEqualTo(1);
    }

    @Test
    void aTransactionOfOnlyGetsDoesNotBumpTheRevision() {
        put("/a", "1");

        TxnResult r = txn(List.of(), List.of(TxnOp.get("/a"), TxnOp.get("/missing")));

        assertThat(r.revision()).isEqualTo(1);
        assertThat(state.revision()).isEqualTo(1);
        assertThat(r.results().get(0).value()).asString(StandardCharsets.UTF_8).isEqualTo("1");
        assertThat(r.results().get(1)).isNull();
    }

    @Test
    void deletingAMissingKeyDoesNotBumpTheRevisionNorRecordAChange() {
        put("/a", "1");
        List<WatchEvent> events = new ArrayList<>();

        TxnResult r = state.apply(new Txn(List.of(), List.of(TxnOp.delete("/missing")), List.of()), events);

        assertThat(r.revision()).isEqualTo(1);
        assertThat(r.results()).containsExactly((KeyValue) null);
        assertThat(events).isEmpty();
        assertThat(state.changesSince("", 1)).hasSize(1);
    }

    @Test
    void aFailedCompareWithAnEmptyFailureBranchWritesNothing() {
        put("/a", "1");

        TxnResult r = state.apply(new Txn(List.of(Compare.absent("/a")), List.of(TxnOp.put("/a", bytes("2"))),
                List.of()), new ArrayList<>());

        assertThat(r.succeeded()).isFalse();
        assertThat(r.revision()).isEqualTo(1);
        assertThat(value("/a", 0)).isEqualTo("1");
    }

    // ---- per-key create revision, mod revision, version

    @Test
    void aKeyRecordsItsCreateRevisionModRevisionAndVersion() {
        put("/a", "1");
        put("/b", "x");
        KeyValue kv = put("/a", "2");

        assertThat(kv.createRevision()).isEqualTo(1);
        assertThat(kv.modRevision()).isEqualTo(3);
        assertThat(kv.version()).isEqualTo(2);
        assertThat(state.get("/a", 0)).isEqualTo(kv);
    }

    @Test
    void versionAndCreateRevisionStartOverWhenAKeyIsDeletedAndCreatedAgain() {
        put("/a", "1");
        put("/a", "2");
        delete("/a");
        KeyValue again = put("/a", "3");

        assertThat(again.createRevision()).isEqualTo(4);
        assertThat(again.modRevision()).isEqualTo(4);
        assertThat(again.version()).isEqualTo(1);
    }

    @Test
    void aDeleteReturnsThePreviousValueAndHidesTheKey() {
        put("/a", "1");

        KeyValue prev = delete("/a");

        assertThat(prev.value()).asString(StandardCharsets.UTF_8).isEqualTo("1");
        assertThat(prev.modRevision()).isEqualTo(1);
        assertThat(state.get("/a", 0)).isNull();
        assertThat(state.range("/", null, 0, 0).kvs()).isEmpty();
        assertThat(state.revision()).isEqualTo(2);
    }

    // ---- reads at a past revision

    @Test
    void getAtAPastRevisionSeesTheValueAsItWasThen() {
        put("/a", "1");
        put("/a", "2");
        delete("/a");
        put("/a", "3");

        assertThat(value("/a", 1)).isEqualTo("1");
        assertThat(value("/a", 2)).isEqualTo("2");
        assertThat(state.get("/a", 3)).isNull();
        assertThat(value("/a", 4)).isEqualTo("3");
        assertThat(state.get("/a", 2).version()).isEqualTo(2);
    }

    @Test
    void readingAFutureRevisionFails() {
        put("/a", "1");

        assertThatThrownBy(() -> state.get("/a", 2))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.FUTURE_REVISION))
                .hasMessage("mvcc: required revision is a future revision");
        assertThatThrownBy(() -> state.range("/", null, 5, 0)).isInstanceOf(StoreException.class);
    }

    @Test
    void rangeAtAPastRevisionSeesTheKeysThatExistedThen() {
        put("/p/a", "1");
        put("/p/b", "1");
        delete("/p/a");
        put("/p/c", "1");

        assertThat(keys(state.range("/p/", null, 2, 0))).containsExactly("/p/a", "/p/b");
        assertThat(keys(state.range("/p/", null, 3, 0))).containsExactly("/p/b");
        assertThat(keys(state.range("/p/", null, 0, 0))).containsExactly("/p/b", "/p/c");
    }

    // ---- range

    @Test
    void rangeReturnsOnlyKeysUnderThePrefixInKeyOrder() {
        put("/pods/b", "1");
        put("/pods/a", "1");
        put("/podsx", "1");
        put("/pod", "1");
        put("/pods/c/d", "1");

        RangeResult r = state.range("/pods/", null, 0, 0);

        assertThat(keys(r)).containsExactly("/pods/a", "/pods/b", "/pods/c/d");
        assertThat(r.more()).isFalse();
        assertThat(r.revision()).isEqualTo(5);
    }

    @Test
    void rangeStartsAtFromKeyInclusiveAndStopsAtTheLimitSayingWhetherMoreRemain() {
        for (String k : List.of("a", "b", "c", "d", "e")) {
            put("/p/" + k, k);
        }

        RangeResult first = state.range("/p/", null, 0, 2);
        RangeResult second = state.range("/p/", "/p/c", 0, 2);
        RangeResult last = state.range("/p/", "/p/e", 0, 2);
        RangeResult exact = state.range("/p/", "/p/d", 0, 2);

        assertThat(keys(first)).containsExactly("/p/a", "/p/b");
        assertThat(first.more()).isTrue();
        assertThat(keys(second)).containsExactly("/p/c", "/p/d");
        assertThat(second.more()).isTrue();
        assertThat(keys(last)).containsExactly("/p/e");
        assertThat(last.more()).isFalse();
        assertThat(keys(exact)).containsExactly("/p/d", "/p/e");
        assertThat(exact.more()).isFalse();
    }

    @Test
    void rangeIgnoresAFromKeyBeforeThePrefix() {
        put("/p/a", "1");
        put("/o/a", "1");

        assertThat(keys(state.range("/p/", "/a", 0, 0))).containsExactly("/p/a");
    }

    @Test
    void rangeFromAKeyPastTheEndOfThePrefixIsEmpty() {
        put("/p/a", "1");
        put("/q/a", "1");

        RangeResult r = state.range("/p/", "/q/", 0, 0);

        assertThat(r.kvs()).isEmpty();
        assertThat(r.more()).isFalse();
    }

    @Test
    void rangeWithTheLimitSkipsDeletedKeysWhenCounting() {
        put("/p/a", "1");
        put("/p/b", "1");
        put("/p/c", "1");
        delete("/p/a");

        RangeResult r = state.range("/p/", null, 0, 2);

        assertThat(keys(r)).containsExactly("/p/b", "/p/c");
        assertThat(r.more()).isFalse();
    }

    // ---- transactions

    @Test
    void modRevisionCompareChoosesTheSuccessOrTheFailureBranch() {
        KeyValue a = put("/a", "1");

        TxnResult ok = state.apply(Txn.putIfModRevision("/a", a.modRevision(), bytes("2")), new ArrayList<>());
        TxnResult stale = state.apply(Txn.putIfModRevision("/a", a.modRevision(), bytes("3")), new ArrayList<>());

        assertThat(ok.succeeded()).isTrue();
        assertThat(ok.results().get(0).modRevision()).isEqualTo(2);
        assertThat(stale.succeeded()).isFalse();
        assertThat(stale.revision()).isEqualTo(2);
        assertThat(stale.results().get(0).value()).asString(StandardCharsets.UTF_8).isEqualTo("2");
        assertThat(value("/a", 0)).isEqualTo("2");
    }

    @Test
    void absentComparesTheCreateRevisionWithZero() {
        Txn create = new Txn(List.of(Compare.absent("/a")), List.of(TxnOp.put("/a", bytes("1"))),
                List.of(TxnOp.get("/a")));

        assertThat(state.apply(create, new ArrayList<>()).succeeded()).isTrue();
        assertThat(state.apply(create, new ArrayList<>()).succeeded()).isFalse();
        delete("/a");
        assertThat(state.apply(create, new ArrayList<>()).succeeded()).isTrue();
        assertThat(state.get("/a", 0).createRevision()).isEqualTo(3);
    }

    @Test
    void createRevisionAndVersionComparesSeeTheKeysHistory() {
        put("/x", "0");
        put("/a", "1");
        put("/a", "2");

        assertThat(holds(Compare.createRevision("/a", Compare.Op.EQUAL, 2))).isTrue();
        assertThat(holds(Compare.createRevision("/a", Compare.Op.GREATER, 2))).isFalse();
        assertThat(holds(Compare.version("/a", Compare.Op.EQUAL, 2))).isTrue();
        assertThat(holds(Compare.version("/a", Compare.Op.LESS, 3))).isTrue();
        assertThat(holds(Compare.version("/a", Compare.Op.NOT_EQUAL, 2))).isFalse();
        assertThat(holds(Compare.modRevision("/a", Compare.Op.GREATER, 2))).isTrue();
        assertThat(holds(Compare.version("/missing", Compare.Op.EQUAL, 0))).isTrue();
        assertThat(holds(Compare.modRevision("/missing", Compare.Op.EQUAL, 0))).isTrue();
    }

    @Test
    void valueComparesTheBytesOfTheCurrentValue() {
        put("/a", "b");

        assertThat(holds(Compare.value("/a", Compare.Op.EQUAL, bytes("b")))).isTrue();
        assertThat(holds(Compare.value("/a", Compare.Op.NOT_EQUAL, bytes("b")))).isFalse();
        assertThat(holds(Compare.value("/a", Compare.Op.GREATER, bytes("a")))).isTrue();
        assertThat(holds(Compare.value("/a", Compare.Op.LESS, bytes("c")))).isTrue();
    }

    @Test
    void aValueCompareOnAMissingKeyNeverHolds() {
        put("/a", "b");
        delete("/a");

        for (Compare.Op op : Compare.Op.values()) {
            assertThat(holds(Compare.value("/a", op, bytes("b")))).as(op.name()).isFalse();
            assertThat(holds(Compare.value("/never", op, bytes("")))).as(op.name()).isFalse();
        }
    }

    @Test
    void everyCompareMustHoldForTheSuccessBranch() {
        put("/a", "1");
        put("/b", "1");
        Txn both = new Txn(List.of(Compare.version("/a", Compare.Op.EQUAL, 1), Compare.absent("/b")),
                List.of(TxnOp.put("/c", bytes("ok"))), List.of(TxnOp.put("/c", bytes("failed"))));

        TxnResult r = state.apply(both, new ArrayList<>());

        assertThat(r.succeeded()).isFalse();
        assertThat(value("/c", 0)).isEqualTo("failed");
        assertThat(r.revision()).isEqualTo(3);
    }

    @Test
    void aGetInATransactionSeesTheWritesBeforeIt() {
        put("/a", "1");
        put("/b", "1");

        TxnResult r = txn(List.of(), List.of(TxnOp.get("/a"), TxnOp.put("/a", bytes("2")), TxnOp.get("/a"),
                TxnOp.delete("/b"), TxnOp.get("/b")));

        assertThat(r.results().get(0).value()).asString(StandardCharsets.UTF_8).isEqualTo("1");
        assertThat(r.results().get(2).value()).asString(StandardCharsets.UTF_8).isEqualTo("2");
        assertThat(r.results().get(2).modRevision()).isEqualTo(3);
        assertThat(r.results().get(4)).isNull();
    }

    @Test
    void aTransactionRecordsOneChangePerWriteAtItsRevision() {
        put("/a", "1");
        List<WatchEvent> events = new ArrayList<>();

        state.apply(new Txn(List.of(), List.of(TxnOp.put("/b", bytes("1")), TxnOp.delete("/a")), List.of()), events);

        assertThat(events).extracting(WatchEvent::type).containsExactly(WatchEvent.Type.PUT, WatchEvent.Type.DELETE);
        assertThat(events).extracting(WatchEvent::revision).containsOnly(2L);
        assertThat(events.get(1).prevKv().modRevision()).isEqualTo(1);
    }

    // ---- compaction

    @Test
    void readsBelowTheCompactRevisionFailWithCompacted() {
        put("/a", "1");
        put("/a", "2");
        put("/a", "3");

        state.compact(2);

        assertThat(state.compactRevision()).isEqualTo(2);
        assertThatThrownBy(() -> state.get("/a", 1))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.reason()).isEqualTo(StoreException.Reason.COMPACTED);
                    assertThat(e.revision()).isEqualTo(2);
                })
                .hasMessage("mvcc: required revision has been compacted");
        assertThatThrownBy(() -> state.range("/", null, 1, 0)).isInstanceOf(StoreException.class);
        assertThat(value("/a", 2)).isEqualTo("2");
        assertThat(value("/a", 3)).isEqualTo("3");
        assertThat(value("/a", 0)).isEqualTo("3");
    }

    @Test
    void compactionKeepsTheLatestVersionOfEveryKeyAtTheCompactRevision() {
        put("/old", "untouched");
        put("/a", "1");
        put("/gone", "1");
        delete("/gone");
        put("/a", "2");

        state.compact(4);

        assertThat(value("/old", 4)).isEqualTo("untouched");
        assertThat(state.get("/old", 4).modRevision()).isEqualTo(1);
        assertThat(value("/a", 4)).isEqualTo("1");
        assertThat(value("/a", 5)).isEqualTo("2");
        assertThat(state.get("/gone", 4)).isNull();
        assertThat(keys(state.range("/", null, 4, 0))).containsExactly("/a", "/old");
        assertThat(state.get("/a", 0).createRevision()).isEqualTo(2);
        assertThat(state.get("/a", 0).version()).isEqualTo(2);
    }

    @Test
    void aKeyDeletedBeforeTheCompactRevisionCanBeCreatedAgainAsNew() {
        put("/a", "1");
        delete("/a");
        state.compact(2);

        KeyValue again = put("/a", "2");

        assertThat(again.version()).isEqualTo(1);
        assertThat(again.createRevision()).isEqualTo(3);
    }

    @Test
    void compactingAFutureRevisionFails() {
        put("/a", "1");

        assertThatThrownBy(() -> state.compact(2))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.FUTURE_REVISION));
        assertThat(state.compactRevision()).isZero();
    }

    @Test
    void compactingAtOrBelowThePreviousCompactionFails() {
        put("/a", "1");
        put("/a", "2");
        state.compact(2);

        assertThatThrownBy(() -> state.compact(2))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.COMPACTED));
        assertThatThrownBy(() -> state.compact(1)).isInstanceOf(StoreException.class);
    }

    @Test
    void compactingTheCurrentRevisionKeepsEveryLiveKey() {
        put("/a", "1");
        put("/b", "1");
        delete("/b");

        state.compact(3);

        assertThat(keys(state.range("/", null, 0, 0))).containsExactly("/a");
        assertThat(put("/a", "2").version()).isEqualTo(2);
    }

    // ---- changes since a revision

    @Test
    void changesSinceListsTheChangesUnderThePrefixFromTheRevisionInclusiveInOrder() {
        put("/p/a", "1");
        put("/q/a", "1");
        put("/p/b", "1");
        put("/p/a", "2");
        delete("/p/b");

        List<WatchEvent> changes = state.changesSince("/p/", 3);

        assertThat(changes).extracting(WatchEvent::revision).containsExactly(3L, 4L, 5L);
        assertThat(changes).extracting(e -> e.kv().key()).containsExactly("/p/b", "/p/a", "/p/b");
        assertThat(changes).extracting(WatchEvent::type)
                .containsExactly(WatchEvent.Type.PUT, WatchEvent.Type.PUT, WatchEvent.Type.DELETE);
        assertThat(changes.get(0).prevKv()).isNull();
        assertThat(changes.get(1).prevKv().value()).asString(StandardCharsets.UTF_8).isEqualTo("1");
        assertThat(changes.get(2).kv().modRevision()).isEqualTo(5);
        assertThat(changes.get(2).prevKv().modRevision()).isEqualTo(3);
        assertThat(state.changesSince("/p/", 6)).isEmpty();
    }

    @Test
    void changesSinceACompactedRevisionFailButFromTheCompactRevisionOnAreKept() {
        put("/a", "1");
        put("/a", "2");
        put("/a", "3");
        state.compact(2);

        assertThatThrownBy(() -> state.changesSince("/", 1))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.COMPACTED));
        assertThat(state.changesSince("/", 2)).extracting(WatchEvent::revision).containsExactly(2L, 3L);
    }

    // ---- helpers

    // ---- snapshot and restore

    @Test
    void aRestoredSnapshotAnswersAsTheOriginalAtEveryKeptRevisionAndGoesOnTheSame() {
        for (int i = 0; i < 7; i++) {
            put("/p/" + (i % 3), Integer.toString(i));
        }
        delete("/p/1");
        put("/q/a", "x");
        state.compact(4);
        put("/p/1", "back");
        List<Object> chunks = new ArrayList<>();

        state.snapshot(2, chunks::add);
        MvccState copy = new MvccState();
        copy.restore(chunks);

        assertThat(chunks).hasSizeGreaterThan(3); // header, keys in chunks of two, history in chunks of two
        assertThat(copy.revision()).isEqualTo(state.revision());
        assertThat(copy.compactRevision()).isEqualTo(4);
        for (long rev = 4; rev <= state.revision(); rev++) {
            assertThat(copy.range("/", null, rev, 0)).as("range at %d", rev).isEqualTo(state.range("/", null, rev, 0));
        }
        assertThat(copy.changesSince("/", 4)).isEqualTo(state.changesSince("/", 4));
        assertThatThrownBy(() -> copy.get("/p/0", 3)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.COMPACTED));
        // Shared, not copied: the replicas of one JVM keep one array per value.
        assertThat(copy.get("/q/a", 0).value()).isSameAs(state.get("/q/a", 0).value());

        Txn next = new Txn(List.of(Compare.version("/p/1", Compare.Op.EQUAL, 1)),
                List.of(TxnOp.put("/p/1", bytes("again")), TxnOp.delete("/p/2")), List.of());
        List<WatchEvent> fromOriginal = new ArrayList<>();
        List<WatchEvent> fromCopy = new ArrayList<>();
        assertThat(copy.apply(next, fromCopy)).isEqualTo(state.apply(next, fromOriginal));
        assertThat(fromCopy).isEqualTo(fromOriginal);
    }

    @Test
    void aSnapshotSharesTheStateButLaterWritesAndCompactionsLeaveItAsItWas() {
        for (int i = 0; i < 2_500; i++) { // a history of several blocks
            put("/p/" + (i % 7), Integer.toString(i));
        }
        state.compact(1_000);
        delete("/p/3");
        List<Object> chunks = new ArrayList<>();
        state.snapshot(3, chunks::add);
        MvccState expected = new MvccState();
        expected.restore(new ArrayList<>(chunks));
        List<RangeResult> before = new ArrayList<>();
        for (long rev = 1_000; rev <= expected.revision(); rev += 97) {
            before.add(expected.range("/", null, rev, 0));
        }
        List<WatchEvent> historyBefore = expected.changesSince("/", 1_000);

        for (int i = 0; i < 1_500; i++) {
            put("/p/" + (i % 5), "later " + i);
        }
        delete("/p/0");
        state.compact(state.revision() - 10);
        MvccState copy = new MvccState();
        copy.restore(chunks);

        assertThat(copy.revision()).isEqualTo(expected.revision());
        assertThat(copy.compactRevision()).isEqualTo(1_000);
        List<RangeResult> after = new ArrayList<>();
        for (long rev = 1_000; rev <= copy.revision(); rev += 97) {
            after.add(copy.range("/", null, rev, 0));
        }
        assertThat(after).isEqualTo(before);
        assertThat(copy.changesSince("/", 1_000)).isEqualTo(historyBefore).hasSize(2_500 - 1_000 + 1 + 1);
        assertThat(copy.get("/p/3", 0)).isNull();
        assertThat(copy.get("/p/0", 0).value()).asString(StandardCharsets.UTF_8).isEqualTo("2499");
    }

    @Test
    void aStateRestoredFromASnapshotAndItsSourceWriteOnWithoutSeeingEachOther() {
        for (int i = 0; i < 5; i++) {
            put("/k", "v" + i); // room left in the key's versions array
        }
        List<Object> chunks = new ArrayList<>();
        state.snapshot(10, chunks::add);
        MvccState copy = new MvccState();
        copy.restore(chunks);

        put("/k", "source");
        copy.apply(new Txn(List.of(), List.of(TxnOp.put("/k", bytes("copy"))), List.of()), new ArrayList<>());

        assertThat(state.get("/k", 0).value()).asString(StandardCharsets.UTF_8).isEqualTo("source");
        assertThat(copy.get("/k", 0).value()).asString(StandardCharsets.UTF_8).isEqualTo("copy");
        assertThat(state.get("/k", 5).value()).asString(StandardCharsets.UTF_8).isEqualTo("v4");
        assertThat(copy.get("/k", 5).value()).asString(StandardCharsets.UTF_8).isEqualTo("v4");
        MvccState again = new MvccState();
        again.restore(chunks);
        assertThat(again.revision()).isEqualTo(5);
        assertThat(again.get("/k", 0).value()).asString(StandardCharsets.UTF_8).isEqualTo("v4");
    }

    @Test
    void equalStatesGiveEqualChunksSoASnapshotGatheredFromSeveralReplicasRestoresTheSame() {
        // MicroRaft gathers a snapshot's chunks from the leader and from followers with a snapshot at the same index.
        // Here the source's history starts mid-block after its compaction, the restored copy's at a block's start.
        for (int i = 0; i < 2_500; i++) {
            put("/p/" + (i % 7), Integer.toString(i));
        }
        state.compact(1_000);
        List<Object> first = new ArrayList<>();
        state.snapshot(100, first::add);
        MvccState copy = new MvccState();
        copy.restore(first);
        for (int i = 0; i < 300; i++) { // the same writes on both, as two replicas apply one log
            Txn write = new Txn(List.of(), List.of(TxnOp.put("/p/" + (i % 5), bytes("later " + i))), List.of());
            state.apply(write, new ArrayList<>());
            copy.apply(write, new ArrayList<>());
        }
        List<Object> fromSource = new ArrayList<>();
        List<Object> fromCopy = new ArrayList<>();

        state.snapshot(100, fromSource::add);
        copy.snapshot(100, fromCopy::add);
        List<Object> gathered = new ArrayList<>();
        for (int i = 0; i < fromSource.size(); i++) {
            gathered.add(i % 2 == 0 ? fromSource.get(i) : fromCopy.get(i));
        }
        MvccState restored = new MvccState();
        restored.restore(gathered);

        assertThat(fromCopy.size()).as("chunks").isEqualTo(fromSource.size());
        assertThat(fromCopy.get(0)).isEqualTo(fromSource.get(0)); // the headers
        assertThat(restored.revision()).isEqualTo(state.revision()).isEqualTo(2_800);
        assertThat(restored.compactRevision()).isEqualTo(1_000);
        assertThat(restored.changesSince("/", 1_000)).isEqualTo(state.changesSince("/", 1_000))
                .isEqualTo(copy.changesSince("/", 1_000)).hasSize(1_801);
        for (long rev = 1_000; rev <= state.revision(); rev += 89) {
            assertThat(restored.range("/", null, rev, 0)).as("range at %d", rev)
                    .isEqualTo(state.range("/", null, rev, 0));
        }
    }

    @Test
    void restoringReplacesWhateverTheStateHeld() {
        MvccState empty = new MvccState();
        List<Object> chunks = new ArrayList<>();
        empty.snapshot(10, chunks::add);
        put("/a", "1");

        state.restore(chunks);

        assertThat(state.revision()).isZero();
        assertThat(state.get("/a", 0)).isNull();
        assertThat(state.changesSince("", 0)).isEmpty();
        assertThatThrownBy(() -> state.restore(chunks.subList(1, 1))).isInstanceOf(IllegalArgumentException.class);
    }

    private KeyValue put(String key, String value) {
        return txn(List.of(), List.of(TxnOp.put(key, bytes(value)))).results().get(0);
    }

    // ---- leases

    @Test
    void aPutToALeaseAttachesTheKeyAndAGrantChangesNoRevision() {
        put("/a", "1");
        state.grantLease(7, Duration.ofSeconds(10));

        assertThat(state.revision()).isEqualTo(1);
        txn(List.of(), List.of(TxnOp.put("/b", bytes("1"), 7), TxnOp.put("/c", bytes("1"), 7)));

        assertThat(state.leaseTtl(7)).isEqualTo(Duration.ofSeconds(10));
        assertThat(state.leaseKeys(7)).containsExactly("/b", "/c");
        assertThat(state.keyLease("/b")).isEqualTo(7);
        assertThat(state.keyLease("/a")).isZero();
    }

    @Test
    void aTransactionWithAPutToAnUnknownLeaseFailsAsAWholeAndChangesNothing() {
        state.grantLease(7, Duration.ofSeconds(10));
        List<WatchEvent> events = new ArrayList<>();

        assertThatThrownBy(() -> state.apply(new Txn(List.of(),
                List.of(TxnOp.put("/a", bytes("1"), 7), TxnOp.put("/b", bytes("1"), 8)), List.of()), events))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.reason()).isEqualTo(StoreException.Reason.LEASE_NOT_FOUND);
                    assertThat(e).hasMessage("etcdserver: requested lease not found");
                });

        assertThat(state.revision()).isZero();
        assertThat(state.get("/a", 0)).isNull();
        assertThat(state.leaseKeys(7)).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void grantingALeaseThatExistsFailsWithLeaseExists() {
        state.grantLease(7, Duration.ofSeconds(10));

        assertThatThrownBy(() -> state.grantLease(7, Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.LEASE_EXISTS));
        assertThat(state.leaseTtl(7)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void revokingALeaseDeletesEveryAttachedKeyInOneRevisionWithTheirPreviousValues() {
        state.grantLease(7, Duration.ofSeconds(10));
        txn(List.of(), List.of(TxnOp.put("/b", bytes("1"), 7)));
        txn(List.of(), List.of(TxnOp.put("/a", bytes("1"), 7), TxnOp.put("/c", bytes("1"))));
        put("/b", "2", 7);
        List<WatchEvent> events = new ArrayList<>();

        TxnResult r = state.revokeLease(7, events);

        assertThat(r.revision()).isEqualTo(4);
        assertThat(state.revision()).isEqualTo(4);
        assertThat(events).extracting(e -> e.type() + " " + e.kv().key() + "@" + e.revision() + " prev "
                        + new String(e.prevKv().value(), StandardCharsets.UTF_8))
                .containsExactly("DELETE /a@4 prev 1", "DELETE /b@4 prev 2");
        assertThat(r.results()).extracting(KeyValue::key).containsExactly("/a", "/b");
        assertThat(state.get("/a", 0)).isNull();
        assertThat(state.get("/b", 0)).isNull();
        assertThat(value("/c", 0)).isEqualTo("1");
        assertThat(state.changesSince("", 4)).hasSize(2);
        assertThat(state.leaseTtl(7)).isNull();
        assertThat(state.leases()).isEmpty();
        assertThatThrownBy(() -> state.revokeLease(7, new ArrayList<>()))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.LEASE_NOT_FOUND));
    }

    @Test
    void revokingALeaseWithoutKeysChangesNoRevision() {
        state.grantLease(7, Duration.ofSeconds(10));
        put("/a", "1");
        List<WatchEvent> events = new ArrayList<>();

        TxnResult r = state.revokeLease(7, events);

        assertThat(r.revision()).isEqualTo(1);
        assertThat(events).isEmpty();
        assertThat(state.leaseTtl(7)).isNull();
    }

    @Test
    void aPutWithoutALeaseOrToAnotherLeaseDetachesTheKeyAndADeleteDetachesIt() {
        state.grantLease(7, Duration.ofSeconds(10));
        state.grantLease(8, Duration.ofSeconds(10));
        put("/a", "1", 7);
        put("/b", "1", 7);
        put("/c", "1", 7);

        put("/a", "2");
        put("/b", "2", 8);
        delete("/c");
        put("/c", "3");
        long before = state.revision();
        List<WatchEvent> events = new ArrayList<>();
        state.revokeLease(7, events);

        assertThat(events).isEmpty();
        assertThat(state.revision()).isEqualTo(before);
        assertThat(value("/a", 0)).isEqualTo("2");
        assertThat(value("/c", 0)).isEqualTo("3");
        assertThat(state.keyLease("/a")).isZero();
        assertThat(state.leaseKeys(8)).containsExactly("/b");
        state.revokeLease(8, events);
        assertThat(state.get("/b", 0)).isNull();
    }

    @Test
    void aSnapshotCarriesTheLeasesAndTheirKeys() {
        for (long id = 1; id <= 5; id++) {
            state.grantLease(id, Duration.ofSeconds(id));
        }
        put("/a", "1", 2);
        put("/b", "1", 2);
        put("/c", "1", 5);
        put("/d", "1");
        List<Object> chunks = new ArrayList<>();
        state.snapshot(2, chunks::add);

        MvccState restored = new MvccState();
        restored.grantLease(9, Duration.ofSeconds(9)); // replaced by the snapshot's
        restored.restore(chunks);

        assertThat(restored.leases()).isEqualTo(state.leases()).hasSize(5);
        assertThat(restored.leaseKeys(2)).containsExactly("/a", "/b");
        assertThat(restored.leaseKeys(5)).containsExactly("/c");
        assertThat(restored.keyLease("/d")).isZero();
        List<WatchEvent> events = new ArrayList<>();
        TxnResult r = restored.revokeLease(2, events);
        assertThat(r.revision()).isEqualTo(5);
        assertThat(events).extracting(e -> e.kv().key()).containsExactly("/a", "/b");
        assertThat(restored.get("/c", 0)).isNotNull();
    }

    private KeyValue put(String key, String value, long lease) {
        return txn(List.of(), List.of(TxnOp.put(key, bytes(value), lease))).results().get(0);
    }

    private KeyValue delete(String key) {
        return txn(List.of(), List.of(TxnOp.delete(key))).results().get(0);
    }

    private TxnResult txn(List<Compare> compares, List<TxnOp> ops) {
        return state.apply(new Txn(compares, ops, List.of()), new ArrayList<>());
    }

    private boolean holds(Compare c) {
        long before = state.revision();
        TxnResult r = state.apply(new Txn(List.of(c), List.of(), List.of()), new ArrayList<>());
        assertThat(state.revision()).isEqualTo(before);
        return r.succeeded();
    }

    private String value(String key, long revision) {
        KeyValue kv = state.get(key, revision);
        return kv == null ? null : new String(kv.value(), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> keys(RangeResult r) {
        return r.kvs().stream().map(KeyValue::key).toList();
    }
}

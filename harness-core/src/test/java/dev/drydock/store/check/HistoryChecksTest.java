package dev.drydock.store.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks besides linearizability, and the settling of unknown writes, on small hand-made histories. */
class HistoryChecksTest {

    private static final String K = "/check/k";

    private final List<Op> history = new ArrayList<>();
    private final WatchLog watcher = new WatchLog(0, "/check/");

    @Test
    void revisionsThatGrowWithRealTimePass() {
        put("a", 1, 2, 5);
        put("b", 3, 4, 6);
        range(5, 6, 6);

        assertThat(HistoryChecks.revisions(history)).isEmpty();
    }

    @Test
    void aWriteBelowOneAcknowledgedBeforeItStartedIsCaught() {
        put("a", 1, 2, 6);
        put("b", 3, 4, 5);

        assertThat(HistoryChecks.revisions(history)).singleElement().asString()
                .contains("a write got revision 5, not above revision 6");
    }

    @Test
    void twoWritesWithOneRevisionAreCaught() {
        put("a", 1, 4, 5);
        put("b", 2, 3, 5);

        assertThat(HistoryChecks.revisions(history)).asString().contains("two acknowledged writes got revision 5");
    }

    @Test
    void aRangeReadBelowAnAcknowledgedWriteIsCaught() {
        put("a", 1, 2, 5);
        range(3, 4, 4);

        assertThat(HistoryChecks.revisions(history)).singleElement().asString()
                .contains("a range read at revision 4, below revision 5");
    }

    @Test
    void aFinalReadWithoutTheLastAcknowledgedWriteShowsItLost() {
        put("a", 1, 2, 5);
        put("b", 3, 4, 6);
        Op fin = range(5, 6, 6, new Kv(K, "a", 5, 5, 1));

        assertThat(HistoryChecks.noLostWrites(history, fin)).singleElement().asString()
                .contains("acknowledged write lost", "put /check/k \"b\"");
    }

    @Test
    void aFinalReadWithTheLastAcknowledgedWritePasses() {
        put("a", 1, 2, 5);
        put("b", 3, 4, 6);
        Op fin = range(5, 6, 6, kv("b", 6, 2));

        assertThat(HistoryChecks.noLostWrites(history, fin)).isEmpty();
    }

    @Test
    void aCompleteWatchPasses() {
        put("a", 1, 2, 5);
        put("b", 3, 4, 6);
        WatchLog.Segment s = watcher.open(5, 0);
        s.add(List.of(event(kv("a", 5, 1), null)));
        s.add(List.of(event(kv("b", 6, 2), kv("a", 5, 1))));

        assertThat(HistoryChecks.watches(history, List.of(watcher))).isEmpty();
    }

    @Test
    void aWatchThatMissesAnAcknowledgedWriteIsCaught() {
        put("a", 1, 2, 5);
        put("b", 3, 4, 6);
        put("c", 5, 6, 7);
        WatchLog.Segment s = watcher.open(5, 0);
        s.add(List.of(event(kv("a", 5, 1), null)));
        s.add(List.of(event(kv("c", 7, 3), kv("b", 6, 2))));

        assertThat(HistoryChecks.watches(history, List.of(watcher))).singleElement().asString()
                .contains("missed the change at revision 6", "put /check/k \"b\"");
    }

    @Test
    void aWatchThatRepeatsOrReordersEventsIsCaught() {
        put("a", 1, 2, 5);
        put("b", 3, 4, 6);
        WatchLog.Segment s = watcher.open(5, 0);
        s.add(List.of(event(kv("b", 6, 2), kv("a", 5, 1))));
        s.add(List.of(event(kv("a", 5, 1), null)));
        s.add(List.of(event(kv("b", 6, 2), kv("a", 5, 1))));

        assertThat(HistoryChecks.watches(history, List.of(watcher))).asString()
                .contains("delivered revision 5 after revision 6", "twice");
    }

    @Test
    void aWatchEventWithAWrongPreviousVersionIsCaught() {
        put("a", 1, 2, 5);
        put("b", 3, 4, 6);
        WatchLog.Segment s = watcher.open(5, 0);
        s.add(List.of(event(kv("a", 5, 1), null)));
        s.add(List.of(event(kv("b", 6, 2), kv("x", 4, 1))));

        assertThat(HistoryChecks.watches(history, List.of(watcher))).asString()
                .contains("its previous version should be the change before it");
    }

    @Test
    void aWatchEventNoClientMadeIsCaught() {
        WatchLog.Segment s = watcher.open(1, 0);
        s.add(List.of(event(kv("ghost", 5, 1), null)));

        assertThat(HistoryChecks.watches(history, List.of(watcher))).asString().contains("a change no client made");
    }

    @Test
    void anUnknownPutTheWatchSawIsSettledAsApplied() {
        unknownPut("a", 1);
        WatchLog.Segment s = watcher.open(1, 0);
        s.add(List.of(event(kv("a", 5, 1), null)));

        UnknownWrites.Settled settled = UnknownWrites.settle(history, List.of(watcher), 5);

        assertThat(settled.applied()).isEqualTo(1);
        assertThat(settled.ops()).singleElement().satisfies(op -> {
            assertThat(op.outcome()).isEqualTo(Op.Outcome.OK);
            assertThat(op.result()).isEqualTo(new Result.Put(kv("a", 5, 1)));
            assertThat(op.completeSeq()).isEqualTo(Long.MAX_VALUE);
        });
    }

    @Test
    void anUnknownPutNoWatchSawInACoveredWindowIsSettledAsNotApplied() {
        unknownPut("a", 1);
        WatchLog.Segment s = watcher.open(1, 0);
        s.progress(9);

        UnknownWrites.Settled settled = UnknownWrites.settle(history, List.of(watcher), 9);

        assertThat(settled.notApplied()).isEqualTo(1);
        assertThat(settled.ops()).isEmpty();
    }

    @Test
    void anUnknownPutInAWindowNoWatchCoveredStaysUnknown() {
        unknownPut("a", 1);
        watcher.open(1, 0).progress(4);
        watcher.open(7, 0).progress(9);

        UnknownWrites.Settled settled = UnknownWrites.settle(history, List.of(watcher), 9);

        assertThat(settled.unknown()).isEqualTo(1);
        assertThat(settled.ops()).singleElement().extracting(Op::outcome).isEqualTo(Op.Outcome.INFO);
    }

    private static Kv kv(String value, long rev, long version) {
        return new Kv(K, value, rev - version + 1, rev, version);
    }

    private static WatchLog.Event event(Kv kv, Kv prev) {
        return new WatchLog.Event(false, kv.key(), kv.modRevision(), kv, prev);
    }

    private void put(String value, long invoke, long complete, long rev) {
        long version = history.stream().filter(o -> o.call() instanceof Call.Put).count() + 1;
        history.add(Op.of(history.size(), 0, new Call.Put(K, value), invoke, complete, Op.Outcome.OK,
                new Result.Put(kv(value, rev, version))));
    }

    private void unknownPut(String value, long invoke) {
        history.add(Op.of(history.size(), 0, new Call.Put(K, value), invoke, Long.MAX_VALUE, Op.Outcome.INFO, null));
    }

    private Op range(long invoke, long complete, long revision, Kv... kvs) {
        Op op = Op.of(history.size(), 1, new Call.Range("/check/"), invoke, complete, Op.Outcome.OK,
                new Result.Range(List.of(kvs), revision));
        history.add(op);
        return op;
    }
}

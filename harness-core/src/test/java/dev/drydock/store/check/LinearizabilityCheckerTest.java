package dev.drydock.store.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.store.check.LinearizabilityChecker.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker on small hand-made histories, each with a known verdict. */
class LinearizabilityCheckerTest {

    private static final String K = "/k";

    private final List<Op> history = new ArrayList<>();

    @Test
    void aPutAndAConcurrentReadOfEitherValueAreLinearizable() {
        put(0, "a", 1, 2, 5);
        put(0, "b", 3, 10, 6);
        get(1, 4, 5, kv("a", 5, 5, 1));   // before b took effect
        get(2, 6, 7, kv("b", 5, 6, 2));   // after it, still inside the put's interval
        get(1, 11, 12, kv("b", 5, 6, 2));

        assertVerdict(Verdict.LINEARIZABLE);
    }

    @Test
    void aReadThatMissesAPutCompletedBeforeItIsNotLinearizable() {
        put(0, "a", 1, 2, 5);
        get(1, 3, 4, null);

        LinearizabilityChecker.Report r = check();
        assertThat(r.keys().get(0).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.keys().get(0).explanation())
                .contains("get /k -> absent")
                .contains("read absent, but the key holds \"a\"@5");
    }

    @Test
    void twoReadsThatSeeTheNewValueThenTheOldOneAreNotLinearizable() {
        // The classic one: a write of b overlaps both reads, but the first read sees b and the second, which starts
        // after the first returned, sees a again.
        put(0, "a", 1, 2, 5);
        put(0, "b", 3, 20, 6);
        get(1, 4, 5, kv("b", 5, 6, 2));
        get(2, 6, 7, kv("a", 5, 5, 1));

        assertVerdict(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void twoCompareAndSwapsFromTheSameRevisionCannotBothSucceed() {
        put(0, "a", 1, 2, 5);
        cas(1, 5, "b", 3, 8, true, kv("b", 5, 6, 2));
        cas(2, 5, "c", 4, 9, true, kv("c", 5, 7, 3));

        assertVerdict(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aFailedCompareAndSwapReadsTheCurrentVersion() {
        put(0, "a", 1, 2, 5);
        cas(1, 5, "b", 3, 8, true, kv("b", 5, 6, 2));
        cas(2, 5, "c", 4, 9, false, kv("b", 5, 6, 2));   // linearized after the first one

        assertVerdict(Verdict.LINEARIZABLE);
    }

    @Test
    void anUnknownPutMayHaveTakenEffect() {
        unknownPut(0, "a", 1);
        get(1, 5, 6, kv("a", 9, 9, 1));

        assertVerdict(Verdict.LINEARIZABLE);
    }

    @Test
    void anUnknownPutMayHaveHadNoEffect() {
        unknownPut(0, "a", 1);
        get(1, 5, 6, null);

        assertVerdict(Verdict.LINEARIZABLE);
    }

    @Test
    void anUnknownPutTakesEffectOnceOrNever() {
        unknownPut(0, "a", 1);
        get(1, 5, 6, kv("a", 9, 9, 1));
        get(1, 7, 8, null);   // no delete: once seen, it cannot vanish

        assertVerdict(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void anUnknownPutCannotTakeEffectBeforeItWasInvoked() {
        get(1, 1, 2, kv("a", 9, 9, 1));
        unknownPut(0, "a", 3);

        assertVerdict(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aFailedPutHadNoEffect() {
        history.add(Op.of(history.size(), 0, new Call.Put(K, "a"), 1, 2, Op.Outcome.FAIL, null));
        get(1, 3, 4, kv("a", 9, 9, 1));

        assertVerdict(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aDeleteRemovesTheKeyAndLaterCreatesStartAtVersionOne() {
        put(0, "a", 1, 2, 5);
        put(0, "b", 3, 4, 6);
        delete(1, 5, 6, kv("b", 5, 6, 2), 7);
        put(0, "c", 7, 8, 9);
        get(1, 9, 10, kv("c", 9, 9, 1));

        assertVerdict(Verdict.LINEARIZABLE);
    }

    @Test
    void aWriteAtARevisionNotAfterTheKeysLastChangeIsNotLinearizable() {
        put(0, "a", 1, 2, 5);
        put(0, "b", 3, 4, 5);

        assertVerdict(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aRangeReadCountsAsAGetOfEachKeyItCovers() {
        put(0, "a", 1, 2, 5);
        put(0, "x", 3, 4, 6, "/j");
        history.add(Op.of(history.size(), 1, new Call.Range("/"), 5, 6, Op.Outcome.OK,
                new Result.Range(List.of(new Kv("/j", "x", 6, 6, 1)), 6)));   // misses /k

        LinearizabilityChecker.Report r = check();
        assertThat(r.keys())
                .extracting(LinearizabilityChecker.KeyResult::key, LinearizabilityChecker.KeyResult::verdict)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/j", Verdict.LINEARIZABLE),
                        org.assertj.core.groups.Tuple.tuple("/k", Verdict.NOT_LINEARIZABLE));
        assertThat(r.keys().get(1).explanation()).contains("(as a get of /k -> absent)");
    }

    @Test
    void unknownWritesThatChangeNothingSeenDoNotMultiplyTheSearch() {
        // Twenty unknown puts nobody saw and twenty unknown deletes, pending while the key is read absent over and
        // over, then a read of a value nobody wrote: to refute the history the search must rule out every way the
        // unknown writes could have gone. The puts are left out (had one taken effect, it was overwritten unseen),
        // and every subset of deletes leaves the key absent, so no subset may be tried on its own.
        for (int i = 0; i < 20; i++) {
            unknownPut(i, "v" + i, i + 1);
            history.add(Op.of(history.size(), 100 + i, new Call.Delete(K), 30 + i, Long.MAX_VALUE, Op.Outcome.INFO,
                    null));
        }
        for (int i = 0; i < 40; i++) {
            get(99, 100 + 2 * i, 101 + 2 * i, null);
        }
        get(98, 200, 201, kv("ghost", 300, 300, 1));

        LinearizabilityChecker.Report r = new LinearizabilityChecker(200_000, Duration.ofSeconds(30)).check(history);
        assertThat(r.keys().get(0).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.keys().get(0).unobservedLeftOut()).isEqualTo(20);
        assertThat(r.keys().get(0).configurations()).as("configurations visited").isLessThan(20_000);
    }

    @Test
    void anUnknownPutNobodySawMayHaveBumpedTheVersion() {
        put(0, "a", 1, 2, 5);
        unknownPut(1, "lost", 3);
        get(2, 10, 11, kv("a", 5, 5, 1));
        put(0, "b", 12, 13, 9);
        get(2, 14, 15, new Kv(K, "b", 5, 9, 3));   // version 3: the unknown put took effect between a and b

        assertVerdict(Verdict.LINEARIZABLE);
    }

    @Test
    void aSearchBeyondItsBoundsIsUndecidedNotWrong() {
        // Forty unknown puts, each seen by one of forty reads in turn: eighty steps to linearize, over the bound.
        for (int i = 0; i < 40; i++) {
            unknownPut(i, "v" + i, i + 1);
        }
        for (int j = 0; j < 40; j++) {
            get(99, 100 + 2 * j, 101 + 2 * j, kv("v" + (39 - j), 100, 100 + j, j + 1));
        }

        LinearizabilityChecker.Report r = new LinearizabilityChecker(50, Duration.ofSeconds(5)).check(history);
        assertThat(r.keys().get(0).verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(r.keys().get(0).explanation()).contains("UNDECIDED after");
        assertThat(new LinearizabilityChecker().check(history).keys().get(0).verdict())
                .as("with the default bounds").isEqualTo(Verdict.LINEARIZABLE);
    }

    private void assertVerdict(Verdict expected) {
        LinearizabilityChecker.Report r = check();
        assertThat(r.keys()).hasSize(1);
        assertThat(r.keys().get(0).verdict()).as(r.summary()).isEqualTo(expected);
        if (expected == Verdict.NOT_LINEARIZABLE) {
            assertThat(r.keys().get(0).explanation()).contains("NOT LINEARIZABLE", "The pending ops");
        }
    }

    private LinearizabilityChecker.Report check() {
        return new LinearizabilityChecker().check(history);
    }

    private static Kv kv(String value, long create, long mod, long version) {
        return new Kv(K, value, create, mod, version);
    }

    private void put(int process, String value, long invoke, long complete, long rev) {
        put(process, value, invoke, complete, rev, K);
    }

    private void put(int process, String value, long invoke, long complete, long rev, String key) {
        // The version and create revision follow from the key's puts so far in this test (no concurrent writes).
        long version = 1;
        long create = rev;
        for (int i = history.size() - 1; i >= 0; i--) {
            Op o = history.get(i);
            if (o.call().key().equals(key) && o.call() instanceof Call.Put && o.outcome() == Op.Outcome.OK) {
                Kv prev = ((Result.Put) o.result()).kv();
                version = prev.version() + 1;
                create = prev.createRevision();
                break;
            }
            if (o.call().key().equals(key) && o.call() instanceof Call.Delete) {
                break;
            }
        }
        history.add(Op.of(history.size(), process, new Call.Put(key, value), invoke, complete, Op.Outcome.OK,
                new Result.Put(new Kv(key, value, create, rev, version))));
    }

    private void unknownPut(int process, String value, long invoke) {
        history.add(Op.of(history.size(), process, new Call.Put(K, value), invoke, Long.MAX_VALUE, Op.Outcome.INFO,
                null));
    }

    private void get(int process, long invoke, long complete, Kv kv) {
        history.add(Op.of(history.size(), process, new Call.Get(K), invoke, complete, Op.Outcome.OK,
                new Result.Get(kv)));
    }

    private void delete(int process, long invoke, long complete, Kv prev, long rev) {
        history.add(Op.of(history.size(), process, new Call.Delete(K), invoke, complete, Op.Outcome.OK,
                new Result.Delete(prev, rev)));
    }

    private void cas(int process, long expectMod, String value, long invoke, long complete, boolean ok, Kv kv) {
        history.add(Op.of(history.size(), process, new Call.Cas(K, expectMod, null, value), invoke, complete,
                Op.Outcome.OK, new Result.Cas(ok, kv, kv == null ? 0 : kv.modRevision())));
    }
}

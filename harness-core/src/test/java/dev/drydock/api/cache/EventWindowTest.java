package dev.drydock.api.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The window of recent changes: what it serves, what it drops, how it grows and shrinks. */
class EventWindowTest {

    private static final long FRESH = 1_000;

    private static CacheEvent event(long revision, long at) {
        return new CacheEvent(null, null, revision, at);
    }

    private static List<Long> revisions(List<CacheEvent> events) {
        return events.stream().map(CacheEvent::revision).toList();
    }

    @Test
    void aWatchFromAnyRevisionSinceTheResetGetsTheLaterChanges() {
        EventWindow w = new EventWindow(4, 4, FRESH);
        w.reset(10);
        w.add(event(12, 0));
        w.add(event(15, 0));

        assertThat(revisions(w.since(10))).containsExactly(12L, 15L);
        assertThat(revisions(w.since(12))).containsExactly(15L);
        assertThat(revisions(w.since(13))).containsExactly(15L);
        assertThat(w.since(15)).isEmpty();
        assertThat(w.since(99)).isEmpty(); // a revision the cache has not seen yet: the changes come live
    }

    @Test
    void aRevisionBeforeTheResetCannotBeServed() {
        EventWindow w = new EventWindow(4, 4, FRESH);
        w.reset(10);

        assertThat(w.since(9)).isNull();
        assertThat(w.oldestServable()).isEqualTo(10);
    }

    @Test
    void whenFullTheOldestChangeLeavesAndWatchesFromBeforeItAreNoLongerServed() {
        EventWindow w = new EventWindow(4, 4, FRESH);
        w.reset(0);
        for (long rev = 1; rev <= 6; rev++) {
            w.add(event(rev, 0));
        }

        assertThat(w.size()).isEqualTo(4);
        assertThat(w.oldestServable()).isEqualTo(2);
        assertThat(w.since(1)).isNull();
        assertThat(revisions(w.since(2))).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void changesOfOneRevisionLeaveTogetherOrAWatchFromBeforeThemIsRefused() {
        EventWindow w = new EventWindow(4, 4, FRESH);
        w.reset(0);
        w.add(event(1, 0));
        w.add(event(2, 0));
        w.add(event(2, 0)); // one transaction, two keys
        w.add(event(3, 0));
        w.add(event(4, 0)); // 1 leaves
        w.add(event(5, 0)); // the first change of revision 2 leaves, the second stays

        assertThat(w.since(1)).isNull();
        assertThat(revisions(w.since(2))).containsExactly(3L, 4L, 5L);
    }

    @Test
    void theWindowDoublesWhileAllItHoldsIsFresh() {
        EventWindow w = new EventWindow(4, 16, FRESH);
        w.reset(0);
        for (long rev = 1; rev <= 10; rev++) {
            w.add(event(rev, rev)); // all within FRESH of each other
        }

        assertThat(w.capacity()).isEqualTo(16);
        assertThat(w.size()).isEqualTo(10);
        assertThat(revisions(w.since(0))).hasSize(10);
    }

    @Test
    void theWindowStopsGrowingAtItsUpperBound() {
        EventWindow w = new EventWindow(4, 8, FRESH);
        w.reset(0);
        for (long rev = 1; rev <= 20; rev++) {
            w.add(event(rev, rev));
        }

        assertThat(w.capacity()).isEqualTo(8);
        assertThat(revisions(w.since(12))).containsExactly(13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
    }

    @Test
    void theWindowHalvesWhenEvenItsNewestQuarterIsStale() {
        EventWindow w = new EventWindow(4, 16, FRESH);
        w.reset(0);
        for (long rev = 1; rev <= 16; rev++) {
            w.add(event(rev, rev));
        }
        assertThat(w.capacity()).isEqualTo(16);

        w.add(event(17, 10 * FRESH));

        assertThat(w.capacity()).isEqualTo(8);
        assertThat(revisions(w.since(w.oldestServable()))).containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L);
        assertThat(w.since(8)).isNull();
    }
}

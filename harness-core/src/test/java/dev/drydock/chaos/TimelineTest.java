package dev.drydock.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.base.Clock;
import org.junit.jupiter.api.Test;

/** The timeline counts every failed sync and records each distinct one. */
class TimelineTest {

    @Test
    void everyFailedSyncIsCountedAndOnlyTheFirstOfItsKindIsRecorded() {
        Timeline timeline = new Timeline(Clock.SYSTEM);

        timeline.syncFailed("deployment", "default/web", new IllegalStateException("boom"), false);
        timeline.syncFailed("deployment", "default/web", new IllegalStateException("boom"), true);
        timeline.syncFailed("deployment", "default/web", new IllegalStateException("boom"), true);

        assertThat(timeline.syncFailures()).isEqualTo(3);
        assertThat(timeline.entries()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("error");
            assertThat(e.subject()).isEqualTo("deployment");
            assertThat(e.detail()).isEqualTo("sync of default/web failed: java.lang.IllegalStateException: boom");
        });
    }

    @Test
    void itKeepsItsNewestEntriesAndCountsThoseItDropped() {
        Timeline timeline = new Timeline(Clock.SYSTEM, 3);

        for (int i = 1; i <= 5; i++) {
            timeline.record(Timeline.POD, "pod/default/web-" + i, "Running/Ready", "created");
        }

        assertThat(timeline.entries()).extracting(Timeline.Entry::subject)
                .containsExactly("pod/default/web-3", "pod/default/web-4", "pod/default/web-5");
        assertThat(timeline.dropped()).isEqualTo(2);
        assertThat(timeline.last(2)).extracting(Timeline.Entry::subject)
                .containsExactly("pod/default/web-4", "pod/default/web-5");
        assertThat(timeline.toString()).startsWith("(2 older entries dropped; the timeline keeps 3)\n")
                .contains("pod  pod/default/web-5  Running/Ready  created");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Timeline(Clock.SYSTEM, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a timeline keeps at least one entry, got capacity 0");
    }
}

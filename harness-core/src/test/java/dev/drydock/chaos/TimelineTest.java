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
}

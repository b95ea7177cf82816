package dev.drydock.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.base.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The correlator's three steps as client-go's, on a manual clock: aggregator, logger, spam filter. */
class EventCorrelatorTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
    /** On kube's own intervals: one more event per 5 min past the burst, similar events within 10 min. */
    private final EventCorrelator correlator = new EventCorrelator(clock, Duration.ofMinutes(5),
            Duration.ofMinutes(10));
    private int names;

    private EventCorrelator.Occurrence event(String object, String reason, String message) {
        return new EventCorrelator.Occurrence("kubelet", "node-1", "v1", "Pod", "default", object, "uid-" + object,
                null, null, "Normal", reason, message, clock.now());
    }

    private EventCorrelator.Correlated correlate(EventCorrelator.Occurrence e) {
        return correlator.correlate(e, e.name() + "." + ++names);
    }

    @Test
    void anIdenticalEventPatchesTheFirstOnesCountAndLastTimestamp() {
        EventCorrelator.Correlated first = correlate(event("p", "Pulled", "already present"));
        clock.advance(Duration.ofSeconds(3));
        EventCorrelator.Correlated second = correlate(event("p", "Pulled", "already present"));
        EventCorrelator.Correlated third = correlate(event("p", "Pulled", "already present"));

        assertThat(first.isPatch()).isFalse();
        assertThat(first.count()).isEqualTo(1);
        assertThat(second.isPatch()).isTrue();
        assertThat(third.count()).isEqualTo(3);
        assertThat(third.name()).isEqualTo(first.name());
        assertThat(third.firstTimestamp()).isEqualTo(first.firstTimestamp());
        assertThat(third.lastTimestamp()).isEqualTo(first.firstTimestamp().plusSeconds(3));
        // another object, reason or message is another event
        assertThat(correlate(event("q", "Pulled", "already present")).count()).isEqualTo(1);
        assertThat(correlate(event("p", "Created", "already present")).count()).isEqualTo(1);
        assertThat(correlate(event("p", "Pulled", "pulled in 1s")).count()).isEqualTo(1);
    }

    @Test
    void theTenthSimilarEventWithinTenMinutesStartsOneAggregateThatLaterOnesCount() {
        List<EventCorrelator.Correlated> out = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            out.add(correlate(event("rs", "SuccessfulCreate", "Created pod: web-" + i)));
            clock.advance(Duration.ofSeconds(30));
        }

        assertThat(out.subList(0, 9)).allSatisfy(c -> assertThat(c.count()).isEqualTo(1))
                .extracting(EventCorrelator.Correlated::message).startsWith("Created pod: web-1");
        EventCorrelator.Correlated aggregate = out.get(9);
        assertThat(aggregate.message()).isEqualTo("(combined from similar events): Created pod: web-10");
        assertThat(aggregate.count()).isEqualTo(1);
        assertThat(out.get(11).name()).isEqualTo(aggregate.name());
        assertThat(out.get(11).count()).isEqualTo(3);
        assertThat(out.get(11).message()).isEqualTo("(combined from similar events): Created pod: web-12");
    }

    @Test
    void similarEventsMoreThanTenMinutesApartAreNotAggregated() {
        for (int i = 1; i <= 20; i++) {
            EventCorrelator.Correlated c = correlate(event("rs", "SuccessfulCreate", "Created pod: web-" + i));
            assertThat(c.message()).isEqualTo("Created pod: web-" + i);
            clock.advance(Duration.ofMinutes(11));
        }
    }

    @Test
    void aSourceGetsABurstOf25EventsAboutAnObjectThenOneEveryFiveMinutes() {
        int passed = 0;
        for (int i = 0; i < 40; i++) {
            if (correlate(event("p", "Reason" + i, "m")) != null) {
                passed++;
            }
        }
        assertThat(passed).isEqualTo(25);
        // another object, or another source about the same object, has its own bucket
        assertThat(correlate(event("q", "Reason", "m"))).isNotNull();
        assertThat(correlator.correlate(new EventCorrelator.Occurrence("default-scheduler", null, "v1", "Pod",
                "default", "p", "uid-p", null, null, "Normal", "Scheduled", "m", clock.now()), "n")).isNotNull();

        clock.advance(Duration.ofMinutes(4));
        assertThat(correlate(event("p", "Later", "m"))).isNull();
        clock.advance(Duration.ofMinutes(1));
        assertThat(correlate(event("p", "Later", "m"))).isNotNull();
        assertThat(correlate(event("p", "Later", "m"))).isNull();
    }

    @Test
    void anEventHeldBackIsStillCountedSoTheNextOneWrittenCarriesItsCount() {
        for (int i = 0; i < 25; i++) {
            correlate(event("p", "Reason" + i, "m"));
        }
        assertThat(correlate(event("p", "Unhealthy", "probe failed"))).isNull();
        clock.advance(Duration.ofMinutes(5));

        EventCorrelator.Correlated next = correlate(event("p", "Unhealthy", "probe failed"));
        assertThat(next.count()).isEqualTo(2);
        assertThat(next.isPatch()).isTrue(); // of an Event never created: the recorder creates it whole
    }
}

package dev.drydock.chaos;

import dev.drydock.base.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One cluster's record of what happened, in order: every fault injected and every notable event (nodes registered,
 * crashed, restarted...). A failing test prints it, so the order of faults and consequences can be read.
 */
public final class Timeline {

    /** One entry: when, what kind of thing, about whom, and what. */
    public record Entry(Instant at, String kind, String subject, String detail) {
        @Override
        public String toString() {
            return at + "  " + kind + "  " + subject + (detail == null || detail.isEmpty() ? "" : "  " + detail);
        }
    }

    private final Clock clock;
    private final List<Entry> entries = new ArrayList<>();

    public Timeline(Clock clock) {
        this.clock = clock;
    }

    /** Records a fault injected by the test. */
    public void fault(String subject, String detail) {
        add("fault", subject, detail);
    }

    /** Records a notable event of the cluster. */
    public void event(String subject, String detail) {
        add("event", subject, detail);
    }

    private synchronized void add(String kind, String subject, String detail) {
        entries.add(new Entry(clock.now(), kind, subject, detail));
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    @Override
    public synchronized String toString() {
        StringBuilder s = new StringBuilder();
        entries.forEach(e -> s.append(e).append('\n'));
        return s.toString();
    }
}

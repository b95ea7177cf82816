package dev.drydock.store.check;

import dev.drydock.store.WatchEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What one watcher saw: one segment per watch it opened (a watcher that loses its watch opens another from its last
 * revision + 1, as a Kubernetes reflector does), each with its start revision, the batches of events it heard, the
 * progress notifications and how it ended. Thread-safe: the store's dispatch thread appends, the checker reads.
 */
public final class WatchLog {

    /** One change as a watcher saw it. */
    public record Event(boolean delete, String key, long revision, Kv kv, Kv prev) {
        static Event of(WatchEvent e) {
            return new Event(e.type() == WatchEvent.Type.DELETE, e.kv().key(), e.revision(), Kv.of(e.kv()),
                    Kv.of(e.prevKv()));
        }

        @Override
        public String toString() {
            return (delete ? "DELETE " : "PUT ") + key + " @" + revision + (delete ? "" : " " + kv)
                    + " prev " + (prev == null ? "none" : prev);
        }
    }

    /** One watch of this watcher, from {@code fromRevision}. */
    public static final class Segment {
        private final int index;
        private final long fromRevision;
        private final long openSeq;
        private final List<List<Event>> batches = new ArrayList<>();
        private long progressRevision;
        private String end;

        Segment(int index, long fromRevision, long openSeq) {
            this.index = index;
            this.fromRevision = fromRevision;
            this.openSeq = openSeq;
        }

        public int index() {
            return index;
        }

        public long fromRevision() {
            return fromRevision;
        }

        public long openSeq() {
            return openSeq;
        }

        public synchronized List<List<Event>> batches() {
            return List.copyOf(batches);
        }

        public synchronized List<Event> events() {
            List<Event> out = new ArrayList<>();
            batches.forEach(out::addAll);
            return out;
        }

        /**
         * Up to which revision this watch is known to have delivered every change: its last event's revision or its
         * last progress notification, whichever is higher; {@code fromRevision - 1} if neither came.
         */
        public synchronized long coveredTo() {
            long last = batches.isEmpty() ? fromRevision - 1 : batches.get(batches.size() - 1).get(0).revision();
            return Math.max(last, progressRevision);
        }

        public synchronized String end() {
            return end;
        }

        synchronized void add(List<Event> batch) {
            batches.add(List.copyOf(batch));
        }

        synchronized void progress(long revision) {
            progressRevision = Math.max(progressRevision, revision);
        }

        synchronized void ended(String why) {
            if (end == null) {
                end = why;
            }
        }

        @Override
        public synchronized String toString() {
            return "segment " + index + " from revision " + fromRevision + " (covered to " + coveredTo() + ", "
                    + batches.size() + " batches" + (end == null ? "" : ", ended: " + end) + ")";
        }
    }

    private final int id;
    private final String prefix;
    private final List<Segment> segments = new ArrayList<>();

    public WatchLog(int id, String prefix) {
        this.id = id;
        this.prefix = prefix;
    }

    public int id() {
        return id;
    }

    public String prefix() {
        return prefix;
    }

    /** Starts a new segment (a new watch from {@code fromRevision}). */
    public synchronized Segment open(long fromRevision, long seq) {
        Segment s = new Segment(segments.size(), fromRevision, seq);
        segments.add(s);
        return s;
    }

    public synchronized List<Segment> segments() {
        return List.copyOf(segments);
    }

    @Override
    public String toString() {
        return "watcher " + id + " on " + prefix;
    }
}

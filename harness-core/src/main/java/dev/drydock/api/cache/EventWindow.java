package dev.drydock.api.cache;

import java.util.ArrayList;
import java.util.List;

/**
 * The sliding window of recent changes a watch from a past resourceVersion is served from (kube's
 * {@code watchCache} cyclic buffer): a ring of events in revision order whose capacity doubles, up to a bound, while
 * the whole window is younger than {@code freshNanos}, and halves, down to a bound, when even its newest quarter is
 * older. A pure object: the caller holds the lock and gives the time.
 */
final class EventWindow {

    private final int lowerBound;
    private final int upperBound;
    private final long freshNanos;
    private CacheEvent[] ring;
    /** Absolute indexes: the window holds events [start, end). */
    private long start;
    private long end;
    /** A watch from a revision at or above this one can be served: every later change is in the window. */
    private long oldestServable;

    EventWindow(int lowerBound, int upperBound, long freshNanos) {
        if (lowerBound < 4 || upperBound < lowerBound) {
            throw new IllegalArgumentException("window bounds " + lowerBound + ".." + upperBound);
        }
        this.lowerBound = lowerBound;
        this.upperBound = upperBound;
        this.freshNanos = freshNanos;
        this.ring = new CacheEvent[lowerBound];
    }

    /** Forgets every event: the window now serves watches from {@code revision} on (the revision of a relist). */
    void reset(long revision) {
        ring = new CacheEvent[lowerBound];
        start = 0;
        end = 0;
        oldestServable = revision;
    }

    /** Appends an event (revisions never go down), dropping the oldest one when the window is full. */
    void add(CacheEvent e) {
        resize(e.recordNanos());
        if (end - start == ring.length) {
            oldestServable = at(start).revision();
            ring[slot(start)] = null;
            start++;
        }
        ring[slot(end)] = e;
        end++;
    }

    /**
     * The events after {@code revision}, oldest first; null if some of them have left the window (the watch is
     * too old to be served).
     */
    List<CacheEvent> since(long revision) {
        if (revision < oldestServable) {
            return null;
        }
        long lo = start;
        long hi = end;
        while (lo < hi) { // the first event with a revision above the one asked for
            long mid = (lo + hi) >>> 1;
            if (at(mid).revision() <= revision) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        List<CacheEvent> out = new ArrayList<>((int) (end - lo));
        for (long i = lo; i < end; i++) {
            out.add(at(i));
        }
        return out;
    }

    long oldestServable() {
        return oldestServable;
    }

    int size() {
        return (int) (end - start);
    }

    int capacity() {
        return ring.length;
    }

    private void resize(long now) {
        if (end - start < ring.length) {
            return;
        }
        if (now - at(start).recordNanos() < freshNanos && ring.length < upperBound) {
            copyTo(Math.min(ring.length * 2, upperBound));
        } else if (now - at(end - ring.length / 4).recordNanos() > freshNanos && ring.length > lowerBound) {
            int capacity = Math.max(ring.length / 2, lowerBound);
            while (end - start > capacity) { // the oldest ones leave
                oldestServable = at(start).revision();
                ring[slot(start)] = null;
                start++;
            }
            copyTo(capacity);
        }
    }

    private void copyTo(int capacity) {
        CacheEvent[] next = new CacheEvent[capacity];
        for (long i = start; i < end; i++) {
            next[(int) (i % capacity)] = at(i);
        }
        ring = next;
    }

    private CacheEvent at(long index) {
        return ring[slot(index)];
    }

    private int slot(long index) {
        return (int) (index % ring.length);
    }
}

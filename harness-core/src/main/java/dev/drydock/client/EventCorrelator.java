package dev.drydock.client;

import dev.drydock.base.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What an {@link EventRecorder} makes of each event before it writes it, as client-go's {@code EventCorrelator}: a
 * pure core on the cluster's clock, no threads, no I/O. In kube's order:
 * <ol>
 *   <li>the <b>aggregator</b>: once 10 events that differ only in their message were seen about one object (same
 *   source, type and reason) within the aggregate interval of each other (kube: 10 minutes), the next ones become one
 *   event of their own whose message is {@code (combined from similar events): } and the latest message;</li>
 *   <li>the <b>logger</b>: an event seen before (the same in every field but its time, or the same aggregate) is not
 *   created again: the existing Event's {@code count}, {@code lastTimestamp} and {@code message} are patched;</li>
 *   <li>the <b>spam filter</b> ({@code EventSourceObjectSpamFilter}): a token bucket per source and object, 25
 *   events at once, then one more per refill (kube: every 5 minutes); an event past it is not written at all (though
 *   the logger counted it, so the next one written carries its count).</li>
 * </ol>
 * Each keeps its state in a least-recently-used map of 4,096 keys, as kube's caches do. Thread-safe.
 */
final class EventCorrelator {

    /** kube's {@code maxLruCacheEntries}. */
    static final int CACHE_SIZE = 4096;
    /** kube's {@code defaultAggregateMaxEvents}: similar events in the interval before they are aggregated. */
    static final int AGGREGATE_MAX_EVENTS = 10;
    /** kube's {@code defaultSpamBurst}. */
    static final int SPAM_BURST = 25;
    /** kube's {@code EventAggregatorByReasonMessageFunc} prefix. */
    static final String AGGREGATE_PREFIX = "(combined from similar events): ";

    /**
     * One event as a component recorded it: what kube's {@code makeEvent} fills in. The object's
     * {@code resourceVersion} and a {@code fieldPath} (a container's, {@code spec.containers{name}}, for a kubelet's
     * container events) are part of its reference, or null.
     */
    record Occurrence(String component, String host, String apiVersion, String kind, String namespace, String name,
                      String uid, String resourceVersion, String fieldPath, String type, String reason,
                      String message, Instant time) {

        /** Where the Event lives: the object's namespace, {@code default} for a cluster-scoped object (as kube). */
        String eventNamespace() {
            return namespace == null ? "default" : namespace;
        }

        /** The object and the source: the spam filter's key (kube's {@code getSpamKey}). */
        String spamKey() {
            return String.join("\u0000", component, nz(host), kind, nz(namespace), name, nz(uid), apiVersion);
        }

        /** The spam key with type and reason: the aggregator's key (kube's {@code EventAggregatorByReasonFunc}). */
        String aggregateKey() {
            return spamKey() + "\u0000" + type + "\u0000" + reason;
        }

        /**
         * Every field but the time and the resourceVersion, the field path included: the logger's key for an event
         * that is not aggregated ({@code getEventKey}).
         */
        String eventKey() {
            return aggregateKey() + "\u0000" + nz(fieldPath) + "\u0000" + message;
        }

        private static String nz(String s) {
            return s == null ? "" : s;
        }
    }

    /**
     * What to write: {@code count} 1 creates an Event named {@code name}; a higher count patches that Event's
     * {@code count}, {@code lastTimestamp} and {@code message} (and creates it, whole, if it is gone).
     *
     * @param key the logger's key, for {@link #written}
     */
    record Correlated(Occurrence event, String message, String name, int count, Instant firstTimestamp,
                      Instant lastTimestamp, String key) {

        boolean isPatch() {
            return count > 1;
        }
    }

    private final Clock clock;
    private final Duration spamRefill;
    private final Duration aggregateInterval;
    private final Map<String, TokenBucket> spam = lru();
    private final Map<String, Similar> similar = lru();
    private final Map<String, Seen> seen = lru();

    /**
     * A correlator on {@code clock} whose spam filter gives one more token per {@code spamRefill} and whose aggregator
     * groups similar events that come within {@code aggregateInterval} of each other (kube: 5 and 10 minutes).
     */
    EventCorrelator(Clock clock, Duration spamRefill, Duration aggregateInterval) {
        this.clock = clock;
        this.spamRefill = spamRefill;
        this.aggregateInterval = aggregateInterval;
    }

    /** An Event as the logger last saw it written (kube's {@code eventLog}). */
    private record Seen(int count, Instant firstTimestamp, String name) {
    }

    /** The messages of similar events seen lately, and when the last was (kube's {@code aggregateRecord}). */
    private static final class Similar {
        final Set<String> messages = new LinkedHashSet<>();
        Instant last;
    }

    /**
     * What to write for {@code e}, named {@code name} should it be new; null if the spam filter holds it back.
     * {@code name} is used only if the Event is created.
     */
    synchronized Correlated correlate(Occurrence e, String name) {
        Instant now = clock.now();
        // the aggregator
        String aggregateKey = e.aggregateKey();
        Similar s = similar.get(aggregateKey);
        if (s == null || s.last == null || Duration.between(s.last, now).compareTo(aggregateInterval) > 0) {
            s = new Similar();
        }
        s.messages.add(e.message());
        s.last = now;
        similar.put(aggregateKey, s);
        String key;
        String message;
        Instant time;
        if (s.messages.size() < AGGREGATE_MAX_EVENTS) {
            key = e.eventKey();
            message = e.message();
            time = e.time();
        } else {
            Iterator<String> oldest = s.messages.iterator();
            oldest.next();
            oldest.remove(); // kube pops one, so that the set never grows past the threshold
            key = aggregateKey; // every later aggregate folds into this one
            message = AGGREGATE_PREFIX + e.message();
            time = now;
        }
        // the logger
        Seen last = seen.get(key);
        Correlated out = last == null
                ? new Correlated(e, message, name, 1, time, time, key)
                : new Correlated(e, message, last.name(), last.count() + 1, last.firstTimestamp(), time, key);
        seen.put(key, new Seen(out.count(), out.firstTimestamp(), out.name()));
        // the spam filter
        TokenBucket bucket = spam.computeIfAbsent(e.spamKey(), k -> new TokenBucket(now, spamRefill));
        return bucket.tryTake(now) ? out : null;
    }

    /** The Event the server holds after {@code c} was written (kube's {@code UpdateState}). */
    synchronized void written(Correlated c, String name, int count, Instant firstTimestamp) {
        seen.put(c.key(), new Seen(count, firstTimestamp, name));
    }

    /** kube's token bucket rate limiter: starts full, one token back per {@code refill}. */
    private static final class TokenBucket {
        private final Duration refill;
        private double tokens = SPAM_BURST;
        private Instant refilled;

        TokenBucket(Instant now, Duration refill) {
            this.refill = refill;
            refilled = now;
        }

        boolean tryTake(Instant now) {
            if (now.isAfter(refilled)) {
                double added = (double) Duration.between(refilled, now).toNanos() / refill.toNanos();
                tokens = Math.min(SPAM_BURST, tokens + added);
                refilled = now;
            }
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CACHE_SIZE;
            }
        };
    }
}

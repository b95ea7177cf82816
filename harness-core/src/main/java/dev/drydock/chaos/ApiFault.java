package dev.drydock.chaos;

import dev.drydock.kube.ApiRequest;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One API fault in force, made by {@link ApiFaults}: undo it with {@link #heal()} or {@link #close()}, so that
 * try-with-resources scopes it to a block. It counts the requests it acted on.
 *
 * <pre>{@code
 * try (ApiFault f = cluster.apiFaults().forIdentity("operator").verbs("list").fail(500)) {
 *     await().until(() -> f.hits() > 0);
 * }
 * }</pre>
 */
public final class ApiFault implements AutoCloseable {

    enum Kind { FAIL, DELAY, END_WATCHES, STALL_WATCHES, STALE_LISTS }

    private final ApiFaults owner;
    final Kind kind;
    final String party;                  // null: every client
    final Set<ApiRequest.Verb> verbs;    // empty: every verb
    final ApiFaults.ResourceMatch[] resources; // empty: every resource
    final int code;
    final int retryAfterSeconds;
    final long delayNanos;
    final String staleVersion;
    private final String description;
    private final AtomicLong hits = new AtomicLong();
    private volatile boolean healed;
    // recording on the timeline, at most once a second: guarded by this
    private long lastRecorded = Long.MIN_VALUE;
    private long unrecorded;

    ApiFault(ApiFaults owner, Kind kind, String party, Set<ApiRequest.Verb> verbs,
             ApiFaults.ResourceMatch[] resources, int code, int retryAfterSeconds, long delayNanos,
             String staleVersion, String description) {
        this.owner = owner;
        this.kind = kind;
        this.party = party;
        this.verbs = verbs;
        this.resources = resources;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.delayNanos = delayNanos;
        this.staleVersion = staleVersion;
        this.description = description;
    }

    /** Whether this fault applies to a request of {@code requestParty}. */
    boolean matches(String requestParty, ApiRequest req) {
        if (party != null && !party.equals(requestParty)) {
            return false;
        }
        if (!verbs.isEmpty() && !verbs.contains(req.verb())) {
            return false;
        }
        if (resources.length == 0) {
            return true;
        }
        for (ApiFaults.ResourceMatch r : resources) {
            if (r.matches(req)) {
                return true;
            }
        }
        return false;
    }

    /**
     * How many requests this fault has acted on so far: failed, delayed or answered stale, or, for a watch fault,
     * watches ended or stalled.
     */
    public long hits() {
        return hits.get();
    }

    /** Whether the fault is still in force. */
    public boolean isActive() {
        return !healed;
    }

    /**
     * Undoes the fault: requests from now on are served normally, stalled watches get what they held. Recorded on
     * the cluster's timeline.
     *
     * @throws IllegalStateException if it was healed already
     */
    public void heal() {
        synchronized (this) {
            if (healed) {
                throw new IllegalStateException("the API fault '" + description + "' was healed already");
            }
            healed = true;
        }
        owner.healed(this);
    }

    /** Heals the fault unless it was healed already: what ends a try-with-resources block. */
    @Override
    public void close() {
        synchronized (this) {
            if (healed) {
                return;
            }
        }
        heal();
    }

    /**
     * Counts one request acted on; {@code what} is recorded on the timeline, at most once a second, as an error if
     * the request failed, else as an event.
     */
    void hit(String subject, String what, long nowNanos) {
        long n = hits.incrementAndGet();
        String entry = null;
        synchronized (this) {
            unrecorded++;
            if (lastRecorded == Long.MIN_VALUE || nowNanos - lastRecorded >= 1_000_000_000L) {
                entry = (unrecorded == 1 ? what : what + " (" + unrecorded + " since the last entry)")
                        + "; " + n + " so far, by '" + description + "'";
                lastRecorded = nowNanos;
                unrecorded = 0;
            }
        }
        if (entry != null) {
            owner.record(subject, entry, kind == Kind.FAIL);
        }
    }

    /** The fault as recorded on the timeline, e.g. {@code client:operator: fail 500 on list pods}. */
    @Override
    public String toString() {
        return description;
    }

    Duration delay() {
        return Duration.ofNanos(delayNanos);
    }
}

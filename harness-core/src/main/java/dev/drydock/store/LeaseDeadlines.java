package dev.drydock.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * When each lease expires, on one clock: the part of etcd's lessor that only its primary (the leader) keeps. It is not
 * replicated: the leases themselves (ids, TTLs, keys) are in the {@link MvccState}, and an expiry reaches the state
 * as a revocation that the clock's owner proposes.
 *
 * <p>A lease this bookkeeping has not seen yet gets its full TTL from when it first sees it: so a new leader, which
 * starts with {@link #reset()}, gives every lease its full TTL again (etcd's {@code Promote}). Pure: the caller passes
 * the time, in nanoseconds of a monotonic clock, and holds a lock.
 */
final class LeaseDeadlines {

    private final HashMap<Long, Long> deadlines = new HashMap<>();

    /** Lease {@code id} expires {@code ttl} after {@code now} (a grant or a keep-alive). */
    void renew(long id, Duration ttl, long now) {
        deadlines.put(id, now + ttl.toNanos());
    }

    /** Forgets lease {@code id} (revoked). */
    void forget(long id) {
        deadlines.remove(id);
    }

    /** Forgets every deadline: each lease gets its full TTL from the next {@link #expired} that sees it. */
    void reset() {
        deadlines.clear();
    }

    /**
     * The leases of {@code leases} (id to granted TTL) whose deadline has passed at {@code now}. Forgets the deadlines
     * of leases that are gone, and gives the ones not seen before their full TTL from {@code now}.
     */
    List<Long> expired(Map<Long, Duration> leases, long now) {
        deadlines.keySet().retainAll(leases.keySet());
        List<Long> out = new ArrayList<>();
        for (Map.Entry<Long, Duration> lease : leases.entrySet()) {
            long deadline = deadlines.computeIfAbsent(lease.getKey(), id -> now + lease.getValue().toNanos());
            if (deadline - now <= 0) {
                out.add(lease.getKey());
            }
        }
        return out;
    }

    /** How long lease {@code id}, of TTL {@code ttl}, has left at {@code now} (its full TTL if not seen yet). */
    Duration remaining(long id, Duration ttl, long now) {
        Long deadline = deadlines.get(id);
        return deadline == null ? ttl : Duration.ofNanos(Math.max(0, deadline - now));
    }

    /** The earliest deadline, or {@code null} if there is none. */
    Long earliest() {
        Long min = null;
        for (Iterator<Long> it = deadlines.values().iterator(); it.hasNext(); ) {
            long d = it.next();
            if (min == null || d - min < 0) {
                min = d;
            }
        }
        return min;
    }
}

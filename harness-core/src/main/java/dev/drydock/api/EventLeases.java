package dev.drydock.api;

import dev.drydock.base.Clock;
import dev.drydock.store.Store;
import java.time.Duration;

/**
 * The store leases Events are written with, as kube-apiserver's etcd3 lease manager hands them out: every write of an
 * Event attaches it to a lease of the event TTL ({@code --event-ttl}), so that it vanishes that long after its last
 * write. One lease serves the Events written within a short window (5% of the TTL, at most a minute, at most 1,000
 * objects), and is granted that much longer so that none of them expires early.
 */
final class EventLeases {

    /** kube's {@code --lease-reuse-duration-seconds}. */
    private static final Duration MAX_REUSE = Duration.ofSeconds(60);
    /** kube's lease reuse duration percent. */
    private static final double REUSE_FRACTION = 0.05;
    /** kube's {@code --storage-lease-max-object-count} (etcd3 lease manager default). */
    private static final int MAX_ATTACHED = 1000;

    private final Store store;
    private final Clock clock;
    private volatile Duration ttl = Duration.ofHours(1);
    private long lease;
    /** When {@link #lease} expires at the latest (clock nanos). */
    private long expires;
    private int attached;

    EventLeases(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    void ttl(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the event TTL must be positive, got " + ttl);
        }
        this.ttl = ttl;
    }

    Duration ttl() {
        return ttl;
    }

    /** A lease to attach one more Event to: the current one if it lives long enough, else a new one. */
    synchronized long lease() {
        Duration ttl = this.ttl;
        long now = clock.nanoTime();
        long reuse = Math.min(MAX_REUSE.toNanos(), (long) (ttl.toNanos() * REUSE_FRACTION));
        boolean valid = lease != 0 && expires - (now + ttl.toNanos()) > 0;
        boolean sufficient = expires - (now + ttl.toNanos() + reuse) <= 0;
        if (valid && sufficient && attached < MAX_ATTACHED) {
            attached++;
            return lease;
        }
        Duration granted = ttl.plusNanos(reuse);
        lease = store.leaseGrant(granted);
        expires = now + granted.toNanos();
        attached = 1;
        return lease;
    }

    /** Stops handing out {@code id}, which the store no longer knows. */
    synchronized void forget(long id) {
        if (lease == id) {
            lease = 0;
        }
    }
}

package dev.drydock.store;

import java.time.Duration;
import java.util.List;

/**
 * A lease as {@link Store#leaseTimeToLive} sees it (etcd's {@code LeaseTimeToLiveResponse}).
 *
 * @param id         the lease's id
 * @param grantedTtl the TTL it was granted with; every keep-alive renews it to this
 * @param remaining  how long until it expires unless kept alive (as the leader sees it)
 * @param keys       the keys attached to it, in key order
 */
public record Lease(long id, Duration grantedTtl, Duration remaining, List<String> keys) {

    public Lease {
        keys = List.copyOf(keys);
    }
}

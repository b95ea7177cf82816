package dev.drydock.store;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The clock the store's Raft library reads: the cluster's monotonic clock, running {@code speedUp} times faster, so
 * that heartbeat settings counted in whole seconds last milliseconds (the replicas' timers are shortened by the same
 * factor, see {@link ReplicaLane}).
 */
final class ScaledClock extends java.time.Clock {

    private final dev.drydock.base.Clock base;
    private final long speedUp;
    private final long originNanos;
    private final long originMillis;

    ScaledClock(dev.drydock.base.Clock base, long speedUp) {
        this.base = base;
        this.speedUp = speedUp;
        this.originNanos = base.nanoTime();
        this.originMillis = base.now().toEpochMilli();
    }

    @Override
    public long millis() {
        return originMillis + (base.nanoTime() - originNanos) * speedUp / 1_000_000;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(ZoneId zone) {
        return this;
    }
}

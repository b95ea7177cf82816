package dev.drydock.base;

import java.time.Instant;

/**
 * The one source of time of a cluster: every component reads time here, never from the system directly, and waits on
 * it through the cluster's {@link Timers}, so that a test can run a cluster on a clock of its own: a
 * {@link ManualClock} moves only when the test advances it.
 */
public interface Clock {

    /** The system's clock. */
    Clock SYSTEM = new Clock() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    };

    /** Wall-clock time, for timestamps written into objects. */
    Instant now();

    /** Monotonic time, for measuring intervals. */
    long nanoTime();
}

package dev.drydock.base;

import java.time.Instant;

/**
 * The one source of time of a cluster: every component reads time here, never from the system directly, so that a
 * test can run a cluster on a clock of its own.
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

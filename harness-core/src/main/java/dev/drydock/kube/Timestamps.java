package dev.drydock.kube;

import java.time.Instant;

/**
 * Kubernetes' timestamps ({@code metav1.Time}): RFC 3339 in UTC, whole seconds. The text of the last second asked
 * for is kept, since most writes come in the same second as the one before (a create writes two).
 *
 * <pre>{@code
 * meta.put("creationTimestamp", Timestamps.seconds(clock.now())); // "2026-12-01T20:04:56Z"
 * }</pre>
 */
public final class Timestamps {

    private static volatile Second last = new Second(Long.MIN_VALUE, "");

    private Timestamps() {
    }

    private record Second(long epochSecond, String text) {
    }

    /** {@code time} truncated to its second, as kube writes it. */
    public static String seconds(Instant time) {
        long second = time.getEpochSecond();
        Second s = last;
        if (s.epochSecond != second) {
            s = new Second(second, Instant.ofEpochSecond(second).toString());
            last = s;
        }
        return s.text;
    }
}

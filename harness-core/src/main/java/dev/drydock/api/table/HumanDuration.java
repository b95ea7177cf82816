package dev.drydock.api.table;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * kube's {@code duration.HumanDuration} and {@code translateTimestampSince}: ages such as {@code 45s}, {@code 2m3s},
 * {@code 10m}, {@code 3h4m}, {@code 2d5h}, {@code 400d}, {@code 3y20d}, with the same thresholds so a column reads as
 * it does against a real cluster.
 */
final class HumanDuration {

    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    private HumanDuration() {
    }

    /** Age of {@code timestamp} at {@code now}, or {@code <unknown>} when the timestamp is unset. */
    static String since(Optional<Instant> timestamp, Instant now) {
        return timestamp.map(t -> format(Duration.between(t, now))).orElse("<unknown>");
    }

    static String format(Duration duration) {
        return format(saturatedNanos(duration));
    }

    /** Formats a Go {@code time.Duration} (nanoseconds). */
    static String format(long nanos) {
        // Up to a second in the future counts as now, to tolerate clock skew; further is a bogus timestamp.
        long seconds = nanos / SECOND;
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 2 * 60) {
            return seconds + "s";
        }
        long minutes = nanos / MINUTE;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 3 * 60) {
            return minutes + "m";
        }
        long hours = nanos / HOUR;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long days = hours / 24 % 365;
            return days == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + days + "d";
        }
        return hours / 24 / 365 + "y";
    }

    /** Go's {@code Time.Sub} clamps to the int64 range of nanoseconds (about 292 years) instead of overflowing. */
    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}

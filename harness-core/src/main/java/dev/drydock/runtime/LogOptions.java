package dev.drydock.runtime;

import java.time.Instant;

/**
 * What part of a container's log to read, as kube's {@code PodLogOptions} asks it (resolved: {@code sinceSeconds}
 * already turned into {@code since}).
 *
 * @param follow     go on with what the container writes until it exits
 * @param previous   the previous, terminated instance of the container (the kubelet chooses the container; the
 *                   runtime ignores it)
 * @param since      only lines written at or after this time; null for all
 * @param tailLines  only this many lines from the end; negative for all
 * @param timestamps each line prefixed with the time it was written, as RFC 3339 with nanoseconds
 * @param limitBytes stop after this many bytes; negative for no limit
 */
public record LogOptions(boolean follow, boolean previous, Instant since, long tailLines, boolean timestamps,
                         long limitBytes) {

    /** The whole log, once. */
    public static LogOptions all() {
        return new LogOptions(false, false, null, -1, false, -1);
    }
}

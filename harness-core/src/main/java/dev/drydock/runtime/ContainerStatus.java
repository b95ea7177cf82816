package dev.drydock.runtime;

import java.time.Instant;

/**
 * A container's state as CRI reports it.
 *
 * @param exitCode  for {@link State#EXITED}
 * @param reason    for {@link State#EXITED}: {@code Completed}, {@code Error}, {@code OOMKilled}...
 */
public record ContainerStatus(String id, String name, String image, State state, Instant createdAt,
                              Instant startedAt, Instant finishedAt, int exitCode, String reason) {

    /** CRI's container states. */
    public enum State { CREATED, RUNNING, EXITED, UNKNOWN }
}

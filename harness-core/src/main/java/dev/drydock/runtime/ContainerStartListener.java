package dev.drydock.runtime;

/**
 * Hears how {@link ContainerRuntime#createAndStartContainer} went: {@link #created} once the container exists, then
 * exactly one of {@link #started} and {@link #failed}, on whatever thread the runtime finishes on (never while it
 * holds a lock of its own).
 */
public interface ContainerStartListener {

    /** The container exists now (not started yet). */
    void created(String containerId);

    /** The container runs. */
    void started(String containerId);

    /**
     * Creating or starting the container failed: {@code containerId} is null if it was never created, else the
     * container that exists but did not start.
     */
    void failed(String containerId, RuntimeError error);
}

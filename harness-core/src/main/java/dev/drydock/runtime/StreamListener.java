package dev.drydock.runtime;

/**
 * Hears how an open stream ended: exactly one of its methods is called, once, after the last of the stream's output
 * was written to its sinks (and the sinks were closed). Not called after {@link StreamHandle#cancel()}.
 */
public interface StreamListener {

    /**
     * For a port-forward: the port accepted the connection (something serves it), before any other call. A runtime
     * that cannot tell may not call it; {@link #ended} or {@link #failed} still come.
     */
    default void connected() {
    }

    /** The stream ended normally: an exec'd process exited with {@code exitCode}; 0 for streams without one. */
    void ended(int exitCode);

    /**
     * The stream could not start or go on: the process could not be run, the port is not served, the container or
     * the node went away. {@code message} says why, in the runtime's words.
     */
    void failed(String message);
}

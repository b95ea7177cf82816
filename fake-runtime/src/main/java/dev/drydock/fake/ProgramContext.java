package dev.drydock.fake;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Program} sees of its process: its command line and environment, its stdout and stderr, its stdin's
 * flow, a timer on the cluster's threads, and how to exit. Call it only from the program's own callbacks.
 */
public interface ProgramContext {

    /** The command line, the program's name first. */
    List<String> argv();

    /** The environment: the container's variables, and {@code PATH}, {@code HOSTNAME} and {@code HOME}. */
    Map<String, String> env();

    /** The pod's name, as {@code hostname} prints it. */
    String hostname();

    /** Now, on the cluster's clock. */
    Instant now();

    /** Whether the process runs on a terminal. */
    boolean tty();

    /**
     * Writes to stdout (for the main process: the container's log, and attached clients). Returns false when the
     * reader is behind: wait for {@link #whenOutputReady} before writing more.
     */
    boolean stdout(byte[] data);

    /** Writes text to stdout, as UTF-8. */
    default boolean stdout(String text) {
        return stdout(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes to stderr; as {@link #stdout(byte[])}. */
    boolean stderr(byte[] data);

    /** Writes text to stderr, as UTF-8. */
    default boolean stderr(String text) {
        return stderr(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Calls {@code action} back once stdout and stderr can take more. */
    void whenOutputReady(Runnable action);

    /**
     * Holds stdin back: what the client sends waits (a bounded amount; then the client is made to wait) until
     * {@link #resumeInput()}. A program that cannot write its output pauses its input, so a slow reader slows its
     * writer and nothing piles up.
     */
    void pauseInput();

    /** Delivers stdin again, what waited first. */
    void resumeInput();

    /** Calls {@code action} back after {@code delay}; returns what cancels it. */
    Runnable after(Duration delay, Runnable action);

    /** Ends the program with {@code exitCode}. What it writes afterwards is dropped. */
    void exit(int exitCode);

    /** Whether the program has exited (or been killed). */
    boolean exited();

    /**
     * HTTP calls from the program's pod into the cluster (Service names, pod IPs; crossing the network from the pod's
     * node). Asynchronous: a program never blocks, it goes on when the call's future completes.
     */
    default dev.drydock.runtime.ClusterHttp http() {
        return dev.drydock.runtime.ClusterHttp.UNAVAILABLE;
    }
}

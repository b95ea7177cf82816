package dev.drydock.fake;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Program} sees of its process: its command line and environment, its stdout and stderr, its stdin's
 * flow, a timer on the cluster's threads, how to exit, the files of its container's volumes, and the resources it
 * says it uses. Call it only from the program's own callbacks.
 *
 * <pre>{@code
 * ctx -> {
 *     String color = ctx.readFile("/etc/config/color");   // a ConfigMap volume mounted at /etc/config
 *     ctx.useMemory(64L << 20);                            // over limits.memory: OOMKilled
 *     ctx.stdout("color " + color + " for " + ctx.env().get("POD_NAME") + "\n");
 * }
 * }</pre>
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

    // ---- files: the container's volumes

    /**
     * The content of a file of the container's volumes ({@code configMap}, {@code secret}, {@code downwardAPI},
     * {@code projected}, {@code emptyDir}), e.g. {@code ctx.readFile("/etc/config/app.properties")}, as UTF-8.
     *
     * @throws IllegalArgumentException if there is no such file: the message lists the files there are (a behaviour
     *                                  that throws exits with 1, the message in its log)
     */
    default String readFile(String path) {
        return new String(readBytes(path), StandardCharsets.UTF_8);
    }

    /** The bytes of a file of the container's volumes; as {@link #readFile}. */
    byte[] readBytes(String path);

    /** Whether {@code path} is a file of the container's volumes. */
    boolean isFile(String path);

    /** Every file of the container's volumes, by absolute path, sorted. */
    List<String> files();

    /**
     * Writes a file in a writable volume (an {@code emptyDir} not mounted {@code readOnly}), which the pod's other
     * containers that mount it see too.
     *
     * @throws IllegalArgumentException if the path is in no writable volume ({@code Read-only file system})
     */
    void writeFile(String path, byte[] data);

    /** Adds to the end of a file in a writable volume (creating it); as {@link #writeFile(String, byte[])}. */
    void appendFile(String path, byte[] data);

    /** Writes text to a file, as UTF-8; as {@link #writeFile(String, byte[])}. */
    default void writeFile(String path, String text) {
        writeFile(path, text.getBytes(StandardCharsets.UTF_8));
    }

    // ---- resource usage, as the runtime reports it (metrics.k8s.io, kubectl top)

    /**
     * Sets the memory this process uses now (its working set, in bytes); the container's usage is the sum of its
     * processes'. A container whose usage goes over its {@code limits.memory} is killed at once: {@code OOMKilled},
     * exit code 137, then restarted as its pod's {@code restartPolicy} says.
     */
    void useMemory(long bytes);

    /** Sets the CPU this process uses from now on, in millicores (a container's use is capped at its limit). */
    void useCpu(long millicores);

    /**
     * HTTP calls from the program's pod into the cluster (Service names, pod IPs; crossing the network from the pod's
     * node). Asynchronous: a program never blocks, it goes on when the call's future completes.
     */
    default dev.drydock.runtime.ClusterHttp http() {
        return dev.drydock.runtime.ClusterHttp.UNAVAILABLE;
    }
}

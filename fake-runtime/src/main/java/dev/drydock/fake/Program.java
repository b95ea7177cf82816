package dev.drydock.fake;

/**
 * A command running in a fake container: a container's main process or a command run by {@code kubectl exec}. A
 * program holds no thread: it is called when something happens to it (it starts, input arrives, its timer fires, it
 * is told to stop) and answers through its {@link ProgramContext}. Calls come one at a time, in order, on drydock's
 * shared threads, so a program needs no locks, and must never block.
 *
 * <pre>{@code
 * // upper-cases its input until its stdin closes
 * Program upper = new Program() {
 *     public void start(ProgramContext ctx) { }
 *     public void stdin(ProgramContext ctx, byte[] data) {
 *         ctx.stdout(new String(data, UTF_8).toUpperCase());
 *     }
 *     public void stdinClosed(ProgramContext ctx) { ctx.exit(0); }
 * };
 * }</pre>
 */
public interface Program {

    /** The program starts. It may write, set a timer, wait for input, or exit at once. */
    void start(ProgramContext ctx);

    /** Bytes arrived on stdin. Unless the program pauses its input, they come as the client sends them. */
    default void stdin(ProgramContext ctx, byte[] data) {
    }

    /** Stdin reached its end: the client closed it, or it never had one. */
    default void stdinClosed(ProgramContext ctx) {
    }

    /** The terminal changed size (only with a TTY). */
    default void resize(ProgramContext ctx, int width, int height) {
    }

    /** SIGTERM, as the kubelet stops a container: by default the program exits with 143, as a shell does. */
    default void terminate(ProgramContext ctx) {
        ctx.exit(143);
    }
}

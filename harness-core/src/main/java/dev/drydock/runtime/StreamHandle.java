package dev.drydock.runtime;

/** An open stream into a node: an exec'd process, an attach, a forwarded port connection, a log being read. */
public interface StreamHandle {

    /**
     * Where the client's bytes go: the process's stdin, the bytes toward the pod's port; null if the stream takes no
     * input. Closing it is the client's end of file.
     */
    ByteSink input();

    /** The client's terminal has a new size (a TTY session's resize channel). */
    default void resize(int width, int height) {
    }

    /**
     * The client went away: ends the stream at once and frees what it holds (an exec'd process is killed, a port
     * connection closed, a log reader dropped). Its listener is not called. Idempotent.
     */
    void cancel();
}

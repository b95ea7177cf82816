package dev.drydock.api.http;

/**
 * A streamed response body (e.g. a watch), written by the connection's I/O thread while the sender goes on: sending
 * never blocks. Each stream has a bounded buffer: a client that falls more than that far behind has its stream
 * aborted, as kube-apiserver closes a watcher too slow to keep up, so a slow client never slows the sender.
 */
public interface ResponseStream {

    /**
     * Queues one piece of the body. Returns false, dropping the piece, once the stream is over: ended or aborted,
     * or aborted now because the client is already more than the buffer behind.
     */
    boolean send(byte[] piece);

    /** Sends the response head, then every piece queued so far and those to come. */
    void open();

    /** Ends the response normally, after the pieces queued before. */
    void end();

    /**
     * Whether the client takes what is sent: false while more than a small window of the stream waits for it. A
     * sender that can wait (a log being read) waits for {@link #whenReady} rather than fill the buffer.
     */
    boolean ready();

    /** Runs {@code action} once the stream is {@link #ready()} again, or over (at once if it is now). */
    void whenReady(Runnable action);

    /**
     * Runs {@code action} once if the stream is aborted: the client went away, fell too far behind, or the server is
     * closing (at once if that has already happened). Not run after a normal {@link #end()}.
     */
    void onAbort(Runnable action);
}

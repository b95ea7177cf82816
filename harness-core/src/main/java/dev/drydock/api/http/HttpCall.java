package dev.drydock.api.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request, handed to the shell's handler on the connection's I/O thread, and the means to answer it: once,
 * with {@link #respond}, with a {@link #stream}, or by switching the connection to WebSocket; or to go on answering
 * on a worker thread ({@link #continueOnWorker}) where answering may wait or take long.
 */
public interface HttpCall {

    /** The method, e.g. {@code GET}. */
    String method();

    /** The path as sent, still %-encoded. */
    String rawPath();

    /** The query as sent, still %-encoded; {@code null} if there is none. */
    String rawQuery();

    /** The first value of a request header ({@code name} in any case), or {@code null}. */
    String header(String name);

    /** The body, whole (never more than {@link HttpShell#MAX_BODY} bytes); empty if there is none. */
    byte[] body();

    /** The address this request came in on (the server's side of the connection). */
    InetSocketAddress localAddress();

    /** The client's address, for log lines. */
    InetSocketAddress remoteAddress();

    /**
     * Answers with a whole body. Allowed once, or after {@link #stream} as long as that stream was not opened (its
     * queued pieces are dropped).
     */
    void respond(int code, String contentType, byte[] body);

    /** Answers as {@link #respond(int, String, byte[])}, with these headers too (a name may come more than once). */
    void respond(int code, String contentType, List<Map.Entry<String, String>> headers, byte[] body);

    /**
     * Answers as {@link #respond(int, String, List, byte[])}, with a body that {@code body} writes, on the calling
     * thread, straight into the buffers that are sent: a large body (a list) is never held as one byte array.
     *
     * @throws java.io.UncheckedIOException if writing the body fails (nothing is sent then: the caller may still
     *                                      answer an error)
     */
    void respond(int code, String contentType, List<Map.Entry<String, String>> headers, BodyWriter body);

    /** What writes a response body. */
    @FunctionalInterface
    interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * A chunked {@code 200} response whose pieces are sent as they come, without holding a thread. The head goes out
     * at {@link ResponseStream#open()}; pieces sent before wait for it, so a caller can start what feeds the stream
     * and still answer an error instead if the start fails.
     */
    ResponseStream stream(String contentType);

    /**
     * Goes on with {@code rest} on a worker thread once the current step returns, so that it may block (e.g. for a
     * replicated write to commit) or take long (e.g. a large list) without stalling the other connections. Costs two
     * thread hand-offs (measured here: a small GET took several times the CPU when handed to a pool and back).
     */
    void continueOnWorker(Runnable rest);

    /** Whether the client asks to switch this connection to WebSocket ({@code Upgrade: websocket}). */
    boolean isWebSocketUpgrade();

    /**
     * Switches the connection to WebSocket (RFC 6455) and hands its messages to {@code listener}. The subprotocol is
     * the first that the client offers ({@code Sec-WebSocket-Protocol}) among {@code subprotocols}, as kube-apiserver
     * chooses; if it offers none of them, the connection opens without one (kube refuses such a client: a listener
     * that needs one checks {@link WebSocketSession#subprotocol()}). If the handshake fails the client gets a 400.
     */
    void upgradeToWebSocket(List<String> subprotocols, WebSocketListener listener);

    /**
     * Closes the connection at once, without an answer (or, for a stream already open, without the rest of it and
     * its end): what a client sees when the network between it and the server breaks, an I/O error rather than an
     * HTTP status. Its other requests on the same connection go with it, as they would.
     */
    void dropConnection();
}

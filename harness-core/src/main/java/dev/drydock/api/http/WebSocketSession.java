package dev.drydock.api.http;

import java.net.InetSocketAddress;

/**
 * The sending side of a WebSocket connection, with its flow: sending never blocks, {@link #writable()} says whether
 * the client keeps up, and reading the client's messages can be paused, so a stream between the client and something
 * slower never piles up in memory. Safe to call from any thread.
 */
public interface WebSocketSession {

    /** The subprotocol agreed in the handshake, or {@code null}. */
    String subprotocol();

    /** The client's address, for log lines. */
    InetSocketAddress remoteAddress();

    /** Sends a binary message. */
    void sendBinary(byte[] data);

    /** Sends a text message. */
    void sendText(String text);

    /**
     * Whether the client takes what is sent: false once more than the connection's write buffer (tens of KiB) waits
     * for it. A sender that can wait waits for {@link #whenWritable}.
     */
    boolean writable();

    /** Runs {@code action} once the connection is {@link #writable()} again (at once if it is now). */
    void whenWritable(Runnable action);

    /** How many bytes sent are still waiting for the client (not yet taken by the socket). */
    long pending();

    /** Stops reading the client's messages until {@link #resumeReading()}: the client's sends then wait. */
    void pauseReading();

    /** Reads the client's messages again. */
    void resumeReading();

    /**
     * Sends a close frame with {@code code} and {@code reason} after what was sent before, then closes the connection
     * once the client answers it (or after a few seconds): the client reads everything first. Idempotent.
     */
    void close(int code, String reason);
}

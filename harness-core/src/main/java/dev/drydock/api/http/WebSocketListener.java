package dev.drydock.api.http;

/**
 * Receives the messages of a connection switched to WebSocket. Called on the connection's I/O thread, in order:
 * implementations hand work off rather than block.
 */
public interface WebSocketListener {

    /** The handshake is done; {@code session} sends to the client. */
    void onOpen(WebSocketSession session);

    /** A whole text message. */
    default void onText(WebSocketSession session, String text) {
    }

    /** A whole binary message. */
    default void onBinary(WebSocketSession session, byte[] data) {
    }

    /** The connection closed, by either side; {@code code} is the close status (1006 if there was none). */
    default void onClose(int code, String reason) {
    }
}

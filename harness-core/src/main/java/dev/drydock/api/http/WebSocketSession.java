package dev.drydock.api.http;

/** The sending side of a WebSocket connection. Safe to call from any thread. */
public interface WebSocketSession {

    /** The subprotocol agreed in the handshake, or {@code null}. */
    String subprotocol();

    /** Sends a binary message. */
    void sendBinary(byte[] data);

    /** Sends a text message. */
    void sendText(String text);

    /** Sends a close frame with {@code code} and {@code reason}, then closes the connection. */
    void close(int code, String reason);
}

package dev.drydock.fake;

/**
 * What serves a port of a fake pod's network (for {@code kubectl port-forward}): each connection gets its own
 * {@link Connection}, called one event at a time on drydock's shared threads, never to block.
 *
 * <pre>{@code
 * PortHandler echo = client -> bytes -> client.send(bytes);   // PortHandlers.echo() does this
 * }</pre>
 */
@FunctionalInterface
public interface PortHandler {

    /** A client connected; returns what handles its bytes. */
    Connection connect(Client client);

    /** One connection's events. */
    @FunctionalInterface
    interface Connection {

        /** Bytes arrived from the client. */
        void data(byte[] bytes);

        /** The client closed its side (end of file). By default the connection closes too. */
        default void closed(Client client) {
            client.close();
        }
    }

    /** The client's side of one connection, as the server writes to it. */
    interface Client {

        /** Sends bytes to the client; false when it is behind: wait for {@link #whenReady} before sending more. */
        boolean send(byte[] bytes);

        /** Calls {@code action} back once the client can take more. */
        void whenReady(Runnable action);

        /** Closes the connection from the server's side. */
        void close();
    }
}

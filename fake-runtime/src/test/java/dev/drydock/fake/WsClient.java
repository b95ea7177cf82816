package dev.drydock.fake;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client for the tests: keeps every message (text as its bytes) and how the connection closed. */
final class WsClient implements WebSocket.Listener {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One message: text or binary. */
    record Message(boolean text, byte[] data) {
        String string() {
            return new String(data, StandardCharsets.UTF_8);
        }

        /** A channel message's channel (binary protocols). */
        int channel() {
            return data[0] & 0xff;
        }

        /** A channel message's data, as text. */
        String payload() {
            return new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
        }
    }

    final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    WebSocket socket;

    /** Connects; a refused handshake throws (as a CompletionException). */
    static WsClient open(URI uri, String... protocols) {
        WsClient c = new WsClient();
        WebSocket.Builder b = HTTP.newWebSocketBuilder();
        if (protocols.length > 0) {
            b.subprotocols(protocols[0], Arrays.copyOfRange(protocols, 1, protocols.length));
        }
        c.socket = b.buildAsync(uri, c).orTimeout(10, TimeUnit.SECONDS).join();
        return c;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.writeBytes(data.toString().getBytes(StandardCharsets.UTF_8));
        if (last) {
            messages.add(new Message(true, partial.toByteArray()));
            partial.reset();
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        partial.writeBytes(b);
        if (last) {
            messages.add(new Message(false, partial.toByteArray()));
            partial.reset();
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.completeExceptionally(error);
    }

    Message next() throws InterruptedException {
        Message m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 10 s");
        }
        return m;
    }

    /** Sends a binary message: a channel byte then data. */
    void send(int channel, byte[] data) {
        byte[] frame = new byte[data.length + 1];
        frame[0] = (byte) channel;
        System.arraycopy(data, 0, frame, 1, data.length);
        socket.sendBinary(ByteBuffer.wrap(frame), true).join();
    }

    void send(int channel, String text) {
        send(channel, text.getBytes(StandardCharsets.UTF_8));
    }

    int awaitClose() {
        return closed.orTimeout(10, TimeUnit.SECONDS).join();
    }
}

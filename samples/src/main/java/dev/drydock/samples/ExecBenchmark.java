package dev.drydock.samples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * exec against a drydock cluster of one fake node, over WebSocket as kubectl 1.32 speaks it
 * ({@code v5.channel.k8s.io}): a whole exec (upgrade, run {@code true}, its Success status, close), and a round trip
 * through an open one (a byte to {@code cat}'s stdin and back from its stdout). Each client thread keeps its own
 * session for the round trips.
 */
final class ExecBenchmark implements AutoCloseable {

    static final String POD = "bench-shell";

    private final String base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Session> mine = new ThreadLocal<>();

    /** Creates the pod the execs run in and waits until it runs. */
    ExecBenchmark(String apiUrl) throws Exception {
        this.base = apiUrl.replace("http://", "ws://") + "/api/v1/namespaces/default/pods/" + POD + "/exec";
        String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + POD + "\"},\"spec\":"
                + "{\"containers\":[{\"name\":\"main\",\"image\":\"busybox\",\"command\":[\"sleep\",\"3600\"]}]}}";
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(apiUrl
                + "/api/v1/namespaces/default/pods")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(pod)).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("creating the exec benchmark's pod: " + created.body());
        }
        // watched until it runs (the watch ends by itself after 60 s at the latest)
        HttpResponse<java.util.stream.Stream<String>> watch = client.send(HttpRequest.newBuilder(URI.create(apiUrl
                + "/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=60&fieldSelector=metadata.name%3D"
                + POD)).build(), HttpResponse.BodyHandlers.ofLines());
        try (java.util.stream.Stream<String> events = watch.body()) {
            if (events.noneMatch(e -> e.contains("\"phase\":\"Running\""))) {
                throw new IllegalStateException("the exec benchmark's pod did not run within 60 s");
            }
        }
    }

    /** One whole exec of {@code true}: the connection, the Success status, the close. */
    void execTrue() throws Exception {
        Session s = new Session(base + "?command=true&stdout=true");
        try {
            s.take(); // the empty message that says the stream is up
            byte[] status = s.take();
            if (status[0] != 3 || !new String(status, 1, status.length - 1).contains("Success")) {
                throw new IllegalStateException("exec of true ended with " + new String(status));
            }
        } finally {
            s.socket.abort();
        }
    }

    /** One byte through this thread's {@code cat}, there and back. */
    void roundTrip() throws Exception {
        Session s = mine.get();
        if (s == null) {
            s = new Session(base + "?command=cat&stdin=true&stdout=true");
            s.take();
            sessions.add(s);
            mine.set(s);
        }
        s.socket.sendBinary(ByteBuffer.wrap(new byte[]{0, 'x'}), true).get(10, TimeUnit.SECONDS);
        byte[] echoed = s.take();
        if (echoed.length != 2 || echoed[0] != 1 || echoed[1] != 'x') {
            throw new IllegalStateException("cat answered " + new String(echoed));
        }
    }

    @Override
    public void close() {
        sessions.forEach(s -> s.socket.abort());
        sessions.clear();
    }

    /** One exec's WebSocket: its messages, whole, in order. */
    private final class Session implements WebSocket.Listener {
        private final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
        private final WebSocket socket;

        Session(String uri) throws Exception {
            socket = client.newWebSocketBuilder().subprotocols("v5.channel.k8s.io").buildAsync(URI.create(uri), this)
                    .get(10, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            partial.writeBytes(b);
            if (last) {
                messages.add(partial.toByteArray());
                partial.reset();
            }
            ws.request(1);
            return null;
        }

        byte[] take() throws InterruptedException {
            byte[] m = messages.poll(10, TimeUnit.SECONDS);
            if (m == null) {
                throw new IllegalStateException("no answer from exec within 10 s");
            }
            return m;
        }
    }
}

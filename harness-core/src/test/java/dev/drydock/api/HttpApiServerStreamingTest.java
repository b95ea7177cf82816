package dev.drydock.api;

import static dev.drydock.api.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP shell's streams and connections: watches hold no thread, a slow watcher is ended without slowing the
 * others, requests on one connection are answered in order, and closing leaves nothing behind.
 */
class HttpApiServerStreamingTest extends ApiServerTestSupport {

    private static final String WATCH_PODS = "/api/v1/namespaces/default/pods?watch=1";

    private HttpApiServer http;
    private final List<AutoCloseable> clients = new ArrayList<>();

    private void serve(long watchBuffer) throws IOException {
        http = new HttpApiServer(api, api, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "t",
                watchBuffer);
    }

    @AfterEach
    void stopServing() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        if (http != null) {
            http.close();
        }
    }

    @Test
    void aThousandWatchesOverHttpHoldNoThreadEachAndAllSeeTheNextEvent() throws Exception {
        serve(HttpApiServer.WATCH_BUFFER);
        int watchers = 1000;
        try (Selector selector = Selector.open()) {
            List<StringBuilder> received = new ArrayList<>();
            for (int i = 0; i < watchers; i++) {
                SocketChannel ch = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        http.port()));
                clients.add(ch);
                ch.write(ByteBuffer.wrap(get(WATCH_PODS)));
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, i);
                received.add(new StringBuilder());
            }
            readUntil(selector, received, () -> http.openWatches() == watchers
                    && received.stream().allMatch(r -> r.indexOf("\r\n\r\n") >= 0));

            assertThat(threadsNamed("drydock-t-api-http")).as("threads of the HTTP shell with %d watches open",
                    watchers).hasSizeLessThanOrEqualTo(2 + 32);

            createPod(pod("web"));
            readUntil(selector, received, () -> received.stream().allMatch(r -> r.indexOf("\"ADDED\"") >= 0));
            assertThat(received).allSatisfy(r -> assertThat(r).contains("\"name\":\"web\""));
        }
    }

    @Test
    void aWatcherThatStopsReadingIsEndedAndTheOthersCarryOn() throws Exception {
        serve(1024 * 1024);
        Socket stalled = new Socket();
        clients.add(stalled);
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), http.port()));
        stalled.getOutputStream().write(get(WATCH_PODS)); // and never reads
        LineReader reader = new LineReader(WATCH_PODS);
        eventually().until(() -> http.openWatches() == 2);

        // Events of ~100 KB each, until the stalled client is past what the sockets hold and its 1 MiB buffer. Each
        // is read by the reading client before the next is made: it is never more than one event behind.
        String big = "x".repeat(100_000);
        int created = 0;
        while (http.openWatches() == 2 && created < 400) {
            createPod(pod("p" + created).set("metadata.annotations.big", big));
            created++;
            int seen = created;
            eventually().untilAsserted(() -> assertThat(reader.count("\"ADDED\"")).as("events seen by the "
                    + "reader (ended: %s)", reader.ended()).isEqualTo(seen));
        }

        assertThat(http.openWatches()).as("open watches after %d large events", created).isEqualTo(1);
        createPod(pod("after"));
        eventually().until(() -> reader.count("\"name\":\"after\"") == 1);
    }

    @Test
    void requestsSentTogetherOnOneConnectionAreAnsweredInOrder() throws Exception {
        serve(HttpApiServer.WATCH_BUFFER);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), http.port())) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(get("/api/v1/namespaces/default/pods/missing"));
            both.writeBytes(get("/version"));
            s.getOutputStream().write(both.toByteArray());

            InputStream in = s.getInputStream();
            String first = response(in);
            String second = response(in);
            assertThat(first).startsWith("HTTP/1.1 404").contains("\"reason\":\"NotFound\"");
            assertThat(second).startsWith("HTTP/1.1 200").contains("\"gitVersion\"");
        }
    }

    @Test
    void aBodyOverThreeMebibytesIsRefusedWith413AndAStatus() throws Exception {
        serve(HttpApiServer.WATCH_BUFFER);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), http.port())) {
            s.getOutputStream().write(("POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + (3 * 1024 * 1024 + 1) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));

            String r = response(s.getInputStream());
            assertThat(r).startsWith("HTTP/1.1 413").contains("\"reason\":\"RequestEntityTooLarge\"")
                    .contains("\"kind\":\"Status\"");
        }
    }

    @Test
    void aRequestThatIsNotHttpIsRefusedWith400() throws Exception {
        serve(HttpApiServer.WATCH_BUFFER);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), http.port())) {
            s.getOutputStream().write("GET /version HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));

            assertThat(response(s.getInputStream())).startsWith("HTTP/1.1 400").contains("\"kind\":\"Status\"");
        }
    }

    @Test
    void closingEndsEveryWatchAndLeavesNoThreadBehind() throws Exception {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        serve(HttpApiServer.WATCH_BUFFER);
        LineReader reader = new LineReader(WATCH_PODS);
        createPod(pod("web"));
        eventually().until(() -> reader.count("\"ADDED\"") == 1);

        http.close();

        eventually().until(reader::ended);
        assertThat(http.openWatches()).isZero();
        List<String> left = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t) && !t.getName().startsWith("awaitility")
                        && !t.getName().equals("test-watch-reader")
                        // the API server's own pools (timer, watch lanes), which the test support shuts down
                        && !t.getName().startsWith("drydock-t-"))
                .map(Thread::getName).collect(Collectors.toList());
        assertThat(left).as("threads started by the HTTP shell and still alive").isEmpty();
    }

    private static byte[] get(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** One whole response with a Content-Length body, as text. */
    private static String response(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void readUntil(Selector selector, List<StringBuilder> received, Check done) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!done.ok()) {
            assertThat(System.nanoTime()).as("all watchers answered within 60 s").isLessThan(deadline);
            selector.select(100);
            for (SelectionKey k : selector.selectedKeys()) {
                buf.clear();
                int n = ((SocketChannel) k.channel()).read(buf);
                if (n < 0) {
                    throw new IOException("watch " + k.attachment() + " closed: " + received.get((int) k.attachment()));
                }
                received.get((int) k.attachment()).append(new String(buf.array(), 0, n, StandardCharsets.UTF_8));
            }
            selector.selectedKeys().clear();
        }
    }

    private interface Check {
        boolean ok();
    }

    private static List<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).toList();
    }

    /** A watch over a plain socket, read as fast as it comes by a thread of the test. */
    private final class LineReader implements AutoCloseable {
        private final Socket socket = new Socket();
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private volatile boolean ended;

        LineReader(String path) throws IOException {
            clients.add(this);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), http.port()));
            OutputStream out = socket.getOutputStream();
            out.write(get(path));
            Thread t = new Thread(this::read, "test-watch-reader");
            t.setDaemon(true);
            t.start();
        }

        private void read() {
            try (InputStream in = new BufferedInputStream(socket.getInputStream())) {
                StringBuilder line = new StringBuilder();
                for (int b; (b = in.read()) >= 0; ) {
                    if (b == '\n') {
                        lines.add(line.toString());
                        line.setLength(0);
                    } else {
                        line.append((char) b);
                    }
                }
            } catch (IOException e) {
                // closed
            }
            ended = true;
        }

        long count(String text) {
            return lines.stream().filter(l -> l.contains(text)).count();
        }

        boolean ended() {
            return ended;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

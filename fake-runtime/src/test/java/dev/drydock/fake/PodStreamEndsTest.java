package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.cluster.ClusterInternals;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.runtime.ContainerRuntime;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How pods' streams end, and that they leave nothing behind: when the client stops reading, goes away, or the pod
 * or its node goes; and that open streams cost no thread each.
 */
class PodStreamEndsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private DrydockCluster cluster;

    @BeforeEach
    void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().nodes(1));
        run("shell", List.of("sleep", "3600"), "busybox");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private void run(String name, List<String> command, String image) {
        cluster.client().create(Resource.PODS, "default", PodStreamsHttpTest.pod(name, command, image));
        await().atMost(WAIT).until(() -> "Running".equals(Json.text(cluster.client().get(Resource.PODS, "default",
                name), "status", "phase")));
    }

    private int runtimeStreams() {
        ContainerRuntime runtime = ClusterInternals.runtime(cluster, "node-1");
        return runtime == null ? 0 : ((FakeRuntime) runtime).openStreams();
    }

    private void awaitNothingOpen() {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(ClusterInternals.openPodStreams(cluster)).as("pod streams open in the API server").isZero();
            assertThat(runtimeStreams()).as("streams open in the node's runtime").isZero();
        });
    }

    private URI ws(String path) {
        return URI.create(cluster.apiUrl().replace("http://", "ws://") + path);
    }

    @Test
    void aClientThatStopsReadingIsHeldBackAndItsStreamGoesWhenItLeaves() throws Exception {
        // a WebSocket client of its own, on a plain socket, that reads the handshake's answer and nothing after it
        Socket socket = new Socket("127.0.0.1", cluster.port());
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/v1/namespaces/default/pods/shell/exec?command=cat&stdin=1&stdout=1 HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        byte[] frame = maskedBinaryFrame(64 * 1024);
        long[] sent = {0};
        // cat echoes to a client that does not read: its output waits, so it stops taking stdin, so the server stops
        // reading the connection; the client's writes then wait on the sockets' buffers
        java.util.concurrent.CompletableFuture<Void> writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                while (sent[0] < 512L * 1024 * 1024) {
                    out.write(frame);
                    sent[0] += frame.length;
                }
            } catch (java.io.IOException e) {
                // the socket closed under it
            }
        });
        long before;
        do { // until the writer has been held for a while
            before = sent[0];
            try {
                writer.get(3, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                // still writing, or held
            }
        } while (sent[0] != before && !writer.isDone());
        assertThat(writer).as("the client is held back").isNotDone();
        assertThat(sent[0]).as("what the server took from a client that reads nothing back").isLessThan(
                64L * 1024 * 1024);
        assertThat(ClusterInternals.openPodStreams(cluster)).isEqualTo(1);
        socket.close();
        awaitNothingOpen();
    }

    /** A client's binary message: {@code [0]} (stdin) and then zeros, masked as clients must. */
    private static byte[] maskedBinaryFrame(int length) {
        byte[] f = new byte[2 + 8 + 4 + length];
        f[0] = (byte) 0x82; // FIN, binary
        f[1] = (byte) (0x80 | 127);
        for (int i = 0; i < 8; i++) {
            f[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
        }
        byte[] mask = {1, 2, 3, 4};
        System.arraycopy(mask, 0, f, 10, 4);
        for (int i = 0; i < length; i++) {
            f[14 + i] = (byte) (0 ^ mask[i % 4]); // payload: channel 0, then zeros
        }
        return f;
    }

    @Test
    void aLogFollowedByAClientThatStopsReadingEndsWhenItLeaves() throws Exception {
        try (FakeImages.Registration r = FakeImages.register("test/chatty", new ImageBehaviour() {
            @Override
            public Program main(List<String> argv) {
                return new Program() {
                    private final byte[] line = ("x".repeat(1023) + "\n").getBytes(StandardCharsets.UTF_8);

                    @Override
                    public void start(ProgramContext ctx) {
                        tick(ctx);
                    }

                    private void tick(ProgramContext ctx) {
                        for (int i = 0; i < 64; i++) {
                            ctx.stdout(line);
                        }
                        ctx.after(Duration.ofMillis(5), () -> tick(ctx));
                    }
                };
            }
        })) {
            run("chatty", List.of(), "test/chatty");
            try (Socket s = new Socket("127.0.0.1", cluster.port())) {
                OutputStream out = s.getOutputStream();
                out.write(("GET /api/v1/namespaces/default/pods/chatty/log?follow=true HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
                await().atMost(WAIT).until(() -> ClusterInternals.openPodStreams(cluster) == 1);
                // and now it reads nothing more, for as long as the container writes twice what a stream may hold
                // for a client before it is ended: the log's reader waits for the client rather than fill that up
                long written = written();
                await().atMost(WAIT).until(() -> written() > written + 32 * 1024 * 1024);
                assertThat(ClusterInternals.openPodStreams(cluster)).as("the stream is held, not ended").isEqualTo(1);
            }
            awaitNothingOpen();
        }
    }

    private long written() {
        return ((FakeRuntime) ClusterInternals.runtime(cluster, "node-1")).written();
    }

    @Test
    void anExecEndsWhenItsPodIsDeleted() throws Exception {
        WsClient c = WsClient.open(ws("/api/v1/namespaces/default/pods/shell/exec?command=sleep&command=3600"
                + "&stdout=1"), "v4.channel.k8s.io");
        c.next();
        await().atMost(WAIT).until(() -> runtimeStreams() == 1);
        cluster.client().delete(Resource.PODS, "default", "shell");
        JsonNode status = Json.parse(c.next().payload().getBytes(StandardCharsets.UTF_8));
        assertThat(status.path("reason").asText()).isEqualTo("NonZeroExitCode");
        assertThat(status.at("/details/causes/0/message").asText()).as("killed with its container").isEqualTo("137");
        c.awaitClose();
        awaitNothingOpen();
    }

    @Test
    void streamsEndWhenTheirNodeCrashes() throws Exception {
        WsClient exec = WsClient.open(ws("/api/v1/namespaces/default/pods/shell/exec?command=cat&stdin=1&stdout=1"),
                "v5.channel.k8s.io");
        exec.next();
        java.net.http.HttpResponse<java.util.stream.Stream<String>> log = WsClient.HTTP.send(
                java.net.http.HttpRequest.newBuilder(URI.create(cluster.apiUrl()
                        + "/api/v1/namespaces/default/pods/shell/log?follow=true")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines());
        await().atMost(WAIT).until(() -> ClusterInternals.openPodStreams(cluster) == 2);
        cluster.node("node-1").crash();
        JsonNode status = Json.parse(exec.next().payload().getBytes(StandardCharsets.UTF_8));
        assertThat(status.path("reason").asText()).isEqualTo("InternalError");
        assertThat(status.path("message").asText()).contains("node-1");
        exec.awaitClose();
        assertThat(log.body().toList()).as("the followed log ends").isEmpty();
        awaitNothingOpen();

        // a stream to a pod on a crashed node is refused as a dial to its kubelet is
        java.net.http.HttpResponse<String> refused = WsClient.HTTP.send(java.net.http.HttpRequest.newBuilder(
                URI.create(cluster.apiUrl() + "/api/v1/namespaces/default/pods/shell/log")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(500);
        assertThat(refused.body()).contains("Get \\\"https://10.0.0.2:10250/containerLogs/default/shell/main\\\": "
                + "dial tcp 10.0.0.2:10250: connect: connection refused");
    }

    @Test
    void streamsWhoseLinkIsCutAfterTheyOpenedBreakAfterAWhileUnlessItHealsFirst() throws Exception {
        WsClient exec = WsClient.open(ws("/api/v1/namespaces/default/pods/shell/exec?command=cat&stdin=1&stdout=1"),
                "v5.channel.k8s.io");
        exec.next(); // the empty frame that opens each channel
        java.net.http.HttpResponse<java.util.stream.Stream<String>> log = WsClient.HTTP.send(
                java.net.http.HttpRequest.newBuilder(URI.create(cluster.apiUrl()
                        + "/api/v1/namespaces/default/pods/shell/log?follow=true")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines());
        await().atMost(WAIT).until(() -> ClusterInternals.openPodStreams(cluster) == 2);

        // a cut healed before a silent peer would be given up on: the streams go on
        cluster.isolate("node-1").heal();
        await().during(Duration.ofMillis(1500)).atMost(WAIT)
                .until(() -> ClusterInternals.openPodStreams(cluster) == 2);
        exec.send(0, "still here\n");
        assertThat(exec.next().payload()).isEqualTo("still here\n");

        // the API server cut from the node for good: both break, and nothing stays open on either side
        try (var cut = cluster.partition(List.of("node-1"), List.of("apiserver"))) {
            exec.awaitClose();
            assertThat(log.body().toList()).as("the followed log ends").isEmpty();
            awaitNothingOpen();
        }
    }

    @Test
    void openStreamsCostNoThreadEach() throws Exception {
        int before = Thread.activeCount();
        List<WsClient> open = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            WsClient c = WsClient.open(ws("/api/v1/namespaces/default/pods/shell/exec?command=cat&stdin=1"
                    + "&stdout=1"), "v5.channel.k8s.io");
            c.next();
            open.add(c);
        }
        await().atMost(WAIT).until(() -> runtimeStreams() == 100);
        assertThat(Thread.activeCount() - before).as("threads more with 100 execs open").isLessThan(20);
        for (WsClient c : open) {
            c.send(255, new byte[]{0});
        }
        for (WsClient c : open) {
            assertThat(c.next().payload()).contains("Success");
        }
        awaitNothingOpen();
    }
}

package dev.drydock.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shell alone, with a handler of the test's: loopback only, and a path handed over to WebSocket. */
class HttpShellTest {

    private HttpShell shell;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @AfterEach
    void stop() {
        if (shell != null) {
            shell.close();
        }
    }

    private HttpShell start(HttpShell.Handler handler) throws Exception {
        shell = HttpShell.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "t", handler, 1 << 20);
        return shell;
    }

    @Test
    void onlyALoopbackAddressIsServed() {
        assertThatThrownBy(() -> HttpShell.start(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0), "t",
                handler(call -> { }), 1 << 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    }

    @Test
    void aHandlerThatAnswersNothingYieldsA500NotAHang() throws Exception {
        start(handler(call -> { }));

        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("http", "/x")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("Internal error");
    }

    @Test
    void requestsAreAnsweredOnTheIoThreadAndWhatIsHandedOnOnAWorker() throws Exception {
        start(handler(call -> {
            Runnable answer = () -> call.respond(200, "text/plain",
                    Thread.currentThread().getName().getBytes(StandardCharsets.UTF_8));
            if (call.rawPath().equals("/worker")) {
                call.continueOnWorker(answer);
            } else {
                answer.run();
            }
        }));

        assertThat(get("/here")).isEqualTo("drydock-t-api-http-io-1");
        assertThat(get("/worker")).startsWith("drydock-t-api-http-").doesNotStartWith("drydock-t-api-http-io");
    }

    @Test
    void aBodyWrittenInPiecesArrivesWholeAndOneWhoseWriterFailsIsNotSent() throws Exception {
        byte[] big = new byte[300_000]; // several of the shell's buffers
        new java.util.Random(7).nextBytes(big);
        start(handler(call -> call.continueOnWorker(() -> {
            if (call.rawPath().equals("/fails")) {
                assertThatThrownBy(() -> call.respond(200, "application/octet-stream", List.of(), out -> {
                    out.write(big, 0, 100_000);
                    throw new java.io.IOException("the writer broke");
                })).isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("the writer broke");
                call.respond(503, "text/plain", "answered after".getBytes(StandardCharsets.UTF_8));
                return;
            }
            call.respond(200, "application/octet-stream", List.of(), out -> {
                for (int i = 0; i < 10; i++) {
                    out.write(big[i]);
                }
                for (int i = 10; i < big.length; i += 7_777) {
                    out.write(big, i, Math.min(7_777, big.length - i));
                }
            });
        })));

        HttpResponse<byte[]> whole = client.send(HttpRequest.newBuilder(uri("http", "/whole")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<String> failed = client.send(HttpRequest.newBuilder(uri("http", "/fails")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Length")).hasValue("300000");
        assertThat(whole.body()).isEqualTo(big);
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(failed.body()).isEqualTo("answered after");
    }

    private String get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri("http", path)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void aPathCanBeHandedToAWebSocketListenerWithTheClientsFirstSupportedSubprotocol() throws Exception {
        start(handler(call -> {
            if (call.isWebSocketUpgrade() && call.rawPath().equals("/echo")) {
                call.upgradeToWebSocket(List.of("v5.channel.k8s.io", "v4.channel.k8s.io"), new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocketSession session) {
                        session.sendText("open " + session.subprotocol());
                    }

                    @Override
                    public void onBinary(WebSocketSession session, byte[] data) {
                        session.sendBinary(data);
                    }
                });
            } else {
                call.respond(404, "text/plain", new byte[0]);
            }
        }));
        CompletableFuture<String> text = new CompletableFuture<>();
        CompletableFuture<byte[]> binary = new CompletableFuture<>();

        WebSocket ws = client.newWebSocketBuilder()
                .subprotocols("v4.channel.k8s.io", "v5.channel.k8s.io")
                .buildAsync(uri("ws", "/echo"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        text.complete(data.toString());
                        w.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                        byte[] b = new byte[data.remaining()];
                        data.get(b);
                        binary.complete(b);
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 'o', 'k'}), true);

        assertThat(ws.getSubprotocol()).isEqualTo("v4.channel.k8s.io");
        assertThat(text.get(10, TimeUnit.SECONDS)).isEqualTo("open v4.channel.k8s.io");
        assertThat(binary.get(10, TimeUnit.SECONDS)).containsExactly(1, 'o', 'k');
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }

    private URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + shell.address().getPort() + path);
    }

    private static HttpShell.Handler handler(java.util.function.Consumer<HttpCall> answer) {
        return new HttpShell.Handler() {
            @Override
            public void handle(HttpCall call) {
                answer.accept(call);
            }

            @Override
            public byte[] errorBody(int code, String message) {
                return ("{\"code\":" + code + ",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
            }
        };
    }
}

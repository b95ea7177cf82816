package dev.drydock.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The grpc probe's client against in-JVM servers: an h2c gRPC health server made with Netty's server codec, an
 * HTTP/1 server, and sockets that never answer. Its outcomes are what the kubelet's prober words as kube's does.
 */
class GrpcHealthClientTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String CLUSTER = "grpc-client-test";

    private final GrpcHealthClient client = new GrpcHealthClient(CLUSTER);
    private final MultiThreadIoEventLoopGroup serverLoop = new MultiThreadIoEventLoopGroup(1,
            NioIoHandler.newFactory());
    /** What the h2c server answers each call, given the service asked for. */
    private final AtomicReference<Responder> responder = new AtomicReference<>();
    /** The request headers and the service of each call the h2c server took. */
    private final List<Http2Headers> requests = new CopyOnWriteArrayList<>();
    private final List<String> services = new CopyOnWriteArrayList<>();
    private final List<Channel> serverConnections = new CopyOnWriteArrayList<>();
    private Channel server;

    @AfterEach
    void close() throws Exception {
        client.close();
        if (server != null) {
            server.close().sync();
        }
        serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void aServingAnswerIsTheStatusAndTheCallIsGrpcsHealthCheck() throws Exception {
        InetSocketAddress at = grpcServer(serving(1));

        assertThat(client.check(at, "", TIMEOUT).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("SERVING");
        assertThat(client.check(at, "shop.Cart", TIMEOUT).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo("SERVING");

        assertThat(services).containsExactly("", "shop.Cart");
        Http2Headers h = requests.get(0);
        assertThat(h.method()).hasToString("POST");
        assertThat(h.path()).hasToString("/grpc.health.v1.Health/Check");
        assertThat(h.authority()).hasToString("127.0.0.1:" + at.getPort());
        assertThat(h.get("content-type")).hasToString("application/grpc");
        assertThat(h.get("te")).hasToString("trailers");
        assertThat(h.get("user-agent")).hasToString("kube-probe/1.32");
        assertThat(h.get("grpc-timeout")).hasToString("5000m");
        // one short-lived connection per call, closed once it is answered
        await().atMost(WAIT).untilAsserted(() -> assertThat(serverConnections).hasSize(2)
                .noneMatch(Channel::isActive));
    }

    @Test
    void otherServingStatusesAreAnsweredByName() throws Exception {
        InetSocketAddress at = grpcServer(serving(2));
        assertThat(client.check(at, "", TIMEOUT).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("NOT_SERVING");
        responder.set(serving(3));
        assertThat(client.check(at, "", TIMEOUT).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo("SERVICE_UNKNOWN");
        responder.set(serving(0)); // proto3 writes no field for UNKNOWN
        assertThat(client.check(at, "", TIMEOUT).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("UNKNOWN");
    }

    @Test
    void aGrpcErrorIsItsCodeAndItsDecodedMessage() {
        InetSocketAddress at = grpcServer(trailersOnly(5, "unknown%20service%20%E2%80%9Cno.such%E2%80%9D"));
        assertThat(error(client.check(at, "no.such", TIMEOUT))).satisfies(e -> {
            assertThat(e.reason()).isEqualTo("NotFound");
            assertThat(e.getMessage()).isEqualTo("unknown service \u201cno.such\u201d");
        });

        responder.set(trailersOnly(12, "unknown%20service%20grpc.health.v1.Health"));
        assertThat(error(client.check(at, "", TIMEOUT)).reason()).isEqualTo("Unimplemented");
    }

    @Test
    void anHttp1ServerRefusedPortOrNonGrpcAnswerIsNoGrpcServer() throws Exception {
        try (ServerSocket http1 = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> call = client.check(address(http1), "", TIMEOUT);
            try (Socket accepted = http1.accept()) {
                accepted.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                RuntimeError e = error(call);
                assertThat(e.reason()).isEqualTo("Unavailable");
                assertThat(e.getMessage()).contains("does not speak HTTP/2");
                assertThat(endOfStream(accepted)).as("the client closed its connection").isTrue();
            }
        }

        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        assertThat(error(client.check(new InetSocketAddress(InetAddress.getLoopbackAddress(), free), "", TIMEOUT))
                .reason()).isEqualTo("Unavailable");

        InetSocketAddress at = grpcServer((ctx, stream, service) -> {
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("404")
                    .add("content-type", "text/plain"), true).stream(stream));
            ctx.flush();
        });
        RuntimeError notFound = error(client.check(at, "", TIMEOUT));
        assertThat(notFound.reason()).isEqualTo("Unimplemented");
        assertThat(notFound.getMessage()).isEqualTo("unexpected HTTP status code received from server: 404");
    }

    @Test
    void noConnectionWithinTheTimeoutIsUnavailableAndNoAnswerWithinItIsDeadlineExceeded() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> call = client.check(address(silent), "", Duration.ofMillis(300));
            try (Socket accepted = silent.accept()) {
                RuntimeError e = error(call);
                assertThat(e.reason()).isEqualTo("Unavailable");
                assertThat(e.getMessage()).isEqualTo("context deadline exceeded");
                assertThat(endOfStream(accepted)).isTrue();
            }
        }

        InetSocketAddress at = grpcServer((ctx, stream, service) -> {
            // an HTTP/2 server (its SETTINGS came) that never answers the call
        });
        RuntimeError e = error(client.check(at, "", Duration.ofMillis(300)));
        assertThat(e.reason()).isEqualTo("DeadlineExceeded");
        await().atMost(WAIT).untilAsserted(() -> assertThat(serverConnections).hasSize(1)
                .noneMatch(Channel::isActive));
    }

    @Test
    void cancellingACallClosesItsConnection() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> call = client.check(address(silent), "", Duration.ofMinutes(1));
            try (Socket accepted = silent.accept()) {
                call.cancel(false);
                assertThat(endOfStream(accepted)).as("the client closed the socket").isTrue();
            }
        }
    }

    @Test
    void closingTheClientFailsItsCallsClosesTheirSocketsAndEndsItsThread() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> call = client.check(address(silent), "", Duration.ofMinutes(1));
            try (Socket accepted = silent.accept()) {
                assertThat(probeThreads()).hasSize(1);
                client.close();
                assertThat(error(call).reason()).isEqualTo("Unavailable");
                assertThat(endOfStream(accepted)).isTrue();
            }
        }
        assertThat(probeThreads()).isEmpty();
        assertThat(error(client.check(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1), "", TIMEOUT))
                .getMessage()).isEqualTo("the cluster is closed");
    }

    @Test
    void aClientNeverUsedStartsNoThreadAndRefusesAnUnresolvedAddressOrABadTimeout() {
        assertThat(probeThreads()).isEmpty();
        assertThatThrownBy(() -> client.check(InetSocketAddress.createUnresolved("grpc.example", 9090), "", TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be resolved");
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9090);
        assertThatThrownBy(() -> client.check(at, "", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 0");
        assertThatThrownBy(() -> client.check(at, "", Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most PT27H46M39.999S");
        assertThat(probeThreads()).isEmpty();
    }

    // ---- the servers

    /** How the h2c server answers one call. */
    @FunctionalInterface
    private interface Responder {
        void answer(ChannelHandlerContext ctx, Http2FrameStream stream, String service);
    }

    /** A health answer with {@code status} (a ServingStatus number), then grpc-status 0. */
    private static Responder serving(int status) {
        return (ctx, stream, service) -> {
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                    .add("content-type", "application/grpc")).stream(stream));
            ByteBuf message = status == 0 ? Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0, 0})
                    : Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0, 2, 0x08, (byte) status});
            ctx.write(new DefaultHttp2DataFrame(message).stream(stream));
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("grpc-status", "0"), true)
                    .stream(stream));
        };
    }

    /** A gRPC error as grpc-go sends one: headers and trailers in one block. */
    private static Responder trailersOnly(int code, String message) {
        return (ctx, stream, service) -> ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers()
                .status("200").add("content-type", "application/grpc").add("grpc-status", Integer.toString(code))
                .add("grpc-message", message), true).stream(stream));
    }

    private InetSocketAddress grpcServer(Responder answers) {
        responder.set(answers);
        server = new ServerBootstrap().group(serverLoop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        serverConnections.add(ch);
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new HealthService());
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).syncUninterruptibly().channel();
        return (InetSocketAddress) server.localAddress();
    }

    /** Takes a call's headers and its one message, then answers as {@link #responder} says. */
    private final class HealthService extends ChannelInboundHandlerAdapter {
        private final java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame h) {
                    requests.add(h.headers());
                } else if (msg instanceof Http2DataFrame d) {
                    body.writeBytes(ByteBufUtil.getBytes(d.content()));
                    if (d.isEndStream()) {
                        byte[] m = body.toByteArray(); // 5 bytes of gRPC framing, then {0x0a, length, name}
                        services.add(m.length > 7 ? new String(m, 7, m.length - 7, StandardCharsets.UTF_8) : "");
                        responder.get().answer(ctx, d.stream(), services.get(services.size() - 1));
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    // ---- helpers

    private static InetSocketAddress address(ServerSocket s) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
    }

    private static RuntimeError error(CompletableFuture<String> call) {
        Throwable t = catchThrowable(() -> call.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class);
        assertThat(t.getCause()).isInstanceOf(RuntimeError.class);
        return (RuntimeError) t.getCause();
    }

    /** Reads what the client sent (its preface and call) until it closes: true at the end, within the wait. */
    private static boolean endOfStream(Socket socket) throws IOException {
        socket.setSoTimeout((int) WAIT.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        long until = System.nanoTime() + WAIT.toNanos();
        try {
            while (System.nanoTime() < until) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset by the client: closed as well
        }
        return false;
    }

    private static List<Thread> probeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("drydock-" + CLUSTER + "-grpc-probe")).toList();
    }
}

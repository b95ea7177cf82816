package dev.drydock.runtime;

import dev.drydock.base.Threads;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gRPC's standard health check ({@code grpc.health.v1.Health/Check}) as the kubelet's grpc probe makes it, for a
 * runtime whose pods serve real sockets: HTTP/2 without TLS, with prior knowledge (h2c), over one short-lived
 * connection per call. HTTP/2 and HPACK are Netty's ({@code netty-codec-http2}, relocated into drydock's jar).
 *
 * <pre>{@code
 * try (GrpcHealthClient grpc = new GrpcHealthClient("my-cluster")) {
 *     grpc.check(new InetSocketAddress("172.17.0.5", 9090), "", Duration.ofSeconds(1))
 *             .whenComplete((status, error) -> ...); // "SERVING", or a RuntimeError whose reason is the gRPC code
 * }
 * }</pre>
 *
 * A call completes with the serving status the server answered ({@code SERVING}, {@code NOT_SERVING},
 * {@code SERVICE_UNKNOWN}, {@code UNKNOWN}), or fails with a {@link RuntimeError} whose reason is the gRPC code in
 * grpc-go's words: {@code Unavailable} when no gRPC server answered (refused, closed, not HTTP/2, or no connection
 * within the timeout), {@code DeadlineExceeded} when the connection was made but the answer did not come within the
 * timeout, {@code Unimplemented} without a health service, {@code NotFound} for a service the server does not know,
 * and so on. The kubelet's prober words these as kube's does.
 *
 * <p>All calls of one client share one I/O thread ({@code drydock-<cluster>-grpc-probe-1}), started at the first call
 * and ended by {@link #close()}. A call's connection is closed when the call completes, is cancelled or times out.
 */
public final class GrpcHealthClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GrpcHealthClient.class);
    /** What the kubelet's grpc prober says it is ({@code kube-probe/<major>.<minor>}, as its HTTP prober). */
    static final String USER_AGENT = "kube-probe/1.32";
    /** The most a health answer may hold (it is a few bytes): more is refused as grpc-go refuses an oversized one. */
    static final int MAX_MESSAGE = 1 << 20;
    /** The longest timeout a call takes: grpc-timeout's 8 digits of milliseconds. */
    public static final Duration MAX_TIMEOUT = Duration.ofMillis(99_999_999);
    /** gRPC's status codes by number, in grpc-go's words (as kube's probe messages show them). */
    private static final String[] CODES = {"OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded",
        "NotFound", "AlreadyExists", "PermissionDenied", "ResourceExhausted", "FailedPrecondition", "Aborted",
        "OutOfRange", "Unimplemented", "Internal", "Unavailable", "DataLoss", "Unauthenticated"};
    /** grpc.health.v1.HealthCheckResponse.ServingStatus by number. */
    private static final String[] SERVING_STATUS = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};

    private final Threads.Factory threads;
    private final SingleThreadIoEventLoop loop;
    private final Set<Call> calls = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** A client whose thread is named for {@code cluster}; no thread runs until the first call. */
    public GrpcHealthClient(String cluster) {
        this.threads = Threads.factory(cluster, "grpc-probe");
        // One loop of its own, not a group: a group's shutdown is reported through Netty's global executor, whose
        // thread would outlive the cluster. Its thread starts with the first task, so an unprobed cluster has none.
        this.loop = new SingleThreadIoEventLoop(null, threads, NioIoHandler.newFactory());
    }

    /**
     * Asks the gRPC server at {@code server} for the health of {@code service} (empty: the server's overall health),
     * giving up after {@code timeout}. Cancelling the returned future closes the call's connection.
     *
     * @throws IllegalArgumentException if {@code server} is not resolved, or {@code timeout} is not more than 0 and
     *                                  at most {@link #MAX_TIMEOUT}
     */
    public CompletableFuture<String> check(InetSocketAddress server, String service, Duration timeout) {
        if (server.isUnresolved()) { // resolving it would block the client's one thread
            throw new IllegalArgumentException("the gRPC server's address must be resolved (an IP), not " + server);
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("a gRPC health check's timeout must be more than 0 and at most "
                    + MAX_TIMEOUT + ", not " + timeout);
        }
        Call call = new Call(server, service == null ? "" : service, timeout);
        if (closed) {
            call.fail("Unavailable", "the cluster is closed");
            return call.answer;
        }
        calls.add(call);
        call.answer.whenComplete((status, error) -> calls.remove(call));
        try {
            call.start();
        } catch (RuntimeException e) { // the loop was shut down between the check above and now
            call.fail("Unavailable", "the cluster is closed: " + e);
        }
        if (closed) {
            call.fail("Unavailable", "the cluster is closed");
        }
        return call.answer;
    }

    /** Fails the calls under way (their connections close) and ends the client's thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Call c : calls) {
            c.fail("Unavailable", "the cluster is closed");
        }
        loop.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        try {
            if (!loop.terminationFuture().await(5, TimeUnit.SECONDS) || !threads.join(5_000)) {
                LOG.warn("the grpc probe thread still runs 5 s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One health check: its connection, its timer and its outcome; everything but {@link #fail} on the loop. */
    private final class Call extends Http2ChannelDuplexHandler {

        final CompletableFuture<String> answer = new CompletableFuture<>();
        private final InetSocketAddress server;
        private final String service;
        private final Duration timeout;
        private Http2FrameStream stream;
        private boolean sawSettings; // the server speaks HTTP/2: the connection is made, as grpc-go counts it
        private boolean sawResponseHeaders;
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();

        Call(InetSocketAddress server, String service, Duration timeout) {
            this.server = server;
            this.service = service;
            this.timeout = timeout;
        }

        void start() {
            ChannelFuture connect = new Bootstrap()
                    .group(loop)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout.toMillis()))
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(Http2FrameCodecBuilder.forClient()
                                    .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
                                    .build(), Call.this);
                        }
                    })
                    .connect(server);
            Channel channel = connect.channel();
            ScheduledFuture<?> timer = loop.schedule(() -> fail(sawSettings ? "DeadlineExceeded" : "Unavailable",
                    "context deadline exceeded"), timeout.toNanos(), TimeUnit.NANOSECONDS);
            // completed, failed, cancelled or timed out: the connection is not needed any more
            answer.whenComplete((status, error) -> {
                timer.cancel(false);
                channel.close();
            });
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    fail("Unavailable", "connection error: dial tcp " + address() + ": " + f.cause().getMessage());
                }
            });
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // the connection preface and the client's SETTINGS are on their way (the codec sent them); the call
            // follows at once, as gRPC does not wait for the server's SETTINGS
            Http2Headers headers = new DefaultHttp2Headers()
                    .method("POST").scheme("http").path("/grpc.health.v1.Health/Check").authority(address())
                    .add("content-type", "application/grpc")
                    .add("te", "trailers")
                    .add("user-agent", USER_AGENT)
                    .add("grpc-timeout", Math.max(1, timeout.toMillis()) + "m"); // at most 8 digits
            stream = newStream();
            ctx.write(new DefaultHttp2HeadersFrame(headers).stream(stream));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(request(service), true).stream(stream))
                    .addListener(f -> {
                        if (!f.isSuccess()) {
                            fail("Unavailable", "sending the call failed: " + f.cause());
                        }
                    });
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2SettingsFrame) {
                    sawSettings = true; // the codec acknowledges it
                } else if (msg instanceof Http2GoAwayFrame g) {
                    if (stream == null || stream.id() < 0 || stream.id() > g.lastStreamId()) {
                        fail("Unavailable", "the server closed the connection (GOAWAY, error code "
                                + g.errorCode() + ")");
                    } // else the server still answers this call before it closes
                } else if (msg instanceof Http2ResetFrame r) {
                    // RST_STREAM's REFUSED_STREAM is gRPC's Unavailable; any other reset its Internal
                    fail(r.errorCode() == Http2Error.REFUSED_STREAM.code() ? "Unavailable" : "Internal",
                            "stream terminated by RST_STREAM with error code: " + r.errorCode());
                } else if (msg instanceof Http2HeadersFrame h) {
                    headers(h.headers(), h.isEndStream());
                } else if (msg instanceof Http2DataFrame d) {
                    data(d.content(), d.isEndStream());
                }
                // PING and SETTINGS acknowledgements, WINDOW_UPDATE: the codec's business
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!sawSettings) { // an HTTP/1 server answering the preface, or anything else that is not HTTP/2
                fail("Unavailable", "the server does not speak HTTP/2: " + cause.getMessage());
            } else {
                fail("Internal", "HTTP/2 error from the server: " + cause.getMessage());
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail("Unavailable", "connection closed before the server answered");
            ctx.fireChannelInactive();
        }

        /** A header block of the call's stream: the response's headers, or its trailers. */
        private void headers(Http2Headers h, boolean endStream) {
            if (!sawResponseHeaders) {
                sawResponseHeaders = true;
                String httpStatus = String.valueOf(h.status());
                if (!httpStatus.equals("200")) {
                    fail(httpCode(httpStatus), "unexpected HTTP status code received from server: " + httpStatus);
                    return;
                }
                CharSequence type = h.get("content-type");
                if (type == null || !type.toString().startsWith("application/grpc")) {
                    fail("Unknown", "unexpected content-type \"" + (type == null ? "" : type) + "\"");
                    return;
                }
            }
            CharSequence code = h.get("grpc-status");
            if (code == null) {
                if (endStream) {
                    fail("Internal", "server closed the stream without sending trailers");
                }
                return; // the response's headers: the message and the trailers come next
            }
            int n;
            try {
                n = Integer.parseInt(code.toString().trim());
            } catch (NumberFormatException e) {
                n = 2;
            }
            if (n != 0) {
                CharSequence text = h.get("grpc-message");
                fail(n > 0 && n < CODES.length ? CODES[n] : "Unknown", percentDecoded(text == null ? "" : text
                        .toString()));
                return;
            }
            String status = servingStatus(message.toByteArray());
            if (status != null) {
                answer.complete(status);
            }
        }

        private void data(ByteBuf content, boolean endStream) {
            if (message.size() + content.readableBytes() > MAX_MESSAGE + 5) {
                fail("ResourceExhausted", "grpc: received message larger than max (" + MAX_MESSAGE + ")");
                return;
            }
            message.writeBytes(ByteBufUtil.getBytes(content));
            if (endStream) {
                fail("Internal", "server closed the stream without sending trailers");
            }
        }

        /** The status of a HealthCheckResponse ({@code ServingStatus status = 1;}) in its gRPC message, or null. */
        private String servingStatus(byte[] frame) {
            if (frame.length < 5) {
                fail("Internal", "the server's answer has no message");
                return null;
            }
            if (frame[0] != 0) {
                fail("Internal", "the server compressed its answer, which the probe did not accept");
                return null;
            }
            int length = ((frame[1] & 0xff) << 24) | ((frame[2] & 0xff) << 16) | ((frame[3] & 0xff) << 8)
                    | (frame[4] & 0xff);
            if (length < 0 || length > frame.length - 5) {
                fail("Internal", "the server's answer is cut short");
                return null;
            }
            int[] at = {5};
            int end = 5 + length;
            long value = 0; // proto3: a status of 0 (UNKNOWN) is not written
            try {
                while (at[0] < end) {
                    long key = varint(frame, at, end);
                    long field = key >>> 3;
                    switch ((int) (key & 7)) {
                        case 0 -> {
                            long v = varint(frame, at, end);
                            if (field == 1) {
                                value = v;
                            }
                        }
                        case 1 -> at[0] += 8;
                        case 2 -> {
                            long skip = varint(frame, at, end);
                            if (skip > end - at[0]) {
                                throw new IllegalArgumentException("a field runs past its message");
                            }
                            at[0] += (int) skip;
                        }
                        case 5 -> at[0] += 4;
                        default -> throw new IllegalArgumentException("wire type " + (key & 7));
                    }
                }
            } catch (IllegalArgumentException e) {
                fail("Internal", "the server's answer is not a HealthCheckResponse: " + e.getMessage());
                return null;
            }
            return value >= 0 && value < SERVING_STATUS.length ? SERVING_STATUS[(int) value] : Long.toString(value);
        }

        /** Settles the call with a gRPC error, unless it already has its outcome. Any thread. */
        void fail(String code, String text) {
            answer.completeExceptionally(new RuntimeError(code, text));
        }

        private String address() {
            return server.getHostString() + ":" + server.getPort();
        }
    }

    /** A HealthCheckRequest ({@code string service = 1;}) as one uncompressed gRPC message. */
    private static ByteBuf request(String service) {
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (name.length > 0) {
            body.write(0x0a); // field 1, length-delimited
            int n = name.length;
            while ((n & ~0x7f) != 0) {
                body.write((n & 0x7f) | 0x80);
                n >>>= 7;
            }
            body.write(n);
            body.writeBytes(name);
        }
        ByteBuf out = Unpooled.buffer(5 + body.size());
        out.writeByte(0); // not compressed
        out.writeInt(body.size());
        out.writeBytes(body.toByteArray());
        return out;
    }

    private static long varint(byte[] data, int[] at, int end) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at[0] >= end) {
                throw new IllegalArgumentException("a varint runs past its message");
            }
            int b = data[at[0]++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("a varint is too long");
    }

    /** gRPC over HTTP/2's mapping of an HTTP status to a gRPC code, for a response that is not gRPC's. */
    private static String httpCode(String status) {
        return switch (status) {
            case "400" -> "Internal";
            case "401" -> "Unauthenticated";
            case "403" -> "PermissionDenied";
            case "404" -> "Unimplemented";
            case "429", "502", "503", "504" -> "Unavailable";
            default -> "Unknown";
        };
    }

    /** grpc-message is percent-encoded UTF-8. */
    private static String percentDecoded(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length) {
                int hi = Character.digit(bytes[i + 1], 16);
                int lo = Character.digit(bytes[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            out.write(bytes[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}

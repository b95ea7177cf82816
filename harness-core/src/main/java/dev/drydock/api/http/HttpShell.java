package dev.drydock.api.http;

import dev.drydock.base.Threads;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A non-blocking HTTP/1.1 server on loopback. One I/O thread ({@code drydock-<cluster>-api-http-io-1}) reads and
 * writes every connection and hands each whole request to the {@link Handler}; what may wait or take long goes on
 * on one of up to {@value #WORKERS} worker threads ({@code drydock-<cluster>-api-http-n}), so that it never stalls
 * the other connections. A streamed response holds no thread at all: 1,000 open watches cost 1,000 connections, not
 * 1,000 threads. TCP_NODELAY is on, so no answer waits for a delayed ACK. Requests on one connection are answered in
 * order, one at a time.
 */
public final class HttpShell implements AutoCloseable {

    /** kube-apiserver's limit on request bodies. */
    public static final int MAX_BODY = 3 * 1024 * 1024;
    /** Go's limit on a request's line and headers (net/http's DefaultMaxHeaderBytes), which kube-apiserver keeps. */
    static final int MAX_HEAD = 1 << 20;
    /**
     * At most this many requests are answered at once (more wait their turn): enough for an API call that blocks a
     * while, few enough that a burst of requests never costs a burst of threads. A worker starts only when every other
     * one is busy, and ends after 30 s idle.
     */
    static final int WORKERS = 32;
    /** How much of a streamed response may wait for its client while the stream still counts as ready. */
    static final int READY_WINDOW = 64 * 1024;
    /** How long an aborted stream's client gets to take its last bytes before its connection is closed. */
    private static final long ABORT_GRACE_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(HttpShell.class);

    /** What the shell hands requests to. */
    public interface Handler {

        /**
         * Answers {@code call}, on the I/O thread: quickly, without blocking, since every connection waits meanwhile.
         * What may wait or take long goes on with {@link HttpCall#continueOnWorker}. A streamed answer is fed from
         * elsewhere, never waited for here.
         */
        void handle(HttpCall call);

        /** The JSON body of an error the shell answers itself: a request too large or that does not parse. */
        byte[] errorBody(int code, String message);
    }

    private final Handler handler;
    private final long streamBuffer;
    private final Threads.Factory ioThreads;
    private final Threads.Factory workerThreads;
    private final SingleThreadIoEventLoop io;
    private final Workers workers;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final Channel server;
    private volatile boolean closed;

    /**
     * Starts serving on {@code address}, which must be a loopback address (port 0: a free port).
     *
     * @param cluster      the cluster's name, for thread names
     * @param streamBuffer how many bytes a streamed response may hold for a client before it is aborted
     * @throws IOException if the address cannot be bound
     */
    public static HttpShell start(InetSocketAddress address, String cluster, Handler handler, long streamBuffer)
            throws IOException {
        if (address.getAddress() == null || !address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the API server serves on loopback only, not on " + address);
        }
        return new HttpShell(address, cluster, handler, streamBuffer);
    }

    private HttpShell(InetSocketAddress address, String cluster, Handler handler, long streamBuffer)
            throws IOException {
        this.handler = handler;
        this.streamBuffer = streamBuffer;
        this.ioThreads = Threads.factory(cluster, "api-http-io");
        this.workerThreads = Threads.factory(cluster, "api-http");
        // One loop of its own, not a group: a group's shutdown is reported through Netty's global executor, whose
        // thread would outlive the cluster by a second. One I/O thread is plenty: requests are answered by workers.
        this.io = new SingleThreadIoEventLoop(null, ioThreads, NioIoHandler.newFactory());
        this.workers = new Workers(WORKERS, 30, TimeUnit.SECONDS, workerThreads);
        ChannelFuture bound = new ServerBootstrap()
                .group(io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.closeFuture().addListener(f -> connections.remove(ch));
                        ch.pipeline()
                                .addLast(new HttpServerCodec(new HttpDecoderConfig()
                                        .setMaxInitialLineLength(MAX_HEAD).setMaxHeaderSize(MAX_HEAD)))
                                .addLast(new BodyAggregator())
                                .addLast(new Connection(ch));
                        if (closed) {
                            ch.close();
                        }
                    }
                })
                .bind(address)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            stop();
            Throwable cause = bound.cause();
            throw cause instanceof IOException e ? e : new IOException(String.valueOf(cause), cause);
        }
        server = bound.channel();
    }

    /** The address served, with the port chosen. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Stops serving: every connection closes (aborting its stream, if any) and every thread of the shell ends. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.close().awaitUninterruptibly();
        for (Channel c : connections) {
            c.close();
        }
        stop();
    }

    private void stop() {
        closed = true;
        io.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        workers.shutdownNow();
        try {
            boolean done = io.terminationFuture().await(5, TimeUnit.SECONDS)
                    && workers.awaitTermination(5, TimeUnit.SECONDS)
                    && ioThreads.join(5_000) && workerThreads.join(5_000);
            if (!done) {
                LOG.warn("API server threads still running 5 s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What is kept of a request once it is read: its head and its body, copied out of Netty's buffers. */
    private record Request(String method, String uri, HttpHeaders headers, byte[] body, boolean keepAlive,
                           boolean http11) {
    }

    /** Turns a body over {@link #MAX_BODY} into kube's 413. */
    private final class BodyAggregator extends HttpObjectAggregator {
        BodyAggregator() {
            super(MAX_BODY);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            // The rest of the body is not read: answer and close, as Go's server does past its MaxBytesReader.
            ctx.pipeline().get(Connection.class).reject(413, "Request entity too large: limit is " + MAX_BODY);
        }
    }

    /**
     * One connection's requests, confined to its I/O thread: one call at a time, later (pipelined) requests wait,
     * and while any waits, the connection is not read further.
     */
    private final class Connection extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Channel channel;
        private final ArrayDeque<Request> waiting = new ArrayDeque<>();
        private Call current;

        Connection(Channel channel) {
            this.channel = channel;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
            DecoderResult result = msg.decoderResult();
            if (result.isFailure()) {
                Throwable cause = result.cause();
                if (cause instanceof TooLongFrameException) {
                    reject(431, "Request Header Fields Too Large: limit is " + MAX_HEAD + " bytes");
                } else {
                    reject(400, "malformed HTTP request: " + cause.getMessage());
                }
                return;
            }
            Request request = new Request(msg.method().name(), msg.uri(), msg.headers(),
                    ByteBufUtil.getBytes(msg.content()), HttpUtil.isKeepAlive(msg),
                    msg.protocolVersion().minorVersion() >= 1 || msg.protocolVersion().majorVersion() > 1);
            if (current != null) {
                waiting.add(request);
                channel.config().setAutoRead(false);
                return;
            }
            dispatch(request);
        }

        private void dispatch(Request request) {
            Call call = new Call(this, request);
            current = call;
            call.run(() -> handler.handle(call));
        }

        /** Runs on the I/O thread once {@code call}'s response is all written (or failed). */
        void finished(Call call, boolean keepOpen) {
            if (current != call) {
                return;
            }
            current = null;
            if (!keepOpen) {
                channel.close();
                return;
            }
            Request next = waiting.poll();
            if (next != null) {
                dispatch(next);
            } else {
                channel.config().setAutoRead(true);
            }
        }

        /** An error the shell answers itself; the connection closes after it. */
        void reject(int code, String message) {
            if (current != null) {
                channel.close(); // a bad request behind one still being answered: no way to answer in order
                return;
            }
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code),
                    Unpooled.wrappedBuffer(handler.errorBody(code, message)));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            if (!(channel instanceof SocketChannel socket)) {
                channel.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            // As Go's server closes after refusing a body it did not read: half-close, go on reading (and
            // discarding) what the client still sends, and close a moment later, so that the client reads the
            // answer rather than a reset for the bytes it sent after it.
            socket.writeAndFlush(r).addListener(written -> socket.shutdownOutput().addListener(shut -> socket
                    .eventLoop().schedule(() -> {
                        socket.close();
                    }, 500, java.util.concurrent.TimeUnit.MILLISECONDS)));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            waiting.clear();
            Call call = current;
            current = null;
            if (call != null) {
                call.connectionClosed();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("connection from {} failed: {}", channel.remoteAddress(), cause.toString());
            ctx.close();
        }

        /** Switches to WebSocket, on the I/O thread; the handshake's 101 or 400 ends the HTTP call. */
        void upgrade(Call call, List<String> subprotocols, WebSocketListener listener) {
            Request r = call.request;
            FullHttpRequest full = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(r.method()),
                    r.uri(), Unpooled.EMPTY_BUFFER, r.headers(), EmptyHttpHeaders.INSTANCE);
            if (current == call) {
                current = null;
            }
            channel.config().setAutoRead(true);
            WebSockets.upgrade(channel, this, full, subprotocols, listener, MAX_BODY);
        }
    }

    private static final int UNANSWERED = 0;
    private static final int STREAMING = 1;
    private static final int ANSWERED = 2;

    /** One request and its answer; answering is allowed from any thread. */
    private final class Call implements HttpCall {
        private final Connection connection;
        private final Request request;
        private final AtomicInteger state = new AtomicInteger(UNANSWERED);
        private volatile Stream stream;
        // Set by continueOnWorker within a step, taken by run() when the step returns, on the same thread.
        private Runnable handedOn;

        Call(Connection connection, Request request) {
            this.connection = connection;
            this.request = request;
        }

        boolean answered() {
            return state.get() == ANSWERED || stream != null && stream.opened;
        }

        /**
         * Runs a step of the answer. If the step hands the rest to a worker ({@link #continueOnWorker}), that runs
         * next; once no step follows, the call must have been answered.
         */
        void run(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException | Error e) {
                LOG.warn("unanswered error serving {} {}", request.method(), request.uri(), e);
            }
            Runnable next = handedOn;
            handedOn = null;
            if (next != null) {
                try {
                    workers.execute(() -> run(next));
                } catch (RejectedExecutionException e) {
                    connection.channel.close(); // the shell is closing
                }
                return;
            }
            if (!answered()) {
                LOG.warn("no answer to {} {}: answering 500", request.method(), request.uri());
                respond(500, "application/json", handler.errorBody(500, "Internal error occurred"));
            }
        }

        @Override
        public void continueOnWorker(Runnable rest) {
            if (handedOn != null || answered()) {
                throw new IllegalStateException("answered or handed on already");
            }
            handedOn = rest;
        }

        @Override
        public String method() {
            return request.method();
        }

        @Override
        public String rawPath() {
            int q = request.uri().indexOf('?');
            return q < 0 ? request.uri() : request.uri().substring(0, q);
        }

        @Override
        public String rawQuery() {
            int q = request.uri().indexOf('?');
            return q < 0 ? null : request.uri().substring(q + 1);
        }

        @Override
        public String header(String name) {
            return request.headers().get(headerName(name));
        }

        @Override
        public byte[] body() {
            return request.body();
        }

        @Override
        public InetSocketAddress localAddress() {
            return (InetSocketAddress) connection.channel.localAddress();
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return (InetSocketAddress) connection.channel.remoteAddress();
        }

        @Override
        public void respond(int code, String contentType, byte[] body) {
            respond(code, contentType, java.util.List.of(), body);
        }

        @Override
        public void respond(int code, String contentType, java.util.List<java.util.Map.Entry<String, String>> headers,
                            byte[] body) {
            send(code, contentType, headers, Unpooled.wrappedBuffer(body));
        }

        @Override
        public void respond(int code, String contentType, java.util.List<java.util.Map.Entry<String, String>> headers,
                            BodyWriter body) {
            BodyChunks out = new BodyChunks(connection.channel.alloc());
            try {
                body.writeTo(out);
            } catch (IOException e) {
                out.discard();
                throw new java.io.UncheckedIOException(e);
            } catch (RuntimeException | Error e) {
                out.discard();
                throw e;
            }
            send(code, contentType, headers, out.body());
        }

        private void send(int code, String contentType, java.util.List<java.util.Map.Entry<String, String>> headers,
                          io.netty.buffer.ByteBuf body) {
            Stream s = stream;
            if (s != null && s.opened || !state.compareAndSet(s == null ? UNANSWERED : STREAMING, ANSWERED)) {
                body.release();
                throw new IllegalStateException("answered already");
            }
            if (s != null) {
                s.discard();
            }
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code),
                    body);
            for (java.util.Map.Entry<String, String> h : headers) {
                r.headers().add(h.getKey(), h.getValue());
            }
            if (contentType != null) {
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            }
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            connectionHeader(r, request.keepAlive());
            connection.channel.writeAndFlush(r).addListener(f -> connection.finished(this,
                    request.keepAlive() && f.isSuccess()));
        }

        @Override
        public ResponseStream stream(String contentType) {
            if (!state.compareAndSet(UNANSWERED, STREAMING)) {
                throw new IllegalStateException("answered already");
            }
            Stream s = new Stream(this, contentType);
            stream = s;
            return s;
        }

        @Override
        public boolean isWebSocketUpgrade() {
            String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
            return upgrade != null && upgrade.equalsIgnoreCase("websocket");
        }

        @Override
        public void upgradeToWebSocket(List<String> subprotocols, WebSocketListener listener) {
            if (!state.compareAndSet(UNANSWERED, ANSWERED)) {
                throw new IllegalStateException("answered already");
            }
            connection.channel.eventLoop().execute(() -> connection.upgrade(this, subprotocols, listener));
        }

        @Override
        public void dropConnection() {
            state.set(ANSWERED);
            connection.channel.close(); // the stream, if any, is aborted when the channel goes inactive
        }

        void connectionClosed() {
            Stream s = stream;
            if (s != null) {
                s.abort(null);
            }
        }
    }

    private static void connectionHeader(HttpResponse r, boolean keepAlive) {
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    private static final int LIVE = 0;
    private static final int ENDING = 1;
    private static final int ABORTED = 2;

    /**
     * A streamed body: senders queue pieces from any thread; the I/O thread writes them, flushing once per batch.
     * {@code behind} counts the bytes queued here or still in Netty's outbound buffer, i.e. not yet taken by the
     * socket: past {@link #streamBuffer} the client is too slow, and the stream is aborted.
     */
    private final class Stream implements ResponseStream {
        private final Call call;
        private final Channel channel;
        private final String contentType;
        private final boolean chunked;
        private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean drainScheduled = new AtomicBoolean();
        private final AtomicLong behind = new AtomicLong();
        private final AtomicInteger state = new AtomicInteger(LIVE);
        private final List<Runnable> abortActions = new ArrayList<>(); // guarded by this
        private boolean abortActionsRan;                                // guarded by this
        private final List<Runnable> waitingForReady = new ArrayList<>(); // guarded by this
        private volatile boolean opened;
        private volatile boolean discarded;
        // I/O thread only
        private boolean headWritten;
        private boolean lastWritten;

        Stream(Call call, String contentType) {
            this.call = call;
            this.channel = call.connection.channel;
            this.contentType = contentType;
            this.chunked = call.request.http11(); // an HTTP/1.0 client reads to the end of the connection instead
        }

        @Override
        public boolean send(byte[] piece) {
            if (state.get() != LIVE) {
                return false;
            }
            if (behind.getAndAdd(piece.length) > streamBuffer) { // a piece larger than the buffer still goes
                behind.addAndGet(-piece.length);
                abort("the client is more than " + streamBuffer + " bytes behind; ending its stream, as "
                        + "kube-apiserver ends a watcher too slow to keep up");
                return false;
            }
            queue.add(piece);
            if (opened) {
                schedule();
            }
            return true;
        }

        @Override
        public void open() {
            opened = true;
            schedule();
        }

        @Override
        public void end() {
            if (state.compareAndSet(LIVE, ENDING) && opened) {
                schedule();
            }
        }

        @Override
        public boolean ready() {
            return behind.get() < READY_WINDOW || state.get() != LIVE;
        }

        @Override
        public void whenReady(Runnable action) {
            synchronized (this) {
                if (!ready()) {
                    waitingForReady.add(action);
                    return;
                }
            }
            action.run();
        }

        /** The client took some of the stream (or it ended): who waits for room goes on. */
        private void tookSome() {
            List<Runnable> go;
            synchronized (this) {
                if (waitingForReady.isEmpty() || !ready()) {
                    return;
                }
                go = new ArrayList<>(waitingForReady);
                waitingForReady.clear();
            }
            for (Runnable r : go) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.warn("the writer of {} failed", call.request.uri(), e);
                }
            }
        }

        @Override
        public void onAbort(Runnable action) {
            boolean now;
            synchronized (this) {
                now = abortActionsRan;
                if (!now) {
                    abortActions.add(action);
                }
            }
            if (now) {
                action.run();
            }
        }

        /** Ends the stream early ({@code why} null: the client went away or the shell is closing). */
        void abort(String why) {
            if (!state.compareAndSet(LIVE, ABORTED)) {
                return;
            }
            if (why != null) {
                LOG.warn("{} {} from {}: {}", call.request.method(), call.request.uri(), channel.remoteAddress(), why);
            }
            List<Runnable> actions;
            synchronized (this) {
                abortActionsRan = true;
                actions = List.copyOf(abortActions);
                abortActions.clear();
            }
            for (Runnable a : actions) {
                try {
                    a.run();
                } catch (RuntimeException e) {
                    LOG.warn("closing what fed the stream of {} failed", call.request.uri(), e);
                }
            }
            tookSome();
            schedule();
        }

        /** The call was answered otherwise before the stream opened: nothing of it is written. */
        void discard() {
            discarded = true;
            state.set(ABORTED);
            queue.clear();
        }

        private void schedule() {
            if (drainScheduled.compareAndSet(false, true)) {
                try {
                    channel.eventLoop().execute(this::drain);
                } catch (RejectedExecutionException e) {
                    drainScheduled.set(false); // the shell is closing; its connections are closed
                }
            }
        }

        /** On the I/O thread: head first, then what is queued, then the end; one flush. */
        private void drain() {
            drainScheduled.set(false);
            if (discarded || !opened || lastWritten || !channel.isActive()) {
                queue.clear();
                return;
            }
            if (!headWritten) {
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
                if (chunked) {
                    HttpUtil.setTransferEncodingChunked(head, true);
                }
                connectionHeader(head, chunked && call.request.keepAlive());
                channel.write(head);
                headWritten = true;
            }
            int s = state.get();
            if (s == ABORTED) {
                queue.clear();
                lastWritten = true;
                // What the client has not taken yet is still its due; then the connection goes, so it relists.
                channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                channel.eventLoop().schedule(() -> channel.close(), ABORT_GRACE_SECONDS, TimeUnit.SECONDS);
                return;
            }
            for (byte[] piece; (piece = queue.poll()) != null; ) {
                int n = piece.length;
                channel.write(new DefaultHttpContent(Unpooled.wrappedBuffer(piece)))
                        .addListener(f -> {
                            behind.addAndGet(-n);
                            tookSome();
                        });
            }
            if (s == ENDING) {
                lastWritten = true;
                boolean keep = chunked && call.request.keepAlive();
                channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                        .addListener(f -> call.connection.finished(call, keep && f.isSuccess()));
            } else {
                channel.flush();
            }
        }
    }

    /** Header names as netty's {@link AsciiString}s, whose hash is kept: looked up on every request. */
    private static final java.util.concurrent.ConcurrentHashMap<String, AsciiString> HEADER_NAMES =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_HEADER_NAMES = 256;

    private static CharSequence headerName(String name) {
        AsciiString a = HEADER_NAMES.get(name);
        if (a == null) {
            if (HEADER_NAMES.size() >= MAX_HEADER_NAMES) {
                return name; // callers name headers in code, but do not let a caller that does not grow this
            }
            a = AsciiString.cached(name);
            HEADER_NAMES.putIfAbsent(name, a);
        }
        return a;
    }
}

package dev.drydock.api.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The switch of a connection from HTTP to WebSocket, and the WebSocket side of it. */
final class WebSockets {

    private static final Logger LOG = LoggerFactory.getLogger(WebSockets.class);
    /** How long a closing connection waits for the client's close frame before it closes anyway. */
    private static final long CLOSE_GRACE_SECONDS = 5;

    private WebSockets() {
    }

    /** On the connection's I/O thread: answers the handshake and puts {@code listener} where HTTP was. */
    static void upgrade(Channel channel, ChannelHandler http, FullHttpRequest request, List<String> subprotocols,
                        WebSocketListener listener, int maxMessage) {
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://" + request.headers().get(HttpHeaderNames.HOST) + request.uri(),
                subprotocols.isEmpty() ? null : String.join(",", subprotocols),
                WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(maxMessage).build())
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel)
                    .addListener(ChannelFutureListener.CLOSE);
            listener.onClose(1002, "unsupported WebSocket version");
            return;
        }
        Session session = new Session(channel, handshaker);
        channel.pipeline().replace(http, "websocket", new Frames(session, listener));
        channel.pipeline().addBefore("websocket", "websocket-aggregator", new WebSocketFrameAggregator(maxMessage));
        try {
            handshaker.handshake(channel, request).addListener(f -> {
                if (f.isSuccess()) {
                    session.subprotocol = handshaker.selectedSubprotocol();
                    listener.onOpen(session);
                } else {
                    channel.close();
                }
            });
        } catch (RuntimeException e) { // e.g. no Sec-WebSocket-Key: the HTTP codec is still in place
            LOG.debug("WebSocket handshake for {} failed: {}", request.uri(), e.toString());
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                    Unpooled.copiedBuffer("WebSocket handshake failed: " + e.getMessage(), StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            channel.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static final class Session implements WebSocketSession {
        private final Channel channel;
        private final WebSocketServerHandshaker handshaker;
        private final AtomicLong pending = new AtomicLong();
        private final AtomicBoolean closeSent = new AtomicBoolean();
        private final List<Runnable> waitingToWrite = new ArrayList<>(); // guarded by this
        private volatile String subprotocol;

        Session(Channel channel, WebSocketServerHandshaker handshaker) {
            this.channel = channel;
            this.handshaker = handshaker;
        }

        @Override
        public String subprotocol() {
            return subprotocol;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return (InetSocketAddress) channel.remoteAddress();
        }

        @Override
        public void sendBinary(byte[] data) {
            send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)), data.length);
        }

        @Override
        public void sendText(String text) {
            TextWebSocketFrame frame = new TextWebSocketFrame(text);
            send(frame, frame.content().readableBytes());
        }

        private void send(WebSocketFrame frame, int size) {
            if (closeSent.get()) {
                frame.release();
                return;
            }
            pending.addAndGet(size);
            channel.writeAndFlush(frame).addListener(f -> pending.addAndGet(-size));
        }

        @Override
        public boolean writable() {
            return channel.isWritable() || !channel.isActive();
        }

        @Override
        public void whenWritable(Runnable action) {
            synchronized (this) {
                if (!writable()) {
                    waitingToWrite.add(action);
                    return;
                }
            }
            action.run();
        }

        /** On the I/O thread: the connection became writable, or closed. */
        void writabilityChanged() {
            List<Runnable> go;
            synchronized (this) {
                if (!writable() || waitingToWrite.isEmpty()) {
                    return;
                }
                go = new ArrayList<>(waitingToWrite);
                waitingToWrite.clear();
            }
            for (Runnable r : go) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.warn("WebSocket writer of {} failed", channel.remoteAddress(), e);
                }
            }
        }

        @Override
        public long pending() {
            return pending.get();
        }

        @Override
        public void pauseReading() {
            channel.config().setAutoRead(false);
        }

        @Override
        public void resumeReading() {
            channel.config().setAutoRead(true);
        }

        @Override
        public void close(int code, String reason) {
            if (!closeSent.compareAndSet(false, true)) {
                return;
            }
            channel.config().setAutoRead(true); // to read the client's answer
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
            try {
                channel.eventLoop().schedule(() -> {
                    channel.close();
                }, CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                channel.close();
            }
        }
    }

    /** Whole messages to the listener, pings answered, the close handshake done. */
    private static final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final Session session;
        private final WebSocketListener listener;
        private int closeCode = 1006; // RFC 6455: closed without a close frame
        private String closeReason = "";

        Frames(Session session, WebSocketListener listener) {
            this.session = session;
            this.listener = listener;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame t) {
                listener.onText(session, t.text());
            } else if (frame instanceof BinaryWebSocketFrame b) {
                listener.onBinary(session, ByteBufUtil.getBytes(b.content()));
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame c) {
                closeCode = c.statusCode() < 0 ? 1005 : c.statusCode();
                closeReason = c.reasonText();
                if (session.closeSent.compareAndSet(false, true)) {
                    session.handshaker.close(ctx.channel(), c.retain()); // answer the client's close, then go
                } else {
                    ctx.close(); // the client answered ours
                }
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            session.writabilityChanged();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            session.writabilityChanged();
            listener.onClose(closeCode, closeReason);
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warn("WebSocket connection from {} failed", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }
}

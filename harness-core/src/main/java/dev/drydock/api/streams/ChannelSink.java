package dev.drydock.api.streams;

import dev.drydock.api.http.WebSocketSession;
import dev.drydock.runtime.ByteSink;

/**
 * One outgoing channel of a WebSocket stream, as the node's side writes it: ready while the connection's write
 * buffer has room. A writer that ignores that and gets more than {@link #HARD_LIMIT} ahead of its client has the
 * stream ended, as kube-apiserver ends a watcher too slow to keep up: no stream holds more.
 */
final class ChannelSink implements ByteSink {

    /** What a stream may hold for a client that does not read, at most. */
    static final long HARD_LIMIT = 16L * 1024 * 1024;

    private final WebSocketSession session;
    private final ChannelCodec codec;
    private final int channel;
    private final Runnable tooSlow;
    private volatile boolean closed;

    ChannelSink(WebSocketSession session, ChannelCodec codec, int channel, Runnable tooSlow) {
        this.session = session;
        this.codec = codec;
        this.channel = channel;
        this.tooSlow = tooSlow;
    }

    @Override
    public boolean write(byte[] data) {
        if (closed || data.length == 0) {
            return session.writable();
        }
        if (session.pending() > HARD_LIMIT) {
            closed = true;
            tooSlow.run();
            return false;
        }
        codec.send(session, channel, data);
        return session.writable();
    }

    @Override
    public void whenReady(Runnable action) {
        session.whenWritable(action);
    }

    @Override
    public void close() {
        closed = true;
    }
}

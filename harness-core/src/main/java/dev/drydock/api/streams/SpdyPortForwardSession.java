package dev.drydock.api.streams;

import dev.drydock.api.http.WebSocketListener;
import dev.drydock.api.http.WebSocketSession;
import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.NodeStreamException;
import dev.drydock.runtime.NodeStreams;
import dev.drydock.runtime.StreamHandle;
import dev.drydock.runtime.StreamListener;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kubectl's {@code port-forward}: SPDY/3.1 tunnelled through WebSocket ({@code SPDY/3.1+portforward.k8s.io}, kubectl
 * 1.31+'s default; each binary message carries the next bytes of the SPDY connection), served as kube's kubelet
 * serves {@code portforward.k8s.io}: each forwarded connection is a pair of streams, {@code error} and {@code data},
 * with the same {@code requestID} header and the {@code port}; once both arrived, the data stream's bytes go to one
 * connection to the pod's port and back; an error forwarding is written on the error stream.
 */
final class SpdyPortForwardSession implements WebSocketListener, SpdyCodec.Handler, StreamRegistry.Open {

    /** How many connections waiting for their second stream a client may have: past that it is a broken client. */
    static final int MAX_PENDING_PAIRS = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(SpdyPortForwardSession.class);

    /** One forwarded connection: its two streams and, once both are there, its connection to the pod. */
    private static final class Pair {
        final String requestId;
        final int port;
        int errorStream;
        int dataStream;
        volatile StreamHandle handle;
        boolean errorClosed;
        boolean dataClosed;

        Pair(String requestId, int port) {
            this.requestId = requestId;
            this.port = port;
        }
    }

    private final PodStreams streams;
    private final PodStreams.Target target;
    private final SpdyCodec codec = new SpdyCodec();
    private final Map<String, Pair> byRequest = new HashMap<>(); // guarded by this
    private final Map<Integer, Pair> byStream = new HashMap<>(); // guarded by this
    private final AtomicBoolean over = new AtomicBoolean();
    private WebSocketSession session;
    private int lastStream;

    SpdyPortForwardSession(PodStreams streams, PodStreams.Target target) {
        this.streams = streams;
        this.target = target;
    }

    @Override
    public void onOpen(WebSocketSession session) {
        this.session = session;
        streams.open().add(this, target);
    }

    @Override
    public void onBinary(WebSocketSession session, byte[] data) {
        if (over.get()) {
            return;
        }
        try {
            codec.read(data, this);
        } catch (SpdyCodec.ProtocolError e) {
            LOG.warn("port-forward to {}/{} from {}: {}", target.namespace(), target.name(),
                    session.remoteAddress(), e.getMessage());
            stop(1002, "SPDY protocol error");
        }
    }

    private void send(byte[] frame) {
        if (!over.get()) {
            session.sendBinary(frame);
        }
    }

    // ---- SPDY frames

    @Override
    public void synStream(int streamId, Map<String, String> headers, boolean fin) {
        lastStream = Math.max(lastStream, streamId);
        String type = headers.getOrDefault("streamtype", "");
        String portText = headers.getOrDefault("port", "");
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535 || !type.equals("error") && !type.equals("data")) {
            LOG.debug("port-forward stream {} refused: port {}, type {}", streamId, portText, type);
            send(SpdyCodec.rstStream(streamId, SpdyCodec.CANCEL));
            return;
        }
        String requestId = headers.get("requestid");
        if (requestId == null || requestId.isEmpty()) {
            // an old client without request ids: kube pairs consecutive streams by their ids
            requestId = Integer.toString(type.equals("error") ? streamId : streamId - 2);
        }
        send(codec.synReply(streamId));
        Pair pair;
        String duplicate = null;
        synchronized (this) {
            pair = byRequest.get(requestId);
            if (pair == null) {
                if (byRequest.size() >= MAX_PENDING_PAIRS) {
                    stop(1008, "too many port-forward streams");
                    return;
                }
                pair = new Pair(requestId, port);
                byRequest.put(requestId, pair);
            }
            if (type.equals("error")) {
                if (pair.errorStream != 0) {
                    duplicate = "error stream already assigned";
                } else {
                    pair.errorStream = streamId;
                }
            } else if (pair.dataStream != 0) {
                duplicate = "data stream already assigned";
            } else {
                pair.dataStream = streamId;
            }
            byStream.put(streamId, pair);
            if (duplicate == null && (pair.errorStream == 0 || pair.dataStream == 0)) {
                return;
            }
        }
        if (duplicate != null) {
            if (pair.errorStream != 0) {
                send(SpdyCodec.data(pair.errorStream, ("error processing stream for request " + requestId + ": "
                        + duplicate).getBytes(StandardCharsets.UTF_8), false));
            }
            return;
        }
        forward(pair);
    }

    /** Both streams are there: connect to the pod's port. */
    private void forward(Pair pair) {
        NodeStreams node;
        try {
            node = streams.kubelet(target);
        } catch (PodStreams.NodeUnreachable e) {
            pairFailed(pair, "error dialing backend: " + e.getMessage());
            return;
        }
        ByteSink toClient = new ByteSink() {
            @Override
            public boolean write(byte[] data) {
                if (session.pending() > ChannelSink.HARD_LIMIT) {
                    tooSlow();
                    return false;
                }
                for (int from = 0; from < data.length; from += 65536) {
                    send(SpdyCodec.data(pair.dataStream, java.util.Arrays.copyOfRange(data, from,
                            Math.min(data.length, from + 65536)), false));
                }
                return session.writable();
            }

            @Override
            public void whenReady(Runnable action) {
                session.whenWritable(action);
            }

            @Override
            public void close() {
                finishStream(pair, false);
            }
        };
        StreamListener listener = new StreamListener() {
            @Override
            public void ended(int exitCode) {
                finishStream(pair, false);
                finishStream(pair, true);
                forget(pair);
            }

            @Override
            public void failed(String message) {
                pairFailed(pair, message);
            }
        };
        try {
            pair.handle = node.portForward(target.namespace(), target.name(), pair.port, toClient, listener);
            if (over.get()) {
                pair.handle.cancel();
            }
        } catch (NodeStreamException e) {
            pairFailed(pair, e.getMessage());
        }
    }

    private void pairFailed(Pair pair, String message) {
        send(SpdyCodec.data(pair.errorStream, message.getBytes(StandardCharsets.UTF_8), false));
        finishStream(pair, true);
        finishStream(pair, false);
        forget(pair);
    }

    /** Ends the server's side of one of the pair's streams (DATA with FIN), once. */
    private void finishStream(Pair pair, boolean error) {
        synchronized (this) {
            if (error ? pair.errorClosed : pair.dataClosed) {
                return;
            }
            if (error) {
                pair.errorClosed = true;
            } else {
                pair.dataClosed = true;
            }
        }
        send(SpdyCodec.data(error ? pair.errorStream : pair.dataStream, new byte[0], true));
    }

    private synchronized void forget(Pair pair) {
        byRequest.remove(pair.requestId);
        byStream.remove(pair.errorStream);
        byStream.remove(pair.dataStream);
    }

    @Override
    public void data(int streamId, byte[] data, boolean fin) {
        Pair pair;
        synchronized (this) {
            pair = byStream.get(streamId);
        }
        if (pair == null || streamId != pair.dataStream) {
            return; // the client writes nothing on the error stream; it only closes its side
        }
        StreamHandle h = pair.handle;
        if (h == null || h.input() == null) {
            return;
        }
        if (data.length > 0 && !h.input().write(data)) {
            session.pauseReading();
            h.input().whenReady(session::resumeReading);
        }
        if (fin) {
            h.input().close();
        }
    }

    @Override
    public void rstStream(int streamId, int status) {
        Pair pair;
        synchronized (this) {
            pair = byStream.get(streamId);
        }
        if (pair != null) {
            StreamHandle h = pair.handle;
            if (h != null) {
                h.cancel();
            }
            forget(pair);
        }
    }

    @Override
    public void ping(int id) {
        send(SpdyCodec.ping(id));
    }

    @Override
    public void goAway(int lastGoodStreamId) {
        stop(1000, "");
    }

    // ---- the connection's end

    @Override
    public void onClose(int code, String reason) {
        over.set(true);
        cancelAll();
        codec.close();
        streams.open().remove(this);
    }

    @Override
    public void end() {
        stop(1001, "the server is shutting down");
        streams.open().remove(this);
    }

    private void tooSlow() {
        LOG.warn("port-forward to {}/{} from {}: the client is more than {} bytes behind; ending its stream",
                target.namespace(), target.name(), session.remoteAddress(), ChannelSink.HARD_LIMIT);
        stop(1011, "the client is too slow");
    }

    private void stop(int code, String reason) {
        if (!over.get()) {
            session.sendBinary(SpdyCodec.goAway(lastStream));
        }
        if (over.compareAndSet(false, true)) {
            cancelAll();
            session.close(code, reason);
        }
    }

    private void cancelAll() {
        List<Pair> all;
        synchronized (this) {
            all = List.copyOf(byRequest.values());
            byRequest.clear();
            byStream.clear();
        }
        for (Pair p : all) {
            StreamHandle h = p.handle;
            if (h != null) {
                h.cancel();
            }
        }
    }
}

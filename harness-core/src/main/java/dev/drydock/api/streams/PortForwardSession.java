package dev.drydock.api.streams;

import dev.drydock.api.http.WebSocketListener;
import dev.drydock.api.http.WebSocketSession;
import dev.drydock.runtime.NodeStreamException;
import dev.drydock.runtime.NodeStreams;
import dev.drydock.runtime.StreamHandle;
import dev.drydock.runtime.StreamListener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code portforward} over WebSocket with kube's channel protocol ({@code v4.channel.k8s.io}, as fabric8 and the
 * official Java client speak it): per port in {@code ?ports=}, a data channel {@code 2i} and an error channel
 * {@code 2i+1}, each opened by a message holding the port (2 bytes, little endian); one connection to the pod's port
 * per channel pair. An error forwarding goes on the error channel as the kubelet words it. The connection closes once
 * every port's connection has ended.
 */
final class PortForwardSession implements WebSocketListener, StreamRegistry.Open {

    private static final Logger LOG = LoggerFactory.getLogger(PortForwardSession.class);

    private final PodStreams streams;
    private final PodStreams.Target target;
    private final List<Integer> ports;
    private final StreamHandle[] handles;
    private final AtomicInteger live;
    private final AtomicBoolean over = new AtomicBoolean();
    private WebSocketSession session;
    private ChannelCodec codec;

    PortForwardSession(PodStreams streams, PodStreams.Target target, List<Integer> ports) {
        this.streams = streams;
        this.target = target;
        this.ports = List.copyOf(ports);
        this.handles = new StreamHandle[ports.size()];
        this.live = new AtomicInteger(ports.size());
    }

    @Override
    public void onOpen(WebSocketSession session) {
        this.session = session;
        this.codec = new ChannelCodec(session.subprotocol());
        streams.open().add(this, target);
        for (int i = 0; i < ports.size(); i++) {
            int p = ports.get(i);
            byte[] port = {(byte) p, (byte) (p >> 8)};
            codec.send(session, 2 * i, port);
            codec.send(session, 2 * i + 1, port);
        }
        NodeStreams node;
        try {
            node = streams.kubelet(target);
        } catch (PodStreams.NodeUnreachable e) {
            for (int i = 0; i < ports.size(); i++) {
                pairDone(i, "error dialing backend: " + e.getMessage());
            }
            return;
        }
        for (int i = 0; i < ports.size(); i++) {
            int pair = i;
            StreamListener listener = new StreamListener() {
                @Override
                public void ended(int exitCode) {
                    pairDone(pair, null);
                }

                @Override
                public void failed(String message) {
                    pairDone(pair, message);
                }
            };
            try {
                StreamHandle h = node.portForward(target.namespace(), target.name(), ports.get(i),
                        new ChannelSink(session, codec, 2 * i, this::tooSlow), listener);
                synchronized (this) {
                    handles[i] = h;
                }
                if (over.get()) {
                    h.cancel();
                }
            } catch (NodeStreamException e) {
                pairDone(i, e.getMessage());
            }
        }
    }

    /** One port's connection ended: its error (if any) goes on its error channel; the last one closes the stream. */
    private void pairDone(int pair, String error) {
        if (over.get()) {
            return;
        }
        if (error != null) {
            codec.send(session, 2 * pair + 1, error.getBytes(StandardCharsets.UTF_8));
        }
        if (live.decrementAndGet() == 0 && over.compareAndSet(false, true)) {
            session.close(1000, "");
        }
    }

    @Override
    public void onBinary(WebSocketSession session, byte[] data) {
        message(codec.decode(data));
    }

    @Override
    public void onText(WebSocketSession session, String text) {
        message(codec.decode(text));
    }

    private void message(ChannelCodec.Message m) {
        if (m == null || over.get() || m.channel() % 2 != 0 || m.channel() / 2 >= handles.length
                || m.data().length == 0) {
            return; // the client writes only to data channels; kube drops the rest
        }
        StreamHandle h;
        synchronized (this) {
            h = handles[m.channel() / 2];
        }
        if (h == null || h.input() == null) {
            return;
        }
        if (!h.input().write(m.data())) {
            session.pauseReading();
            h.input().whenReady(session::resumeReading);
        }
    }

    @Override
    public void onClose(int code, String reason) {
        over.set(true);
        cancelAll();
        streams.open().remove(this);
    }

    @Override
    public void end() {
        if (over.compareAndSet(false, true)) {
            cancelAll();
            session.close(1001, "the server is shutting down");
        }
        streams.open().remove(this);
    }

    private void tooSlow() {
        LOG.warn("port-forward to {}/{} from {}: the client is more than {} bytes behind; ending its stream",
                target.namespace(), target.name(), session.remoteAddress(), ChannelSink.HARD_LIMIT);
        if (over.compareAndSet(false, true)) {
            cancelAll();
            session.close(1011, "the client is too slow");
        }
    }

    private void cancelAll() {
        StreamHandle[] all;
        synchronized (this) {
            all = handles.clone();
        }
        for (StreamHandle h : all) {
            if (h != null) {
                h.cancel();
            }
        }
    }
}

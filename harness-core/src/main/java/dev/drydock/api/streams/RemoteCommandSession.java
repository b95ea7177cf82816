package dev.drydock.api.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.http.WebSocketListener;
import dev.drydock.api.http.WebSocketSession;
import dev.drydock.kube.Json;
import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.NodeStreamException;
import dev.drydock.runtime.NodeStreams;
import dev.drydock.runtime.ProcessIo;
import dev.drydock.runtime.StreamHandle;
import dev.drydock.runtime.StreamListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code exec} or {@code attach} over WebSocket, as kube serves it: stdin on channel 0, stdout 1, stderr 2, the
 * error channel 3, resize 4, and with {@code v5.channel.k8s.io} the client's close signal (255) for its stdin. The
 * process's end goes on the error channel as kube writes it: a {@code Status} (v4 and v5; with the exit code as a
 * {@code NonZeroExitCode} cause), or the error's text (older protocols); then the connection closes. Under v5, as
 * kube-apiserver's stream translator answers; under older protocols, as the kubelet's streaming server does.
 */
final class RemoteCommandSession implements WebSocketListener, StreamRegistry.Open {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteCommandSession.class);

    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int ERROR = 3;
    static final int RESIZE = 4;

    private final PodStreams streams;
    private final PodStreams.Target target;
    private final boolean exec;
    private final List<String> command;
    private final boolean stdin;
    private final boolean stdout;
    private final boolean stderr;
    private final boolean tty;
    private final AtomicBoolean over = new AtomicBoolean();
    private final ArrayDeque<ChannelCodec.Message> early = new ArrayDeque<>();
    private WebSocketSession session;
    private ChannelCodec codec;
    private String protocol;
    private volatile StreamHandle handle;

    /** @param command the command to run; null for an attach */
    RemoteCommandSession(PodStreams streams, PodStreams.Target target, List<String> command, boolean stdin,
                         boolean stdout, boolean stderr, boolean tty) {
        this.streams = streams;
        this.target = target;
        this.exec = command != null;
        this.command = command;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr && !tty; // kube: a terminal has no separate stderr
        this.tty = tty;
    }

    @Override
    public void onOpen(WebSocketSession session) {
        this.session = session;
        this.protocol = session.subprotocol() == null ? "" : session.subprotocol();
        this.codec = new ChannelCodec(protocol);
        streams.open().add(this, target);
        // kube tells the client the connection is up with an empty message on the lowest channel it writes to
        codec.send(session, stdout ? STDOUT : stderr ? STDERR : ERROR, new byte[0]);
        NodeStreams node;
        try {
            node = streams.kubelet(target);
        } catch (PodStreams.NodeUnreachable e) {
            finish(internalError("error dialing backend: " + e.getMessage()));
            return;
        }
        StreamListener listener = new StreamListener() {
            @Override
            public void ended(int exitCode) {
                finish(exec ? exited(exitCode) : success());
            }

            @Override
            public void failed(String message) {
                finish(internalError(translated((exec ? "error executing command in container: "
                        : "error attaching to container: ") + message)));
            }
        };
        ProcessIo io = new ProcessIo(stdin, sink(STDOUT, stdout), sink(STDERR, stderr), tty, listener);
        StreamHandle h;
        try {
            h = exec ? node.exec(target.namespace(), target.name(), target.container(), command, io)
                    : node.attach(target.namespace(), target.name(), target.container(), io);
        } catch (NodeStreamException e) {
            finish(internalError(protocol.equals(ChannelCodec.V5) ? "unable to upgrade connection: "
                    + e.getMessage() : e.getMessage()));
            return;
        }
        synchronized (this) {
            handle = h;
            while (!early.isEmpty()) {
                deliver(early.poll());
            }
        }
        if (over.get()) {
            h.cancel();
        }
    }

    private ByteSink sink(int channel, boolean wanted) {
        return wanted ? new ChannelSink(session, codec, channel, () -> tooSlow()) : ByteSink.DISCARD;
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
        if (m == null || over.get()) {
            return;
        }
        synchronized (this) {
            if (handle == null) {
                early.add(m);
                return;
            }
        }
        deliver(m);
    }

    private void deliver(ChannelCodec.Message m) {
        StreamHandle h = handle;
        if (protocol.equals(ChannelCodec.V5) && m.channel() == ChannelCodec.CLOSE_SIGNAL) {
            if (m.data().length == 1 && m.data()[0] == STDIN && stdin && h.input() != null) {
                h.input().close();
            }
            return;
        }
        if (m.channel() == STDIN && stdin && h.input() != null && m.data().length > 0) {
            if (!h.input().write(m.data())) {
                session.pauseReading();
                h.input().whenReady(session::resumeReading);
            }
        } else if (m.channel() == RESIZE) {
            resize(h, m.data());
        }
    }

    /** kube reads a stream of {@code TerminalSize} JSON objects: {@code {"Width":80,"Height":24}}. */
    private static void resize(StreamHandle h, byte[] data) {
        try {
            var parser = Json.MAPPER.getFactory().createParser(data);
            var values = Json.MAPPER.readValues(parser, JsonNode.class);
            while (values.hasNext()) {
                JsonNode size = values.next();
                h.resize(size.path("Width").asInt(), size.path("Height").asInt());
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debug("a resize message that is not TerminalSize JSON: {}", e.toString());
        }
    }

    @Override
    public void onClose(int code, String reason) {
        if (over.compareAndSet(false, true)) {
            StreamHandle h = handle;
            if (h != null) {
                h.cancel();
            }
        }
        streams.open().remove(this);
    }

    /** The server is closing: the stream ends at once. */
    @Override
    public void end() {
        if (over.compareAndSet(false, true)) {
            StreamHandle h = handle;
            if (h != null) {
                h.cancel();
            }
            session.close(1001, "the server is shutting down");
        }
        streams.open().remove(this);
    }

    private void tooSlow() {
        LOG.warn("{} of {}/{} from {}: the client is more than {} bytes behind; ending its stream",
                exec ? "exec" : "attach", target.namespace(), target.name(), session.remoteAddress(),
                ChannelSink.HARD_LIMIT);
        if (over.compareAndSet(false, true)) {
            StreamHandle h = handle;
            if (h != null) {
                h.cancel();
            }
            session.close(1011, "the client is too slow");
        }
    }

    /** Writes the end on the error channel as the protocol has it, then closes the connection. */
    private void finish(ObjectNode status) {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        boolean json = protocol.equals(ChannelCodec.V5) || protocol.startsWith("v4.");
        boolean success = "Success".equals(status.path("status").asText());
        if (json) {
            codec.send(session, ERROR, Json.bytes(status));
        } else if (!success) {
            codec.send(session, ERROR, status.path("message").asText().getBytes(StandardCharsets.UTF_8));
        }
        session.close(1000, "");
    }

    // ---- kube's Status objects, as json.Marshal writes a metav1.Status: no kind, empty metadata

    private static ObjectNode success() {
        ObjectNode s = Json.object();
        s.putObject("metadata");
        s.put("status", "Success");
        return s;
    }

    private ObjectNode exited(int code) {
        if (code == 0) {
            return success();
        }
        ObjectNode s = Json.object();
        s.putObject("metadata");
        s.put("status", "Failure");
        s.put("message", "command terminated with non-zero exit code: " + (protocol.equals(ChannelCodec.V5)
                ? "command terminated with exit code " + code
                : "error executing command [" + String.join(" ", command) + "], exit code " + code));
        s.put("reason", "NonZeroExitCode");
        s.putObject("details").putArray("causes").addObject().put("reason", "ExitCode")
                .put("message", Integer.toString(code));
        return s;
    }

    /** kube's {@code NewInternalError}. */
    private static ObjectNode internalError(String error) {
        ObjectNode s = Json.object();
        s.putObject("metadata");
        s.put("status", "Failure");
        s.put("message", "Internal error occurred: " + error);
        s.put("reason", "InternalError");
        s.putObject("details").putArray("causes").addObject().put("message", error);
        s.put("code", 500);
        return s;
    }

    /**
     * Under v5, kube-apiserver's translator gets the kubelet's error as its own client does, and wraps it once more:
     * {@code Internal error occurred: Internal error occurred: ...}.
     */
    private String translated(String kubeletError) {
        return protocol.equals(ChannelCodec.V5) ? "Internal error occurred: " + kubeletError : kubeletError;
    }
}

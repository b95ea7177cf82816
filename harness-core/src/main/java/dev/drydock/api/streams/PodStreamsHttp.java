package dev.drydock.api.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.Errors;
import dev.drydock.api.FieldError;
import dev.drydock.api.http.HttpCall;
import dev.drydock.api.http.ResponseStream;
import dev.drydock.api.http.WebSocketListener;
import dev.drydock.api.http.WebSocketSession;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.LogOptions;
import dev.drydock.runtime.NodeStreamException;
import dev.drydock.runtime.NodeStreams;
import dev.drydock.runtime.StreamHandle;
import dev.drydock.runtime.StreamListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves a pod's stream subresources over HTTP, for one party of the cluster's network: {@code log} as plain HTTP
 * (or WebSocket, {@code binary.k8s.io}), and {@code exec}, {@code attach} and {@code portforward} over WebSocket with
 * the subprotocols kube negotiates. Bad requests get kube's answers: its validation of the options, its 400s for the
 * container, its 403 for a subprotocol it does not speak.
 */
public final class PodStreamsHttp {

    /** The subresources served here. */
    public static final Set<String> SUBRESOURCES = Set.of("log", "exec", "attach", "portforward");

    /** What kube's kubelet speaks for exec and attach over WebSocket (v5 is kube-apiserver's own). */
    private static final List<String> REMOTE_COMMAND = List.of(ChannelCodec.V1, ChannelCodec.V1_BASE64,
            ChannelCodec.V4, ChannelCodec.V4_BASE64);
    private static final List<String> PORT_FORWARD = List.of(ChannelCodec.V4, ChannelCodec.V4_BASE64);
    private static final String SPDY_TUNNEL = "SPDY/3.1+portforward.k8s.io";
    private static final List<String> LOG = List.of("binary.k8s.io", "base64.binary.k8s.io");

    private final PodStreams streams;
    private final String party;

    /** @param party the network party of the clients served (HTTP clients: the test) */
    public PodStreamsHttp(PodStreams streams, String party) {
        this.streams = streams;
        this.party = party;
    }

    /** The streams open now. */
    public int openStreams() {
        return streams.openStreams();
    }

    /** Serves {@code pods/<name>/<subresource>}; errors go up as {@link ApiException}s for the caller to answer. */
    public void serve(HttpCall call, String namespace, String name, String subresource) {
        String method = call.method();
        boolean get = method.equals("GET");
        if (subresource.equals("log") ? !get : !get && !method.equals("POST")) {
            throw ApiException.of(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                    + "resource");
        }
        Query query = new Query(call.rawQuery());
        switch (subresource) {
            case "log" -> log(call, namespace, name, query);
            case "exec", "attach" -> remoteCommand(call, namespace, name, query, subresource.equals("exec"));
            case "portforward" -> portForward(call, namespace, name, query);
            default -> throw new IllegalArgumentException(subresource);
        }
    }

    // ---- log

    private void log(HttpCall call, String namespace, String name, Query query) {
        String container = query.first("container");
        boolean follow = query.bool("follow");
        boolean previous = query.bool("previous");
        boolean timestamps = query.bool("timestamps");
        Long sinceSeconds = query.int64("sinceSeconds");
        Instant sinceTime = query.time("sinceTime");
        Long tailLines = query.int64("tailLines");
        Long limitBytes = query.int64("limitBytes");
        validate(name, sinceSeconds, sinceTime, tailLines, limitBytes);
        PodStreams.Target target = streams.log(party, namespace, name, container);
        boolean webSocket = call.isWebSocketUpgrade();
        String protocol = webSocket ? choose(call, LOG, false) : null;
        if (target.node() == null) {
            call.respond(200, "text/plain", new byte[0]); // kube: a pod on no node has no log yet
            return;
        }
        NodeStreams node;
        try {
            node = streams.kubelet(target);
        } catch (PodStreams.NodeUnreachable e) {
            throw new ApiException(unknownError(500, "Get \"https://" + streams.nodeAddress(target.node())
                    + "/containerLogs/" + namespace + "/" + name + "/" + target.container() + "\": "
                    + e.getMessage()));
        }
        Instant since = sinceTime != null ? sinceTime
                : sinceSeconds != null ? streams.now().minusSeconds(sinceSeconds) : null;
        LogOptions options = new LogOptions(follow, previous, since, tailLines == null ? -1 : tailLines, timestamps,
                limitBytes == null ? -1 : limitBytes);
        if (webSocket) {
            logOverWebSocket(call, node, target, options, protocol);
            return;
        }
        ResponseStream out = call.stream("text/plain");
        Open open = new Open(target);
        ByteSink sink = new ByteSink() {
            @Override
            public boolean write(byte[] data) {
                out.send(data);
                return out.ready();
            }

            @Override
            public void whenReady(Runnable action) {
                out.whenReady(action);
            }

            @Override
            public void close() {
            }
        };
        StreamListener listener = new StreamListener() {
            @Override
            public void ended(int exitCode) {
                open.done();
                out.end();
            }

            @Override
            public void failed(String message) {
                open.done();
                out.end();
            }
        };
        StreamHandle handle;
        try {
            handle = node.logs(namespace, name, target.container(), options, sink, listener);
        } catch (NodeStreamException e) {
            throw kubeletError(e, "pods/log", name);
        }
        open.start(handle, out::end);
        out.onAbort(open::end);
        out.open();
    }

    /** kube's {@code ValidatePodLogOptions}: 422 Invalid, kind PodLogOptions. */
    private static void validate(String name, Long sinceSeconds, Instant sinceTime, Long tailLines,
                                 Long limitBytes) {
        List<FieldError> errors = new ArrayList<>();
        if (tailLines != null && tailLines < 0) {
            errors.add(FieldError.invalid("tailLines", tailLines, "must be greater than or equal to 0"));
        }
        if (limitBytes != null && limitBytes < 1) {
            errors.add(FieldError.invalid("limitBytes", limitBytes, "must be greater than 0"));
        }
        if (sinceSeconds != null && sinceTime != null) {
            errors.add(FieldError.forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"));
        } else if (sinceSeconds != null && sinceSeconds < 1) {
            errors.add(FieldError.invalid("sinceSeconds", sinceSeconds, "must be greater than 0"));
        }
        if (!errors.isEmpty()) {
            throw Errors.invalid("", "PodLogOptions", name, errors);
        }
    }

    /** kube's {@code wsstream.Reader}: the log as messages, after an empty one, then a close. */
    private void logOverWebSocket(HttpCall call, NodeStreams node, PodStreams.Target target, LogOptions options,
                                  String protocol) {
        boolean base64 = protocol.startsWith("base64.");
        call.upgradeToWebSocket(protocol.isEmpty() ? List.of() : List.of(protocol), new WebSocketListener() {
            private final Open open = new Open(target);

            @Override
            public void onOpen(WebSocketSession session) {
                send(session, new byte[0]);
                ByteSink sink = new ByteSink() {
                    @Override
                    public boolean write(byte[] data) {
                        if (session.pending() > ChannelSink.HARD_LIMIT) {
                            open.end();
                            session.close(1011, "the client is too slow");
                            return false;
                        }
                        send(session, data);
                        return session.writable();
                    }

                    @Override
                    public void whenReady(Runnable action) {
                        session.whenWritable(action);
                    }

                    @Override
                    public void close() {
                    }
                };
                StreamListener listener = new StreamListener() {
                    @Override
                    public void ended(int exitCode) {
                        open.done();
                        session.close(1000, "");
                    }

                    @Override
                    public void failed(String message) {
                        open.done();
                        session.close(1000, "");
                    }
                };
                try {
                    StreamHandle h = node.logs(target.namespace(), target.name(), target.container(), options, sink,
                            listener);
                    open.start(h, () -> session.close(1001, "the server is shutting down"));
                } catch (NodeStreamException e) {
                    send(session, e.getMessage().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    session.close(1000, "");
                }
            }

            private void send(WebSocketSession session, byte[] data) {
                if (base64) {
                    session.sendText(Base64.getEncoder().encodeToString(data));
                } else {
                    session.sendBinary(data);
                }
            }

            @Override
            public void onClose(int code, String reason) {
                open.end();
            }
        });
    }

    // ---- exec and attach

    private void remoteCommand(HttpCall call, String namespace, String name, Query query, boolean exec) {
        boolean stdin = query.bool("stdin");
        boolean stdout = query.bool("stdout");
        boolean stderr = query.bool("stderr");
        boolean tty = query.bool("tty");
        List<String> command = exec ? query.all("command") : null;
        PodStreams.Target target = streams.process(party, namespace, name, query.first("container"));
        requireUpgrade(call, exec ? "exec" : "attach");
        if (!stdin && !stdout && !stderr) {
            throw ApiException.of(400, "BadRequest", "you must specify at least 1 of stdin, stdout, stderr");
        }
        List<String> offered = offered(call);
        String protocol = offered.contains(ChannelCodec.V5) ? ChannelCodec.V5 : choose(call, REMOTE_COMMAND, true);
        if (protocol == null) {
            return;
        }
        call.upgradeToWebSocket(protocol.isEmpty() ? List.of() : List.of(protocol),
                new RemoteCommandSession(streams, target, command, stdin, stdout, stderr, tty));
    }

    // ---- port-forward

    private void portForward(HttpCall call, String namespace, String name, Query query) {
        PodStreams.Target target = streams.portForward(party, namespace, name);
        requireUpgrade(call, "portforward");
        List<String> offered = offered(call);
        if (offered.stream().anyMatch(p -> p.startsWith("SPDY/3.1+") && p.endsWith(".k8s.io"))) {
            if (!offered.contains(SPDY_TUNNEL)) {
                call.respond(403, null, new byte[0]);
                return;
            }
            call.upgradeToWebSocket(List.of(SPDY_TUNNEL), new SpdyPortForwardSession(streams, target));
            return;
        }
        List<Integer> ports = query.ports("ports");
        if (ports.isEmpty()) {
            throw ApiException.of(400, "BadRequest", "query parameter \"port\" is required");
        }
        for (int p : ports) {
            if (p < 1) {
                throw ApiException.of(400, "BadRequest", "port \"" + p + "\" must be > 0");
            }
        }
        String protocol = choose(call, PORT_FORWARD, true);
        if (protocol == null) {
            return;
        }
        call.upgradeToWebSocket(protocol.isEmpty() ? List.of() : List.of(protocol),
                new PortForwardSession(streams, target, ports));
    }

    // ---- shared

    /**
     * kube's UpgradeAwareHandler with {@code UpgradeRequired}: a plain request is a 400. A SPDY upgrade gets one too,
     * saying what drydock speaks instead (kube speaks SPDY as well; clients fall back to it only when WebSocket fails).
     */
    private static void requireUpgrade(HttpCall call, String what) {
        String upgrade = call.header("Upgrade");
        if (upgrade != null && upgrade.toUpperCase(java.util.Locale.ROOT).startsWith("SPDY/")) {
            throw ApiException.of(400, "BadRequest", "drydock serves pods/" + what + " over WebSocket, not "
                    + upgrade + ": use a client that speaks kube's WebSocket protocols (kubectl 1.30+, fabric8, "
                    + "client-java)");
        }
        if (!call.isWebSocketUpgrade()) {
            throw ApiException.of(400, "BadRequest", "Upgrade request required");
        }
    }

    private static List<String> offered(HttpCall call) {
        String header = call.header("Sec-WebSocket-Protocol");
        List<String> offered = new ArrayList<>();
        if (header != null) {
            for (String p : header.split(",")) {
                if (!p.isBlank()) {
                    offered.add(p.trim());
                }
            }
        }
        return offered;
    }

    /**
     * wsstream's handshake: the first subprotocol the client offers that is served ("" when it offers none). If it
     * offers only others, kube's WebSocket server answers 403 Forbidden, empty: so does this (returning null).
     */
    private static String choose(HttpCall call, List<String> served, boolean answerRefusal) {
        List<String> offered = offered(call);
        if (offered.isEmpty()) {
            return "";
        }
        for (String p : offered) {
            if (served.contains(p)) {
                return p;
            }
        }
        if (answerRefusal) {
            call.respond(403, null, new byte[0]);
            return null;
        }
        throw new ApiException(unknownError(403, "requested protocol(s) are not supported: " + offered
                + "; supports " + served));
    }

    /** The Status of an error that is no Status of its own (kube's {@code ErrorToAPIStatus}): no reason. */
    private static ObjectNode unknownError(int code, String message) {
        return ApiException.status(code, null, message, null);
    }

    /** A kubelet's refusal as kube-apiserver's {@code GenericHttpResponseChecker} turns it into a Status. */
    private static ApiException kubeletError(NodeStreamException e, String resource, String name) {
        return switch (e.status()) {
            case 400 -> ApiException.of(400, "BadRequest", e.getMessage());
            case 404 -> {
                ObjectNode details = Json.object();
                details.put("name", name);
                details.put("kind", resource);
                yield new ApiException(ApiException.status(404, "NotFound",
                        "the server could not find the requested resource ( " + resource + " " + name + ")",
                        details));
            }
            default -> ApiException.of(500, "InternalError", "Internal error occurred: " + e.getMessage());
        };
    }

    /** A log stream's registration: open until it ends, whichever side ends it. */
    private final class Open implements StreamRegistry.Open {
        private final PodStreams.Target target;
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile StreamHandle handle;
        private volatile Runnable closeClient;

        Open(PodStreams.Target target) {
            this.target = target;
        }

        void start(StreamHandle h, Runnable closeClient) {
            this.handle = h;
            this.closeClient = closeClient;
            streams.open().add(this, target);
            if (over.get()) {
                streams.open().remove(this);
            }
        }

        /** The stream ended normally. */
        void done() {
            over.set(true);
            streams.open().remove(this);
        }

        /** The client went away, or the server closes: the reader is dropped. */
        @Override
        public void end() {
            if (over.compareAndSet(false, true)) {
                StreamHandle h = handle;
                if (h != null) {
                    h.cancel();
                }
                Runnable c = closeClient;
                if (c != null) {
                    c.run();
                }
            }
            streams.open().remove(this);
        }
    }
}

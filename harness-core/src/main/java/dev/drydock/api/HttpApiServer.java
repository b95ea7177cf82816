package dev.drydock.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.cache.CachedObjectNode;
import dev.drydock.api.http.HttpCall;
import dev.drydock.api.openapi.OpenApi;
import dev.drydock.api.http.HttpShell;
import dev.drydock.api.http.ResponseStream;
import dev.drydock.api.http.WebSocketListener;
import dev.drydock.api.http.WebSocketSession;
import dev.drydock.api.streams.PodStreams;
import dev.drydock.api.streams.PodStreamsHttp;
import dev.drydock.api.protobuf.ProtobufDecoder;
import dev.drydock.api.protobuf.UnsupportedProtobufException;
import dev.drydock.api.table.Tables;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Transport;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import dev.drydock.net.Network;
import dev.drydock.net.NetworkException;
import dev.drydock.api.auth.Identities;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the API server: kube's REST paths, JSON bodies and {@code Status} errors on loopback. Watches stream
 * one JSON event per line over a chunked response, without holding a thread. All the semantics live in
 * {@link ApiServer}; this class only translates, over the non-blocking {@link HttpShell}.
 */
public final class HttpApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);
    /**
     * How far (bytes) a watcher over HTTP may fall behind before its watch is ended, as kube-apiserver ends a watcher
     * whose buffer stays full: the client then watches again from its last resourceVersion, or lists.
     */
    static final long WATCH_BUFFER = 16L * 1024 * 1024;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private final ApiServer core;
    private final Transport transport;
    private final Discovery discovery;
    private final OpenApi openApi;
    private final HttpShell shell;
    private final PodStreamsHttp podStreams;
    private final long watchBuffer;
    private final Set<Object> watches = ConcurrentHashMap.newKeySet();
    private volatile Function<String, Transport> parties;

    /**
     * Starts serving on {@code address}, a loopback address (port 0: a free port).
     *
     * @param transport how requests reach {@code core}: through the cluster's network, as any client's do
     * @param cluster   the cluster's name, for thread names
     */
    public HttpApiServer(ApiServer core, Transport transport, InetSocketAddress address, String cluster)
            throws IOException {
        this(core, transport, new PodStreamsHttp(new PodStreams(core, new Network(), node -> null), Network.TEST),
                address, cluster, WATCH_BUFFER);
    }

    /**
     * Starts serving on {@code address}, pods' streams ({@code log}, {@code exec}, {@code attach},
     * {@code portforward}) included.
     *
     * @param podStreams how pods' streams reach their nodes, for the same party as {@code transport}
     */
    public HttpApiServer(ApiServer core, Transport transport, PodStreamsHttp podStreams, InetSocketAddress address,
                         String cluster) throws IOException {
        this(core, transport, podStreams, address, cluster, WATCH_BUFFER);
    }

    HttpApiServer(ApiServer core, Transport transport, InetSocketAddress address, String cluster, long watchBuffer)
            throws IOException {
        this(core, transport, new PodStreamsHttp(new PodStreams(core, new Network(), node -> null), Network.TEST),
                address, cluster, watchBuffer);
    }

    HttpApiServer(ApiServer core, Transport transport, PodStreamsHttp podStreams, InetSocketAddress address,
                  String cluster, long watchBuffer) throws IOException {
        this.core = core;
        this.transport = transport;
        this.podStreams = podStreams;
        this.watchBuffer = watchBuffer;
        this.discovery = new Discovery(core.registry());
        this.openApi = new OpenApi(OpenApiKinds.of(core.registry()));
        this.shell = HttpShell.start(address, cluster, new HttpShell.Handler() {
            @Override
            public void handle(HttpCall call) {
                HttpApiServer.this.handle(call);
            }

            @Override
            public byte[] errorBody(int code, String message) {
                return Json.bytes(ApiException.status(code, reason(code), message, null));
            }
        }, watchBuffer);
    }

    /** The address served, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        InetSocketAddress a = shell.address();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    public int port() {
        return shell.address().getPort();
    }

    /**
     * Attributes requests to their credentials' parties: a request whose {@code Authorization: Bearer} token is a
     * client identity's ({@link ApiServer#identities()}) goes through {@code transports.apply(party)}; any other
     * through the transport this server was made with (the test's). Until this is called, all requests go through that.
     */
    public void partyTransports(Function<String, Transport> transports) {
        this.parties = transports;
    }

    /** The transport of the party whose credentials {@code call} carries. */
    private Transport transportOf(HttpCall call) {
        Function<String, Transport> p = parties;
        if (p == null) {
            return transport;
        }
        Identities.Identity id = core.identities().ofAuthorization(call.header("Authorization"));
        return id == null ? transport : p.apply(id.party());
    }

    /** How many watches are open now, over HTTP or WebSocket. */
    int openWatches() {
        return watches.size();
    }

    /** How many of pods' streams (logs, exec, attach, port-forward) are open now. */
    int openPodStreams() {
        return podStreams.openStreams();
    }

    @Override
    public void close() {
        shell.close(); // closes every connection, and with it every watch and pod stream
    }

    private static String reason(int code) {
        return switch (code) {
            case 400 -> "BadRequest";
            case 413 -> "RequestEntityTooLarge";
            case 431 -> "RequestHeaderFieldsTooLarge";
            default -> "InternalError";
        };
    }

    private void handle(HttpCall call) {
        answering(call, () -> serve(call));
    }

    /** Runs a step of answering {@code call}, answering its errors. */
    private void answering(HttpCall call, Runnable step) {
        try {
            step.run();
        } catch (ApiException e) {
            send(call, e.code(), e.status());
        } catch (NetworkException e) {
            // The caller's link to the API server is cut: it gets what a client of a broken network gets, an I/O
            // error (a connection closed without an answer), never an HTTP status it could mistake for the server's.
            LOG.debug("{} {}: {}; dropping the connection", call.method(), call.rawPath(), e.getMessage());
            call.dropConnection();
        } catch (IllegalArgumentException e) {
            // e.g. a malformed %-escape in the path or query
            send(call, 400, ApiException.status(400, "BadRequest", "malformed request: " + e.getMessage(), null));
        } catch (RuntimeException e) {
            LOG.warn("internal error serving {} {}", call.method(), call.rawPath(), e);
            send(call, 500, ApiException.status(500, "InternalError", "Internal error occurred: " + e, null));
        }
    }

    private void serve(HttpCall call) {
        String method = call.method();
        Map<String, String> params = query(call.rawQuery());
        List<String> path = new ArrayList<>();
        for (String s : call.rawPath().split("/")) {
            if (!s.isEmpty()) {
                path.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
        }
        Transport transport = transportOf(call);
        if (transport instanceof ClientTransports.Link link) {
            link.checkReachable(); // discovery and the like, answered here, are out of reach of a cut client too
        }
        if (!METHODS.contains(method)) {
            throw ApiException.of(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                    + "resource");
        }
        if (method.equals("GET") && call.rawPath().startsWith("/openapi/")) {
            OpenApi.Reply reply = openApi.serve(call.rawPath(), call.rawQuery(), call.header("Accept"),
                    call.header("If-None-Match"));
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            String contentType = null;
            for (Map.Entry<String, String> h : reply.headers().entrySet()) {
                if (h.getKey().equalsIgnoreCase("Content-Type")) {
                    contentType = h.getValue();
                } else {
                    headers.add(h);
                }
            }
            call.respond(reply.status(), contentType, headers, reply.body());
            return;
        }
        if (method.equals("GET") && serveInfo(call, path)) {
            return;
        }
        if (path.size() == 7 && path.get(0).equals("api") && path.get(1).equals("v1")
                && path.get(2).equals("namespaces") && path.get(4).equals("pods")
                && PodStreamsHttp.SUBRESOURCES.contains(path.get(6))) {
            call.continueOnWorker(() -> answering(call,
                    () -> podStreams.serve(call, path.get(3), path.get(5), path.get(6))));
            return;
        }
        if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            // A body to decode: a worker's work too, not the I/O thread's, which every connection shares (with many
            // clients writing, decoding there made it the one busy thread).
            call.continueOnWorker(() -> answering(call, () -> answer(call, request(call, method, path, params),
                    transport)));
            return;
        }
        ApiRequest req = request(call, method, path, params);
        // Everything past here reads or writes the replicated store, which may wait (a commit, a lost quorum): on a
        // worker, never on the I/O thread that every connection shares.
        if (req.verb() == ApiRequest.Verb.WATCH) {
            boolean table = Tables.wantsTable(call.header("Accept"));
            if (call.isWebSocketUpgrade()) {
                call.continueOnWorker(() -> answering(call, () -> watchOverWebSocket(call, req, table, transport)));
            } else {
                call.continueOnWorker(() -> answering(call, () -> stream(call, req, table, transport)));
            }
            return;
        }
        call.continueOnWorker(() -> answering(call, () -> answer(call, req, transport)));
    }

    /** Answers a request through the API, as {@code transport}'s party, on a worker (it may wait for the store). */
    private void answer(HttpCall call, ApiRequest req, Transport transport) {
        ApiResponse response = transport.call(req);
        JsonNode body = response.body();
        if (response.code() == 200 && (req.verb() == ApiRequest.Verb.GET || req.verb() == ApiRequest.Verb.LIST)
                && Tables.wantsTable(call.header("Accept"))) {
            body = table(req, (ObjectNode) body);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String warning : response.warnings()) {
            headers.add(Map.entry("Warning", warningHeader(warning)));
        }
        if (response.code() >= 400) {
            retryAfter(body, headers); // an error Status, never a stored object read only to be sent
        }
        JsonNode answer = body;
        call.respond(response.code(), "application/json", headers, out -> Json.write(out, answer));
    }

    /** An error Status that names a retry delay also says it in a {@code Retry-After} header, as kube's does. */
    private static void retryAfter(JsonNode body, List<Map.Entry<String, String>> headers) {
        int seconds = body == null ? 0 : body.path("details").path("retryAfterSeconds").asInt(0);
        if (seconds > 0 && "Status".equals(body.path("kind").asText())) {
            headers.add(Map.entry("Retry-After", Integer.toString(seconds)));
        }
    }

    /** A {@code Warning} header as kube-apiserver writes it: code 299, no agent, the text as a quoted string. */
    static String warningHeader(String text) {
        return "299 - \"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The object or list as the meta.k8s.io/v1 Table kubectl asks for, with kube's printer columns. */
    private ObjectNode table(ApiRequest req, ObjectNode body) {
        List<ObjectNode> items = new ArrayList<>();
        ObjectNode meta = Json.object();
        if (req.verb() == ApiRequest.Verb.LIST) {
            body.path("items").forEach(i -> items.add((ObjectNode) i));
            meta = (ObjectNode) body.path("metadata");
        } else {
            items.add(body);
            meta.put("resourceVersion", Json.resourceVersion(body));
        }
        try {
            KindDescriptor kind = core.registry().find(req.resource());
            return (kind != null ? kind.table() : Tables.forKind(req.resource().kind()))
                    .table(items, meta, req.param("includeObject"), core.clock().now());
        } catch (IllegalArgumentException e) {
            throw ApiException.of(400, "BadRequest", e.getMessage());
        }
    }

    /** Discovery, version and health endpoints; false if the path is not one of them. */
    private boolean serveInfo(HttpCall call, List<String> p) {
        String joined = String.join("/", p);
        if (joined.equals("api") || joined.equals("apis")) {
            String aggregated = aggregatedDiscovery(call.header("Accept"));
            if (aggregated != null) {
                call.respond(200, "application/json;g=apidiscovery.k8s.io;v=" + aggregated
                                + ";as=APIGroupDiscoveryList", List.of(Map.entry("Vary", "Accept")),
                        Json.bytes(discovery.aggregated(joined.equals("api"), "apidiscovery.k8s.io/" + aggregated)));
                return true;
            }
        }
        JsonNode doc = switch (joined) {
            case "version" -> discovery.version();
            case "api" -> discovery.coreVersions(call.localAddress().getAddress().getHostAddress() + ":"
                    + call.localAddress().getPort());
            case "apis" -> discovery.groupList();
            case "healthz", "livez", "readyz" -> null;
            default -> {
                if (p.size() == 2 && p.get(0).equals("api")) {
                    yield orNotFound(discovery.resources("", p.get(1)));
                }
                if (p.size() == 2 && p.get(0).equals("apis")) {
                    yield orNotFound(discovery.group(p.get(1)));
                }
                if (p.size() == 3 && p.get(0).equals("apis")) {
                    yield orNotFound(discovery.resources(p.get(1), p.get(2)));
                }
                yield Json.object(); // not an info path
            }
        };
        if (doc == null) {
            call.respond(200, "text/plain; charset=utf-8", "ok".getBytes(StandardCharsets.UTF_8));
            return true;
        }
        if (doc.isEmpty()) {
            return false;
        }
        send(call, 200, doc);
        return true;
    }

    /**
     * The version of aggregated discovery an {@code Accept} header asks for ahead of the plain documents
     * ({@code v2} or {@code v2beta1}), or null: its media types are taken in order, as kube-apiserver takes them.
     */
    static String aggregatedDiscovery(String accept) {
        if (accept == null) {
            return null;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            Map<String, String> params = new HashMap<>();
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq > 0) {
                    params.put(parts[i].substring(0, eq).trim(), parts[i].substring(eq + 1).trim());
                }
            }
            if (params.containsKey("g") || params.containsKey("as")) {
                if ((type.equals("application/json") || type.equals("*/*"))
                        && "apidiscovery.k8s.io".equals(params.get("g"))
                        && "APIGroupDiscoveryList".equals(params.get("as"))
                        && List.of("v2", "v2beta1").contains(params.get("v"))) {
                    return params.get("v");
                }
                continue; // another typed form (a Table, protobuf discovery...): not served, try the next
            }
            if (type.equals("application/json") || type.equals("*/*") || type.equals("application/*")) {
                return null; // the plain documents come first
            }
        }
        return null;
    }

    private static JsonNode orNotFound(ObjectNode doc) {
        if (doc == null) {
            throw notFound();
        }
        return doc;
    }

    private ApiRequest request(HttpCall call, String method, List<String> p, Map<String, String> params) {
        int base;
        String group;
        if (p.size() >= 3 && p.get(0).equals("api")) {
            group = "";
            base = 2;
        } else if (p.size() >= 4 && p.get(0).equals("apis")) {
            group = p.get(1);
            base = 3;
        } else {
            throw notFound();
        }
        String version = p.get(base - 1);
        List<String> rest = p.subList(base, p.size());
        String namespace = null;
        KindDescriptor kind = null;
        if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
            KindDescriptor k = core.registry().find(group, version, rest.get(2));
            if (k != null && k.resource().namespaced()) {
                kind = k;
                namespace = rest.get(1);
                rest = rest.subList(2, rest.size());
            }
        }
        if (kind == null) {
            kind = core.registry().find(group, version, rest.get(0));
            if (kind == null || kind.resource().namespaced() && rest.size() > 1) {
                throw notFound();
            }
        }
        if (rest.size() >= 3 && UnservedSubresources.usedBy(kind.resource(), rest.get(2)) != null) {
            throw UnservedSubresources.answer(transport, kind.resource(), namespace, rest.get(1), rest.get(2));
        }
        if (rest.size() > 3) {
            throw notFound();
        }
        String name = rest.size() > 1 ? rest.get(1) : null;
        String sub = rest.size() > 2 ? rest.get(2) : null;
        if (sub != null && !kind.subresourceNames().contains(sub)) {
            throw notFound();
        }
        Resource resource = kind.resource();
        boolean watch = "true".equals(params.get("watch")) || "1".equals(params.get("watch"));
        ApiRequest.Verb verb = switch (method) {
            case "GET" -> name == null ? (watch ? ApiRequest.Verb.WATCH : ApiRequest.Verb.LIST) : ApiRequest.Verb.GET;
            case "POST" -> {
                if (name != null && (sub == null || kind.subresource(sub) == null
                        || !kind.subresource(sub).verbs().contains("create"))) {
                    throw ApiException.of(405, "MethodNotAllowed", "the server does not allow this method on the "
                            + "requested resource");
                }
                yield ApiRequest.Verb.CREATE;
            }
            case "PUT" -> ApiRequest.Verb.UPDATE;
            case "PATCH" -> ApiRequest.Verb.PATCH;
            case "DELETE" -> name == null ? ApiRequest.Verb.DELETE_COLLECTION : ApiRequest.Verb.DELETE;
            default -> throw new IllegalStateException(method);
        };
        if (name == null && (verb == ApiRequest.Verb.UPDATE || verb == ApiRequest.Verb.PATCH)) {
            throw ApiException.of(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                    + "resource");
        }
        if (verb == ApiRequest.Verb.GET && sub != null && !sub.equals("status") && !sub.equals("scale")) {
            throw ApiException.of(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                    + "resource");
        }
        JsonNode body = null;
        String contentType = call.header("Content-Type");
        if (verb == ApiRequest.Verb.CREATE || verb == ApiRequest.Verb.UPDATE || verb == ApiRequest.Verb.PATCH) {
            body = body(call.body(), contentType, verb == ApiRequest.Verb.PATCH, TypeMeta.of(kind, sub));
        } else if (verb == ApiRequest.Verb.DELETE || verb == ApiRequest.Verb.DELETE_COLLECTION) {
            // DeleteOptions are optional, but must parse when sent.
            if (call.body().length > 0) {
                body = parseJson(call.body());
            }
        }
        if (verb == ApiRequest.Verb.GET && "status".equals(sub)) {
            sub = null; // GET of the status subresource returns the whole object, as kube does
        }
        return new ApiRequest(verb, resource, namespace, name, sub, params, body, contentType,
                call.header("User-Agent"));
    }

    /** The request's body; {@code expected} is what the path serves, for a protobuf envelope without a kind. */
    private JsonNode body(byte[] raw, String contentType, boolean patch, TypeMeta expected) {
        String type = contentType == null ? "application/json" : contentType.split(";")[0].trim().toLowerCase();
        if (type.equals(ProtobufDecoder.CONTENT_TYPE) && !patch) {
            // kubectl create <kind> sends protobuf and does not retry with JSON: decode what drydock knows.
            try {
                return ProtobufDecoder.decode(raw, expected.apiVersion(), expected.kind());
            } catch (UnsupportedProtobufException e) {
                throw ApiException.of(415, "UnsupportedMediaType", e.getMessage());
            }
        }
        if (patch && type.equals(Patches.APPLY)) {
            // server-side apply: YAML (or JSON, which is YAML), decoded by the API server as kube's apply patcher
            // decodes it, so that its errors come where kube's do
            return com.fasterxml.jackson.databind.node.BinaryNode.valueOf(raw);
        }
        if (!patch && type.equals("application/yaml")) {
            JsonNode doc = dev.drydock.api.apply.ApplyConfiguration.readDocument(raw);
            if (doc == null) {
                throw ApiException.of(400, "BadRequest", "the body of the request was empty");
            }
            return doc;
        }
        boolean json = type.equals("application/json") || type.equals("*/*")
                || patch && (type.equals(Patches.MERGE) || type.equals(Patches.JSON) || type.equals(Patches.STRATEGIC));
        if (!json && patch) {
            throw Patches.unsupported(", " + Patches.APPLY);
        }
        if (!json) {
            throw ApiException.of(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                    + "accepted media types include: application/json, application/yaml, "
                    + ProtobufDecoder.CONTENT_TYPE);
        }
        return parseJson(raw);
    }

    private static JsonNode parseJson(byte[] raw) {
        try {
            JsonNode node = Json.parse(raw);
            if (node == null || node.isMissingNode()) {
                throw ApiException.of(400, "BadRequest", "the body of the request was empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.of(400, "BadRequest", "the body of the request could not be decoded as JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.of(400, "BadRequest", "the body of the request could not be read: " + e.getMessage());
        }
    }

    /**
     * Streams a watch. With {@code table}, each object goes out as a one-row Table, column definitions on the first
     * event only, as kube-apiserver does for {@code kubectl get -w}. Events are queued to the connection and written by
     * its I/O thread: the thread that delivers them (the store's) never waits for the client, and a client too far
     * behind has its watch ended.
     */
    private void stream(HttpCall call, ApiRequest req, boolean table, Transport transport) {
        ResponseStream out = call.stream("application/json");
        watches.add(out);
        boolean[] first = {true};
        Watch watch;
        try {
            watch = transport.watch(req, new WatchHandler() {
                @Override
                public void onEvent(String type, ObjectNode object) {
                    if (table && !type.equals("BOOKMARK")) {
                        ObjectNode t = table(new ApiRequest(ApiRequest.Verb.GET, req.resource(), req.namespace(),
                                null, null, req.params(), null, null), object);
                        if (!first[0]) {
                            t.putArray("columnDefinitions");
                        }
                        first[0] = false;
                        object = t;
                    }
                    out.send(event(type, object));
                }

                @Override
                public void onClose(ApiException error) {
                    watches.remove(out);
                    if (error instanceof LostConnection) {
                        call.dropConnection(); // the network broke under the stream: no end, no ERROR event
                        return;
                    }
                    if (error != null) {
                        out.send(event("ERROR", error.status()));
                    }
                    out.end();
                }
            });
        } catch (ApiException e) {
            watches.remove(out);
            if (e.code() != 410) {
                throw e; // answered as an error instead: the stream is never opened
            }
            // kube answers a watch from a compacted version with 200 and an ERROR event carrying the 410.
            out.send(event("ERROR", e.status()));
            out.open();
            out.end();
            return;
        } catch (RuntimeException e) {
            watches.remove(out);
            throw e;
        }
        out.onAbort(() -> {
            watch.close();
            watches.remove(out);
        });
        out.open();
    }

    /**
     * A watch over WebSocket, as kube-apiserver serves it to clients that ask (fabric8's default): one text message per
     * event, the same JSON as a line of the HTTP stream. The watch starts before the upgrade, so that a request it
     * refuses gets its HTTP error; events that come before the connection is switched wait for it. A client that
     * falls too far behind has its watch ended (the connection closes), as over HTTP.
     */
    private void watchOverWebSocket(HttpCall call, ApiRequest req, boolean table, Transport transport) {
        String offered = call.header("Sec-WebSocket-Protocol");
        List<String> protocols = new ArrayList<>();
        if (offered != null) {
            Arrays.stream(offered.split(",")).map(String::trim).filter(p -> !p.isEmpty()).forEach(protocols::add);
        }
        if (protocols.size() > 1) {
            // golang.org/x/net/websocket, which kube serves watches with, accepts at most one subprotocol
            call.respond(400, "text/plain; charset=utf-8", "bad WebSocket protocol".getBytes(StandardCharsets.UTF_8));
            return;
        }
        WatchSocket socket = new WatchSocket(call, req, table);
        Watch watch;
        try {
            watch = transport.watch(req, socket);
        } catch (ApiException e) {
            if (e.code() != 410) {
                throw e;
            }
            socket.onEvent("ERROR", e.status());
            socket.onClose(null);
            watch = () -> { };
        }
        socket.watch = watch;
        watches.add(socket);
        call.upgradeToWebSocket(protocols, socket);
    }

    /** One watch over WebSocket: the watch's handler, and the connection's listener. */
    private final class WatchSocket implements WatchHandler, WebSocketListener {
        private final HttpCall call;
        private final ApiRequest req;
        private final boolean table;
        private final java.util.ArrayDeque<String> early = new java.util.ArrayDeque<>(); // guarded by this
        private boolean first = true;
        private boolean ended;                  // guarded by this
        private WebSocketSession session;       // guarded by this
        private volatile Watch watch;

        WatchSocket(HttpCall call, ApiRequest req, boolean table) {
            this.call = call;
            this.req = req;
            this.table = table;
        }

        @Override
        public void onEvent(String type, ObjectNode object) {
            if (table && !type.equals("BOOKMARK") && !type.equals("ERROR")) {
                ObjectNode t = table(new ApiRequest(ApiRequest.Verb.GET, req.resource(), req.namespace(), null, null,
                        req.params(), null, null), object);
                if (!first) {
                    t.putArray("columnDefinitions");
                }
                first = false;
                object = t;
            }
            String text = new String(event(type, object), StandardCharsets.UTF_8);
            WebSocketSession s;
            synchronized (this) {
                if (session == null) {
                    early.add(text);
                    return;
                }
                s = session;
            }
            if (s.pending() > watchBuffer) {
                LOG.warn("watch of {} from {}: the client is more than {} bytes behind; ending its watch, as "
                        + "kube-apiserver ends a watcher too slow to keep up", req.resource(), s.remoteAddress(),
                        watchBuffer);
                stop(s);
                return;
            }
            s.sendText(text);
        }

        @Override
        public void onClose(ApiException error) {
            if (error instanceof LostConnection) {
                watches.remove(this);
                call.dropConnection(); // the network broke under it: no close frame
                return;
            }
            if (error != null) {
                onEvent("ERROR", error.status());
            }
            WebSocketSession s;
            synchronized (this) {
                ended = true;
                s = session;
            }
            if (s != null) {
                s.close(1000, "");
            }
            watches.remove(this);
        }

        @Override
        public void onOpen(WebSocketSession opened) {
            boolean over;
            synchronized (this) {
                while (!early.isEmpty()) {
                    opened.sendText(early.poll());
                }
                session = opened;
                over = ended;
            }
            if (over) {
                opened.close(1000, "");
            }
        }

        @Override
        public void onClose(int code, String reason) {
            stop(null);
        }

        private void stop(WebSocketSession s) {
            Watch w = watch;
            if (w != null) {
                w.close();
            }
            watches.remove(this);
            if (s != null) {
                s.close(1000, "");
            }
        }
    }

    private static byte[] event(String type, ObjectNode object) {
        if (object instanceof CachedObjectNode cached) {
            byte[] line = cached.watchEventLine(type); // one for all the watchers of this event
            if (line != null) {
                return line;
            }
        }
        ObjectNode e = Json.object();
        e.put("type", type);
        e.set("object", object);
        byte[] json = Json.bytes(e);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }

    private static void send(HttpCall call, int code, JsonNode body) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        retryAfter(body, headers);
        call.respond(code, "application/json", headers, Json.bytes(body));
    }

    private static ApiException notFound() {
        return ApiException.of(404, "NotFound", "the server could not find the requested resource");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(k, v);
        }
        return params;
    }
}

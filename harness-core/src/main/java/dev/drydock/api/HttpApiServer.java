package dev.drydock.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.drydock.api.openapi.OpenApi;
import dev.drydock.api.protobuf.ProtobufDecoder;
import dev.drydock.api.protobuf.UnsupportedProtobufException;
import dev.drydock.api.table.Tables;
import dev.drydock.base.Threads;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Transport;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP shell of the API server: kube's REST paths, JSON bodies and {@code Status} errors over the JDK's HTTP
 * server on loopback. Watches stream one JSON event per line over a chunked response. All the semantics live in
 * {@link ApiServer}; this class only translates.
 */
public final class HttpApiServer implements AutoCloseable {

    static {
        // Without TCP_NODELAY every response waits ~40 ms for delayed ACKs; the JDK reads this property once, when
        // its server class loads, so set it before that unless the user chose otherwise.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);
    /** kube-apiserver's limit on request bodies. */
    static final int MAX_BODY = 3 * 1024 * 1024;
    private static final byte[] END = new byte[0];
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private final ApiServer core;
    private final Transport transport;
    private final Discovery discovery;
    private final OpenApi openApi;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Threads.Factory threads;
    private final Set<BlockingQueue<byte[]>> streams = ConcurrentHashMap.newKeySet();

    /**
     * Starts serving on {@code address} (port 0: a free port).
     *
     * @param transport how requests reach {@code core}: through the cluster's network, as any client's do
     * @param cluster   the cluster's name, for thread names
     */
    public HttpApiServer(ApiServer core, Transport transport, InetSocketAddress address, String cluster)
            throws IOException {
        this.core = core;
        this.transport = transport;
        this.discovery = new Discovery(core.registry());
        this.openApi = new OpenApi(OpenApiKinds.of(core.registry()));
        this.threads = Threads.factory(cluster, "api");
        this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                threads);
        this.server = HttpServer.create(address, 256);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The address served, e.g. {@code https://127.0.0.1:41234} without TLS: {@code http://127.0.0.1:41234}. */
    public String url() {
        InetSocketAddress a = server.getAddress();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        for (BlockingQueue<byte[]> s : streams) {
            s.add(END);
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS) || !threads.join(5_000)) {
                LOG.warn("API server threads still running after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            try {
                serve(ex);
            } catch (ApiException e) {
                send(ex, e.code(), e.status());
            } catch (IllegalArgumentException e) {
                // e.g. a malformed %-escape in the path or query
                send(ex, 400, ApiException.status(400, "BadRequest", "malformed request: " + e.getMessage(), null));
            } catch (RuntimeException e) {
                LOG.warn("internal error serving {} {}", ex.getRequestMethod(), ex.getRequestURI(), e);
                send(ex, 500, ApiException.status(500, "InternalError", "Internal error occurred: " + e, null));
            }
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.toString());
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        URI uri = ex.getRequestURI();
        Map<String, String> params = query(uri.getRawQuery());
        List<String> path = new ArrayList<>();
        for (String s : uri.getRawPath().split("/")) {
            if (!s.isEmpty()) {
                path.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
        }
        if (!METHODS.contains(method)) {
            throw ApiException.of(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                    + "resource");
        }
        if (method.equals("GET") && uri.getRawPath().startsWith("/openapi/")) {
            OpenApi.Reply reply = openApi.serve(uri.getRawPath(), uri.getRawQuery(),
                    ex.getRequestHeaders().getFirst("Accept"), ex.getRequestHeaders().getFirst("If-None-Match"));
            reply.headers().forEach(ex.getResponseHeaders()::set);
            ex.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            ex.getResponseBody().write(reply.body());
            return;
        }
        if (method.equals("GET") && serveInfo(ex, path)) {
            return;
        }
        ApiRequest req = request(ex, method, path, params);
        if (req.verb() == ApiRequest.Verb.WATCH) {
            String upgrade = ex.getRequestHeaders().getFirst("Upgrade");
            if (upgrade != null && upgrade.toLowerCase().contains("websocket")) {
                // The JDK server cannot switch protocols. A client that tries a WebSocket watch first (fabric8)
                // takes a plain 200 that does not upgrade as the sign to watch over HTTP streaming instead, at once
                // (a 503 it would first retry with back-off, for about 20 s).
                ObjectNode status = ApiException.status(200, null, "drydock serves watches over HTTP streaming, "
                        + "not WebSocket", null);
                status.put("status", "Success");
                send(ex, 200, status);
                return;
            }
            stream(ex, req, Tables.wantsTable(ex.getRequestHeaders().getFirst("Accept")));
            return;
        }
        ApiResponse response = transport.call(req);
        JsonNode body = response.body();
        if (response.code() == 200 && (req.verb() == ApiRequest.Verb.GET || req.verb() == ApiRequest.Verb.LIST)
                && Tables.wantsTable(ex.getRequestHeaders().getFirst("Accept"))) {
            body = table(req, (ObjectNode) body);
        }
        for (String warning : response.warnings()) {
            ex.getResponseHeaders().add("Warning", warningHeader(warning));
        }
        send(ex, response.code(), body);
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
    private boolean serveInfo(HttpExchange ex, List<String> p) throws IOException {
        String joined = String.join("/", p);
        JsonNode doc = switch (joined) {
            case "version" -> discovery.version();
            case "api" -> discovery.coreVersions(ex.getLocalAddress().getAddress().getHostAddress() + ":"
                    + ex.getLocalAddress().getPort());
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
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            return true;
        }
        if (doc.isEmpty()) {
            return false;
        }
        send(ex, 200, doc);
        return true;
    }

    private static JsonNode orNotFound(ObjectNode doc) {
        if (doc == null) {
            throw notFound();
        }
        return doc;
    }

    private ApiRequest request(HttpExchange ex, String method, List<String> p, Map<String, String> params)
            throws IOException {
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
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (verb == ApiRequest.Verb.CREATE || verb == ApiRequest.Verb.UPDATE || verb == ApiRequest.Verb.PATCH) {
            body = body(ex, contentType, verb == ApiRequest.Verb.PATCH, TypeMeta.of(kind, sub));
        } else if (verb == ApiRequest.Verb.DELETE || verb == ApiRequest.Verb.DELETE_COLLECTION) {
            // DeleteOptions are optional; read (and bound) them so the connection stays usable.
            byte[] raw = read(ex.getRequestBody());
            if (raw.length > 0) {
                body = parseJson(raw);
            }
        }
        if (verb == ApiRequest.Verb.GET && "status".equals(sub)) {
            sub = null; // GET of the status subresource returns the whole object, as kube does
        }
        return new ApiRequest(verb, resource, namespace, name, sub, params, body, contentType);
    }

    /** The request's body; {@code expected} is what the path serves, for a protobuf envelope without a kind. */
    private JsonNode body(HttpExchange ex, String contentType, boolean patch, TypeMeta expected) throws IOException {
        byte[] raw = read(ex.getRequestBody());
        String type = contentType == null ? "application/json" : contentType.split(";")[0].trim().toLowerCase();
        if (type.equals(ProtobufDecoder.CONTENT_TYPE) && !patch) {
            // kubectl create <kind> sends protobuf and does not retry with JSON: decode what drydock knows.
            try {
                return ProtobufDecoder.decode(raw, expected.apiVersion(), expected.kind());
            } catch (UnsupportedProtobufException e) {
                throw ApiException.of(415, "UnsupportedMediaType", e.getMessage());
            }
        }
        boolean json = type.equals("application/json") || type.equals("*/*")
                || patch && (type.equals(Patches.MERGE) || type.equals(Patches.JSON) || type.equals(Patches.STRATEGIC));
        if (!json) {
            throw ApiException.of(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                    + "accepted media types include: application/json");
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

    private static byte[] read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > MAX_BODY) {
                throw ApiException.of(413, "RequestEntityTooLarge", "Request entity too large: limit is "
                        + MAX_BODY);
            }
        }
        return out.toByteArray();
    }

    /**
     * Streams a watch. With {@code table}, each object goes out as a one-row Table, column definitions on the first
     * event only, as kube-apiserver does for {@code kubectl get -w}.
     */
    private void stream(HttpExchange ex, ApiRequest req, boolean table) throws IOException {
        BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
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
                    queue.add(event(type, object));
                }

                @Override
                public void onClose(ApiException error) {
                    if (error != null) {
                        queue.add(event("ERROR", error.status()));
                    }
                    queue.add(END);
                }
            });
        } catch (ApiException e) {
            if (e.code() != 410) {
                throw e;
            }
            // kube answers a watch from a compacted version with 200 and an ERROR event carrying the 410.
            watch = () -> { };
            queue.add(event("ERROR", e.status()));
            queue.add(END);
        }
        streams.add(queue);
        try {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.flush();
            while (true) {
                byte[] line = queue.take();
                if (line == END) {
                    break;
                }
                out.write(line);
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.remove(queue);
            watch.close();
        }
    }

    private static byte[] event(String type, ObjectNode object) {
        ObjectNode e = Json.object();
        e.put("type", type);
        e.set("object", object);
        byte[] json = Json.bytes(e);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }

    private static void send(HttpExchange ex, int code, JsonNode body) throws IOException {
        byte[] bytes = Json.bytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        ex.getResponseBody().write(bytes);
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

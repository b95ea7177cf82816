package dev.drydock.fake;

import dev.drydock.runtime.ClusterHttp;
import dev.drydock.runtime.HttpCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ready-made {@link PortHandler}s: a TCP echo, a fixed HTTP responder, and an HTTP server of a behaviour's own.
 *
 * <pre>{@code
 * // answers each request after asking the backend Service, never blocking
 * PortHandler web = PortHandlers.http(request -> pod.http().send(ClusterHttp.Request.get("http://backend/"))
 *         .handle((r, e) -> e == null ? ClusterHttp.Response.text(200, "web: " + r.bodyText())
 *                 : ClusterHttp.Response.text(502, e.getMessage())));
 * }</pre>
 */
public final class PortHandlers {

    /** The most a request's head may be before the HTTP responder answers 431 and closes. */
    static final int MAX_REQUEST_HEAD = HttpCodec.MAX_HEAD;
    /** The most a request's body may be before the HTTP server answers 413 and closes. */
    static final int MAX_REQUEST_BODY = 16 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(PortHandlers.class);

    private PortHandlers() {
    }

    /** Answers an HTTP request, now or later; it must never block (it runs on drydock's shared threads). */
    @FunctionalInterface
    public interface HttpHandler {
        CompletionStage<ClusterHttp.Response> handle(ClusterHttp.Request request);
    }

    /** Sends every byte back as it came, until the client closes. */
    public static PortHandler echo() {
        return client -> client::send;
    }

    /**
     * Answers every HTTP/1.x request with {@code status} and {@code body}, keeping the connection open for the next
     * request unless the client asks to close it (as nginx does). Request bodies are read and ignored.
     */
    public static PortHandler http(int status, String contentType, String body) {
        ClusterHttp.Response response = new ClusterHttp.Response(status,
                headers("Server", "nginx", "Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8));
        return http(request -> CompletableFuture.completedFuture(response));
    }

    /**
     * An HTTP/1.x server whose requests {@code handler} answers, one at a time and in order on each connection,
     * keeping the connection open unless the client asks to close it. A handler that throws or fails answers 500.
     */
    public static PortHandler http(HttpHandler handler) {
        return client -> new HttpConnection(client, handler);
    }

    /** Reads requests (head, then a Content-Length body) and answers each once its handler has. */
    private static final class HttpConnection implements PortHandler.Connection {
        private final PortHandler.Client client;
        private final HttpHandler handler;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        // guarded by this: data comes on the connection's lane, answers from wherever the handler completes
        private boolean answering;
        private boolean closing;

        HttpConnection(PortHandler.Client client, HttpHandler handler) {
            this.client = client;
            this.handler = handler;
        }

        @Override
        public synchronized void data(byte[] bytes) {
            if (closing) {
                return;
            }
            buffer.write(bytes, 0, bytes.length);
            next();
        }

        /** Takes the next whole request, if one is there and none is being answered. */
        private void next() {
            while (!closing && !answering) {
                byte[] pending = buffer.toByteArray();
                int end = HttpCodec.headEnd(pending, pending.length);
                if (end < 0) {
                    if (pending.length > MAX_REQUEST_HEAD) {
                        send(ClusterHttp.Response.text(431, "Request Header Fields Too Large\n"), "HTTP/1.1",
                                true, false);
                    }
                    return;
                }
                String head = new String(pending, 0, end, StandardCharsets.ISO_8859_1);
                String[] requestLine = head.split("\r\n", 2)[0].split(" ");
                String version = requestLine.length == 3 ? requestLine[2] : "HTTP/1.0";
                Map<String, String> headers = HttpCodec.headers(head);
                long length = 0;
                boolean close = version.equals("HTTP/1.0");
                String host = "localhost";
                for (Map.Entry<String, String> h : headers.entrySet()) {
                    String name = h.getKey().toLowerCase(Locale.ROOT);
                    if (name.equals("content-length")) {
                        length = Long.parseLong(h.getValue());
                    } else if (name.equals("connection")) {
                        close = h.getValue().equalsIgnoreCase("close")
                                || close && !h.getValue().equalsIgnoreCase("keep-alive");
                    } else if (name.equals("host")) {
                        host = h.getValue();
                    }
                }
                if (length > MAX_REQUEST_BODY) {
                    send(ClusterHttp.Response.text(413, "Request Entity Too Large\n"), version, true, false);
                    return;
                }
                int bodyStart = end + 4;
                if (pending.length - bodyStart < length) {
                    return; // the body is still coming
                }
                byte[] body = new byte[(int) length];
                System.arraycopy(pending, bodyStart, body, 0, body.length);
                buffer.reset();
                buffer.write(pending, bodyStart + body.length, pending.length - bodyStart - body.length);
                String method = requestLine[0];
                String path = requestLine.length > 1 ? requestLine[1] : "/";
                ClusterHttp.Request request = new ClusterHttp.Request(method, "http://" + host + path, headers, body);
                answering = true;
                boolean closeAfter = close;
                CompletionStage<ClusterHttp.Response> answer;
                try {
                    answer = handler.handle(request);
                } catch (RuntimeException e) {
                    answer = CompletableFuture.failedFuture(e);
                }
                answer.whenComplete((response, failure) -> answered(response, failure, version, closeAfter,
                        method.equals("HEAD")));
            }
        }

        private synchronized void answered(ClusterHttp.Response response, Throwable failure, String version,
                                           boolean close, boolean headOnly) {
            answering = false;
            if (closing) {
                return;
            }
            if (failure != null || response == null) {
                LOG.debug("an HTTP handler failed: {}", String.valueOf(failure));
                response = ClusterHttp.Response.text(500, "Internal Server Error\n");
            }
            send(response, version, close, headOnly);
            next();
        }

        private void send(ClusterHttp.Response response, String version, boolean close, boolean headOnly) {
            byte[] all = HttpCodec.response(response, version, close);
            if (headOnly) {
                byte[] head = new byte[all.length - response.body().length];
                System.arraycopy(all, 0, head, 0, head.length);
                all = head;
            }
            client.send(all);
            if (close) {
                closing = true;
                client.close();
            }
        }
    }

    /** Headers as a map, for handlers that build responses. */
    public static Map<String, String> headers(String... namesAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            m.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }
}

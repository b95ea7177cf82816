package dev.drydock.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plain HTTP inside a cluster's simulated network, as a pod (or the test, standing outside the cluster) sends it:
 * cluster DNS names ({@code web}, {@code web.shop}, {@code web.shop.svc}, {@code web.shop.svc.cluster.local}, a
 * headless Service's pods as {@code web-0.web.shop.svc.cluster.local}), ClusterIPs and pod IPs. A Service's calls are
 * spread over its ready endpoints as kube-proxy spreads them; every call crosses the cluster's {@code net} to the
 * target pod's node, so partitions, latency and loss apply.
 *
 * <pre>{@code
 * ClusterHttp.Response r = cluster.http().get("http://web.default.svc.cluster.local/healthz");
 * assertThat(r.status()).isEqualTo(200);
 * // inside a behaviour, never blocking:
 * ctx.http().send(ClusterHttp.Request.get("http://cart:8080/items")).thenAccept(...);
 * }</pre>
 *
 * A call that cannot be made (no such host, connection refused, a cut link's timeout) fails with
 * {@link CallException}, whose message is what curl or Go's HTTP client would say.
 */
public interface ClusterHttp {

    /** How long a blocking call waits for its answer. */
    Duration BLOCKING_TIMEOUT = Duration.ofSeconds(30);

    /** Sends {@code request}; the future completes with the response or fails with a {@link CallException}. */
    CompletableFuture<Response> send(Request request);

    /** The same network seen from {@code namespace}: short names ({@code web}) are Services of that namespace. */
    ClusterHttp inNamespace(String namespace);

    /** GET {@code url}, waiting for the response. Not for behaviours, which must not block: use {@link #send}. */
    default Response get(String url) {
        return await(send(Request.get(url)));
    }

    /** POST {@code body} (UTF-8 text) to {@code url}, waiting for the response. Not for behaviours. */
    default Response post(String url, String body) {
        return await(send(Request.post(url, body)));
    }

    /** Waits for a call's response, or throws its {@link CallException}. */
    static Response await(CompletableFuture<Response> call) {
        try {
            return call.get(BLOCKING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new CallException(String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new CallException("no answer within " + BLOCKING_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallException("interrupted");
        }
    }

    /** A network that no pod can reach anything on: for runtimes started without a cluster. */
    ClusterHttp UNAVAILABLE = new ClusterHttp() {
        @Override
        public CompletableFuture<Response> send(Request request) {
            return CompletableFuture.failedFuture(new CallException("this node is not part of a cluster's network"));
        }

        @Override
        public ClusterHttp inNamespace(String namespace) {
            return this;
        }
    };

    /**
     * An HTTP request.
     *
     * @param method  GET, POST...
     * @param url     {@code http://host[:port]/path[?query]}
     * @param headers request headers (Host, Content-Length and Connection are set by the client)
     * @param body    the body, empty for none
     */
    record Request(String method, String url, Map<String, String> headers, byte[] body) {

        public Request {
            headers = Map.copyOf(headers);
        }

        public static Request get(String url) {
            return new Request("GET", url, Map.of(), new byte[0]);
        }

        public static Request post(String url, String body) {
            return new Request("POST", url, Map.of("Content-Type", "text/plain; charset=utf-8"),
                    body.getBytes(StandardCharsets.UTF_8));
        }

        /** The path and query of the URL ({@code /} if none). */
        public String path() {
            int scheme = url.indexOf("://");
            int slash = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
            return slash < 0 ? "/" : url.substring(slash);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** A header by name, case-insensitive, or null. */
        public String header(String name) {
            return find(headers, name);
        }
    }

    /**
     * An HTTP response.
     *
     * @param status  the status code
     * @param headers response headers, by name as sent
     * @param body    the body
     */
    record Response(int status, Map<String, String> headers, byte[] body) {

        public Response {
            headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        /** A response with a text body. */
        public static Response of(int status, String contentType, String body) {
            return new Response(status, Map.of("Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8));
        }

        /** A plain-text response. */
        public static Response text(int status, String body) {
            return of(status, "text/plain; charset=utf-8", body);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** A header by name, case-insensitive, or null. */
        public String header(String name) {
            return find(headers, name);
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + headers + " " + bodyText();
        }
    }

    private static String find(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return e.getValue();
            }
        }
        return null;
    }

    /** A call that could not be made: no such host, connection refused, a timeout on a cut link. */
    final class CallException extends RuntimeException {
        public CallException(String message) {
            super(message);
        }
    }
}

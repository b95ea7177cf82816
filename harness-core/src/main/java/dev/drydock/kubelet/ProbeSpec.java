package dev.drydock.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One probe of a container as its spec gives it (kube's {@code v1.Probe}), with kube's defaults for what is absent
 * or zero: {@code periodSeconds} 10, {@code timeoutSeconds} 1, {@code successThreshold} 1, {@code failureThreshold} 3.
 *
 * @param handler                       what the probe does; null if the spec names no handler
 * @param terminationGracePeriodSeconds the probe's own grace period for a kill it causes, or null for the pod's
 */
record ProbeSpec(ProbeType type, Handler handler, int initialDelaySeconds, int periodSeconds, int timeoutSeconds,
                 int successThreshold, int failureThreshold, Long terminationGracePeriodSeconds) {

    /** What a probe does. */
    sealed interface Handler {
    }

    /** Runs {@code command} in the container: exit code 0 is success. */
    record Exec(List<String> command) implements Handler {
    }

    /**
     * An HTTP GET of {@code path} on {@code port} (a number, or the name of a container port): 200 to 399 is success.
     *
     * @param host    the host to ask, or empty for the pod's IP
     * @param headers the request's extra headers, in order
     */
    record HttpGet(String path, JsonNode port, String host, String scheme, List<Map.Entry<String, String>> headers)
            implements Handler {
    }

    /** A TCP connection to {@code port} (a number, or the name of a container port): accepted is success. */
    record TcpSocket(JsonNode port, String host) implements Handler {
    }

    /** A gRPC health check of {@code service} on {@code port}: {@code SERVING} is success. */
    record Grpc(int port, String service) implements Handler {
    }

    /** The container's probe of {@code type}, or null if it has none. */
    static ProbeSpec of(ProbeType type, JsonNode container) {
        JsonNode p = container.get(type.field());
        if (p == null || !p.isObject()) {
            return null;
        }
        return new ProbeSpec(type, handler(p), Math.max(0, p.path("initialDelaySeconds").asInt(0)),
                positive(p, "periodSeconds", 10), positive(p, "timeoutSeconds", 1), positive(p, "successThreshold", 1),
                positive(p, "failureThreshold", 3), p.hasNonNull("terminationGracePeriodSeconds")
                ? p.path("terminationGracePeriodSeconds").asLong() : null);
    }

    private static int positive(JsonNode p, String field, int otherwise) {
        int v = p.path(field).asInt(0);
        return v > 0 ? v : otherwise;
    }

    private static Handler handler(JsonNode p) {
        JsonNode e = p.path("exec");
        if (e.isObject()) {
            List<String> command = new ArrayList<>();
            e.path("command").forEach(c -> command.add(c.asText()));
            return new Exec(List.copyOf(command));
        }
        JsonNode h = p.path("httpGet");
        if (h.isObject()) {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            h.path("httpHeaders").forEach(x -> headers.add(Map.entry(x.path("name").asText(),
                    x.path("value").asText())));
            String path = h.path("path").asText("");
            return new HttpGet(path.isEmpty() ? "/" : path, h.path("port"), h.path("host").asText(""),
                    h.path("scheme").asText("HTTP").isEmpty() ? "HTTP" : h.path("scheme").asText("HTTP"),
                    List.copyOf(headers));
        }
        JsonNode t = p.path("tcpSocket");
        if (t.isObject()) {
            return new TcpSocket(t.path("port"), t.path("host").asText(""));
        }
        JsonNode g = p.path("grpc");
        if (g.isObject()) {
            return new Grpc(g.path("port").asInt(), g.path("service").asText(""));
        }
        return null;
    }
}

package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.base.Clock;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.Resource;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

/**
 * The API server's most recent error responses (code 400 and above), to every party of the cluster: what a failing
 * test's report lists beside the timeline. Bounded: it keeps the newest {@link #capacity()} and counts all.
 *
 * <pre>{@code
 * cluster.recentApiErrors().forEach(System.out::println);
 * // 2026-12-01T10:02:03.120Z  client:operator  list  /api/v1/pods  500 InternalError  Internal error occurred: ...
 * }</pre>
 */
public final class ApiErrors {

    /** How many errors an API server keeps. */
    public static final int DEFAULT_CAPACITY = 256;

    /**
     * One error response: when, to which party (a node, {@code scheduler}, {@code client:<identity>}, {@code test}),
     * the request's verb (kube's, as RBAC names it) and path, and the Status' code, reason and message.
     */
    public record ApiError(Instant at, String party, String verb, String path, int code, String reason,
                           String message) {
        @Override
        public String toString() {
            return at + "  " + party + "  " + verb + " " + path + "  " + code + " " + reason
                    + (message == null || message.isEmpty() ? "" : "  " + message);
        }
    }

    private final Clock clock;
    private final int capacity;
    private final ArrayDeque<ApiError> errors = new ArrayDeque<>();
    private long total;

    public ApiErrors(Clock clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("keeps at least one error, got capacity " + capacity);
        }
        this.clock = clock;
        this.capacity = capacity;
    }

    /** Records {@code status} (a kube Status) as the answer to {@code request} of {@code party}, if it is an error. */
    public void record(String party, ApiRequest request, int code, JsonNode status) {
        if (code < 400) {
            return;
        }
        String reason = status == null ? "" : status.path("reason").asText("");
        String message = status == null ? "" : status.path("message").asText("");
        add(new ApiError(clock.now(), party, verb(request), path(request), code, reason, message));
    }

    private synchronized void add(ApiError e) {
        if (errors.size() == capacity) {
            errors.removeFirst();
        }
        errors.addLast(e);
        total++;
    }

    /** The errors kept, oldest first. */
    public synchronized List<ApiError> recent() {
        return List.copyOf(errors);
    }

    /** How many error responses there have been in all, those no longer kept included. */
    public synchronized long total() {
        return total;
    }

    /** How many it keeps at most. */
    public int capacity() {
        return capacity;
    }

    /** kube's verb for a request, as RBAC and audit logs name it ({@code deletecollection}...). */
    static String verb(ApiRequest req) {
        return req.verb() == ApiRequest.Verb.DELETE_COLLECTION ? "deletecollection"
                : req.verb().name().toLowerCase(Locale.ROOT);
    }

    /** The request's REST path, e.g. {@code /apis/apps/v1/namespaces/default/deployments/web/scale}. */
    static String path(ApiRequest req) {
        Resource r = req.resource();
        StringBuilder s = new StringBuilder(r.group().isEmpty() ? "/api/" + r.version()
                : "/apis/" + r.group() + "/" + r.version());
        if (req.namespace() != null && !req.namespace().isEmpty()) {
            s.append("/namespaces/").append(req.namespace());
        }
        s.append('/').append(r.plural());
        if (req.name() != null) {
            s.append('/').append(req.name());
        }
        if (req.subresource() != null) {
            s.append('/').append(req.subresource());
        }
        return s.toString();
    }
}

package dev.drydock.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One request to the API, as both transports carry it: a verb on a resource (optionally one object and one of its
 * subresources), query parameters as kube names them, and a JSON body.
 *
 * @param contentType for {@link Verb#PATCH}: the patch type, e.g. {@code application/merge-patch+json}
 * @param userAgent   the client's {@code User-Agent}, or null: a write that names no {@code fieldManager} is
 *                    recorded in {@code managedFields} under its first word (kube's default manager)
 */
public record ApiRequest(Verb verb, Resource resource, String namespace, String name, String subresource,
                         Map<String, String> params, JsonNode body, String contentType, String userAgent) {

    /** What a request does, in kube's verbs. */
    public enum Verb { GET, LIST, WATCH, CREATE, UPDATE, PATCH, DELETE, DELETE_COLLECTION }

    public ApiRequest {
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    /** A request that carries no {@code User-Agent}. */
    public ApiRequest(Verb verb, Resource resource, String namespace, String name, String subresource,
                      Map<String, String> params, JsonNode body, String contentType) {
        this(verb, resource, namespace, name, subresource, params, body, contentType, null);
    }

    /** This request as a client with this {@code User-Agent} sends it. */
    public ApiRequest withUserAgent(String agent) {
        return new ApiRequest(verb, resource, namespace, name, subresource, params, body, contentType, agent);
    }

    public String param(String key) {
        String v = params.get(key);
        return v == null || v.isEmpty() ? null : v;
    }
}

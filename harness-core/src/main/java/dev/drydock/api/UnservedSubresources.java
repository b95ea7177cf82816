package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Transport;
import java.util.Map;

/**
 * Subresources kube serves and drydock does not yet (the API server's proxy to pods, services and nodes). A request
 * for one of an object that exists is answered with a
 * Status saying so, rather than a 404 that reads as if the object were missing; one of a missing object gets the
 * object's own 404, as kube answers.
 */
final class UnservedSubresources {

    /** HTTP 501: kubectl prints the Status message as {@code Error from server (NotImplemented): ...}. */
    static final int CODE = 501;
    static final String REASON = "NotImplemented";

    /** Core-group resource, then subresource, then what a user runs that asks for it. */
    private static final Map<String, Map<String, String>> UNSERVED = Map.of(
            "pods", Map.of("proxy", "the API server's proxy to a pod"),
            "services", Map.of("proxy", "the API server's proxy to a service"),
            "nodes", Map.of("proxy", "the API server's proxy to a node"));

    private UnservedSubresources() {
    }

    /** What a user runs that asks for this subresource, or null if it is not one drydock leaves unserved. */
    static String usedBy(Resource resource, String subresource) {
        if (!resource.group().isEmpty()) {
            return null;
        }
        return UNSERVED.getOrDefault(resource.plural(), Map.of()).get(subresource);
    }

    /**
     * The answer to a request for an unserved subresource: the object's 404 if it does not exist, else a 501 whose
     * message says that drydock does not serve the subresource yet.
     *
     * @param name the object's name as in the path; a proxy path may name it {@code [scheme:]name[:port]}
     */
    static ApiException answer(Transport transport, Resource resource, String namespace, String name,
                               String subresource) {
        String objectName = subresource.equals("proxy") ? proxiedName(name) : name;
        ApiResponse existing = transport.call(new ApiRequest(ApiRequest.Verb.GET, resource, namespace, objectName,
                null, Map.of(), null, null));
        if (existing.code() != 200) {
            return new ApiException((ObjectNode) existing.body());
        }
        return ApiException.of(CODE, REASON, "drydock does not serve " + resource.plural() + "/" + subresource
                + " (" + usedBy(resource, subresource) + ") yet", resource, objectName);
    }

    /** The object's name in a proxy path's {@code name}, {@code name:port} or {@code scheme:name:port}. */
    private static String proxiedName(String name) {
        String[] parts = name.split(":", -1);
        return parts.length == 3 ? parts[1] : parts[0];
    }
}

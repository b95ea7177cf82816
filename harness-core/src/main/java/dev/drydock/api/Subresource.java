package dev.drydock.api;

import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import java.util.List;

/**
 * A subresource of a kind other than {@code status} (which the generic handler serves from the kind's strategy):
 * {@code scale}, {@code binding}, {@code eviction}... as one pluggable handler, as kube-apiserver registers a REST
 * storage per subresource path.
 */
public interface Subresource {

    /** Serves one request for the subresource of an object of {@code kind}, through {@code storage}. */
    ApiResponse serve(ApiRequest request, KindDescriptor kind, ResourceStorage storage);

    /** The kind discovery names for the subresource, e.g. {@code Scale}; null for the parent's own kind. */
    String kind();

    /** The group/version of {@link #kind()} when it differs from the parent's ({@code autoscaling/v1} for Scale). */
    default String groupVersion() {
        return null;
    }

    /** The verbs discovery lists, e.g. {@code create} for a binding. */
    List<String> verbs();
}

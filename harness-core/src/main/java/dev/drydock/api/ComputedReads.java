package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What answers {@code get} and {@code list} of a kind whose objects are computed when asked, never stored, as an
 * aggregated API such as metrics-server's {@code metrics.k8s.io} serves them. The API server applies label and field
 * selectors ({@code metadata.name}, {@code metadata.namespace}) to what {@link #list} returns.
 */
public interface ComputedReads {

    /** The object {@code name} (in {@code namespace} for a namespaced kind), or null if there is none (a 404). */
    ObjectNode get(String namespace, String name);

    /** Every object, of {@code namespace} for a namespaced kind (null: of all). */
    List<ObjectNode> list(String namespace);
}

package dev.drydock.api;

import dev.drydock.client.Resource;
import java.util.List;
import java.util.Set;

/**
 * One entry of the API's registry: a resource with what the generic handler needs to serve it (its subresources,
 * names for discovery, and how its objects are defaulted and validated).
 *
 * @param subresources e.g. {@code status}, {@code binding}, {@code scale}
 * @param strategy     per-kind defaulting, validation and update rules
 */
public record ResourceKind(Resource resource, String singular, List<String> shortNames, Set<String> subresources,
                           KindStrategy strategy) {

    public boolean hasStatus() {
        return subresources.contains("status");
    }

    public String listKind() {
        return resource.kind() + "List";
    }
}

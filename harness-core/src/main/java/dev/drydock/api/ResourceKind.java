package dev.drydock.api;

import dev.drydock.kube.Resource;
import java.util.List;
import java.util.Set;

/**
 * One entry of the API's registry: a resource with what the generic handler needs to serve it (its subresources,
 * names for discovery, and how its objects are defaulted and validated).
 *
 * @param subresources e.g. {@code status}, {@code binding}, {@code scale}
 * @param strategy     per-kind defaulting, validation and update rules
 * @param categories   the groups of resources discovery puts it in, as kube's: {@code all} (what
 *                     {@code kubectl get all} lists) for the workloads, pods and services
 */
public record ResourceKind(Resource resource, String singular, List<String> shortNames, Set<String> subresources,
                           KindStrategy strategy, List<String> categories) {

    /** The category of {@code kubectl get all}. */
    public static final List<String> ALL = List.of("all");

    /** A kind in no category. */
    public ResourceKind(Resource resource, String singular, List<String> shortNames, Set<String> subresources,
                        KindStrategy strategy) {
        this(resource, singular, shortNames, subresources, strategy, List.of());
    }

    public boolean hasStatus() {
        return subresources.contains("status");
    }

    public String listKind() {
        return resource.kind() + "List";
    }
}

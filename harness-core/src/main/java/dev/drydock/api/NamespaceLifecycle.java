package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.concurrent.ConcurrentHashMap;

/**
 * kube's {@code NamespaceLifecycle} admission: an object is created only in a namespace that exists and is not
 * being deleted.
 */
final class NamespaceLifecycle implements Admission {

    /** What was last read of each namespace, as kube's plugin reads its namespace informer's cache: by version. */
    private final ConcurrentHashMap<String, Seen> seen = new ConcurrentHashMap<>();

    private record Seen(long version, boolean deleting) {
    }

    @Override
    public void admit(Operation operation, KindDescriptor kind, ObjectNode obj, ObjectNode old,
                      ResourceStorage storage) {
        if (operation != Operation.CREATE || !kind.resource().namespaced()) {
            return;
        }
        String namespace = Json.namespace(obj);
        String name = Json.name(obj);
        KindDescriptor namespaces = storage.registry().find(Resource.NAMESPACES);
        long version = storage.version(namespaces, null, namespace);
        Seen seen = version == 0 ? null : this.seen.get(namespace);
        if (seen == null || seen.version != version) {
            ObjectNode ns = version == 0 ? null : storage.find(namespaces, null, namespace);
            if (ns == null) {
                this.seen.remove(namespace);
                throw ApiException.of(404, "NotFound", "namespaces \"" + namespace + "\" not found",
                        Resource.NAMESPACES, namespace);
            }
            seen = new Seen(Long.parseLong(ns.path("metadata").path("resourceVersion").asText("0")),
                    Json.isDeleting(ns));
            this.seen.put(namespace, seen);
        }
        if (seen.deleting) {
            throw ApiException.of(403, "Forbidden", kind.resource().qualifiedName() + " \"" + name
                    + "\" is forbidden: unable to create new content in namespace " + namespace
                    + " because it is being terminated", kind.resource(), name);
        }
    }
}

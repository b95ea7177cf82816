package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;

/**
 * kube's {@code NamespaceLifecycle} admission: an object is created only in a namespace that exists and is not
 * being deleted.
 */
final class NamespaceLifecycle implements Admission {

    @Override
    public void admit(Operation operation, KindDescriptor kind, ObjectNode obj, ObjectNode old,
                      ResourceStorage storage) {
        if (operation != Operation.CREATE || !kind.resource().namespaced()) {
            return;
        }
        String namespace = Json.namespace(obj);
        String name = Json.name(obj);
        KindDescriptor namespaces = storage.registry().find(Resource.NAMESPACES);
        ObjectNode ns = storage.find(namespaces, null, namespace);
        if (ns == null) {
            throw ApiException.of(404, "NotFound", "namespaces \"" + namespace + "\" not found",
                    Resource.NAMESPACES, namespace);
        }
        if (Json.isDeleting(ns)) {
            throw ApiException.of(403, "Forbidden", kind.resource().qualifiedName() + " \"" + name
                    + "\" is forbidden: unable to create new content in namespace " + namespace
                    + " because it is being terminated", kind.resource(), name);
        }
    }
}

package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.store.StoreException;
import java.util.List;

/** The errors of the API server, worded as kube-apiserver words them. */
public final class Errors {

    private Errors() {
    }

    public static ApiException invalid(KindDescriptor kind, String name, List<FieldError> errors) {
        return invalid(kind.resource().group(), kind.resource().kind(), name, errors);
    }

    /** A 422 Invalid for an object of a kind that is not (or not only) a registered one, e.g. a TokenRequest. */
    public static ApiException invalid(String group, String kindName, String name, List<FieldError> errors) {
        // kube names the group kind: "Pod" in the core group, "Deployment.apps" elsewhere.
        StringBuilder msg = new StringBuilder(kindName).append(group.isEmpty() ? "" : "." + group)
                .append(" \"").append(name).append("\" is invalid: ");
        if (errors.size() == 1) {
            msg.append(errors.get(0));
        } else {
            msg.append('[');
            for (int i = 0; i < errors.size(); i++) {
                msg.append(i > 0 ? ", " : "").append(errors.get(i));
            }
            msg.append(']');
        }
        ObjectNode details = Json.object();
        details.put("name", name);
        details.put("group", group);
        details.put("kind", kindName);
        ArrayNode causes = details.putArray("causes");
        errors.forEach(e -> causes.add(e.cause()));
        return new ApiException(ApiException.status(422, "Invalid", msg.toString(), details));
    }

    public static ApiException notFound(KindDescriptor kind, String name) {
        return ApiException.of(404, "NotFound", kind.resource().qualifiedName() + " \"" + name + "\" not found",
                kind.resource(), name);
    }

    public static ApiException conflict(KindDescriptor kind, String name) {
        return ApiException.of(409, "Conflict", "Operation cannot be fulfilled on "
                + kind.resource().qualifiedName() + " \"" + name + "\": the object has been modified; please apply "
                + "your changes to the latest version and try again", kind.resource(), name);
    }

    /** As kube's BindingREST: {@code errors.NewConflict(pods/binding, name, err)}. */
    public static ApiException bindingConflict(String name, String why) {
        ObjectNode details = Json.object();
        details.put("name", name);
        details.put("group", "");
        details.put("kind", "pods/binding");
        return new ApiException(ApiException.status(409, "Conflict", "Operation cannot be fulfilled on pods/binding \""
                + name + "\": " + why, details));
    }

    public static ApiException storeError(StoreException e) {
        return switch (e.reason()) {
            case COMPACTED -> ApiException.of(410, "Expired", "The provided continue parameter is too old to "
                    + "display a consistent list result. You can start a new list without the continue parameter.");
            case FUTURE_REVISION -> ApiException.of(504, "Timeout", "Too large resource version: "
                    + "the server has not caught up");
            // What kube-apiserver answers when etcd cannot commit (no quorum) before the request's deadline: its
            // timeout filter's Status, the store's own reason left to the log.
            case UNAVAILABLE, CLOSED -> ApiException.of(504, "Timeout", "Timeout: request did not complete within "
                    + "requested timeout - context deadline exceeded");
            // kube-apiserver passes an etcd error it does not map on as an internal error.
            case LEASE_NOT_FOUND, LEASE_EXISTS -> ApiException.of(500, "InternalError",
                    "Internal error occurred: " + e.getMessage());
        };
    }
}

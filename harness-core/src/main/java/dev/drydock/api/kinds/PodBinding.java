package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.Errors;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.ResourceStorage;
import dev.drydock.api.Subresource;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Conditions;
import dev.drydock.kube.Json;
import java.time.Instant;
import java.util.List;

/**
 * {@code pods/<name>/binding}: the scheduler's assignment of a pod to a node, as kube's {@code BindingREST}. It sets
 * {@code spec.nodeName} once and the {@code PodScheduled} condition, and refuses a pod that is bound or being deleted.
 */
final class PodBinding implements Subresource {

    @Override
    public String kind() {
        return "Binding";
    }

    @Override
    public List<String> verbs() {
        return List.of("create");
    }

    @Override
    public ApiResponse serve(ApiRequest req, KindDescriptor kind, ResourceStorage storage) {
        if (req.verb() != ApiRequest.Verb.CREATE) {
            throw ApiException.of(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                    + "resource");
        }
        ObjectNode binding = storage.body(kind, req);
        String node = Json.text(binding, "target", "name");
        if (node == null || node.isEmpty()) {
            throw Errors.invalid(kind, req.name(), List.of(FieldError.required("target.name", "")));
        }
        Instant now = storage.now();
        storage.write(kind, req.namespace(), req.name(), -1, pod -> {
            if (Json.isDeleting(pod)) {
                throw Errors.bindingConflict(req.name(), "pod " + req.name() + " is being deleted, cannot be "
                        + "assigned to a host");
            }
            String assigned = Json.text(pod, "spec", "nodeName");
            if (assigned != null && !assigned.isEmpty()) {
                throw Errors.bindingConflict(req.name(), "pod " + req.name() + " is already assigned to node \""
                        + assigned + "\"");
            }
            Json.with(pod, "spec").put("nodeName", node);
            ArrayNode conditions = Json.withArray(Json.with(pod, "status"), "conditions");
            Conditions.set(conditions, "PodScheduled", "True", null, null, Conditions.PROBE, now);
            return pod;
        }, false);
        ObjectNode ok = Json.object();
        ok.put("kind", "Status");
        ok.put("apiVersion", "v1");
        ok.putObject("metadata");
        ok.put("status", "Success");
        ok.put("code", 201);
        return new ApiResponse(201, ok);
    }
}

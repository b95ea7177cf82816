package dev.drydock.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindStrategy;
import dev.drydock.api.schema.CrdSchema;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Semantic;
import java.util.List;

/**
 * The strategy of one served version of a custom resource, as kube's {@code customresource} strategy: the
 * generation moves on any change but metadata (and status, with a status subresource); a create may not set a
 * status that has its own subresource; no create while the CRD is being deleted.
 */
final class CustomResourceStrategy implements KindStrategy {

    private final Resource resource;
    private final JsonNode schema;
    private final CrdSchema compiled;
    private final boolean statusSubresource;
    private volatile boolean terminating;

    CustomResourceStrategy(Resource resource, JsonNode schema, boolean statusSubresource) {
        this.resource = resource;
        this.schema = schema;
        this.compiled = schema == null || schema.isMissingNode() ? null : CrdSchema.compile(schema);
        this.statusSubresource = statusSubresource;
    }

    @Override
    public void defaults(ObjectNode obj) {
        if (compiled != null) {
            compiled.defaults(obj);
        }
    }

    @Override
    public List<String> pruneUnknownFields(ObjectNode obj) {
        return compiled == null ? List.of() : compiled.prune(obj);
    }

    @Override
    public void validate(ObjectNode obj, ObjectNode old, List<FieldError> errors) {
        errors.addAll(CrdSchema.validateMetadata(obj, resource.namespaced()));
        if (compiled != null) {
            errors.addAll(compiled.validate(obj, old));
        }
    }

    void terminating(boolean terminating) {
        this.terminating = terminating;
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public boolean specChanged(ObjectNode next, ObjectNode old) {
        return !Semantic.equal(withoutMetadata(next), withoutMetadata(old));
    }

    private ObjectNode withoutMetadata(ObjectNode obj) {
        ObjectNode copy = obj.deepCopy();
        copy.remove("metadata");
        if (statusSubresource) {
            copy.remove("status");
        }
        return copy;
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        if (terminating) {
            throw ApiException.of(405, "MethodNotAllowed", "create not allowed while custom resource definition is "
                    + "terminating");
        }
        if (statusSubresource) {
            obj.remove("status");
        }
    }

    /** The OpenAPI v3 schema of the version. */
    JsonNode schema() {
        return schema;
    }

    Resource resource() {
        return resource;
    }
}

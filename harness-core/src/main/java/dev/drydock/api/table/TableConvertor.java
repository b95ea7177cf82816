package dev.drydock.api.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** How one kind is shown by {@code kubectl get}: kube-apiserver's {@code rest.TableConvertor}. */
public interface TableConvertor {

    /**
     * The {@code meta.k8s.io/v1} Table of these objects, given the list's metadata (resourceVersion, continue),
     * the request's {@code includeObject} parameter and the time now (for AGE).
     *
     * @throws IllegalArgumentException for an {@code includeObject} kube answers with 400 Bad Request
     */
    ObjectNode table(List<ObjectNode> items, ObjectNode listMetadata, String includeObject, Instant now);
}

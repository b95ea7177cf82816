package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiRequest;

/**
 * What answers the create of a kind whose objects are not stored, as kube's review storages (SubjectAccessReview,
 * SelfSubjectAccessReview, TokenReview...) implement only {@code Create}: the request's object goes in, the
 * response (usually the object with its {@code status} filled) comes out, and nothing is written.
 */
@FunctionalInterface
public interface CreateOnly {

    /**
     * The response to a create.
     *
     * @param obj     the decoded body: kind and apiVersion filled from the path, {@code metadata} present, the
     *                namespace of a namespaced kind set from the path, the kind's defaults applied
     * @param request the request (its namespace, its {@code dryRun})
     * @throws dev.drydock.kube.ApiException for a request to refuse (a 422 Invalid, a 400 Bad Request)
     */
    ObjectNode answer(ObjectNode obj, ApiRequest request, ResourceStorage storage);
}

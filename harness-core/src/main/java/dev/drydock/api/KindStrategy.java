package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What differs between kinds in the generic handler, as kube-apiserver's REST strategies: defaulting, validation,
 * the name rule, and whether spec changes bump {@code metadata.generation}.
 */
public interface KindStrategy {

    /** Whether names must be RFC 1123 labels (namespaces) rather than subdomains. */
    default boolean nameIsLabel() {
        return false;
    }

    /** Whether a change of {@code spec} bumps {@code metadata.generation}. */
    default boolean tracksGeneration() {
        return false;
    }

    /** Fills defaults, as kube's defaulting functions do, on create and update. */
    default void defaults(ObjectNode obj) {
    }

    /** Sets what the server owns on create (e.g. a pod's initial status). */
    default void prepareForCreate(ObjectNode obj) {
    }

    /** Adds the errors of a (defaulted) object. */
    default void validate(ObjectNode obj, List<FieldError> errors) {
    }

    /**
     * Whether a delete answers the deleted object (kube's {@code ReturnDeletedObject}: pods, namespaces) rather than
     * a {@code Status} of Success naming it. An object that finalizers still hold is answered as it is either way.
     */
    default boolean returnsDeletedObject() {
        return false;
    }
}

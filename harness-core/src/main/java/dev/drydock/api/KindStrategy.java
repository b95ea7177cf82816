package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Semantic;
import java.util.List;

/**
 * What differs between kinds in the generic handler, as kube-apiserver's REST strategies: defaulting, validation,
 * the name rule, and whether spec changes bump {@code metadata.generation}.
 */
public interface KindStrategy {

    /** A kind with no rules of its own: kube's defaults for metadata only. */
    KindStrategy PLAIN = new KindStrategy() {
    };

    /** Whether names must be RFC 1123 labels (namespaces) rather than subdomains. */
    default boolean nameIsLabel() {
        return false;
    }

    /** Whether a change of {@code spec} bumps {@code metadata.generation}. */
    default boolean tracksGeneration() {
        return false;
    }

    /**
     * Whether an update from {@code old} to {@code obj} moves {@code metadata.generation} on, for a kind that
     * {@linkplain #tracksGeneration tracks generation}: a change of {@code spec}, unless the kind says otherwise (an
     * EndpointSlice, which has no spec, counts a change of anything but its metadata).
     */
    default boolean generationChanged(ObjectNode obj, ObjectNode old) {
        return !Semantic.equal(obj.path("spec"), old.path("spec"));
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
     * Adds the errors of an update from {@code old} to {@code obj} (both defaulted), e.g. immutable fields, as kube's
     * {@code ValidateUpdate}. The object's own rules ({@link #validate}) run as well.
     */
    default void validateUpdate(ObjectNode obj, ObjectNode old, List<FieldError> errors) {
    }

    /**
     * Whether finalizers other than {@code metadata.finalizers} hold the object (a namespace's
     * {@code spec.finalizers}), so that a delete marks it as being deleted instead of removing it.
     */
    default boolean heldBeyondFinalizers(ObjectNode obj) {
        return false;
    }

    /** What a delete changes, besides {@code deletionTimestamp}, on an object that finalizers hold. */
    default void prepareForDelete(ObjectNode obj) {
    }

    /**
     * Whether a delete answers the deleted object (kube's {@code ReturnDeletedObject}: pods, namespaces) rather than
     * a {@code Status} of Success naming it. An object that finalizers still hold is answered as it is either way.
     */
    default boolean returnsDeletedObject() {
        return false;
    }
}

package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
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

    /**
     * Adds the errors of an object's name, as kube's {@code ValidateObjectMeta} with the kind's name rule: RFC 1123
     * labels for {@link #nameIsLabel()} kinds, subdomains for the others; a kind with another rule (a Service's names
     * are RFC 1035 labels) overrides it.
     */
    default void validateName(String field, String name, List<FieldError> errors) {
        if (nameIsLabel()) {
            Validation.dns1123Label(field, name, errors);
        } else {
            Validation.dns1123Subdomain(field, name, errors);
        }
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

    /**
     * Changes what an update through the main resource would store, as the PrepareForUpdate of kube's strategies:
     * {@code obj} is the client's object (with the stored status kept for kinds with a status subresource), {@code old}
     * the stored one. A CertificateSigningRequest keeps its stored spec here: after create only subresources change it.
     */
    default void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    }

    /**
     * Changes what a write through the {@code status} subresource would store, as the PrepareForUpdate of kube's
     * status strategies: {@code obj} is the stored object with the client's status, {@code old} the stored one. A
     * CertificateSigningRequest keeps its Approved and Denied conditions here (only {@code approval} changes them).
     */
    default void prepareForStatusUpdate(ObjectNode obj, ObjectNode old, Instant now) {
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

    /**
     * Refuses the delete of a stored object with an {@code ApiException}, as kube's REST storages that override
     * {@code Delete} do (the system PriorityClasses cannot be deleted). Called before finalizers are looked at.
     */
    default void validateDelete(ObjectNode obj) {
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

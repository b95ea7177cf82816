package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

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

    /**
     * Values an object holds exclusively among all objects while it is stored, as kube's allocators hold a
     * Service's cluster IPs and node ports, each a path such as {@code serviceips/10.96.0.10}. The API server stores
     * a claim for each beside the object, in the same transaction and only if no other object holds it; an update
     * moves them and a delete releases them, so two concurrent writes never hold the same value, and what is held is
     * always what the stored objects say. A write that loses a race for a claim is started again (its admission
     * chooses again or refuses the value). Empty for most kinds.
     */
    default Set<String> claims(ObjectNode obj) {
        return Set.of();
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

package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Semantic;
import java.time.Instant;
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
     * Adds the errors of an object about to be stored, on create ({@code old} null) and on update: by default
     * {@link #validate(ObjectNode, List)}, then on update {@link #validateUpdate}. A kind whose rules need both
     * at once (a custom resource's transition rules) overrides this.
     */
    default void validate(ObjectNode obj, ObjectNode old, List<FieldError> errors) {
        validate(obj, errors);
        if (old != null) {
            validateUpdate(obj, old, errors);
        }
    }

    /**
     * Removes the fields the kind's schema does not know, as kube's decoding drops them, and returns their paths
     * ({@code spec.foo}) for {@code fieldValidation}: Strict refuses them, Warn warns of them. By default the
     * kind keeps every field.
     */
    default List<String> pruneUnknownFields(ObjectNode obj) {
        return List.of();
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

    /**
     * What a delete request changes before the finalizers are looked at (it may add one, as a CRD's cleanup), and,
     * when finalizers hold the object, besides {@code deletionTimestamp}. Called on every delete request, also of an
     * object already being deleted.
     */
    default void prepareForDelete(ObjectNode obj) {
    }

    /**
     * The grace period a delete gives the object, in seconds, as kube's {@code CheckGracefulDelete}: 0 deletes it
     * at once (the default); more keeps it, marked with {@code deletionTimestamp} that far ahead, until someone (a
     * pod's kubelet) deletes it again with 0.
     *
     * @param requested the delete's {@code gracePeriodSeconds}, or null
     */
    default long gracePeriod(ObjectNode obj, Long requested) {
        return 0;
    }

    /**
     * Whether an update changed what moves {@code metadata.generation} on (for kinds that track it): the spec, or
     * for a custom resource (or an EndpointSlice, which has no spec) everything but metadata (and status).
     */
    default boolean specChanged(ObjectNode next, ObjectNode old) {
        return !Semantic.equal(next.path("spec"), old.path("spec"));
    }

    /**
     * Called after a write of the kind is committed (not for dry runs), as kube's registry {@code AfterCreate},
     * {@code AfterUpdate} and {@code AfterDelete} hooks: {@code previous} is null after a create, {@code current}
     * null after the object is gone.
     */
    default void afterCommit(ObjectNode previous, ObjectNode current) {
    }

    /**
     * Whether a delete answers the deleted object (kube's {@code ReturnDeletedObject}: pods, namespaces) rather than
     * a {@code Status} of Success naming it. An object that finalizers still hold is answered as it is either way.
     */
    default boolean returnsDeletedObject() {
        return false;
    }
}

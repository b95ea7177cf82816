package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One admission plugin of the API server's pipeline (decode, default, admit, validate, store, encode), as kube's
 * admission chain: it sees every write after defaulting and may refuse it with an {@code ApiException}, or change
 * the object (a mutating plugin).
 */
public interface Admission {

    /** The write being admitted. */
    enum Operation { CREATE, UPDATE }

    /**
     * Admits or refuses a write.
     *
     * @param obj the object to be stored (may be changed by a mutating plugin)
     * @param old the stored object for an update, else null
     */
    void admit(Operation operation, KindDescriptor kind, ObjectNode obj, ObjectNode old, ResourceStorage storage);

    /** Told of a delete request before it is stored (kube runs admission for deletes too); does nothing by default. */
    default void deleting(KindDescriptor kind, String namespace, String name) {
    }
}

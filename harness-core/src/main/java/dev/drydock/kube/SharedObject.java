package dev.drydock.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An object that a list or watch handed out from the API server's cache in process, which can also give the one
 * read-only tree ({@link FrozenJson}) that all in-process readers of the same version may share: informers keep that
 * one instead of a copy each, as client-go's shared informers keep one object for all their handlers.
 */
public interface SharedObject {

    /**
     * This version of the object, with its resourceVersion and without its {@code metadata.managedFields}, frozen:
     * while a reader holds it, every reader asking for this version gets the same instance. Null if this object
     * has none to share (a deleted object's last state, which no cache keeps).
     */
    ObjectNode sharedWithoutManagedFields();
}

package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.auth.TokenAuthenticator;
import dev.drydock.kube.ApiRequest;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The generic registry's object operations as subresource handlers and admission see them (kube's generic
 * registry {@code Store}): read one object, change one with compare-and-swap, and decode a request body.
 */
public interface ResourceStorage {

    /** The stored object, or a 404 {@code ApiException}. */
    ObjectNode get(KindDescriptor kind, String namespace, String name);

    /** The stored object, or null. */
    ObjectNode find(KindDescriptor kind, String namespace, String name);

    /** The stored object's resourceVersion (its mod revision), or 0 when there is none: a read that decodes nothing. */
    long version(KindDescriptor kind, String namespace, String name);

    /**
     * The object's resourceVersion as the kind's watch cache holds it, which may lag the store by the last changes
     * (what kube's admission plugins read from their informers), or -1 when the cache holds no such object (not
     * filled yet, never created, or created too recently): ask {@link #version} then.
     */
    long cachedVersion(KindDescriptor kind, String namespace, String name);

    /** The object as the kind's watch cache holds it (see {@link #cachedVersion}), or null when it holds none. */
    ObjectNode findCached(KindDescriptor kind, String namespace, String name);

    /** The objects of {@code kind} in {@code namespace} (all namespaces when null), as a LIST without selectors. */
    List<ObjectNode> list(KindDescriptor kind, String namespace);

    /**
     * Deletes an object as a DELETE request does (finalizers and the kind's delete rules apply), honouring the
     * {@code DeleteOptions}' {@code preconditions} (uid, resourceVersion: a 409 Conflict when they do not hold, as
     * kube's storage answers) and {@code dryRun}. Returns the deleted object, or the object as finalizers hold it.
     *
     * @param options the {@code DeleteOptions}, or null
     */
    ObjectNode delete(KindDescriptor kind, String namespace, String name, ObjectNode options);

    /**
     * Read-modify-write of one object with compare-and-swap, as kube's {@code GuaranteedUpdate}: retries when the
     * object changed in between, unless {@code expectedVersion} (a resourceVersion, or -1 for any) names the version
     * the client expects. {@code change} gets a copy of the stored object and returns the new one (validated,
     * defaulted and merged by the caller's rules), or null to delete it.
     */
    ObjectNode write(KindDescriptor kind, String namespace, String name, long expectedVersion,
                     UnaryOperator<ObjectNode> change, boolean dryRun);

    /**
     * The object an update through the main resource would store: {@code incoming} with what clients may not change
     * kept from {@code old}, defaulted, generation moved on a spec change, and validated.
     */
    ObjectNode updated(KindDescriptor kind, ObjectNode old, ObjectNode incoming);

    /** The request's body as an object of {@code kind} (or its subresource's kind), kind and apiVersion filled in. */
    ObjectNode body(KindDescriptor kind, ApiRequest request);


    /**
     * Deletes one object as a delete request would (finalizers hold it; the kind's rules apply).
     *
     * @return the object as the delete left it (marked as being deleted while finalizers hold it)
     */
    ObjectNode delete(KindDescriptor kind, String namespace, String name);

    /**
     * Whether {@code claim} (see {@link KindStrategy#claims}) is free for the object {@code namespace/name} of
     * {@code kind}: held by no object, or by that object itself.
     */
    boolean claimFree(KindDescriptor kind, String namespace, String name, String claim);

    /** The issuer (and verifier) of this API server's service account tokens. */
    ServiceAccountTokens serviceAccountTokens();

    /** The registry of kinds served. */
    KindRegistry registry();

    /** Now, on the cluster's clock. */
    Instant now();

    /** What recognises bearer tokens (a TokenReview asks it): the service account tokens this server issued. */
    TokenAuthenticator tokenAuthenticator();
}

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

    /** The objects of {@code kind} in {@code namespace} (all namespaces when null), as a LIST without selectors. */
    List<ObjectNode> list(KindDescriptor kind, String namespace);

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

    /** The registry of kinds served. */
    KindRegistry registry();

    /** Now, on the cluster's clock. */
    Instant now();

    /** What recognises bearer tokens (a TokenReview asks it): the service account tokens this server issued. */
    TokenAuthenticator tokenAuthenticator();
}

package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import java.time.Instant;
import java.util.List;

/**
 * A subresource served as the whole object, whose writes (PUT, or PATCH of the object) change only what the
 * subresource owns, as kube registers a second store with its own update strategy: a CertificateSigningRequest's
 * {@code approval}, through which alone its Approved and Denied conditions change.
 */
public final class UpdateSubresource implements Subresource {

    /** What a write through the subresource stores. */
    @FunctionalInterface
    public interface Update {

        /**
         * The object to store, from the stored one and the one the client sent (or the patch made), as the
         * subresource strategy's PrepareForUpdate and ValidateUpdate together.
         *
         * @throws ApiException a 422 Invalid (see {@link Errors#invalid}) for an update the rules refuse
         */
        ObjectNode apply(ObjectNode old, ObjectNode incoming, Instant now);
    }

    private final Update update;

    public UpdateSubresource(Update update) {
        this.update = update;
    }

    @Override
    public String kind() {
        return null;
    }

    @Override
    public List<String> verbs() {
        return List.of("get", "patch", "update");
    }

    @Override
    public ApiResponse serve(ApiRequest req, KindDescriptor kind, ResourceStorage storage) {
        boolean dryRun = "All".equals(req.param("dryRun"));
        ObjectNode written = switch (req.verb()) {
            case GET -> storage.get(kind, req.namespace(), req.name());
            case UPDATE -> {
                ObjectNode incoming = storage.body(kind, req);
                String name = Json.name(incoming);
                if (name == null || !name.equals(req.name())) {
                    throw ApiException.of(400, "BadRequest", "the name of the object (" + (name == null ? "" : name)
                            + ") does not match the name on the URL (" + req.name() + ")");
                }
                String rv = Json.resourceVersion(incoming);
                long expected = rv == null || rv.isEmpty() ? -1 : ApiServer.parseResourceVersion(rv);
                yield storage.write(kind, req.namespace(), req.name(), expected == 0 ? -1 : expected,
                        old -> update.apply(old, incoming, storage.now()), dryRun);
            }
            case PATCH -> {
                String type = Patches.checkType(Patches.mediaType(req));
                if (req.body() == null) {
                    throw ApiException.of(400, "BadRequest", "the body of the request was in an unknown format");
                }
                yield storage.write(kind, req.namespace(), req.name(), -1, old -> {
                    JsonNode patched = Patches.apply(type, old.deepCopy(), req.body());
                    if (!(patched instanceof ObjectNode result)) {
                        throw ApiException.of(422, "Invalid", "the patch does not produce an object");
                    }
                    ObjectNode incoming = TypeMeta.of(kind, null).patched(result, type.equals(Patches.STRATEGIC),
                            storage.registry());
                    String rv = Json.resourceVersion(incoming);
                    if (rv != null && !rv.equals(Json.resourceVersion(old))) {
                        throw Errors.conflict(kind, req.name());
                    }
                    return update.apply(old, incoming, storage.now());
                }, dryRun);
            }
            default -> throw ApiException.of(405, "MethodNotAllowed", "the server does not allow this method on the "
                    + "requested resource");
        };
        return new ApiResponse(200, written);
    }
}

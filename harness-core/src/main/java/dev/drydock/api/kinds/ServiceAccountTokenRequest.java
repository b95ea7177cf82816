package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.Errors;
import dev.drydock.api.FieldError;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.ResourceStorage;
import dev.drydock.api.ServiceAccountTokens;
import dev.drydock.api.Subresource;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code serviceaccounts/<name>/token}: a TokenRequest ({@code authentication.k8s.io/v1}) answered with a token
 * for the service account, as kube's {@code TokenREST}: audiences default to the API server's own, the lifetime to
 * an hour (at least 10 minutes, at most 2^32 seconds), and a token may be bound to a Pod, Secret or Node, which must
 * exist. The token is issued (and later recognised) by {@link ServiceAccountTokens}.
 */
final class ServiceAccountTokenRequest implements Subresource {

    private static final String GROUP = "authentication.k8s.io";
    private static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    private static final long MIN_EXPIRATION_SECONDS = 600;

    @Override
    public String kind() {
        return "TokenRequest";
    }

    @Override
    public String groupVersion() {
        return GROUP + "/v1";
    }

    @Override
    public List<String> verbs() {
        return List.of("create");
    }

    @Override
    public ApiResponse serve(ApiRequest req, KindDescriptor kind, ResourceStorage storage) {
        if (req.verb() != ApiRequest.Verb.CREATE) {
            throw ApiException.of(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                    + "resource");
        }
        ObjectNode request = storage.body(kind, req);
        String name = req.name();
        String namespace = req.namespace();
        String bodyName = Json.name(request);
        if (bodyName != null && !bodyName.isEmpty() && !bodyName.equals(name)) {
            throw invalid(name, FieldError.invalid("metadata.name", bodyName, "must match the service account name if "
                    + "specified"));
        }
        String bodyNamespace = Json.namespace(request);
        if (bodyNamespace != null && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
            throw invalid(name, FieldError.invalid("metadata.namespace", bodyNamespace, "must match the service "
                    + "account namespace if specified"));
        }
        ObjectNode account = storage.get(kind, namespace, name);
        ObjectNode spec = Json.with(request, "spec");
        if (!spec.hasNonNull("expirationSeconds")) {
            spec.put("expirationSeconds", DEFAULT_EXPIRATION_SECONDS);
        }
        long seconds = spec.path("expirationSeconds").asLong();
        if (seconds < MIN_EXPIRATION_SECONDS) {
            throw invalid(name, FieldError.invalidRaw("spec.expirationSeconds", Long.toString(seconds),
                    "may not specify a duration less than 10 minutes"));
        }
        if (seconds > 1L << 32) {
            throw invalid(name, FieldError.invalidRaw("spec.expirationSeconds", Long.toString(seconds),
                    "may not specify a duration larger than 2^32 seconds"));
        }
        ServiceAccountTokens.BoundObject bound = bind(spec.get("boundObjectRef"), name, namespace, storage);
        List<String> audiences = new ArrayList<>();
        spec.path("audiences").forEach(a -> audiences.add(a.asText()));
        if (audiences.isEmpty()) {
            audiences.add(ServiceAccountTokens.ISSUER);
            ArrayNode array = spec.putArray("audiences");
            audiences.forEach(array::add);
        }
        Instant now = storage.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plusSeconds(seconds);
        String token = storage.serviceAccountTokens().issue(new ServiceAccountTokens.Claims(namespace, name,
                Json.uid(account), audiences, now, expires, bound));
        ObjectNode meta = Json.with(request, "metadata");
        meta.put("name", name);
        meta.put("namespace", namespace);
        if (!meta.has("creationTimestamp")) {
            meta.putNull("creationTimestamp");
        }
        ObjectNode status = request.putObject("status");
        status.put("token", token);
        status.put("expirationTimestamp", expires.toString());
        return new ApiResponse(201, request);
    }

    /** The object a token is bound to, checked as kube checks it, or null. */
    private static ServiceAccountTokens.BoundObject bind(JsonNode ref, String account, String namespace,
                                                         ResourceStorage storage) {
        if (ref == null || ref.isNull()) {
            return null;
        }
        String kindName = ServiceStrategy.text(ref, "kind");
        String apiVersion = ServiceStrategy.text(ref, "apiVersion");
        String name = ServiceStrategy.text(ref, "name");
        KindDescriptor kind = apiVersion.equals("v1") && List.of("Pod", "Secret", "Node").contains(kindName)
                ? storage.registry().findKind("v1", kindName) : null;
        if (kind == null) {
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
            throw ApiException.of(400, "BadRequest", "cannot bind token to object of type " + group + "/" + version
                    + ", Kind=" + kindName);
        }
        ObjectNode obj = storage.get(kind, kind.resource().namespaced() ? namespace : null, name);
        if (kindName.equals("Pod")) {
            String podAccount = ServiceStrategy.text(obj.path("spec"), "serviceAccountName");
            // A pod without one runs as "default", which kube's ServiceAccount admission would have written.
            if (!(podAccount.isEmpty() ? "default" : podAccount).equals(account)) {
                throw ApiException.of(400, "BadRequest", "cannot bind token for serviceaccount \"" + account
                        + "\" to pod running with different serviceaccount name.");
            }
        }
        String uid = ServiceStrategy.text(ref, "uid");
        if (!uid.isEmpty() && !uid.equals(Json.uid(obj))) {
            throw ApiException.of(409, "Conflict", "Operation cannot be fulfilled on " + kindName + " \"" + name
                    + "\": the UID in the bound object reference (" + uid + ") does not match the UID in record. "
                    + "The object might have been deleted and then recreated", kind.resource(), name);
        }
        return new ServiceAccountTokens.BoundObject(kindName, name, Json.uid(obj));
    }

    private static ApiException invalid(String name, FieldError error) {
        return Errors.invalid(GROUP, "TokenRequest", name, List.of(error));
    }
}

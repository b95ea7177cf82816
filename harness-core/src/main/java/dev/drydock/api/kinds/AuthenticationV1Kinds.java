package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.ResourceStorage;
import dev.drydock.api.auth.TokenAuthenticator;
import dev.drydock.api.auth.UserInfo;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code authentication.k8s.io/v1}: TokenReview and SelfSubjectReview, create-only kinds answered as kube's
 * registries answer them. A TokenReview asks the API server's {@link TokenAuthenticator} who a bearer token stands
 * for: a token the {@code serviceaccounts/<name>/token} subresource issued authenticates as its service account;
 * any other is not authenticated. A SelfSubjectReview ({@code kubectl auth whoami}) answers with the caller, which
 * is drydock's admin while there is no authentication.
 */
public final class AuthenticationV1Kinds {

    static final String GROUP = "authentication.k8s.io";
    static final Resource TOKEN_REVIEWS = new Resource(GROUP, "v1", "tokenreviews", "TokenReview", false);
    static final Resource SELF_SUBJECT_REVIEWS = new Resource(GROUP, "v1", "selfsubjectreviews",
            "SelfSubjectReview", false);

    private AuthenticationV1Kinds() {
    }

    /** Adds TokenReview and SelfSubjectReview. */
    public static void register(KindRegistry registry) {
        registry.add(KindDescriptor.of(TOKEN_REVIEWS).createOnly(AuthenticationV1Kinds::tokenReview).build());
        registry.add(KindDescriptor.of(SELF_SUBJECT_REVIEWS)
                .createOnly(AuthenticationV1Kinds::selfSubjectReview).build());
    }

    /** kube's TokenReview REST: the request with {@code status} filled in. */
    private static ObjectNode tokenReview(ObjectNode review, ApiRequest req, ResourceStorage storage) {
        String token = review.path("spec").path("token").asText("");
        if (token.isEmpty()) {
            throw ApiException.of(400, "BadRequest", "token is required for TokenReview in authentication");
        }
        List<String> audiences = new ArrayList<>();
        review.path("spec").path("audiences").forEach(a -> audiences.add(a.asText()));
        Optional<TokenAuthenticator.Authenticated> result = storage.tokenAuthenticator()
                .authenticate(token, audiences, storage);
        ObjectNode meta = Json.with(review, "metadata");
        if (!meta.has("creationTimestamp")) {
            meta.putNull("creationTimestamp");
        }
        ObjectNode status = review.putObject("status");
        if (result.isEmpty()) {
            // a struct without omitempty: kube sends an empty user for a token it does not recognise
            status.putObject("user");
            status.put("error", "invalid bearer token");
            return review;
        }
        status.put("authenticated", true);
        status.set("user", result.get().user().toJson());
        if (!result.get().audiences().isEmpty()) {
            ArrayNode a = status.putArray("audiences");
            result.get().audiences().forEach(a::add);
        }
        return review;
    }

    /** kube's SelfSubjectReview REST: a new object whose {@code status.userInfo} is the caller. */
    private static ObjectNode selfSubjectReview(ObjectNode review, ApiRequest req, ResourceStorage storage) {
        ObjectNode out = Json.object();
        out.put("kind", SELF_SUBJECT_REVIEWS.kind());
        out.put("apiVersion", SELF_SUBJECT_REVIEWS.apiVersion());
        out.putObject("metadata").put("creationTimestamp",
                storage.now().truncatedTo(ChronoUnit.SECONDS).toString());
        out.putObject("status").set("userInfo", UserInfo.ADMIN.toJson());
        return out;
    }
}

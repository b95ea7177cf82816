package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.auth.TokenAuthenticator;
import dev.drydock.api.auth.UserInfo;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Resource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * authentication.k8s.io/v1 TokenReview and SelfSubjectReview: answered, never stored. The tokens here come from a
 * stand-in authenticator; the service account tokens the API server issues are recognised through the same
 * {@link TokenAuthenticator}.
 */
class TokenReviewTest extends KindTestSupport {

    static final Resource TOKEN_REVIEWS = new Resource("authentication.k8s.io", "v1", "tokenreviews", "TokenReview",
            false);
    static final Resource SELF_SUBJECT_REVIEWS = new Resource("authentication.k8s.io", "v1", "selfsubjectreviews",
            "SelfSubjectReview", false);

    /** Recognises one token, good for the API server's audience or {@code vault}. */
    static final TokenAuthenticator ONE_TOKEN = (token, audiences, storage) -> {
        if (!token.equals("builder-token")) {
            return Optional.empty();
        }
        List<String> good = List.of("https://kubernetes.default.svc.cluster.local", "vault");
        List<String> wanted = audiences.isEmpty() ? List.of(good.get(0)) : audiences;
        List<String> matched = wanted.stream().filter(good::contains).toList();
        return matched.isEmpty() ? Optional.empty() : Optional.of(new TokenAuthenticator.Authenticated(
                UserInfo.serviceAccount(NS, "builder", "uid-1", Map.of()), matched));
    };

    JsonNode review(String token, String audiences) {
        return client.create(TOKEN_REVIEWS, null, json("{'apiVersion':'authentication.k8s.io/v1','kind':"
                + "'TokenReview','spec':{'token':'" + token + "','audiences':" + audiences + "}}"));
    }

    @Test
    void aRecognisedTokenAuthenticatesAsItsServiceAccount() {
        api.tokenAuthenticator(ONE_TOKEN);

        JsonNode status = review("builder-token", "[]").path("status");

        assertThat(status.path("authenticated").asBoolean()).isTrue();
        assertThat(status.path("user").path("username").asText())
                .isEqualTo("system:serviceaccount:default:builder");
        assertThat(status.path("user").path("uid").asText()).isEqualTo("uid-1");
        assertThat(texts(status.path("user").path("groups"))).containsExactly("system:serviceaccounts",
                "system:serviceaccounts:default", "system:authenticated");
        assertThat(texts(status.path("audiences"))).containsExactly("https://kubernetes.default.svc.cluster.local");
        assertThat(texts(review("builder-token", "['vault','other']").path("status").path("audiences")))
                .containsExactly("vault");
    }

    @Test
    void anyOtherTokenIsNotAuthenticated() {
        api.tokenAuthenticator(ONE_TOKEN);

        JsonNode answer = review("forged", "[]");

        assertThat(answer.path("status").path("authenticated").asBoolean()).isFalse();
        assertThat(answer.path("status").path("user").isEmpty()).isTrue();
        assertThat(answer.path("status").path("error").asText()).isEqualTo("invalid bearer token");
        assertThat(answer.path("spec").path("token").asText()).isEqualTo("forged");
        assertThat(review("builder-token", "['other']").path("status").path("authenticated").asBoolean())
                .as("a token for other audiences").isFalse();
    }

    @Test
    void aTokenFromTheTokenSubresourceAuthenticatesAsItsServiceAccount() {
        client.create(dev.drydock.api.kinds.CoreV1Kinds.SERVICE_ACCOUNTS, NS, json("{'metadata':{'name':'ci'}}"));
        JsonNode issued = call(dev.drydock.kube.ApiRequest.Verb.CREATE,
                dev.drydock.api.kinds.CoreV1Kinds.SERVICE_ACCOUNTS, NS, "ci", "token", Map.of(),
                json("{'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','spec':{}}"), null).body();
        String token = issued.path("status").path("token").asText();

        JsonNode status = review(token, "[]").path("status");

        assertThat(status.path("authenticated").asBoolean()).as("%s", status).isTrue();
        assertThat(status.path("user").path("username").asText()).isEqualTo("system:serviceaccount:default:ci");
        assertThat(review(token + "x", "[]").path("status").path("authenticated").asBoolean()).isFalse();
        client.delete(dev.drydock.api.kinds.CoreV1Kinds.SERVICE_ACCOUNTS, NS, "ci");
        assertThat(review(token, "[]").path("status").path("authenticated").asBoolean())
                .as("the account is gone").isFalse();
    }

    @Test
    void withNoAuthenticatorNoTokenAuthenticatesAndATokenIsRequired() {
        api.tokenAuthenticator(TokenAuthenticator.NONE);
        assertThat(review("builder-token", "[]").path("status").path("authenticated").asBoolean()).isFalse();

        ApiException e = failure(() -> client.create(TOKEN_REVIEWS, null, json("{'spec':{}}")));

        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("token is required for TokenReview in authentication");
    }

    @Test
    void tokenReviewsAreNotStoredAndOnlyCreated() {
        long revision = store.revision();
        review("x", "[]");

        assertThat(store.revision()).isEqualTo(revision);
        assertThat(failure(() -> client.list(TOKEN_REVIEWS, null, Map.of())).code()).isEqualTo(405);
        assertThat(texts(discovered("authentication.k8s.io", "tokenreviews").path("verbs"))).containsExactly("create");
    }

    @Test
    void aSelfSubjectReviewAnswersWithTheCaller() {
        JsonNode answer = client.create(SELF_SUBJECT_REVIEWS, null, json("{'apiVersion':'authentication.k8s.io/v1',"
                + "'kind':'SelfSubjectReview'}"));

        assertThat(answer.path("kind").asText()).isEqualTo("SelfSubjectReview");
        assertThat(answer.path("status").path("userInfo").path("username").asText()).isEqualTo("kubernetes-admin");
        assertThat(texts(answer.path("status").path("userInfo").path("groups")))
                .containsExactly("system:masters", "system:authenticated");
    }
}

package dev.drydock.api.auth;

import dev.drydock.api.ResourceStorage;
import java.util.List;
import java.util.Optional;

/**
 * Recognises bearer tokens, as kube's token authenticators: a TokenReview asks it who a token stands for. The
 * tokens that the {@code serviceaccounts/<name>/token} subresource issues authenticate as their service account
 * ({@link UserInfo#serviceAccount}); anything else is not recognised.
 */
@FunctionalInterface
public interface TokenAuthenticator {

    /**
     * Who {@code token} stands for, if this authenticator recognises it and it is good for one of {@code audiences}.
     *
     * @param audiences the audiences the caller asks for (a TokenReview's {@code spec.audiences}); empty for the API
     *                  server's own
     * @return the user and the audiences (among those asked for) the token is good for; empty if the token is not
     *         recognised, has expired, or was issued for other audiences
     */
    Optional<Authenticated> authenticate(String token, List<String> audiences, ResourceStorage storage);

    /** A recognised token: the user it stands for and the audiences it is good for. */
    record Authenticated(UserInfo user, List<String> audiences) {

        public Authenticated {
            audiences = List.copyOf(audiences);
        }
    }

    /** Recognises no token. */
    TokenAuthenticator NONE = (token, audiences, storage) -> Optional.empty();
}

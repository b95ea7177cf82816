package dev.drydock.api;

import dev.drydock.kube.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The opaque {@code continue} token of a paged list: the revision the first page read and the key to go on from. */
final class ContinueToken {

    private ContinueToken() {
    }

    static String encode(long revision, String key) {
        return Base64.getUrlEncoder().encodeToString((revision + "\n" + key).getBytes(StandardCharsets.UTF_8));
    }

    static String[] decode(String token) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", 2);
            Long.parseLong(parts[0]);
            if (parts.length != 2) {
                throw new IllegalArgumentException();
            }
            return parts;
        } catch (IllegalArgumentException e) {
            throw ApiException.of(400, "BadRequest", "continue key is not valid: " + token);
        }
    }
}

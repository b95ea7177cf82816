package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The service account tokens of one API server, and the one place that maps a token to the service account it
 * stands for: the {@code serviceaccounts/<name>/token} subresource issues them (kube's TokenRequest), and
 * authentication (bearer tokens, TokenReview) recognises them with {@link #authenticate}.
 *
 * <p>A token is a JWT with kube's claims ({@code iss}, {@code sub} {@code system:serviceaccount:<ns>:<name>},
 * {@code aud}, {@code exp}, {@code iat}, {@code nbf}, {@code jti} and the {@code kubernetes.io} claim naming the
 * namespace, the service account and any bound object, each with its uid). kube signs with RS256 under the API
 * server's service account key; drydock signs with HS256 under a key derived from the cluster's seed, so that an API
 * server started again over the same store and seed recognises the tokens it issued before.
 */
public final class ServiceAccountTokens {

    /** kube's default issuer (and so its default audience) in kind and kubeadm clusters. */
    public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

    private static final Resource SERVICE_ACCOUNTS = new Resource("", "v1", "serviceaccounts", "ServiceAccount", true);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
            .getBytes(StandardCharsets.UTF_8));

    private final byte[] key;
    private final Random jtiSource;

    /** The tokens of a cluster whose seed is {@code seed}: the same seed signs (and recognises) the same tokens. */
    public ServiceAccountTokens(long seed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("drydock service account signing key".getBytes(StandardCharsets.UTF_8));
            sha.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
            this.key = sha.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        this.jtiSource = new Random(seed ^ 0x5eed70c3L);
    }

    /**
     * What a token says, as kube's service account token claims.
     *
     * @param boundObject the Pod, Secret or Node the token is bound to, or null
     */
    public record Claims(String namespace, String serviceAccountName, String serviceAccountUid, List<String> audiences,
                         Instant issuedAt, Instant expiresAt, BoundObject boundObject) {

        public Claims {
            audiences = List.copyOf(audiences);
        }

        /** The user name kube's authenticator gives the token: {@code system:serviceaccount:<ns>:<name>}. */
        public String username() {
            return "system:serviceaccount:" + namespace + ":" + serviceAccountName;
        }

        /** The groups kube's authenticator gives a service account. */
        public List<String> groups() {
            return List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated");
        }
    }

    /** An object a token is bound to: it is valid only while that object exists with this uid. */
    public record BoundObject(String kind, String name, String uid) {
    }

    /** A signed token carrying {@code claims}. */
    public String issue(Claims claims) {
        ObjectNode payload = Json.object();
        ArrayNode aud = payload.putArray("aud");
        claims.audiences().forEach(aud::add);
        payload.put("exp", claims.expiresAt().getEpochSecond());
        payload.put("iat", claims.issuedAt().getEpochSecond());
        payload.put("iss", ISSUER);
        payload.put("jti", nextJti());
        ObjectNode k8s = payload.putObject("kubernetes.io");
        k8s.put("namespace", claims.namespace());
        BoundObject bound = claims.boundObject();
        if (bound != null) {
            k8s.putObject(bound.kind().toLowerCase()).put("name", bound.name()).put("uid", bound.uid());
        }
        k8s.putObject("serviceaccount").put("name", claims.serviceAccountName())
                .put("uid", claims.serviceAccountUid());
        payload.put("nbf", claims.issuedAt().getEpochSecond());
        payload.put("sub", claims.username());
        String signed = HEADER + "." + B64.encodeToString(Json.bytes(payload));
        return signed + "." + B64.encodeToString(sign(signed));
    }

    /**
     * The claims of a token this API server signed and whose validity window holds {@code now}; empty for anything
     * else. Whether the service account (and bound object) still exist is {@link #authenticate}'s to check.
     */
    public Optional<Claims> verify(String token, Instant now) {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(HEADER)) {
            return Optional.empty();
        }
        byte[] signature;
        JsonNode payload;
        try {
            signature = B64_DECODE.decode(parts[2]);
            payload = Json.parse(B64_DECODE.decode(parts[1]));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(signature, sign(parts[0] + "." + parts[1])) || payload == null
                || !ISSUER.equals(payload.path("iss").asText())) {
            return Optional.empty();
        }
        Instant notBefore = Instant.ofEpochSecond(payload.path("nbf").asLong());
        Instant expires = Instant.ofEpochSecond(payload.path("exp").asLong());
        if (now.isBefore(notBefore) || !now.isBefore(expires)) {
            return Optional.empty();
        }
        JsonNode k8s = payload.path("kubernetes.io");
        List<String> audiences = new ArrayList<>();
        payload.path("aud").forEach(a -> audiences.add(a.asText()));
        BoundObject bound = null;
        for (String kind : List.of("Pod", "Secret", "Node")) {
            JsonNode ref = k8s.get(kind.toLowerCase());
            if (ref != null) {
                bound = new BoundObject(kind, ref.path("name").asText(), ref.path("uid").asText());
            }
        }
        return Optional.of(new Claims(k8s.path("namespace").asText(), k8s.path("serviceaccount").path("name")
                .asText(), k8s.path("serviceaccount").path("uid").asText(), audiences,
                Instant.ofEpochSecond(payload.path("iat").asLong()), expires, bound));
    }

    /**
     * The identity of a bearer token as kube's service account authenticator finds it: a token {@link #verify}
     * accepts, whose service account still exists with the uid the token names, and whose bound object (if any)
     * still exists with its uid and is not being deleted. Empty when the token is not (or no longer) valid.
     */
    public Optional<Claims> authenticate(String token, ResourceStorage storage) {
        Optional<Claims> claims = verify(token, storage.now());
        if (claims.isEmpty()) {
            return claims;
        }
        Claims c = claims.get();
        KindDescriptor accounts = storage.registry().find(SERVICE_ACCOUNTS);
        ObjectNode account = accounts == null ? null
                : storage.find(accounts, c.namespace(), c.serviceAccountName());
        if (account == null || !c.serviceAccountUid().equals(Json.uid(account))) {
            return Optional.empty();
        }
        BoundObject bound = c.boundObject();
        if (bound != null) {
            boolean namespaced = !bound.kind().equals("Node");
            KindDescriptor kind = storage.registry().findKind("v1", bound.kind());
            ObjectNode obj = kind == null ? null
                    : storage.find(kind, namespaced ? c.namespace() : null, bound.name());
            if (obj == null || !bound.uid().equals(Json.uid(obj)) || Json.isDeleting(obj)) {
                return Optional.empty();
            }
        }
        return claims;
    }

    private byte[] sign(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256", e);
        }
    }

    /** A version 4 UUID from the cluster's seed, as kube's random {@code jti}. */
    private String nextJti() {
        long msb;
        long lsb;
        synchronized (jtiSource) {
            msb = jtiSource.nextLong();
            lsb = jtiSource.nextLong();
        }
        return new UUID(msb & ~0xF000L | 0x4000L, lsb & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L).toString();
    }
}

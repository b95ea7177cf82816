package dev.drydock.api.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The client identities a cluster hands out: each a name, a bearer token of its own, and the network party its
 * requests are attributed to ({@code client:<name>}), so that one client (the operator under test) can be cut off or
 * served faults while the others (the test itself) still reach the API. A request over HTTP is attributed by the
 * {@code Authorization: Bearer} token it carries; a request with no token, or one that is not an identity's, is the
 * test's ({@link dev.drydock.net.Network#TEST}), as before identities existed.
 *
 * <p>drydock does not authorize requests yet: every identity's user is in {@code system:masters}, as an admin
 * kubeconfig's is. TokenReviews recognise identities' tokens.
 */
public final class Identities {

    /** What every identity's party name starts with: identity {@code operator} is party {@code client:operator}. */
    public static final String PARTY_PREFIX = "client:";
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?");
    private static final String BEARER = "bearer ";

    /**
     * One identity.
     *
     * @param name  its name, as given ({@code operator})
     * @param token its bearer token
     * @param party the network party its requests are attributed to ({@code client:operator})
     * @param user  who its token authenticates as
     */
    public record Identity(String name, String token, String party, UserInfo user) {
        @Override
        public String toString() {
            return party; // never the token
        }
    }

    private final long seed;
    private final Map<String, Identity> byName = new ConcurrentHashMap<>();
    private final Map<String, Identity> byToken = new ConcurrentHashMap<>();

    /** @param seed the cluster's seed: tokens are drawn from it, so a replayed run hands out the same ones */
    public Identities(long seed) {
        this.seed = seed;
    }

    /**
     * The identity named {@code name}, made on first use; the same one on every later call.
     *
     * @throws IllegalArgumentException if the name is not a lowercase DNS-1123 subdomain of at most 63 characters
     */
    public Identity identity(String name) {
        Identity known = byName.get(name == null ? "" : name);
        if (known != null) {
            return known;
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an identity's name must be lowercase letters, digits, '-' and '.', "
                    + "starting and ending with a letter or digit, at most 63 characters (e.g. 'operator'); got '"
                    + name + "'");
        }
        synchronized (this) {
            return byName.computeIfAbsent(name, n -> {
                // a name's token depends on the seed and the name only, not on the order identities were made in
                SplittableRandom random = new SplittableRandom(seed ^ (long) n.hashCode() * 0x9E3779B97F4A7C15L);
                String token = "drydock." + n + "." + Long.toHexString(random.nextLong())
                        + Long.toHexString(random.nextLong());
                Identity id = new Identity(n, token, PARTY_PREFIX + n,
                        new UserInfo(n, "", List.of(UserInfo.SYSTEM_MASTERS, UserInfo.AUTHENTICATED), Map.of()));
                byToken.put(token, id);
                return id;
            });
        }
    }

    /** The identity named {@code name}, if one was made. */
    public Optional<Identity> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /** The names of the identities made so far, sorted. */
    public Set<String> names() {
        return new TreeSet<>(byName.keySet());
    }

    /** The identity whose bearer token this is, if any. */
    public Optional<Identity> byToken(String token) {
        return Optional.ofNullable(token == null ? null : byToken.get(token));
    }

    /**
     * The identity an HTTP request's {@code Authorization} header names ({@code Bearer <token>}, the scheme in any
     * case), if any: null for no header, another scheme or an unknown token.
     */
    public Identity ofAuthorization(String header) {
        if (header == null || byToken.isEmpty() || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return byToken.get(header.substring(BEARER.length()).trim());
    }
}

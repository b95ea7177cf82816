package dev.drydock.base;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Where a cluster's randomness comes from: every random choice of a component is drawn from a generator derived from
 * the cluster's one seed and the component's name, so that streams of different components are unrelated and one
 * component's draws never shift another's. Where several threads draw for unrelated things (uids of objects created
 * by different clients, scheduler ties of different pods), a draw is keyed instead ({@link #digest}): it depends on
 * the seed and on what it is drawn for, not on how many draws other threads made before it.
 *
 * <pre>{@code
 * SplittableRandom ties = Seeds.generator(ctx.seed(), "scheduler/ties");
 * long pick = Seeds.digest(ctx.seed(), "scheduler/ties", namespace, name).getLong();
 * }</pre>
 *
 * <p>Derivations are SHA-256 over the seed and the names, so they are the same on every JVM and every run.
 */
public final class Seeds {

    private Seeds() {
    }

    /** The seed of {@code component}'s own generator, derived from the cluster's {@code seed}. */
    public static long derive(long seed, String component) {
        return digest(seed, component).getLong();
    }

    /** A generator of {@code component}'s own, derived from the cluster's {@code seed} (not thread-safe). */
    public static SplittableRandom generator(long seed, String component) {
        return new SplittableRandom(derive(seed, component));
    }

    /** {@link #generator} as a {@link Random}, for APIs that take one (thread-safe, but shared draws interleave). */
    public static Random random(long seed, String component) {
        return new Random(derive(seed, component));
    }

    /**
     * 32 bytes that depend only on {@code seed}, {@code component} and {@code parts} (each part's
     * {@code toString()}, kept apart from its neighbours): a keyed draw, the same for the same inputs on every run,
     * unrelated for different ones.
     */
    public static ByteBuffer digest(long seed, String component, Object... parts) {
        MessageDigest sha = sha256();
        sha.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
        update(sha, component);
        for (Object part : parts) {
            update(sha, String.valueOf(part));
        }
        return ByteBuffer.wrap(sha.digest());
    }

    /**
     * A fresh SHA-256: a copy of one looked up once, since a provider lookup costs more than hashing a few names
     * (the API server draws a uid for every create).
     */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) Sha256.PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return Sha256.lookUp();
        }
    }

    private static final class Sha256 {
        static final MessageDigest PROTOTYPE = lookUp();

        static MessageDigest lookUp() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JVM has no SHA-256", e); // every Java platform must have it
            }
        }
    }

    private static void update(MessageDigest sha, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array()); // "a"+"bc" differs from "ab"+"c"
        sha.update(bytes);
    }
}

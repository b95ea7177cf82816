package dev.drydock.api;

import dev.drydock.base.Murmur3;
import dev.drydock.base.Seeds;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The API server's uids and {@code generateName} suffixes, drawn from the cluster's seed and keyed by what they are
 * for, so that a replayed run gives the same object the same uid and name whatever other clients create meanwhile:
 * <ul>
 *   <li>a uid depends on the object's storage key and on how many objects of that key this API server has created
 *   before (a deleted and recreated object gets a new uid, as kube clients and the garbage collector assume);</li>
 *   <li>a generated name's suffix depends on the namespace, the resource, the prefix and how many names with that
 *   prefix were generated before (the pods of one ReplicaSet get the same names in the same order).</li>
 * </ul>
 * A uid is a version 4 UUID whose other 122 bits are a keyed MurmurHash3 (x64, 128 bits) of all that; a suffix is
 * drawn from {@link Seeds#digest}. Both also depend on the store's revision when the API server first needed one, so
 * an API server started again over the same store (whose creates all came after its predecessor's) never repeats a
 * uid of the one before. The counts are forgotten after {@link #REMEMBERED} keys; the draws then move to a new
 * generation, so uids stay unique while memory stays bounded.
 */
final class ObjectIds {

    /** How many keys' counts are kept before a new generation starts. */
    static final int REMEMBERED = 100_000;
    private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

    private final long seed;
    private final LongSupplier storeRevision;
    private final int remembered;
    private volatile long startRevision = -1;
    private final Map<String, Integer> created = new HashMap<>(); // guarded by this
    private final Map<String, Integer> generated = new HashMap<>(); // guarded by this
    private long generation; // guarded by this

    /**
     * @param seed          the cluster's seed
     * @param storeRevision reads the store's revision, once, at the first draw
     */
    ObjectIds(long seed, LongSupplier storeRevision) {
        this(seed, storeRevision, REMEMBERED);
    }

    /** @param remembered how many keys' counts are kept before a new generation starts */
    ObjectIds(long seed, LongSupplier storeRevision, int remembered) {
        this.seed = Seeds.derive(seed, "api/object-ids");
        this.storeRevision = storeRevision;
        this.remembered = remembered;
    }

    /** The store's revision at the first draw: read outside the lock, the first answer kept. */
    private long startRevision() {
        long r = startRevision;
        if (r < 0) {
            long read = storeRevision.getAsLong();
            synchronized (this) {
                if (startRevision < 0) {
                    startRevision = read;
                }
                r = startRevision;
            }
        }
        return r;
    }

    /** A version 4 UUID, as kube's {@code uuid.NewUUID}, for the next object stored under {@code key}. */
    String uid(String key) {
        long start = startRevision();
        long g;
        int n;
        synchronized (this) {
            g = rollIfFull();
            n = created.merge(key, 1, Integer::sum) - 1;
        }
        long[] h = uidHash(start, g, key, n);
        long msb = h[0] & ~0xF000L | 0x4000L;
        long lsb = h[1] & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /**
     * MurmurHash3 (x64, 128 bits) keyed by the seed, of the start revision, the generation, the count and the key:
     * fixed-width numbers first, so no two inputs run together. A uid needs to be unique in practice, not
     * unguessable, and a SHA-256 per create cost more than the rest of drawing it.
     */
    private long[] uidHash(long start, long g, String key, int n) {
        int length = 20 + key.length() * 3; // enough for any UTF-8 of the key
        byte[] b = new byte[length];
        ByteBuffer buf = ByteBuffer.wrap(b).putLong(start).putLong(g).putInt(n);
        int at = buf.position();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x80) {
                b[at++] = (byte) c;
            } else {
                byte[] rest = key.substring(i).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(rest, 0, b, at, rest.length);
                at += rest.length;
                break;
            }
        }
        return Murmur3.hash128(b, at, seed);
    }

    /** Five characters of kube's alphabet for a name generated from {@code prefix} in {@code scope}. */
    String suffix(String scope, String prefix) {
        long start = startRevision();
        long g;
        int n;
        synchronized (this) {
            g = rollIfFull();
            n = generated.merge(scope + '\0' + prefix, 1, Integer::sum) - 1;
        }
        ByteBuffer d = Seeds.digest(seed, "generateName", start, g, scope, prefix, n);
        StringBuilder s = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            s.append(NAME_CHARS.charAt(Math.floorMod(d.getInt(), NAME_CHARS.length())));
        }
        return s.toString();
    }

    private long rollIfFull() {
        if (created.size() + generated.size() >= remembered) {
            created.clear();
            generated.clear();
            generation++;
        }
        return generation;
    }
}

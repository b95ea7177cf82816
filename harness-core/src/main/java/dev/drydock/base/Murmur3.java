package dev.drydock.base;

/**
 * MurmurHash3's x64 128-bit variant (Austin Appleby's published, public-domain algorithm), written here from its
 * description: a fast non-cryptographic hash whose 128 bits are well mixed, for keyed draws that come too often for
 * {@link Seeds#digest}'s SHA-256 (a uid per create). Its seed is 64 bits wide; a seed below 2<sup>32</sup> gives the
 * reference implementation's hash.
 *
 * <pre>{@code
 * long[] h = Murmur3.hash128(bytes, bytes.length, seed); // h[0], h[1]: the hash's first and second 8 bytes
 * }</pre>
 */
public final class Murmur3 {

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private Murmur3() {
    }

    /**
     * The 128-bit hash of the first {@code length} bytes of {@code data}, as the two little-endian 64-bit halves the
     * reference implementation writes ({@code h1}, {@code h2}).
     */
    public static long[] hash128(byte[] data, int length, long seed) {
        long h1 = seed;
        long h2 = seed;
        int blocks = length / 16;
        for (int i = 0; i < blocks; i++) {
            long k1 = littleEndian(data, i * 16, 8);
            long k2 = littleEndian(data, i * 16 + 8, 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = blocks * 16;
        int rest = length & 15;
        if (rest > 8) {
            h2 ^= mixK2(littleEndian(data, tail + 8, rest - 8));
        }
        if (rest > 0) {
            h1 ^= mixK1(littleEndian(data, tail, Math.min(rest, 8)));
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        h2 += h1;
        return new long[] {h1, h2};
    }

    /** {@code n} (1 to 8) bytes from {@code at}, the first the lowest. */
    private static long littleEndian(byte[] data, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (data[at + i] & 0xFFL);
        }
        return v;
    }

    private static long mixK1(long k1) {
        return Long.rotateLeft(k1 * C1, 31) * C2;
    }

    private static long mixK2(long k2) {
        return Long.rotateLeft(k2 * C2, 33) * C1;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}

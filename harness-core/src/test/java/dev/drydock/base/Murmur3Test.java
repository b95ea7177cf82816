package dev.drydock.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** MurmurHash3 x64-128 gives the reference implementation's hashes (vectors from Guava's implementation of it). */
class Murmur3Test {

    static String hash(String text, long seed) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        long[] h = Murmur3.hash128(b, b.length, seed);
        return String.format("%016x %016x", h[0], h[1]);
    }

    @Test
    void givesTheReferenceHashesForEveryLengthOfTail() {
        assertThat(hash("", 0)).isEqualTo("0000000000000000 0000000000000000");
        assertThat(hash("a", 0)).isEqualTo("85555565f6597889 e6b53a48510e895a");
        assertThat(hash("abcdefgh", 0)).isEqualTo("cc8a0ab037ef8c02 48890d60eb6940a1");
        assertThat(hash("abcdefghi", 0)).isEqualTo("0547c0cff13c7964 79b53df5b741e033");
        assertThat(hash("0123456789abcdef", 0)).isEqualTo("4be06d94cf4ad1a7 87c35b5c63a708da");
        assertThat(hash("0123456789abcdefX", 0)).isEqualTo("cdebd2acb570d6f7 8f72119782104b27");
        assertThat(hash("The quick brown fox jumps over the lazy dog", 0))
                .isEqualTo("e34bbc7bbc071b6c 7a433ca9c49a9347");
        assertThat(hash("The quick brown fox jumps over the lazy dog", 42))
                .isEqualTo("740dcf93fe0bd5d7 c4546cf4ec705c8f");
        assertThat(hash("", 1)).isEqualTo("4610abe56eff5cb5 51622daa78f83583");
    }

    @Test
    void readsOnlyTheGivenLength() {
        byte[] b = "abcdefghiXYZ".getBytes(StandardCharsets.UTF_8);
        long[] h = Murmur3.hash128(b, 9, 0);
        assertThat(String.format("%016x %016x", h[0], h[1])).isEqualTo(hash("abcdefghi", 0));
    }
}

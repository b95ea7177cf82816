package dev.drydock.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * HTTP/2's header compression (RFC 7541), as much as a client of one gRPC call needs: a decoder of header blocks
 * (static and dynamic table, integers, Huffman-coded strings), and an encoder that writes literals only, never
 * indexed or Huffman-coded, which every decoder must read.
 */
final class Hpack {

    /** RFC 7541 appendix A: the static table, from index 1. */
    private static final String[][] STATIC = {
        {":authority", ""}, {":method", "GET"}, {":method", "POST"}, {":path", "/"}, {":path", "/index.html"},
        {":scheme", "http"}, {":scheme", "https"}, {":status", "200"}, {":status", "204"}, {":status", "206"},
        {":status", "304"}, {":status", "400"}, {":status", "404"}, {":status", "500"}, {"accept-charset", ""},
        {"accept-encoding", "gzip, deflate"}, {"accept-language", ""}, {"accept-ranges", ""}, {"accept", ""},
        {"access-control-allow-origin", ""}, {"age", ""}, {"allow", ""}, {"authorization", ""},
        {"cache-control", ""}, {"content-disposition", ""}, {"content-encoding", ""}, {"content-language", ""},
        {"content-length", ""}, {"content-location", ""}, {"content-range", ""}, {"content-type", ""},
        {"cookie", ""}, {"date", ""}, {"etag", ""}, {"expect", ""}, {"expires", ""}, {"from", ""}, {"host", ""},
        {"if-match", ""}, {"if-modified-since", ""}, {"if-none-match", ""}, {"if-range", ""},
        {"if-unmodified-since", ""}, {"last-modified", ""}, {"link", ""}, {"location", ""}, {"max-forwards", ""},
        {"proxy-authenticate", ""}, {"proxy-authorization", ""}, {"range", ""}, {"referer", ""}, {"refresh", ""},
        {"retry-after", ""}, {"server", ""}, {"set-cookie", ""}, {"strict-transport-security", ""},
        {"transfer-encoding", ""}, {"user-agent", ""}, {"vary", ""}, {"via", ""}, {"www-authenticate", ""},
    };

    /**
     * RFC 7541 appendix B: the Huffman code's length in bits of each symbol (0 to 255, then EOS), as letters from
     * {@code A} (5 bits). The code is canonical: codes of one length follow each other in symbol order, the shorter
     * first, so these lengths make the whole table.
     */
    private static final String LENGTHS = "ISXXXXXXXTZXXZXXXXXXXXZXXXXXXXXXBFFHIBDGFFDGDBBBAAABBBBBBBCDKBHFIBCCCCCC"
            + "CCCCCCCCCCCCCCCCDCDIOIJBKABABABBBACCBBBABCBAABCCCCCKGJIXPRPPRRRSRSSSSSTSTTRSTSSSSQRSRSSTRQPRRSSQSRRTQRSSQ"
            + "QRQSRSSPRRRSRRSVVPORSRUVVVWWVTUOQVWWVWTQQVVXWWWPTPQRQQSRRUUTTVSVWVVWWWWWXWWWWWVZ";
    private static final int EOS = 256;
    /** The decoding tree: node {@code n}'s children are {@code TREE[2n]} (bit 0) and {@code TREE[2n+1]}; a leaf is -1-symbol. */
    private static final int[] TREE = tree();

    private static int[] tree() {
        int[] lengths = new int[257];
        Integer[] order = new Integer[257];
        for (int s = 0; s < 257; s++) {
            lengths[s] = LENGTHS.charAt(s) - 'A' + 5;
            order[s] = s;
        }
        java.util.Arrays.sort(order, (a, b) -> lengths[a] != lengths[b] ? lengths[a] - lengths[b] : a - b);
        int[] tree = new int[2 * 2 * 257];
        int nodes = 1; // node 0 is the root
        long code = 0;
        int previous = lengths[order[0]];
        for (int i = 0; i < order.length; i++) {
            int s = order[i];
            if (i > 0) {
                code = (code + 1) << (lengths[s] - previous);
            }
            previous = lengths[s];
            int node = 0;
            for (int bit = lengths[s] - 1; bit >= 0; bit--) {
                int slot = 2 * node + (int) ((code >>> bit) & 1);
                if (bit == 0) {
                    tree[slot] = -1 - s;
                } else {
                    if (tree[slot] == 0) {
                        tree[slot] = nodes++;
                    }
                    node = tree[slot];
                }
            }
        }
        return tree;
    }

    /** A malformed header block: the connection is broken (HTTP/2's COMPRESSION_ERROR). */
    static final class HpackException extends RuntimeException {
        HpackException(String message) {
            super(message);
        }
    }

    private final Deque<String[]> dynamic = new ArrayDeque<>(); // newest first
    private int dynamicSize;
    private int maxDynamicSize = 4096;

    /** Decodes one header block, in order; the dynamic table carries over to the next block. */
    List<Map.Entry<String, String>> decode(byte[] block) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        int[] at = {0};
        while (at[0] < block.length) {
            int b = block[at[0]] & 0xff;
            if ((b & 0x80) != 0) { // indexed field
                String[] f = entry(integer(block, at, 7));
                headers.add(Map.entry(f[0], f[1]));
            } else if ((b & 0x40) != 0) { // literal with incremental indexing
                String[] f = literal(block, at, 6);
                headers.add(Map.entry(f[0], f[1]));
                add(f);
            } else if ((b & 0x20) != 0) { // dynamic table size update
                int size = integer(block, at, 5);
                if (size > 4096) {
                    throw new HpackException("dynamic table size " + size + " over the 4096 allowed");
                }
                maxDynamicSize = size;
                evict();
            } else { // literal without indexing (0000) or never indexed (0001)
                String[] f = literal(block, at, 4);
                headers.add(Map.entry(f[0], f[1]));
            }
        }
        return headers;
    }

    private String[] literal(byte[] block, int[] at, int prefix) {
        int index = integer(block, at, prefix);
        String name = index == 0 ? string(block, at) : entry(index)[0];
        return new String[] {name, string(block, at)};
    }

    private String[] entry(int index) {
        if (index >= 1 && index <= STATIC.length) {
            return STATIC[index - 1];
        }
        int d = index - STATIC.length - 1;
        if (index < 1 || d >= dynamic.size()) {
            throw new HpackException("no header table entry " + index);
        }
        return dynamic.stream().skip(d).findFirst().orElseThrow();
    }

    private void add(String[] field) {
        dynamic.addFirst(field);
        dynamicSize += size(field);
        evict();
    }

    private void evict() {
        while (dynamicSize > maxDynamicSize && !dynamic.isEmpty()) {
            dynamicSize -= size(dynamic.removeLast());
        }
    }

    private static int size(String[] field) {
        return field[0].getBytes(StandardCharsets.ISO_8859_1).length
                + field[1].getBytes(StandardCharsets.ISO_8859_1).length + 32;
    }

    /** RFC 7541 5.1: an integer with an N-bit prefix. */
    static int integer(byte[] block, int[] at, int prefix) {
        int max = (1 << prefix) - 1;
        int value = block[at[0]++] & max;
        if (value < max) {
            return value;
        }
        for (int shift = 0; ; shift += 7) {
            if (at[0] >= block.length || shift > 21) {
                throw new HpackException("an integer runs past its header block or is too large");
            }
            int b = block[at[0]++] & 0xff;
            value += (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }

    /** RFC 7541 5.2: a string literal, Huffman-coded or not. */
    static String string(byte[] block, int[] at) {
        if (at[0] >= block.length) {
            throw new HpackException("a header block ends where a string was due");
        }
        boolean huffman = (block[at[0]] & 0x80) != 0;
        int length = integer(block, at, 7);
        if (at[0] + length > block.length) {
            throw new HpackException("a string runs past its header block");
        }
        int start = at[0];
        at[0] += length;
        return huffman ? huffman(block, start, length)
                : new String(block, start, length, StandardCharsets.ISO_8859_1);
    }

    /** Decodes {@code length} bytes of Huffman code; the padding must be at most 7 one bits (a prefix of EOS). */
    static String huffman(byte[] data, int offset, int length) {
        StringBuilder out = new StringBuilder(length * 8 / 5);
        int node = 0;
        int depth = 0;
        boolean allOnes = true;
        for (int i = offset; i < offset + length; i++) {
            for (int bit = 7; bit >= 0; bit--) {
                int b = (data[i] >>> bit) & 1;
                int next = TREE[2 * node + b];
                depth++;
                allOnes &= b == 1;
                if (next < 0) {
                    int symbol = -1 - next;
                    if (symbol == EOS) {
                        throw new HpackException("EOS in a Huffman-coded string");
                    }
                    out.append((char) symbol);
                    node = 0;
                    depth = 0;
                    allOnes = true;
                } else {
                    node = next;
                }
            }
        }
        if (depth > 7 || !allOnes) {
            throw new HpackException("a Huffman-coded string ends with bad padding");
        }
        return out.toString();
    }

    /** A header block of {@code headers} as literals without indexing, their names too. */
    static byte[] encode(List<Map.Entry<String, String>> headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> h : headers) {
            out.write(0x00);
            literal(out, h.getKey());
            literal(out, h.getValue());
        }
        return out.toByteArray();
    }

    private static void literal(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        integer(out, 0x00, 7, bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    /** RFC 7541 5.1: writes {@code value} with an N-bit prefix after {@code flags}' high bits. */
    static void integer(ByteArrayOutputStream out, int flags, int prefix, int value) {
        int max = (1 << prefix) - 1;
        if (value < max) {
            out.write(flags | value);
            return;
        }
        out.write(flags | max);
        value -= max;
        while (value >= 0x80) {
            out.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }
}

package dev.drydock.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A ustar archive written in memory: the root file system of an image drydock makes itself ({@code docker import}),
 * such as the pod sandbox's pause image. Regular files and symbolic links only, names under 100 bytes.
 */
final class Tar {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Adds a regular file with the given permission bits (e.g. {@code 0755}). */
    Tar file(String name, byte[] content, int mode) {
        header(name, content.length, mode, '0', "");
        out.writeBytes(content);
        pad(content.length);
        return this;
    }

    /** Adds a symbolic link {@code name} pointing at {@code target}. */
    Tar symlink(String name, String target) {
        header(name, 0, 0777, '2', target);
        return this;
    }

    /** The archive, closed by its two zero blocks. */
    byte[] bytes() {
        ByteArrayOutputStream done = new ByteArrayOutputStream();
        done.writeBytes(out.toByteArray());
        done.writeBytes(new byte[1024]);
        return done.toByteArray();
    }

    private void header(String name, long size, int mode, char type, String link) {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, octal(mode, 7));
        put(h, 108, 8, octal(0, 7));
        put(h, 116, 8, octal(0, 7));
        put(h, 124, 12, octal(size, 11));
        put(h, 136, 12, octal(0, 11));
        java.util.Arrays.fill(h, 148, 156, (byte) ' '); // the checksum counts itself as spaces
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, octal(sum, 6) + "\0 ");
        out.writeBytes(h);
    }

    private void pad(long size) {
        int rest = (int) (size % 512);
        if (rest != 0) {
            out.writeBytes(new byte[512 - rest]);
        }
    }

    private static String octal(long value, int digits) {
        String s = Long.toOctalString(value);
        return "0".repeat(Math.max(0, digits - s.length())) + s;
    }

    private static void put(byte[] h, int at, int length, String value) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        if (b.length > length) {
            throw new IllegalArgumentException("too long for a tar header field of " + length + ": " + value);
        }
        System.arraycopy(b, 0, h, at, b.length);
    }
}

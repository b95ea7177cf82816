package dev.drydock.api.streams;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The server's half of SPDY/3.1 framing, as much as kube's port-forward uses (kubectl's, through
 * {@code github.com/moby/spdystream}): it reads SYN_STREAM, DATA, RST_STREAM, PING and GOAWAY (and skips SETTINGS,
 * WINDOW_UPDATE and HEADERS, as spdystream does flow control of none), and writes SYN_REPLY, DATA, RST_STREAM, PING
 * and GOAWAY. Header blocks are zlib-compressed with SPDY/3's dictionary, one compression stream per direction for
 * the whole connection. Not thread-safe: one connection's frames are read on one thread, written under a lock.
 */
final class SpdyCodec {

    static final int VERSION = 3;
    static final int SYN_STREAM = 1;
    static final int SYN_REPLY = 2;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int PING = 6;
    static final int GOAWAY = 7;
    static final int HEADERS = 8;
    static final int WINDOW_UPDATE = 9;
    static final int FLAG_FIN = 0x01;
    /** RST_STREAM's status for a stream the server will not take. */
    static final int REFUSED_STREAM = 3;
    static final int CANCEL = 5;
    /** The largest frame payload SPDY's 24-bit length allows. */
    static final int MAX_LENGTH = 0xffffff;

    /** What a connection's frames mean to whoever reads them. */
    interface Handler {
        void synStream(int streamId, Map<String, String> headers, boolean fin);

        void data(int streamId, byte[] data, boolean fin);

        void rstStream(int streamId, int status);

        void ping(int id);

        void goAway(int lastGoodStreamId);
    }

    /** A connection that broke the protocol: it can only be closed. */
    static final class ProtocolError extends Exception {
        ProtocolError(String message) {
            super(message);
        }
    }

    private final Inflater inflater = new Inflater();
    private final Deflater deflater = new Deflater();
    private byte[] in = new byte[8192];
    private int inLength;

    /** SPDY/3's header compression dictionary (draft-mbelshe-httpbis-spdy-00, section 2.6.10.1). */
    static final byte[] DICTIONARY = dictionary();

    SpdyCodec() {
        deflater.setDictionary(DICTIONARY);
    }

    private static byte[] dictionary() {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        for (String word : List.of("options", "head", "post", "put", "delete", "trace", "accept", "accept-charset",
                "accept-encoding", "accept-language", "accept-ranges", "age", "allow", "authorization",
                "cache-control", "connection", "content-base", "content-encoding", "content-language",
                "content-length", "content-location", "content-md5", "content-range", "content-type", "date", "etag",
                "expect", "expires", "from", "host", "if-match", "if-modified-since", "if-none-match", "if-range",
                "if-unmodified-since", "last-modified", "location", "max-forwards", "pragma", "proxy-authenticate",
                "proxy-authorization", "range", "referer", "retry-after", "server", "te", "trailer",
                "transfer-encoding", "upgrade", "user-agent", "vary", "via", "warning", "www-authenticate",
                "method", "get", "status", "200 OK", "version", "HTTP/1.1", "url", "public", "set-cookie",
                "keep-alive", "origin")) {
            byte[] w = word.getBytes(StandardCharsets.US_ASCII);
            d.writeBytes(new byte[]{0, 0, 0, (byte) w.length});
            d.writeBytes(w);
        }
        d.writeBytes(("100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505"
                + "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 "
                + "Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service "
                + "UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, "
                + "Sat, Sun, GMTchunked,text/html,image/png,image/jpg,image/gif,application/xml,"
                + "application/xhtml+xml,text/plain,text/javascript,publicprivatemax-age=gzip,deflate,sdch"
                + "charset=utf-8charset=iso-8859-1,utf-,*,enq=0.").getBytes(StandardCharsets.US_ASCII));
        return d.toByteArray();
    }

    /** Takes the connection's next bytes and hands every frame now complete to {@code handler}. */
    void read(byte[] bytes, Handler handler) throws ProtocolError {
        if (inLength + bytes.length > in.length) {
            in = java.util.Arrays.copyOf(in, Math.max(in.length * 2, inLength + bytes.length));
        }
        System.arraycopy(bytes, 0, in, inLength, bytes.length);
        inLength += bytes.length;
        int at = 0;
        while (inLength - at >= 8) {
            int length = (in[at + 5] & 0xff) << 16 | (in[at + 6] & 0xff) << 8 | in[at + 7] & 0xff;
            if (inLength - at < 8 + length) {
                break;
            }
            frame(at, length, handler);
            at += 8 + length;
        }
        System.arraycopy(in, at, in, 0, inLength - at);
        inLength -= at;
        if (in.length > 65536 && inLength < in.length / 4) {
            in = java.util.Arrays.copyOf(in, Math.max(8192, inLength));
        }
    }

    private void frame(int at, int length, Handler handler) throws ProtocolError {
        int flags = in[at + 4] & 0xff;
        int payload = at + 8;
        if ((in[at] & 0x80) == 0) {
            int streamId = int31(payload - 8);
            handler.data(streamId, java.util.Arrays.copyOfRange(in, payload, payload + length),
                    (flags & FLAG_FIN) != 0);
            return;
        }
        int version = (in[at] & 0x7f) << 8 | in[at + 1] & 0xff;
        int type = (in[at + 2] & 0xff) << 8 | in[at + 3] & 0xff;
        if (version != VERSION) {
            throw new ProtocolError("SPDY version " + version + " is not served, only " + VERSION);
        }
        switch (type) {
            case SYN_STREAM -> {
                if (length < 10) {
                    throw new ProtocolError("short SYN_STREAM frame");
                }
                int streamId = int31(payload);
                handler.synStream(streamId, headers(payload + 10, length - 10), (flags & FLAG_FIN) != 0);
            }
            case RST_STREAM -> handler.rstStream(int31(payload), int32(payload + 4));
            case PING -> handler.ping(int32(payload));
            case GOAWAY -> handler.goAway(int31(payload));
            case SYN_REPLY, HEADERS -> headers(payload + 4, length - 4); // a client's: read to keep the zlib state
            default -> {
                // SETTINGS, WINDOW_UPDATE, CREDENTIAL: spdystream does no flow control, and neither does this
            }
        }
    }

    /** A compressed header block: {@code name -> value} (several values of one name joined by NUL). */
    private Map<String, String> headers(int from, int length) throws ProtocolError {
        inflater.setInput(in, from, length);
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        try {
            while (true) {
                int n = inflater.inflate(buf);
                if (n > 0) {
                    block.write(buf, 0, n);
                    if (block.size() > MAX_LENGTH) {
                        throw new ProtocolError("header block too large");
                    }
                } else if (inflater.needsDictionary()) {
                    inflater.setDictionary(DICTIONARY);
                } else {
                    break; // needs input: this block is all read
                }
            }
        } catch (DataFormatException e) {
            throw new ProtocolError("bad compressed header block: " + e.getMessage());
        }
        byte[] b = block.toByteArray();
        Map<String, String> headers = new LinkedHashMap<>();
        try {
            int count = int32(b, 0);
            int p = 4;
            for (int i = 0; i < count; i++) {
                int nameLength = int32(b, p);
                String name = new String(b, p + 4, nameLength, StandardCharsets.UTF_8);
                p += 4 + nameLength;
                int valueLength = int32(b, p);
                String value = new String(b, p + 4, valueLength, StandardCharsets.UTF_8);
                p += 4 + valueLength;
                headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
            }
        } catch (IndexOutOfBoundsException e) {
            throw new ProtocolError("truncated header block");
        }
        return headers;
    }

    // ---- writing

    /** SYN_REPLY accepting a stream, with no headers (as kube's server replies). */
    synchronized byte[] synReply(int streamId) {
        byte[] block = compress(new byte[4]); // zero headers
        byte[] f = control(SYN_REPLY, 0, 4 + block.length);
        putInt(f, 8, streamId & 0x7fffffff);
        System.arraycopy(block, 0, f, 12, block.length);
        return f;
    }

    static byte[] data(int streamId, byte[] data, boolean fin) {
        byte[] f = new byte[8 + data.length];
        putInt(f, 0, streamId & 0x7fffffff);
        putInt(f, 4, (fin ? FLAG_FIN : 0) << 24 | data.length);
        System.arraycopy(data, 0, f, 8, data.length);
        return f;
    }

    static byte[] rstStream(int streamId, int status) {
        byte[] f = control(RST_STREAM, 0, 8);
        putInt(f, 8, streamId & 0x7fffffff);
        putInt(f, 12, status);
        return f;
    }

    static byte[] ping(int id) {
        byte[] f = control(PING, 0, 4);
        putInt(f, 8, id);
        return f;
    }

    static byte[] goAway(int lastGoodStreamId) {
        byte[] f = control(GOAWAY, 0, 8);
        putInt(f, 8, lastGoodStreamId & 0x7fffffff);
        putInt(f, 12, 0);
        return f;
    }

    private byte[] compress(byte[] block) {
        deflater.setInput(block);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[256];
        int n;
        do {
            n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length);
        return out.toByteArray();
    }

    private static byte[] control(int type, int flags, int length) {
        byte[] f = new byte[8 + length];
        f[0] = (byte) (0x80 | VERSION >> 8);
        f[1] = (byte) VERSION;
        f[2] = (byte) (type >> 8);
        f[3] = (byte) type;
        putInt(f, 4, flags << 24 | length);
        return f;
    }

    private int int31(int at) {
        return int32(in, at) & 0x7fffffff;
    }

    private int int32(int at) {
        return int32(in, at);
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** Frees the compression state. */
    void close() {
        inflater.end();
        synchronized (this) {
            deflater.end();
        }
    }
}

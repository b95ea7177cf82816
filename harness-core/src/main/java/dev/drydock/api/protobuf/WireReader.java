package dev.drydock.api.protobuf;

/**
 * Minimal reader for the protobuf wire format: just enough to walk the fields of a message.
 * Every read is bounds-checked so that a truncated or corrupt body becomes an
 * {@link UnsupportedProtobufException} instead of an index error deep in the decoder.
 */
final class WireReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private final int end;
    private final String what;
    private int pos;

    /** @param what names the message being read, for error messages */
    WireReader(byte[] buf, int offset, int length, String what) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
        this.what = what;
    }

    boolean hasMore() {
        return pos < end;
    }

    long readVarint() throws UnsupportedProtobufException {
        long result = 0;
        // A 64-bit varint has at most 10 bytes; more means the data is corrupt (Go's decoder agrees).
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw truncated();
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new UnsupportedProtobufException("malformed protobuf in " + what + ": varint longer than 10 bytes");
    }

    long readFixed64() throws UnsupportedProtobufException {
        require(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (buf[pos + i] & 0xFFL);
        }
        pos += 8;
        return v;
    }

    long readFixed32() throws UnsupportedProtobufException {
        require(4);
        long v = 0;
        for (int i = 3; i >= 0; i--) {
            v = (v << 8) | (buf[pos + i] & 0xFFL);
        }
        pos += 4;
        return v;
    }

    byte[] readLengthDelimited() throws UnsupportedProtobufException {
        long len = readVarint();
        if (len < 0 || len > Integer.MAX_VALUE) {
            throw new UnsupportedProtobufException("malformed protobuf in " + what + ": invalid length " + len);
        }
        require((int) len);
        byte[] out = new byte[(int) len];
        System.arraycopy(buf, pos, out, 0, (int) len);
        pos += (int) len;
        return out;
    }

    private void require(int n) throws UnsupportedProtobufException {
        if (n > end - pos) {
            throw truncated();
        }
    }

    private UnsupportedProtobufException truncated() {
        return new UnsupportedProtobufException("protobuf body is truncated: unexpected end of data in " + what);
    }
}

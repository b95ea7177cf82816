package dev.drydock.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A response body written straight into the allocator's buffers, in chunks that grow from 4 KiB to 64 KiB: a large
 * body (a list) is copied once, from what writes it into buffers the socket sends as they are, with no byte array of
 * the whole body and no copy as it grows.
 */
final class BodyChunks extends OutputStream {

    private static final int FIRST = 4096;
    private static final int LARGEST = 65536;

    private final ByteBufAllocator alloc;
    private final List<ByteBuf> chunks = new ArrayList<>(4);
    private ByteBuf current;

    BodyChunks(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    @Override
    public void write(int b) {
        room().writeByte(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        while (len > 0) {
            ByteBuf buf = room();
            int n = Math.min(len, buf.writableBytes());
            buf.writeBytes(b, off, n);
            off += n;
            len -= n;
        }
    }

    /** Nothing: the body is taken with {@link #body()} (a serializer may close the stream it wrote to). */
    @Override
    public void close() {
    }

    /** The body, to be sent (and released by the write); this stream is not to be used after. */
    ByteBuf body() {
        return switch (chunks.size()) {
            case 0 -> Unpooled.EMPTY_BUFFER;
            case 1 -> chunks.get(0);
            default -> alloc.compositeBuffer(chunks.size()).addComponents(true, chunks);
        };
    }

    /** Releases what was written, for a body that is not to be sent. */
    void discard() {
        chunks.forEach(ByteBuf::release);
        chunks.clear();
        current = null;
    }

    private ByteBuf room() {
        if (current == null || !current.isWritable()) {
            int capacity = current == null ? FIRST : Math.min(LARGEST, current.capacity() * 2);
            current = alloc.buffer(capacity, capacity);
            chunks.add(current);
        }
        return current;
    }
}

package dev.drydock.fake;

import dev.drydock.runtime.ByteSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes a client writes toward a program or a port handler, queued until the lane that drains them takes them: a
 * writer is told to wait once {@value #BOUND} bytes wait (see {@link ByteSink#whenReady}), and let go as they drain or
 * when the reader is gone.
 */
final class BoundedInput implements ByteSink {

    /** How many bytes may wait before a writer must. */
    static final int BOUND = 64 * 1024;

    private final Runnable onInput;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final List<Runnable> waiting = new ArrayList<>();
    private long queued;
    private boolean closed;
    private boolean dropped;

    /** @param onInput asked to drain (on the reader's lane) after each write and at the close */
    BoundedInput(Runnable onInput) {
        this.onInput = onInput;
    }

    @Override
    public boolean write(byte[] data) {
        synchronized (this) {
            if (closed || dropped) {
                return true; // no one reads any more: nothing to wait for
            }
            if (data.length == 0) {
                return queued < BOUND;
            }
            queue.add(data);
            queued += data.length;
        }
        onInput.run();
        synchronized (this) {
            return queued < BOUND;
        }
    }

    @Override
    public void whenReady(Runnable action) {
        synchronized (this) {
            if (queued >= BOUND && !dropped) {
                waiting.add(action);
                return;
            }
        }
        action.run();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        onInput.run();
    }

    /** Closes the input before anyone reads it (an input that never opened), asking nothing to drain. */
    synchronized void closeUnread() {
        closed = true;
    }

    /** Whether the writer closed the input and all of it was taken. */
    synchronized boolean atEnd() {
        return closed && queue.isEmpty();
    }

    /** The next bytes written, or null when none wait; lets waiting writers go once below the bound again. */
    byte[] poll() {
        List<Runnable> ready = null;
        byte[] data;
        synchronized (this) {
            data = queue.poll();
            if (data == null) {
                return null;
            }
            boolean wasFull = queued >= BOUND;
            queued -= data.length;
            if (wasFull && queued < BOUND && !waiting.isEmpty()) {
                ready = new ArrayList<>(waiting);
                waiting.clear();
            }
        }
        if (ready != null) {
            ready.forEach(Runnable::run);
        }
        return data;
    }

    /** The reader is gone: what waits is dropped, and writers waiting to write are let go. */
    void drop() {
        List<Runnable> ready;
        synchronized (this) {
            dropped = true;
            queue.clear();
            queued = 0;
            ready = new ArrayList<>(waiting);
            waiting.clear();
        }
        ready.forEach(Runnable::run);
    }
}

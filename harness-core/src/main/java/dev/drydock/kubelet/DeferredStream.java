package dev.drydock.kubelet;

import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.NodeStreamException;
import dev.drydock.runtime.StreamHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A stream opened to a frozen kubelet: as a connection to a hung machine, it is neither refused nor answered. The
 * client's bytes wait (the first write already asks the client to wait), and when the kubelet thaws the stream is
 * opened for real and what waited goes through, in order. If the node goes away meanwhile, the client hears the
 * connection was lost.
 */
final class DeferredStream implements StreamHandle {

    private final Supplier<StreamHandle> open;
    private final Consumer<String> fail;
    private final Consumer<DeferredStream> onDone;
    private final ByteSink input;
    // guarded by this
    private final List<byte[]> written = new ArrayList<>();
    private final List<Runnable> whenReady = new ArrayList<>();
    private boolean inputClosed;
    private int[] size;
    private StreamHandle real;
    private boolean over;

    /**
     * @param open       opens the stream for real, once the kubelet runs again
     * @param fail       tells the client the stream failed, with why
     * @param takesInput whether the stream has input (exec, attach, port-forward) or not (logs)
     * @param onDone     called once the stream no longer waits (connected, cancelled or lost)
     */
    DeferredStream(Supplier<StreamHandle> open, Consumer<String> fail, boolean takesInput,
                   Consumer<DeferredStream> onDone) {
        this.open = open;
        this.fail = fail;
        this.onDone = onDone;
        this.input = takesInput ? new Input() : null;
    }

    @Override
    public ByteSink input() {
        return input;
    }

    @Override
    public synchronized void resize(int width, int height) {
        if (real != null) {
            real.resize(width, height);
        } else {
            size = new int[] {width, height};
        }
    }

    @Override
    public void cancel() {
        StreamHandle r;
        synchronized (this) {
            if (over && real == null) {
                return;
            }
            over = true;
            r = real;
            written.clear();
            whenReady.clear();
        }
        if (r != null) {
            r.cancel();
        } else {
            onDone.accept(this);
        }
    }

    /** The kubelet runs again: opens the stream and hands it what waited. */
    void connect() {
        synchronized (this) {
            if (over) {
                return;
            }
        }
        StreamHandle r;
        try {
            r = open.get();
        } catch (NodeStreamException e) {
            if (finish()) {
                fail.accept(e.getMessage());
            }
            return;
        } catch (RuntimeException e) { // the client hears it; the other streams that waited still connect
            if (finish()) {
                fail.accept(e.toString());
            }
            return;
        }
        List<byte[]> data;
        List<Runnable> ready;
        boolean close;
        synchronized (this) {
            if (over) { // cancelled while it opened
                r.cancel();
                return;
            }
            real = r;
            data = new ArrayList<>(written);
            ready = new ArrayList<>(whenReady);
            close = inputClosed;
            written.clear();
            whenReady.clear();
            if (size != null) {
                r.resize(size[0], size[1]);
            }
        }
        onDone.accept(this);
        ByteSink in = r.input() == null ? ByteSink.DISCARD : r.input();
        data.forEach(in::write);
        if (close) {
            in.close();
        }
        ready.forEach(in::whenReady);
    }

    /** The node went away while the stream waited. */
    void lost(String message) {
        if (finish()) {
            fail.accept(message);
        }
    }

    private boolean finish() {
        synchronized (this) {
            if (over) {
                return false;
            }
            over = true;
            written.clear();
            whenReady.clear();
        }
        onDone.accept(this);
        return true;
    }

    /** The client's bytes: held while the stream waits, then the real stream's input. */
    private final class Input implements ByteSink {
        @Override
        public boolean write(byte[] data) {
            ByteSink in;
            synchronized (DeferredStream.this) {
                if (real == null) {
                    if (!over && !inputClosed) {
                        written.add(data);
                    }
                    return false; // wait: nobody reads yet
                }
                in = real.input();
            }
            return in == null || in.write(data);
        }

        @Override
        public void whenReady(Runnable action) {
            ByteSink in;
            synchronized (DeferredStream.this) {
                if (real == null) {
                    if (!over) {
                        whenReady.add(action);
                    }
                    return;
                }
                in = real.input();
            }
            if (in == null) {
                action.run();
            } else {
                in.whenReady(action);
            }
        }

        @Override
        public void close() {
            ByteSink in;
            synchronized (DeferredStream.this) {
                if (real == null) {
                    inputClosed = true;
                    return;
                }
                in = real.input();
            }
            if (in != null) {
                in.close();
            }
        }
    }
}

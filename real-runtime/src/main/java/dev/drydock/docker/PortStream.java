package dev.drydock.docker;

import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.StreamHandle;
import dev.drydock.runtime.StreamListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection to a port inside a pod's network namespace, as CRI's port-forward gives one: bytes both ways over an
 * asynchronous socket on the cluster's one port thread. A port nothing serves is refused, as it is on Kubernetes.
 */
final class PortStream implements StreamHandle, ByteSink {

    private final AsynchronousSocketChannel channel;
    private final ByteSink toClient;
    private final StreamListener done;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    private final ArrayDeque<ByteBuffer> toPod = new ArrayDeque<>(); // guarded by this
    private final ArrayDeque<Runnable> waitingWriters = new ArrayDeque<>(); // guarded by this
    private boolean writing; // guarded by this
    private boolean connected; // guarded by this
    private boolean inputClosed; // guarded by this
    private volatile boolean cancelled;

    private PortStream(AsynchronousSocketChannel channel, ByteSink toClient, StreamListener done) {
        this.channel = channel;
        this.toClient = toClient;
        this.done = done;
    }

    static PortStream connect(AsynchronousChannelGroup group, InetSocketAddress target, ByteSink toClient,
                              StreamListener done) {
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open(group);
        } catch (IOException e) {
            throw new UncheckedIOExceptionWrapper(e);
        }
        PortStream s = new PortStream(channel, toClient, done);
        channel.connect(target, null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void result, Void attachment) {
                synchronized (s) {
                    s.connected = true;
                }
                if (!s.cancelled) {
                    done.connected();
                }
                s.flush();
                s.readNext();
            }

            @Override
            public void failed(Throwable error, Void attachment) {
                s.end("failed to connect to " + target + ": " + (error.getMessage() == null ? "connection refused"
                        : error.getMessage()));
            }
        });
        return s;
    }

    /** Wraps an IOException without a checked signature; the runtime turns it into the stream's failure. */
    static final class UncheckedIOExceptionWrapper extends RuntimeException {
        UncheckedIOExceptionWrapper(IOException e) {
            super(e.getMessage(), e);
        }
    }

    private void readNext() {
        if (cancelled) {
            return;
        }
        readBuffer.clear();
        channel.read(readBuffer, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void attachment) {
                if (n < 0) {
                    end(null);
                    return;
                }
                byte[] data = Arrays.copyOf(readBuffer.array(), n);
                if (toClient.write(data)) {
                    readNext();
                } else {
                    toClient.whenReady(PortStream.this::readNext);
                }
            }

            @Override
            public void failed(Throwable error, Void attachment) {
                end(cancelled ? null : "the connection to the pod broke: " + error.getMessage());
            }
        });
    }

    private void end(String failure) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing either way
        }
        if (cancelled) {
            return;
        }
        toClient.close();
        if (failure == null) {
            done.ended(0);
        } else {
            done.failed(failure);
        }
    }

    // ---- the client's bytes toward the pod

    @Override
    public boolean write(byte[] data) {
        synchronized (this) {
            if (inputClosed || ended.get()) {
                return true;
            }
            toPod.add(ByteBuffer.wrap(data));
        }
        flush();
        synchronized (this) {
            return toPod.size() < 16;
        }
    }

    @Override
    public void whenReady(Runnable action) {
        synchronized (this) {
            if (toPod.size() >= 16) {
                waitingWriters.add(action);
                return;
            }
        }
        action.run();
    }

    @Override
    public void close() {
        synchronized (this) {
            inputClosed = true;
        }
        flush();
    }

    private void flush() {
        ByteBuffer next;
        synchronized (this) {
            if (writing || !connected) {
                return;
            }
            next = toPod.peek();
            if (next == null) {
                if (inputClosed && !ended.get()) {
                    try {
                        channel.shutdownOutput();
                    } catch (IOException e) {
                        // the read side tells how it ends
                    }
                }
                return;
            }
            writing = true;
        }
        channel.write(next, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void attachment) {
                java.util.List<Runnable> ready = new java.util.ArrayList<>();
                synchronized (PortStream.this) {
                    writing = false;
                    if (!next.hasRemaining()) {
                        toPod.poll();
                    }
                    if (toPod.size() < 16) {
                        ready.addAll(waitingWriters);
                        waitingWriters.clear();
                    }
                }
                ready.forEach(Runnable::run);
                flush();
            }

            @Override
            public void failed(Throwable error, Void attachment) {
                synchronized (PortStream.this) {
                    writing = false;
                }
                end(cancelled ? null : "writing to the pod failed: " + error.getMessage());
            }
        });
    }

    // ---- the handle

    @Override
    public ByteSink input() {
        return this;
    }

    @Override
    public void cancel() {
        cancelled = true;
        end(null);
    }
}

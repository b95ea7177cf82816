package dev.drydock.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.LogOptions;
import dev.drydock.runtime.ProcessIo;
import dev.drydock.runtime.RuntimeError;
import dev.drydock.runtime.StreamHandle;
import dev.drydock.runtime.StreamListener;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/**
 * exec, attach and logs over the Docker engine's streams. docker-java reads each stream on a thread of its own, which
 * ends with the stream; a reader that is behind holds that thread, not the engine or the node.
 */
final class DockerStreams {

    private DockerStreams() {
    }

    static StreamHandle exec(DockerClient docker, String containerId, List<String> command, ProcessIo io) {
        String execId;
        try {
            execId = docker.execCreateCmd(containerId).withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).withAttachStdin(io.stdin()).withTty(io.tty())
                    .exec().getId();
        } catch (NotFoundException e) {
            throw new RuntimeError("NotFound", "container " + containerId + " not found");
        } catch (ConflictException e) {
            throw new RuntimeError("NotRunning", "container " + containerId + " is not running");
        }
        Input input = io.stdin() ? new Input() : null;
        Frames frames = new Frames(io.stdout(), io.tty() ? io.stdout() : io.stderr(), Long.MAX_VALUE,
                () -> {
                    Long code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
                    return code == null ? 0 : code.intValue();
                }, io.listener());
        docker.execStartCmd(execId).withTty(io.tty()).withStdIn(input).exec(frames);
        return frames.handle(input);
    }

    static StreamHandle attach(DockerClient docker, String containerId, ProcessIo io) {
        Input input = io.stdin() ? new Input() : null;
        Frames frames = new Frames(io.stdout(), io.tty() ? io.stdout() : io.stderr(), Long.MAX_VALUE, () -> {
            Long code = docker.inspectContainerCmd(containerId).exec().getState().getExitCodeLong();
            return code == null ? 0 : code.intValue();
        }, io.listener());
        try {
            docker.attachContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(true)
                    .withStdIn(input).exec(frames);
        } catch (NotFoundException e) {
            throw new RuntimeError("NotFound", "container " + containerId + " not found");
        }
        return frames.handle(input);
    }

    static StreamHandle readLog(DockerClient docker, String containerId, LogOptions options, ByteSink out,
                                StreamListener done) {
        LogContainerCmd logs = docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true)
                .withTimestamps(options.timestamps()).withFollowStream(options.follow());
        if (options.tailLines() >= 0) {
            logs.withTail((int) Math.min(Integer.MAX_VALUE, options.tailLines()));
        }
        if (options.since() != null) {
            logs.withSince((int) options.since().getEpochSecond());
        }
        Frames frames = new Frames(out, out, options.limitBytes() < 0 ? Long.MAX_VALUE : options.limitBytes(),
                () -> 0, done);
        try {
            logs.exec(frames);
        } catch (NotFoundException e) {
            throw new RuntimeError("NotFound", "container " + containerId + " not found");
        }
        return frames.handle(null);
    }

    /** A stream's frames, written to its sinks; the stream's end (or failure) is told once, after the sinks close. */
    private static final class Frames extends ResultCallback.Adapter<Frame> {
        private final ByteSink stdout;
        private final ByteSink stderr;
        private final IntSupplier exitCode;
        private final StreamListener listener;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile boolean cancelled;
        private long budget;

        Frames(ByteSink stdout, ByteSink stderr, long limitBytes, IntSupplier exitCode, StreamListener listener) {
            this.stdout = stdout;
            this.stderr = stderr;
            this.budget = limitBytes;
            this.exitCode = exitCode;
            this.listener = listener;
        }

        @Override
        public void onNext(Frame frame) {
            if (cancelled || ended.get()) {
                return;
            }
            byte[] data = frame.getPayload();
            if (data.length > budget) {
                data = java.util.Arrays.copyOf(data, (int) budget);
            }
            budget -= data.length;
            ByteSink sink = frame.getStreamType() == StreamType.STDERR ? stderr : stdout;
            if (data.length > 0 && !sink.write(data)) {
                CountDownLatch ready = new CountDownLatch(1);
                sink.whenReady(ready::countDown);
                try {
                    while (!cancelled && !ready.await(100, TimeUnit.MILLISECONDS)) {
                        // the reader is behind: this stream's own thread waits for it
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (budget == 0) {
                finish(null);
            }
        }

        @Override
        public void onError(Throwable error) {
            finish(error);
        }

        @Override
        public void onComplete() {
            finish(null);
        }

        private void finish(Throwable error) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            if (cancelled) {
                closeQuietly();
                return;
            }
            int code = 0;
            if (error == null) {
                try {
                    code = exitCode.getAsInt();
                } catch (DockerException e) {
                    error = e;
                }
            }
            stdout.close();
            stderr.close();
            closeQuietly();
            if (error != null) {
                listener.failed(error.getMessage());
            } else {
                listener.ended(code);
            }
        }

        private void closeQuietly() {
            try {
                close();
            } catch (IOException e) {
                // the stream is over either way
            }
        }

        StreamHandle handle(Input input) {
            return new StreamHandle() {
                @Override
                public ByteSink input() {
                    return input;
                }

                @Override
                public void cancel() {
                    cancelled = true;
                    if (input != null) {
                        input.close();
                    }
                    closeQuietly();
                }
            };
        }
    }

    /** The client's bytes toward a process's stdin: a bounded queue docker-java reads as its input stream. */
    static final class Input extends InputStream implements ByteSink {
        private static final byte[] EOF = new byte[0];
        private static final int BOUND = 16;
        private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        private final List<Runnable> waiting = new java.util.ArrayList<>(); // guarded by this
        private byte[] current = new byte[0];
        private int at;
        private volatile boolean closed;

        @Override
        public boolean write(byte[] data) {
            if (!closed && data.length > 0) {
                queue.add(data);
            }
            return queue.size() < BOUND;
        }

        @Override
        public void whenReady(Runnable action) {
            synchronized (this) {
                if (queue.size() >= BOUND) {
                    waiting.add(action);
                    return;
                }
            }
            action.run();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                queue.add(EOF);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (at == current.length) {
                if (current == EOF) {
                    return -1;
                }
                try {
                    current = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException();
                }
                at = 0;
                drained();
                if (current == EOF) {
                    return -1;
                }
            }
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            return n;
        }

        private void drained() {
            List<Runnable> ready;
            synchronized (this) {
                if (queue.size() >= BOUND || waiting.isEmpty()) {
                    return;
                }
                ready = List.copyOf(waiting);
                waiting.clear();
            }
            ready.forEach(Runnable::run);
        }
    }
}

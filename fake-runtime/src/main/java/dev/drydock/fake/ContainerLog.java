package dev.drydock.fake;

import dev.drydock.base.Clock;
import dev.drydock.base.SerialExecutor;
import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.LogOptions;
import dev.drydock.runtime.StreamHandle;
import dev.drydock.runtime.StreamListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * What one container instance wrote to stdout and stderr, line by line, each line stamped with the cluster's clock
 * when it was written, as a CRI runtime keeps a container's log file. It is bounded: past {@link #MAX_BYTES} the
 * oldest lines go, as kube rotates log files away. Readers follow it at their own pace.
 */
final class ContainerLog {

    /** What a container's log keeps at most (kube: 10 MiB a file, 5 files; the fake keeps less in memory). */
    static final int MAX_BYTES = 4 * 1024 * 1024;
    /** A line longer than this is cut, as CRI runtimes write long lines as partial entries. */
    static final int MAX_LINE = 16 * 1024;

    /** The kubelet's {@code timeFormatOut}: RFC 3339 with nanoseconds, always nine digits. */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** One line (with its newline) or the part of one. */
    record Entry(long seq, Instant time, byte[] bytes) {
    }

    private final Clock clock;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final ByteArrayOutputStream[] partial = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    private final Set<Runnable> waiting = ConcurrentHashMap.newKeySet();
    private long bytes;
    private long nextSeq;
    private boolean closed;

    ContainerLog(Clock clock) {
        this.clock = clock;
    }

    /** Appends what the container wrote to stdout ({@code stderr} false) or stderr. */
    void append(boolean stderr, byte[] data) {
        synchronized (this) {
            if (closed) {
                return;
            }
            Instant now = clock.now();
            ByteArrayOutputStream line = partial[stderr ? 1 : 0];
            for (byte b : data) {
                line.write(b);
                if (b == '\n' || line.size() >= MAX_LINE) {
                    add(now, line.toByteArray());
                    line.reset();
                }
            }
        }
        wake();
    }

    /** The container exited: what is left of a line is written, and followers end once they have read it all. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            Instant now = clock.now();
            for (ByteArrayOutputStream line : partial) {
                if (line.size() > 0) {
                    add(now, line.toByteArray());
                    line.reset();
                }
            }
            closed = true;
        }
        wake();
    }

    private void add(Instant time, byte[] line) {
        entries.add(new Entry(nextSeq++, time, line));
        bytes += line.length;
        while (bytes > MAX_BYTES && entries.size() > 1) {
            bytes -= entries.poll().bytes().length;
        }
    }

    private void wake() {
        if (waiting.isEmpty()) {
            return;
        }
        List<Runnable> all = new ArrayList<>(waiting);
        waiting.removeAll(all);
        all.forEach(Runnable::run);
    }

    /** Everything, as text: for tests. */
    synchronized String text() {
        StringBuilder s = new StringBuilder();
        entries.forEach(e -> s.append(new String(e.bytes(), StandardCharsets.UTF_8)));
        return s.toString();
    }

    /**
     * Up to {@code max} entries from sequence number {@code from} on; if there are none, {@code wakeUp} runs once
     * something is appended or the log closes (unless it is closed already: then the result is empty and
     * {@link #isClosed} says so).
     */
    synchronized List<Entry> after(long from, int max, Runnable wakeUp) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.seq() >= from) {
                out.add(e);
                if (out.size() == max) {
                    break;
                }
            }
        }
        if (out.isEmpty() && !closed && wakeUp != null) {
            waiting.add(wakeUp);
        }
        return out;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** The sequence number of the first of the last {@code lines} lines (all if negative). */
    synchronized long tailStart(long lines) {
        if (lines < 0 || entries.isEmpty()) {
            return entries.isEmpty() ? nextSeq : entries.peekFirst().seq();
        }
        return Math.max(entries.peekFirst().seq(), nextSeq - lines);
    }

    /** A reader of this log, to {@link Reader#drain() start} once its owner has it registered. */
    Reader reader(LogOptions options, ByteSink out, StreamListener listener, Executor workers,
                  Consumer<Reader> onDone) {
        return new Reader(options, out, listener, workers, onDone);
    }

    /**
     * One client reading the log: from the start it asked for, at the pace its sink takes, on a lane of its own;
     * when following, it waits for more until the container exits.
     */
    final class Reader implements StreamHandle {
        private final LogOptions options;
        private final ByteSink out;
        private final StreamListener listener;
        private final SerialExecutor lane;
        private final Consumer<Reader> onDone;
        private final Runnable wakeUp;
        private long position;
        private long bytesLeft;
        private volatile boolean over;

        Reader(LogOptions options, ByteSink out, StreamListener listener, Executor workers, Consumer<Reader> onDone) {
            this.options = options;
            this.out = out;
            this.listener = listener;
            this.lane = new SerialExecutor(workers);
            this.onDone = onDone;
            this.position = tailStart(options.tailLines());
            this.bytesLeft = options.limitBytes() < 0 ? Long.MAX_VALUE : options.limitBytes();
            this.wakeUp = this::drain;
        }

        @Override
        public ByteSink input() {
            return null;
        }

        @Override
        public void cancel() {
            if (!over) {
                over = true;
                waiting.remove(wakeUp);
                onDone.accept(this);
            }
        }

        /** The container is gone (removed, or its node): the reader ends with what it had. */
        void end() {
            submit(() -> finish(null));
        }

        void drain() {
            submit(this::step);
        }

        private void submit(Runnable task) {
            try {
                lane.execute(task);
            } catch (RejectedExecutionException e) {
                over = true; // the cluster is closing
            }
        }

        private void step() {
            while (!over) {
                List<Entry> batch = after(position, 64, options.follow() ? wakeUp : null);
                if (batch.isEmpty()) {
                    if (!options.follow() || isClosed()) {
                        finish(null);
                    }
                    return;
                }
                for (Entry e : batch) {
                    position = e.seq() + 1;
                    if (options.since() != null && e.time().isBefore(options.since())) {
                        continue;
                    }
                    byte[] line = options.timestamps() ? stamped(e) : e.bytes();
                    boolean last = line.length >= bytesLeft;
                    if (last) {
                        line = java.util.Arrays.copyOf(line, (int) bytesLeft);
                    }
                    bytesLeft -= line.length;
                    boolean ready = out.write(line);
                    if (last) {
                        finish(null);
                        return;
                    }
                    if (!ready) {
                        out.whenReady(this::drain);
                        return;
                    }
                }
            }
        }

        private void finish(String failure) {
            if (over) {
                return;
            }
            over = true;
            waiting.remove(wakeUp);
            onDone.accept(this);
            out.close();
            if (failure == null) {
                listener.ended(0);
            } else {
                listener.failed(failure);
            }
        }

        private byte[] stamped(Entry e) {
            byte[] stamp = (TIMESTAMP.format(e.time()) + " ").getBytes(StandardCharsets.US_ASCII);
            byte[] r = new byte[stamp.length + e.bytes().length];
            System.arraycopy(stamp, 0, r, 0, stamp.length);
            System.arraycopy(e.bytes(), 0, r, stamp.length, e.bytes().length);
            return r;
        }
    }
}

package dev.drydock.fake;

import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.StreamListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Test doubles for the runtime's streams: a sink that keeps what it gets, and a listener that keeps the outcome. */
final class Sinks {

    private Sinks() {
    }

    /** Keeps every byte; its reader is ready unless the test holds it back. */
    static final class Collecting implements ByteSink {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final List<Runnable> waiting = new ArrayList<>();
        private boolean held;
        private boolean closed;

        @Override
        public synchronized boolean write(byte[] data) {
            bytes.write(data, 0, data.length);
            return !held;
        }

        @Override
        public void whenReady(Runnable action) {
            synchronized (this) {
                if (held) {
                    waiting.add(action);
                    return;
                }
            }
            action.run();
        }

        @Override
        public synchronized void close() {
            closed = true;
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        synchronized int size() {
            return bytes.size();
        }

        synchronized boolean closed() {
            return closed;
        }

        synchronized void hold() {
            held = true;
        }

        void release() {
            List<Runnable> go;
            synchronized (this) {
                held = false;
                go = new ArrayList<>(waiting);
                waiting.clear();
            }
            go.forEach(Runnable::run);
        }
    }

    /** Keeps how a stream ended: an exit code, or a failure's message. */
    static final class Outcome implements StreamListener {
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        final CompletableFuture<String> failure = new CompletableFuture<>();

        @Override
        public void ended(int exitCode) {
            exit.complete(exitCode);
        }

        @Override
        public void failed(String message) {
            failure.complete(message);
        }
    }
}

package dev.drydock.runtime;

/**
 * One direction of a byte stream (a process's stdout, the bytes a port sends back, a log being read), as its writer
 * sees it. Writing never blocks: the reader's side is bounded, and {@link #write} says when the writer should wait
 * until {@link #whenReady} calls it back. A writer that keeps writing past that risks having its stream ended, as
 * kube-apiserver ends a watcher too slow to keep up; so no stream ever holds more than its bound.
 */
public interface ByteSink {

    /**
     * Hands {@code data} to the reader (the sink keeps the array: the caller must not change it afterwards). Returns
     * whether the reader can take more now; false asks the writer to wait for {@link #whenReady}. Data written after
     * {@link #close()} is dropped.
     */
    boolean write(byte[] data);

    /** Runs {@code action} once the reader can take more: at once, on the calling thread, if it already can. */
    void whenReady(Runnable action);

    /** Ends this direction of the stream (end of file). Idempotent. */
    void close();

    /** A sink that takes and forgets everything: a stream the client did not ask for. */
    ByteSink DISCARD = consumer(data -> { });

    /**
     * A sink that hands each write to {@code consumer} and is always ready; its end does nothing (the reader of a
     * short answer, such as a probe's or a hook's, decides alone when it has read enough).
     */
    static ByteSink consumer(java.util.function.Consumer<byte[]> consumer) {
        return new ByteSink() {
            @Override
            public boolean write(byte[] data) {
                consumer.accept(data);
                return true;
            }

            @Override
            public void whenReady(Runnable action) {
                action.run();
            }

            @Override
            public void close() {
            }
        };
    }
}

package dev.drydock.store;

/** A running watch; closing it stops delivery. */
public interface Watch extends AutoCloseable {

    /**
     * Asks for a progress notification, as etcd's {@code RequestProgress}: once every change up to the store's
     * current revision has been delivered to this watch, its listener hears {@link WatchListener#onProgress(long)}
     * with that revision. This is how a watcher of a quiet prefix learns that it is up to date.
     */
    void requestProgress();

    @Override
    void close();
}

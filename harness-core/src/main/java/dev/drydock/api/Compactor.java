package dev.drydock.api;

import dev.drydock.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts the store as kube-apiserver asks of etcd: each run compacts up to the revision the previous run saw, so
 * watchers always have at least one interval of history to resume from. Run it on a timer every
 * {@code compactionInterval}.
 */
public final class Compactor implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final Store store;
    private long previous;

    public Compactor(Store store) {
        this.store = store;
    }

    @Override
    public synchronized void run() {
        try {
            if (previous > store.compactRevision()) {
                store.compact(previous);
            }
            previous = store.revision();
        } catch (RuntimeException e) {
            LOG.debug("compaction failed: {}", e.getMessage());
        }
    }
}

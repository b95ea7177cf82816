package dev.drydock.client;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A work queue of keys as client-go's: a key waiting is held once however often it is added, a key is never synced by
 * two workers at once (added while syncing, it runs again after), and a failed sync is retried with exponential
 * back-off. It owns no thread: syncs run on a shared executor, so a thousand queues cost nothing while idle.
 */
public final class WorkQueue {

    /** The sync function of a controller: level-triggered, idempotent. */
    public interface Sync {
        void sync(String key) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);

    private final String name;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final Sync sync;
    private final long baseDelayMillis;
    private final long maxDelayMillis;
    private final Set<String> queued = new HashSet<>();
    private final Set<String> running = new HashSet<>();
    private final Set<String> dirty = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private boolean shutdown;

    public WorkQueue(String name, Executor executor, ScheduledExecutorService timer, Sync sync) {
        this(name, executor, timer, sync, 5, 1000);
    }

    public WorkQueue(String name, Executor executor, ScheduledExecutorService timer, Sync sync,
                     long baseDelayMillis, long maxDelayMillis) {
        this.name = name;
        this.executor = executor;
        this.timer = timer;
        this.sync = sync;
        this.baseDelayMillis = baseDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
    }

    public synchronized void add(String key) {
        if (shutdown) {
            return;
        }
        if (running.contains(key)) {
            dirty.add(key);
            return;
        }
        if (queued.add(key)) {
            submit(key);
        }
    }

    public void addAfter(String key, long delayMillis) {
        try {
            timer.schedule(() -> add(key), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: timer stopped, {} dropped", name, key);
        }
    }

    public synchronized void shutdown() {
        shutdown = true;
    }

    private void submit(String key) {
        try {
            executor.execute(() -> process(key));
        } catch (RejectedExecutionException e) {
            queued.remove(key);
        }
    }

    private void process(String key) {
        synchronized (this) {
            if (shutdown) {
                return;
            }
            queued.remove(key);
            running.add(key);
        }
        boolean ok = false;
        try {
            sync.sync(key);
            ok = true;
        } catch (Exception e) {
            LOG.debug("{}: sync of {} failed: {}", name, key, e.toString());
        } finally {
            // Even when the sync threw an Error: a key left in 'running' would never be synced again.
            done(key, ok);
        }
    }

    private synchronized void done(String key, boolean ok) {
        running.remove(key);
        if (ok) {
            failures.remove(key);
        } else {
            int n = failures.merge(key, 1, Integer::sum);
            addAfter(key, Math.min(maxDelayMillis, baseDelayMillis << Math.min(n - 1, 20)));
        }
        if (dirty.remove(key) && queued.add(key)) {
            submit(key);
        }
    }
}

package dev.drydock.client;

import dev.drydock.base.ComponentContext;
import dev.drydock.base.Timers;
import dev.drydock.base.SyncFailures;
import dev.drydock.kube.ApiException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A work queue of keys as client-go's: a key waiting is held once however often it is added, a key is never synced by
 * two workers at once (added while syncing, it runs again after), and a failed sync is retried with client-go's
 * per-item exponential back-off ({@code workqueue.DefaultControllerRateLimiter}: 5 ms, doubling per failure of the
 * key, at most 1000 s; forgotten when the key syncs). A failure is logged at warn once per distinct error of a key
 * (a repeat of the same error at debug) and reported to the cluster's {@link SyncFailures}. The queue owns no thread:
 * syncs run on a shared executor and retries wait on the cluster's {@link Timers} (its clock), so a thousand queues
 * cost nothing while idle.
 */
public final class WorkQueue {

    /** The sync function of a controller: level-triggered, idempotent. */
    public interface Sync {
        void sync(String key) throws Exception;
    }

    /** client-go's per-item back-off: the first retry of a key after 5 ms... */
    public static final Duration BASE_DELAY = Duration.ofMillis(5);
    /** ...each further one twice as late, but never later than 1000 s. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(1000);

    private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);

    private final String name;
    private final Executor executor;
    private final Timers timers;
    private final Sync sync;
    private final SyncFailures syncFailures;
    private final long baseDelayMillis;
    private final long maxDelayMillis;
    private final Set<String> queued = new HashSet<>();
    private final Set<String> running = new HashSet<>();
    private final Set<String> dirty = new HashSet<>();
    /** How many conflicts (or not-founds) in a row a key may meet before they are reported at warn. */
    private static final int QUIET_CONFLICTS = 3;
    private final Map<String, Integer> failures = new HashMap<>();
    private final Map<String, String> lastError = new HashMap<>();
    private boolean shutdown;

    /** A queue of a cluster's component, syncing on the cluster's workers. */
    public WorkQueue(String name, ComponentContext ctx, Sync sync) {
        this(name, ctx.workers(), ctx, sync);
    }

    /** A queue of a cluster's component, syncing on {@code executor} (e.g. a serial lane of the workers). */
    public WorkQueue(String name, Executor executor, ComponentContext ctx, Sync sync) {
        this(name, executor, ctx.timers(), sync, ctx.syncFailures(), BASE_DELAY.toMillis(), MAX_DELAY.toMillis());
    }

    public WorkQueue(String name, Executor executor, Timers timers, Sync sync) {
        this(name, executor, timers, sync, SyncFailures.IGNORE, BASE_DELAY.toMillis(), MAX_DELAY.toMillis());
    }

    public WorkQueue(String name, Executor executor, Timers timers, Sync sync,
                     long baseDelayMillis, long maxDelayMillis) {
        this(name, executor, timers, sync, SyncFailures.IGNORE, baseDelayMillis, maxDelayMillis);
    }

    public WorkQueue(String name, Executor executor, Timers timers, Sync sync,
                     SyncFailures syncFailures, long baseDelayMillis, long maxDelayMillis) {
        this.name = name;
        this.executor = executor;
        this.timers = timers;
        this.sync = sync;
        this.syncFailures = syncFailures;
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

    /** Adds {@code key} after {@code delay} on the cluster's clock. */
    public void addAfter(String key, Duration delay) {
        try {
            timers.after(delay, () -> add(key));
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: timer stopped, {} dropped", name, key);
        }
    }

    public synchronized void shutdown() {
        shutdown = true;
    }

    /** The delay before the retry that follows a key's {@code n}-th failure in a row (n from 1). */
    static long backOff(int n, long baseDelayMillis, long maxDelayMillis) {
        int doublings = Math.min(n - 1, 62);
        if (baseDelayMillis > maxDelayMillis >> doublings) {
            return maxDelayMillis; // base * 2^doublings would pass the cap (or overflow)
        }
        return Math.min(maxDelayMillis, baseDelayMillis << doublings);
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
        Throwable failure = null;
        try {
            sync.sync(key);
        } catch (Exception e) {
            failure = e;
        } catch (Error e) {
            failure = e;
            throw e;
        } finally {
            // Even when the sync threw an Error: a key left in 'running' would never be synced again.
            done(key, failure);
        }
    }

    private void done(String key, Throwable failure) {
        long delay = 0;
        if (failure != null) {
            boolean repeat;
            boolean conflict;
            synchronized (this) {
                int attempts = failures.merge(key, 1, Integer::sum);
                delay = backOff(attempts, baseDelayMillis, maxDelayMillis);
                conflict = expectedConflict(failure, attempts);
                // A quiet conflict or not-found is not remembered as reported: the first one past them is news.
                String error = failure.toString();
                repeat = !conflict && error.equals(lastError.put(key, error));
            }
            // Reported while the key still counts as running, so that its next sync cannot report first.
            report(key, failure, delay, repeat, repeat || conflict);
        }
        synchronized (this) {
            running.remove(key);
            if (failure == null) {
                failures.remove(key); // client-go's Forget
                lastError.remove(key);
            } else {
                addAfter(key, Duration.ofMillis(delay));
            }
            if (dirty.remove(key) && queued.add(key)) {
                submit(key);
            }
        }
    }

    /**
     * A conflict or a not-found on one of a key's first tries: the informer's copy was a write behind (two events for
     * one object close together, or an object deleted while its sync ran), and the retry reads the newer state. Kube's
     * controllers requeue these quietly; one that keeps coming back is worth a warning.
     */
    private static boolean expectedConflict(Throwable failure, int attempts) {
        boolean expected = failure instanceof RetryLater || failure instanceof ApiException e
                && (e.code() == 409 && "Conflict".equals(e.reason()) || e.code() == 404 && "NotFound".equals(e.reason()));
        return expected && attempts <= QUIET_CONFLICTS;
    }

    /**
     * Thrown by a sync that cannot decide yet and expects to next time (e.g. its cache has not caught up): retried
     * with back-off, quietly for the first tries, then reported as any failure.
     */
    public static final class RetryLater extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RetryLater(String why) {
            super(why, null, false, false);
        }
    }

    private void report(String key, Throwable failure, long delayMillis, boolean repeat, boolean quiet) {
        if (quiet) {
            LOG.debug("{}: sync of {} failed{}, retrying in {} ms: {}", name, key, repeat ? " again" : "",
                    delayMillis, failure.toString());
        } else if (failure instanceof ApiException) {
            // An answer of the API: its message says it all.
            LOG.warn("{}: sync of {} failed, retrying in {} ms: {}", name, key, delayMillis, failure.toString());
        } else {
            LOG.warn("{}: sync of {} failed, retrying in {} ms", name, key, delayMillis, failure);
        }
        syncFailures.failed(name, key, failure, quiet);
    }
}

package dev.drydock.kubelet;

import dev.drydock.base.ComponentContext;
import dev.drydock.base.Timers;
import dev.drydock.client.WorkQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * The kubelet's pod workers (kube's {@code podWorkers}): one serial lane per pod, so a pod is never synced by two
 * workers at once and an update that comes while it syncs runs once after, while different pods sync side by side
 * on the cluster's shared workers. It is a {@link WorkQueue} keyed by the pod's {@code namespace/name}: a lane costs
 * no thread, and a pod whose sync waits (an image pull, a back-off, a grace period) holds nothing while it waits: a
 * timer on the cluster's clock syncs it again when the wait ends.
 */
final class PodWorkers {

    /** One sync of a pod: level-triggered, it reads the pod and the runtime afresh each time. */
    interface SyncPod {
        void sync(String key) throws Exception;
    }

    private final WorkQueue queue;
    private final ComponentContext ctx;
    /** Per pod, the earliest sync a timer holds, so repeated asks schedule one timer, and closing cancels it. */
    private final Map<String, Scheduled> scheduled = new ConcurrentHashMap<>();
    private volatile boolean shutdown;

    private record Scheduled(Instant at, Timers.Task task) {
    }

    PodWorkers(String node, ComponentContext ctx, SyncPod sync) {
        this.ctx = ctx;
        this.queue = new WorkQueue("kubelet-" + node, ctx, sync::sync);
    }

    /** Syncs the pod on its lane: now, or right after the sync under way. */
    void add(String key) {
        queue.add(key);
    }

    /**
     * Syncs the pod at {@code at} on the cluster's clock (at once if that has passed), unless a sync at that time or
     * before is scheduled already.
     */
    void addAt(String key, Instant at) {
        Instant now = ctx.clock().now();
        Scheduled held = scheduled.get(key);
        if (shutdown || held != null && !held.at().isAfter(at) && held.at().isAfter(now)) {
            return;
        }
        Duration delay = Duration.between(now, at);
        Scheduled[] self = new Scheduled[1];
        try {
            Timers.Task task = ctx.timers().after(delay.isNegative() ? Duration.ZERO : delay, () -> {
                if (self[0] != null) {
                    scheduled.remove(key, self[0]);
                }
                queue.add(key);
            });
            self[0] = new Scheduled(at, task);
            scheduled.put(key, self[0]);
        } catch (RejectedExecutionException e) {
            // the cluster is closing
        }
        if (shutdown) {
            cancelAll();
        }
    }

    /** No sync starts after this; the one under way ends; the syncs scheduled for later are cancelled. */
    void shutdown() {
        shutdown = true;
        queue.shutdown();
        cancelAll();
    }

    private void cancelAll() {
        scheduled.values().forEach(s -> s.task().cancel());
        scheduled.clear();
    }
}

package dev.drydock.kubelet;

import dev.drydock.base.ComponentContext;
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
    /** Per pod, the time of the earliest sync a timer already holds, so repeated asks schedule one timer. */
    private final Map<String, Instant> scheduled = new ConcurrentHashMap<>();

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
        Instant[] earlier = new Instant[1];
        scheduled.compute(key, (k, v) -> {
            if (v != null && !v.isAfter(at) && v.isAfter(ctx.clock().now())) {
                earlier[0] = v;
                return v;
            }
            return at;
        });
        if (earlier[0] != null) {
            return;
        }
        Duration delay = Duration.between(ctx.clock().now(), at);
        try {
            ctx.timers().after(delay.isNegative() ? Duration.ZERO : delay, () -> {
                scheduled.remove(key, at);
                queue.add(key);
            });
        } catch (RejectedExecutionException e) {
            scheduled.remove(key, at); // the cluster is closing
        }
    }

    /** No sync starts after this; the one under way ends. */
    void shutdown() {
        queue.shutdown();
    }
}

package dev.drydock.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.Clock;
import dev.drydock.kube.Json;
import dev.drydock.kube.Semantic;
import dev.drydock.store.Store;
import dev.drydock.store.Watch;
import dev.drydock.store.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every write the cluster's store takes while this log is open, each marked as a heartbeat or not: the proof that a
 * converged cluster is quiet, writing only its node Leases (every {@code nodeLeaseRenewInterval}) and its node
 * statuses when nothing but their heartbeat times changed (every {@code nodeStatusReportFrequency}).
 *
 * <pre>{@code
 * try (WriteLog writes = cluster.recordWrites()) {
 *     await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
 *             .until(() -> writes.beyondHeartbeats().isEmpty());
 * }
 * }</pre>
 */
public final class WriteLog implements AutoCloseable {

    /**
     * One write.
     *
     * @param revision  the store revision it made
     * @param atNanos   when it was seen, on the cluster clock's {@link Clock#nanoTime()}
     * @param resource  the resource, as {@code pods} or {@code apps/deployments}
     * @param key       {@code namespace/name}, or {@code name} for cluster-scoped objects
     * @param type      {@code ADDED}, {@code MODIFIED} or {@code DELETED}
     * @param heartbeat whether it is a node heartbeat: a node Lease renewal, or a node status whose only change is
     *                  its conditions' heartbeat times
     */
    public record Write(long revision, long atNanos, String resource, String key, String type, boolean heartbeat) {
        @Override
        public String toString() {
            return revision + " " + type + " " + resource + " " + key + (heartbeat ? " (heartbeat)" : "");
        }
    }

    private static final String PREFIX = "/registry/";
    private static final String NODE_LEASES = "coordination.k8s.io/leases/kube-node-lease/";
    private static final String NODES = "core/nodes/";

    private final Clock clock;
    private final long startNanos;
    private final List<Write> writes = new ArrayList<>();
    private final Watch watch;
    private long lastBeyondHeartbeatsNanos; // guarded by writes

    WriteLog(Store store, Clock clock) {
        this.clock = clock;
        this.startNanos = clock.nanoTime();
        this.lastBeyondHeartbeatsNanos = startNanos;
        this.watch = store.watch(PREFIX, store.revision() + 1, this::record);
    }

    private void record(List<WatchEvent> events) {
        long now = clock.nanoTime();
        for (WatchEvent e : events) {
            String path = e.kv().key().substring(PREFIX.length());
            String type = e.type() == WatchEvent.Type.DELETE ? "DELETED"
                    : e.kv().version() == 1 ? "ADDED" : "MODIFIED";
            String[] parts = path.split("/");
            // core/<plural>/[ns/]name or <group>/<plural>/[ns/]name
            String resource = parts[0].equals("core") ? parts[1] : parts[0] + "/" + parts[1];
            String key = String.join("/", List.of(parts).subList(2, parts.length));
            boolean heartbeat = type.equals("MODIFIED") && (path.startsWith(NODE_LEASES)
                    || path.startsWith(NODES) && onlyHeartbeatChanged(e));
            synchronized (writes) {
                writes.add(new Write(e.revision(), now, resource, key, type, heartbeat));
                if (!heartbeat) {
                    lastBeyondHeartbeatsNanos = now;
                }
                writes.notifyAll();
            }
        }
    }

    private static boolean onlyHeartbeatChanged(WatchEvent e) {
        if (e.prevKv() == null) {
            return false;
        }
        ObjectNode before = Json.parseTrusted(e.prevKv().value());
        ObjectNode after = Json.parseTrusted(e.kv().value());
        for (ObjectNode node : List.of(before, after)) {
            if (node.has("status")) {
                node.set("status", Json.withoutHeartbeatTimes(node.get("status")));
            }
        }
        return Semantic.equal(before, after);
    }

    /** Every write seen so far, in revision order. */
    public List<Write> writes() {
        synchronized (writes) {
            return List.copyOf(writes);
        }
    }

    /** The writes seen so far that are not heartbeats: empty in a converged cluster. */
    public List<Write> beyondHeartbeats() {
        return writes().stream().filter(w -> !w.heartbeat()).toList();
    }

    /** The writes seen in the last {@code window} of the cluster clock. */
    public List<Write> lastWindow(Duration window) {
        long from = clock.nanoTime() - window.toNanos();
        return writes().stream().filter(w -> w.atNanos() >= from).toList();
    }

    /** How long this log has been recording. */
    public Duration recordedFor() {
        return Duration.ofNanos(clock.nanoTime() - startNanos);
    }

    /**
     * Waits until the cluster has written nothing but heartbeats for {@code window} (counted from when this log
     * opened at the earliest), and fails after {@code atMost} with the writes it saw.
     *
     * @throws AssertionError if the cluster did not go quiet in time; its message lists the writes of the last window
     */
    public void awaitQuiet(Duration window, Duration atMost) {
        long deadline = clock.nanoTime() + atMost.toNanos();
        synchronized (writes) {
            while (true) {
                long now = clock.nanoTime();
                long quietFor = now - lastBeyondHeartbeatsNanos;
                if (quietFor >= window.toNanos()) {
                    return;
                }
                if (now >= deadline) {
                    throw new AssertionError("the cluster did not go quiet for " + window + " within " + atMost
                            + "; last " + window + ": " + summary(lastWindow(window)));
                }
                long waitNanos = Math.min(window.toNanos() - quietFor, deadline - now);
                try {
                    writes.wait(Math.max(1, waitNanos / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the cluster to go quiet", e);
                }
            }
        }
    }

    /** A summary for failure messages: the count of writes per resource and type, then the last few writes. */
    public static String summary(List<Write> writes) {
        Map<String, Integer> counts = new TreeMap<>();
        writes.forEach(w -> counts.merge(w.type() + " " + w.resource() + (w.heartbeat() ? " (heartbeat)" : ""), 1,
                Integer::sum));
        StringBuilder s = new StringBuilder(writes.size() + " write(s): " + counts);
        writes.subList(Math.max(0, writes.size() - 10), writes.size()).forEach(w -> s.append("\n  ").append(w));
        return s.toString();
    }

    @Override
    public void close() {
        watch.close();
    }
}

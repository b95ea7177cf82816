package dev.drydock.kubelet;

import dev.drydock.base.ComponentContext;
import dev.drydock.base.Periodic;
import dev.drydock.base.Timers;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeats of all the nodes of a cluster on one lane, as KWOK sends them: one timer renews every node's Lease
 * each {@code nodeLeaseRenewInterval}, one checks every node's status each {@code nodeStatusUpdateFrequency}, instead
 * of two timers per node. Each node's heartbeat still goes through its own kubelet's client, so a fault on one node's
 * link silences that node alone, and each node's failures are reported once per streak, as its own timer's would be.
 * A node's first heartbeat is sent at once when it joins; later ones at the lane's ticks.
 *
 * <p>One lane per cluster (per {@link Timers}): created when its first node joins, gone (no timer left) when its last
 * node leaves.
 */
final class NodeHeartbeats {

    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeats.class);
    /** The lane of each cluster, by its timers. Guarded by itself. */
    private static final Map<Timers, NodeHeartbeats> LANES = new IdentityHashMap<>();

    /** A node on the lane, with the reporting of each of its two heartbeats. */
    private record Member(NodeHeartbeat heartbeat, Periodic lease, Periodic status) {
        void renewLease() {
            if (lease.tryStart()) {
                lease.run();
            }
        }

        void postNodeStatus() {
            if (status.tryStart()) {
                status.run();
            }
        }
    }

    private final ComponentContext ctx;
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final Timers.Task leaseRenewals;
    private final Timers.Task statusUpdates;

    private NodeHeartbeats(ComponentContext ctx) {
        this.ctx = ctx;
        Duration renew = ctx.timings().nodeLeaseRenewInterval();
        Duration update = ctx.timings().nodeStatusUpdateFrequency();
        this.leaseRenewals = ctx.timers().every("node heartbeats: lease renewals", renew, renew,
                () -> members.forEach(Member::renewLease));
        this.statusUpdates = ctx.timers().every("node heartbeats: node status updates", update, update,
                () -> members.forEach(Member::postNodeStatus));
    }

    /**
     * Puts {@code heartbeat} on its cluster's lane and sends its first heartbeat at once, on the workers.
     *
     * @return to cancel: the node leaves the lane, no heartbeat of it is sent from the next tick on
     */
    static Timers.Task join(ComponentContext ctx, NodeHeartbeat heartbeat) {
        String node = heartbeat.nodeName();
        Member member = new Member(heartbeat, new Periodic("node " + node + ": lease renewal", heartbeat::renewLease),
                new Periodic("node " + node + ": node status update", heartbeat::postNodeStatus));
        NodeHeartbeats lane;
        synchronized (LANES) {
            lane = LANES.computeIfAbsent(ctx.timers(), t -> new NodeHeartbeats(ctx));
            lane.members.add(member);
        }
        try {
            ctx.workers().execute(() -> {
                member.renewLease();
                member.postNodeStatus();
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("node {}: the cluster is closing, no first heartbeat", node);
        }
        NodeHeartbeats joined = lane;
        return () -> joined.leave(member);
    }

    private void leave(Member member) {
        synchronized (LANES) {
            if (!members.remove(member) || !members.isEmpty()) {
                return;
            }
            LANES.remove(ctx.timers(), this);
            leaseRenewals.cancel();
            statusUpdates.cancel();
        }
    }
}

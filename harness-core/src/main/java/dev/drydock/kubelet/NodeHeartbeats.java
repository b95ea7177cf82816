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
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeats of all the nodes of a cluster on one lane, as KWOK sends them: one timer renews the nodes' Leases,
 * one checks the nodes' status, instead of two timers per node. Each node's heartbeat still goes through its own
 * kubelet's client, so a fault on one node's link silences that node alone, and each node's failures are reported
 * once per streak, as its own timer's would be.
 *
 * <p>A node's first heartbeat is sent at once when it joins; later ones every {@code nodeLeaseRenewInterval} (and
 * {@code nodeStatusUpdateFrequency}). The nodes are spread over {@value #SLICES} slices of each period, one slice per
 * tick, so that a thousand nodes that booted together write their Leases as a steady stream rather than all at once
 * every period; a node's second heartbeat comes at the first tick of its slice, never later than one period after
 * its first.
 *
 * <p>The ticks and the heartbeats run on the workers' {@link dev.drydock.base.Workers#urgent() urgent} lane: on
 * Kubernetes a kubelet heartbeats from its own machine, so a backlog of the control plane's work (10,000 pods created
 * at once) must not delay them past {@code nodeMonitorGracePeriod} and have healthy nodes declared unreachable.
 *
 * <p>One lane per cluster (per {@link Timers}): created when its first node joins, gone (no timer left) when its last
 * node leaves.
 */
final class NodeHeartbeats {

    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeats.class);
    /** The lane of each cluster, by its timers. Guarded by itself. */
    private static final Map<Timers, NodeHeartbeats> LANES = new IdentityHashMap<>();

    /** How many ticks a period has: each tick sends the heartbeats of one slice of the nodes. */
    static final int SLICES = 10;

    /** A node on the lane, in its slice, with the reporting of each of its two heartbeats. */
    private record Member(NodeHeartbeat heartbeat, int slice, Periodic lease, Periodic status) {
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
    /** Where ticks and heartbeats run: before the ordinary work waiting for the workers. */
    private final java.util.concurrent.Executor lane;
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final Timers.Task leaseRenewals;
    private final Timers.Task statusUpdates;
    /** The ticks of each timer so far: the slice a tick serves is its count modulo {@link #SLICES}. */
    private final AtomicLong leaseTicks = new AtomicLong();
    private final AtomicLong statusTicks = new AtomicLong();
    /** How many nodes joined: consecutive nodes go to consecutive slices. */
    private int joined; // guarded by LANES

    private NodeHeartbeats(ComponentContext ctx) {
        this.ctx = ctx;
        this.lane = dev.drydock.base.Workers.urgent(ctx.workers());
        Duration renew = ctx.timings().nodeLeaseRenewInterval().dividedBy(SLICES);
        Duration update = ctx.timings().nodeStatusUpdateFrequency().dividedBy(SLICES);
        this.leaseRenewals = ctx.timers().every("node heartbeats: lease renewals", renew, renew,
                () -> tick(leaseTicks, Member::renewLease), lane);
        this.statusUpdates = ctx.timers().every("node heartbeats: node status updates", update, update,
                () -> tick(statusTicks, Member::postNodeStatus), lane);
    }

    /**
     * Sends the heartbeats of the tick's slice. On the system clock each goes to the workers on its own, so that one
     * slow write (a busy store, a cut link waiting out its timeout) delays neither the others nor the next tick: a
     * node whose previous heartbeat is still under way skips this one, as its own timer would. On a manual clock they
     * run here, so that {@code advance()} returns with them done.
     */
    private void tick(AtomicLong ticks, java.util.function.Consumer<Member> beat) {
        int slice = (int) (ticks.incrementAndGet() % SLICES);
        boolean inline = ctx.clock() instanceof dev.drydock.base.ManualClock;
        for (Member m : members) {
            if (m.slice() != slice) {
                continue;
            }
            if (inline) {
                beat.accept(m);
            } else {
                try {
                    lane.execute(() -> beat.accept(m));
                } catch (RejectedExecutionException e) {
                    return; // the cluster is closing
                }
            }
        }
    }

    /**
     * Puts {@code heartbeat} on its cluster's lane and sends its first heartbeat at once, on the workers (on a
     * {@link dev.drydock.base.ManualClock}, the next advance waits for it, as for a timer's first run).
     *
     * @return to cancel: the node leaves the lane, no heartbeat of it is sent from the next tick on
     */
    static Timers.Task join(ComponentContext ctx, NodeHeartbeat heartbeat) {
        String node = heartbeat.nodeName();
        Periodic lease = new Periodic("node " + node + ": lease renewal", heartbeat::renewLease);
        Periodic status = new Periodic("node " + node + ": node status update", heartbeat::postNodeStatus);
        NodeHeartbeats lane;
        Member member;
        synchronized (LANES) {
            lane = LANES.computeIfAbsent(ctx.timers(), t -> new NodeHeartbeats(ctx));
            // The slice after the one due next, shifted by the nodes that joined before: the first node of a lane
            // is next renewed a full period after it joined, as on a timer of its own.
            int slice = (int) ((lane.leaseTicks.get() + lane.joined++) % SLICES);
            member = new Member(heartbeat, slice, lease, status);
            lane.members.add(member);
        }
        try {
            ctx.timers().runNow("node " + node + ": first heartbeat", () -> {
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

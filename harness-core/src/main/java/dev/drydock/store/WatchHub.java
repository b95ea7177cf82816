package dev.drydock.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated store's watches: one stream of changes, taken from the replica the hub follows (normally the
 * leader, which applies a write before it acknowledges it), handed to the watches in revision order on one serial
 * lane.
 *
 * <p>The hub remembers the revision it handed last. A batch from the followed replica at or below it is a duplicate
 * and dropped; one further on (after a snapshot was installed) is filled in from that replica's history. When the
 * leader changes, the hub switches to the new one once that replica has applied at least as far as the hub handed,
 * and goes on from the next revision out of its history: no gap, no duplicate. If that history was compacted past
 * the revision, every watch ends with {@code COMPACTED} and its owner lists again.
 *
 * <p>Lock order: a replica's lock, then the hub's.
 */
final class WatchHub implements ReplicaMachine.Applied {

    private static final Logger LOG = LoggerFactory.getLogger(WatchHub.class);

    private final Executor dispatch;
    private final List<HubWatch> watches = new CopyOnWriteArrayList<>();
    private ReplicaMachine followed;
    private ReplicaMachine wanted;
    /** The revision of the last change handed to the lane (or skipped as nobody's). */
    private long revision;

    /**
     * @param dispatch a serial lane: the watches' listeners run there, in order (a {@code SerialExecutor} on one
     *                 thread hands a burst of changes over with one wake-up)
     */
    WatchHub(Executor dispatch) {
        this.dispatch = dispatch;
    }

    /** Follows {@code machine} from now on, as soon as it has applied as far as the hub handed. */
    void follow(ReplicaMachine machine) {
        machine.lock.lock();
        try {
            synchronized (this) {
                if (machine == followed) {
                    wanted = null;
                    return;
                }
                wanted = machine;
                if (followed == null || machine.state.revision() >= revision) {
                    switchTo(machine);
                }
            }
        } finally {
            machine.lock.unlock();
        }
    }

    /** The replica the hub follows now (null before the first). */
    synchronized ReplicaMachine followed() {
        return followed;
    }

    @Override
    public void applied(ReplicaMachine machine, long rev, List<WatchEvent> events) {
        synchronized (this) {
            if (machine != followed) {
                if (machine == wanted && machine.state.revision() >= revision) {
                    switchTo(machine);
                }
                return;
            }
            if (events.isEmpty() || rev <= revision) {
                return;
            }
            if (rev != revision + 1) {
                catchUp(machine);
                return;
            }
            revision = rev;
            if (watches.isEmpty()) {
                return; // a watch opened later starts live after this revision: it would skip the batch anyway
            }
            List<WatchEvent> batch = List.copyOf(events);
            dispatch.execute(() -> deliver(batch, rev));
        }
    }

    @Override
    public void installed(ReplicaMachine machine) {
        synchronized (this) {
            if (machine == followed || (machine == wanted && machine.state.revision() >= revision)) {
                if (machine != followed) {
                    switchTo(machine);
                } else {
                    catchUp(machine);
                }
            }
        }
    }

    /** Holding the machine's lock and the hub's. */
    private void switchTo(ReplicaMachine machine) {
        LOG.debug("watches follow replica {} from revision {}", machine.replica, revision + 1);
        followed = machine;
        wanted = null;
        catchUp(machine);
    }

    /** Hands the changes the followed replica has and the hub has not. Holding both locks. */
    private void catchUp(ReplicaMachine machine) {
        long to = machine.state.revision();
        if (to <= revision) {
            return;
        }
        List<WatchEvent> missed;
        try {
            missed = machine.state.changesSince("", revision + 1);
        } catch (StoreException e) {
            LOG.warn("watches resume from revision {} but replica {} compacted its history up to {}: ending every "
                    + "watch, whose owners list again", revision + 1, machine.replica, e.revision());
            StoreException cause = new StoreException(StoreException.Reason.COMPACTED,
                    "mvcc: required revision has been compacted", e.revision());
            revision = to;
            for (HubWatch w : watches) {
                dispatch.execute(() -> w.closeWith(cause));
            }
            return;
        }
        int start = 0;
        for (int i = 1; i <= missed.size(); i++) {
            if (i == missed.size() || missed.get(i).revision() != missed.get(start).revision()) {
                List<WatchEvent> batch = List.copyOf(missed.subList(start, i));
                long rev = batch.get(0).revision();
                dispatch.execute(() -> deliver(batch, rev));
                start = i;
            }
        }
        revision = to;
    }

    /**
     * Opens a watch. The hub's followed replica replays the past from {@code fromRevision} up to the hub's revision;
     * later changes come live.
     */
    Watch watch(String prefix, long fromRevision, WatchListener listener, Supplier<StoreException> closed) {
        while (true) {
            ReplicaMachine machine = followed();
            if (machine == null) {
                throw new StoreException(StoreException.Reason.UNAVAILABLE, "etcdserver: no leader", 0);
            }
            machine.lock.lock();
            try {
                synchronized (this) {
                    if (machine != followed) {
                        continue;
                    }
                    StoreException why = closed.get();
                    if (why != null) {
                        throw why;
                    }
                    long current = revision;
                    List<WatchEvent> replay = new ArrayList<>();
                    if (fromRevision > 0 && fromRevision <= current) {
                        for (WatchEvent e : machine.state.changesSince(prefix, fromRevision)) {
                            if (e.revision() <= current) {
                                replay.add(e);
                            }
                        }
                    } else if (fromRevision > 0 && fromRevision < machine.state.compactRevision()) {
                        machine.state.changesSince(prefix, fromRevision); // throws COMPACTED
                    }
                    HubWatch w = new HubWatch(prefix, listener, Math.max(current, fromRevision - 1));
                    watches.add(w);
                    if (!replay.isEmpty()) {
                        dispatch.execute(() -> w.replay(replay));
                    }
                    return w;
                }
            } finally {
                machine.lock.unlock();
            }
        }
    }

    /** Ends every open watch with {@code cause}, on the caller's thread (the lane is gone). */
    void closeAll(StoreException cause) {
        for (HubWatch w : watches) {
            w.closeWith(cause);
        }
    }

    private void deliver(List<WatchEvent> batch, long rev) {
        for (HubWatch w : watches) {
            w.offer(batch, rev);
        }
    }

    private final class HubWatch extends PrefixWatch {

        HubWatch(String prefix, WatchListener listener, long liveAfter) {
            super(prefix, listener, liveAfter, watches);
        }

        @Override
        public void requestProgress() {
            synchronized (WatchHub.this) {
                if (!open) {
                    return;
                }
                // Queued behind every change handed so far, so it is heard after them.
                long rev = revision;
                dispatch.execute(() -> progress(rev));
            }
        }
    }
}

package dev.drydock.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch of every key under a prefix, as both stores keep them: fed in revision order from its store's one dispatch
 * lane (replayed events first, then live ones above {@code liveAfter}), and ended alone when its listener fails, since
 * its owner may have missed events and must list again. A store says how a progress request is queued.
 */
abstract class PrefixWatch implements Watch {

    private static final Logger LOG = LoggerFactory.getLogger(PrefixWatch.class);

    final String prefix;
    private final WatchListener listener;
    /** Events at or below this revision reach the watch through its replay, not live. */
    private final long liveAfter;
    /** The store's open watches, which this one leaves when it ends. */
    private final Collection<?> registry;
    volatile boolean open = true;

    PrefixWatch(String prefix, WatchListener listener, long liveAfter, Collection<?> registry) {
        this.prefix = prefix;
        this.listener = listener;
        this.liveAfter = liveAfter;
        this.registry = registry;
    }

    /** Hands past events, grouped by revision as live ones are. */
    final void replay(List<WatchEvent> events) {
        int start = 0;
        for (int i = 1; i <= events.size() && open; i++) {
            if (i == events.size() || events.get(i).revision() != events.get(start).revision()) {
                hand(events.subList(start, i));
                start = i;
            }
        }
    }

    /** Hands the events of one revision that fall under the prefix, unless the replay already had them. */
    final void offer(List<WatchEvent> batch, long revision) {
        if (!open || revision <= liveAfter) {
            return;
        }
        List<WatchEvent> mine = null;
        for (WatchEvent e : batch) {
            if (e.kv().key().startsWith(prefix)) {
                if (mine == null) {
                    mine = new ArrayList<>(batch.size());
                }
                mine.add(e);
            }
        }
        if (mine != null) {
            hand(mine);
        }
    }

    private void hand(List<WatchEvent> events) {
        try {
            listener.onEvents(events);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            LOG.warn("watch listener on {} failed at revision {}; ending that watch", prefix,
                    events.get(0).revision(), e);
            closeWith(new StoreException(StoreException.Reason.UNAVAILABLE, "watch listener failed: " + e,
                    events.get(0).revision()));
        }
    }

    /** Tells the listener every change up to {@code revision} was handed; run on the dispatch lane. */
    final void progress(long revision) {
        if (!open) {
            return;
        }
        try {
            listener.onProgress(revision);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            LOG.warn("watch listener on {} failed on progress at revision {}; ending that watch", prefix, revision,
                    e);
            closeWith(new StoreException(StoreException.Reason.UNAVAILABLE, "watch listener failed: " + e,
                    revision));
        }
    }

    /** Ends the watch, telling its listener why. */
    final void closeWith(StoreException cause) {
        if (open) {
            open = false;
            registry.remove(this);
            listener.onClose(cause);
        }
    }

    @Override
    public final void close() {
        if (open) {
            open = false;
            registry.remove(this);
        }
    }
}

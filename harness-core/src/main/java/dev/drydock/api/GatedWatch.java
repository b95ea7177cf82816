package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch between the server and its client that can be held (its events wait, in order, and its stream stays open),
 * released (what waited goes out, then what comes), ended as the server ends a watch, or broken as a broken network
 * breaks it. What faults on a watch are made of: a stalled watch, a watch ended by the fault API, a watch whose link
 * was cut. A gate that holds more than {@link #MAX_HELD} events ends the watch, as kube-apiserver ends a watcher whose
 * buffer stays full. Events pass an open gate at the cost of one volatile read.
 */
public final class GatedWatch implements WatchHandler, Watch {

    private static final Logger LOG = LoggerFactory.getLogger(GatedWatch.class);
    /** How many events a held watch keeps before it is ended. */
    public static final int MAX_HELD = 10_000;

    private final WatchHandler downstream;
    private final Consumer<GatedWatch> onDone;
    private final ArrayDeque<Object[]> held = new ArrayDeque<>(); // guarded by this
    private volatile boolean open = true;   // false while held
    private boolean done;                   // guarded by this
    private volatile Watch upstream;
    private boolean closeUpstream;          // guarded by this: done before the upstream watch was known

    /**
     * @param downstream the client's handler
     * @param onDone     runs once when the watch is over, however it ended (to forget it)
     */
    public GatedWatch(WatchHandler downstream, Consumer<GatedWatch> onDone) {
        this.downstream = downstream;
        this.onDone = onDone;
    }

    /** The server's side of the watch, once it started; closed when this watch ends. */
    public void upstream(Watch watch) {
        boolean close;
        synchronized (this) {
            upstream = watch;
            close = closeUpstream;
        }
        if (close) {
            watch.close();
        }
    }

    @Override
    public void onEvent(String type, ObjectNode object) {
        if (open) {
            downstream.onEvent(type, object);
            return;
        }
        boolean overflow;
        synchronized (this) {
            if (done) {
                return;
            }
            if (open) {
                downstream.onEvent(type, object);
                return;
            }
            held.add(new Object[] {type, object});
            overflow = held.size() > MAX_HELD;
        }
        if (overflow) {
            LOG.warn("a held watch kept more than {} events; ending it, as kube-apiserver ends a watcher whose buffer "
                    + "stays full", MAX_HELD);
            end();
        }
    }

    @Override
    public void onClose(ApiException error) {
        finish(error, false);
    }

    /** Holds the events from now on; the stream stays open. */
    public synchronized void hold() {
        if (!done) {
            open = false;
        }
    }

    /** Whether events are held now. */
    public boolean held() {
        return !open;
    }

    /** Sends what was held, in order, then lets events through again. */
    public synchronized void release() {
        if (done) {
            return;
        }
        for (Object[] e; (e = held.poll()) != null; ) {
            downstream.onEvent((String) e[0], (ObjectNode) e[1]);
        }
        open = true;
    }

    /** Ends the watch as a server does at a watch's end: the stream ends normally, what was held is lost. */
    public void end() {
        finish(null, true);
    }

    /** Ends the watch as a broken network does: over HTTP its connection is dropped. */
    public void breakConnection(String why) {
        finish(new LostConnection(why), true);
    }

    /** The client closed the watch. */
    @Override
    public void close() {
        finish(null, true, false);
    }

    /** Forgets a watch that did not start: nothing is closed and its client is not told. */
    public void abandon() {
        finish(null, false, false);
    }

    private void finish(ApiException error, boolean closeUpstreamToo) {
        finish(error, closeUpstreamToo, true);
    }

    private void finish(ApiException error, boolean closeUpstreamToo, boolean tellClient) {
        Watch up;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            open = false;
            held.clear();
            up = upstream;
            closeUpstream = closeUpstreamToo && up == null;
        }
        if (closeUpstreamToo && up != null) {
            up.close();
        }
        onDone.accept(this);
        if (tellClient) {
            downstream.onClose(error);
        }
    }
}

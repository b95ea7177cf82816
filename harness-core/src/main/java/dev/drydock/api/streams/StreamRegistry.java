package dev.drydock.api.streams;

import dev.drydock.net.Network;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod streams open now, each with its target (the client's party, the pod, its node). Each registers itself when
 * it opens and goes when it ends, whichever side ends it, so a test can check that nothing is left behind; when the
 * server closes, each is ended.
 *
 * <p>It is also where a rule of the network made after a stream opened finds the streams crossing the link: a stream
 * whose client can no longer reach the API server (either way), or whose API server can no longer reach the pod's
 * node, is broken after {@link #BROKEN_STREAM_TIMEOUT} on the cluster's clock, as a TCP connection whose peer went
 * silent is, unless the link heals first. Its bytes are not held back meanwhile (a watch's events are: see
 * {@code ClientTransports}).
 */
final class StreamRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRegistry.class);
    /** How long a stream whose link is cut stays open before it is broken: a watch's, compressed as kube's clients. */
    static final Duration BROKEN_STREAM_TIMEOUT = Duration.ofSeconds(1);

    /** An open stream: ends itself at once when asked. */
    interface Open {
        void end();
    }

    private final Map<Open, PodStreams.Target> open = new ConcurrentHashMap<>();
    private final Map<Open, ScheduledFuture<?>> breaking = new ConcurrentHashMap<>();
    private final Network network;
    private final ScheduledExecutorService timer;
    private final Runnable listener = this::linksChanged;

    /**
     * @param network the cluster's network, whose rule changes are watched (the rules in force when a stream opens were
     *                checked by its opening)
     * @param timer   on the cluster's clock, to break a cut stream; null: cut streams are not broken
     */
    StreamRegistry(Network network, ScheduledExecutorService timer) {
        this.network = network;
        this.timer = timer;
        if (timer != null) {
            network.addListener(listener);
        }
    }

    void add(Open stream, PodStreams.Target target) {
        open.put(stream, target);
        linkChanged(stream, target); // a cut made while it opened
    }

    void remove(Open stream) {
        open.remove(stream);
        ScheduledFuture<?> b = breaking.remove(stream);
        if (b != null) {
            b.cancel(false);
        }
    }

    int size() {
        return open.size();
    }

    void closeAll() {
        network.removeListener(listener);
        for (Open o : List.copyOf(open.keySet())) {
            o.end();
        }
        open.clear();
        breaking.values().forEach(b -> b.cancel(false));
        breaking.clear();
    }

    private void linksChanged() {
        open.forEach(this::linkChanged);
    }

    private boolean up(PodStreams.Target t) {
        return network.reachable(t.party(), Network.API_SERVER) && network.reachable(Network.API_SERVER, t.party())
                && (t.node() == null || network.reachable(Network.API_SERVER, t.node())
                        && network.reachable(t.node(), Network.API_SERVER));
    }

    private void linkChanged(Open stream, PodStreams.Target target) {
        if (timer == null) {
            return;
        }
        if (up(target)) {
            ScheduledFuture<?> b = breaking.remove(stream);
            if (b != null) {
                b.cancel(false);
            }
            return;
        }
        breaking.computeIfAbsent(stream, s -> {
            try {
                return timer.schedule(() -> giveUp(s), BROKEN_STREAM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                return null; // the cluster is closing, which ends every stream
            }
        });
    }

    private void giveUp(Open stream) {
        PodStreams.Target target = open.get(stream);
        if (breaking.remove(stream) == null || target == null || up(target)) {
            return; // healed in time, or over
        }
        LOG.debug("pod stream of {} to {}/{}: its link has been cut for {}; breaking it", target.party(),
                target.namespace(), target.name(), BROKEN_STREAM_TIMEOUT);
        stream.end();
        remove(stream);
    }
}

package dev.drydock.api;

import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Transport;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import dev.drydock.net.Network;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients' side of the API server on one network: a transport per party whose requests cross that party's link
 * to the API server and pass the {@link RequestInterceptor} attributed to it. Open watches are subject to the link's
 * rules made after they opened: a watch whose link is cut goes silent at once (its events wait, as unacknowledged TCP
 * segments would), gets them all if the link heals within {@link #BROKEN_WATCH_TIMEOUT}, and is broken after it
 * otherwise, as a client's health check gives up on a dead connection. That timeout runs on the cluster's clock: on a
 * {@code ManualClock} a cut watch breaks when the test advances past it.
 */
final class ClientTransports {

    private static final Logger LOG = LoggerFactory.getLogger(ClientTransports.class);
    /**
     * How long a watch's link may stay cut before its client gives the connection up: client-go's HTTP/2 health
     * check (a ping after 30 s without a frame, given up 15 s later) compressed as the cluster's other timings are
     * (kube's 40 s node grace period is 1 s).
     */
    static final Duration BROKEN_WATCH_TIMEOUT = Duration.ofSeconds(1);

    private final ApiServer api;
    private final Network network;
    private final ScheduledExecutorService timer;
    private final Supplier<RequestInterceptor> interceptor;
    private final Map<String, Transport> transports = new ConcurrentHashMap<>();
    private final Set<PartyWatch> watches = ConcurrentHashMap.newKeySet();
    private final Runnable listener = this::linksChanged;

    ClientTransports(ApiServer api, Network network, ScheduledExecutorService timer,
                     Supplier<RequestInterceptor> interceptor) {
        this.api = api;
        this.network = network;
        this.timer = timer;
        this.interceptor = interceptor;
        network.addListener(listener);
    }

    Transport transport(String party) {
        return transports.computeIfAbsent(party, PartyTransport::new);
    }

    /** Every party that has a transport, i.e. has been a client of the API. */
    Set<String> parties() {
        return Set.copyOf(transports.keySet());
    }

    /** Rules changed: open watches whose link broke go silent, those whose link came back get what waited. */
    private void linksChanged() {
        for (PartyWatch w : watches) {
            w.linkChanged();
        }
    }

    /** Stops following the network's rules; the transports made stay usable, without the watches' gating. */
    void close() {
        network.removeListener(listener);
    }

    /** A transport that can say whether its party reaches the API server now, for requests answered without it. */
    interface Link {
        /** @throws dev.drydock.net.NetworkException if the party's link to the API server is cut */
        void checkReachable();
    }

    private final class PartyTransport implements Transport, Link {
        private final String party;
        private final String agent; // field management: kube's component managers

        PartyTransport(String party) {
            this.party = party;
            this.agent = FieldManagement.componentUserAgent(party);
        }

        @Override
        public void checkReachable() {
            network.check(party, Network.API_SERVER);
            network.check(Network.API_SERVER, party);
        }

        @Override
        public ApiResponse call(ApiRequest request) {
            network.check(party, Network.API_SERVER);
            ApiRequest req = agent == null || request.userAgent() != null ? request : request.withUserAgent(agent);
            ApiResponse response = interceptor.get().call(party, req, api);
            api.recentErrors().record(party, req, response.code(), response.body());
            network.check(Network.API_SERVER, party);
            return response;
        }

        @Override
        public Watch watch(ApiRequest request, WatchHandler handler) {
            network.check(party, Network.API_SERVER);
            PartyWatch w = new PartyWatch(party, handler);
            watches.add(w);
            try {
                w.gate.upstream(interceptor.get().watch(party, request, w.gate, api));
            } catch (ApiException e) {
                api.recentErrors().record(party, request, e.code(), e.status());
                w.gate.abandon();
                throw e;
            } catch (RuntimeException e) {
                w.gate.abandon();
                throw e;
            }
            w.linkChanged(); // a cut made while it started
            return w.gate;
        }

        @Override
        public Map<Resource, List<String>> discover() {
            network.check(party, Network.API_SERVER);
            Map<Resource, List<String>> resources = api.discover();
            network.check(Network.API_SERVER, party);
            return resources;
        }

        @Override
        public String toString() {
            return "transport of " + party;
        }
    }

    /** One open watch of a party, gated by its link. */
    private final class PartyWatch {
        final String party;
        final GatedWatch gate;
        private java.util.concurrent.ScheduledFuture<?> breaking; // guarded by this

        PartyWatch(String party, WatchHandler handler) {
            this.party = party;
            this.gate = new GatedWatch(handler, g -> watches.remove(this));
        }

        synchronized void linkChanged() {
            boolean up = network.reachable(Network.API_SERVER, party) && network.reachable(party, Network.API_SERVER);
            if (!up && breaking == null) {
                gate.hold();
                try {
                    breaking = timer.schedule(this::giveUp, BROKEN_WATCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    gate.end(); // the cluster is closing
                }
            } else if (up && breaking != null) {
                breaking.cancel(false);
                breaking = null;
                gate.release();
            }
        }

        private synchronized void giveUp() {
            if (breaking == null) {
                return; // healed in time
            }
            breaking = null;
            LOG.debug("watch of {}: its link has been cut for {}; breaking its connection", party,
                    BROKEN_WATCH_TIMEOUT);
            gate.breakConnection("watch of " + party + ": connection lost (link cut for " + BROKEN_WATCH_TIMEOUT
                    + ")");
        }
    }
}

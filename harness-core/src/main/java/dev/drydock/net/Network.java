package dev.drydock.net;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated network of a cluster: every message between two named parties (a node's kubelet and the API server,
 * two store replicas, two pods) crosses a link here, and faults are rules on those links. Components never see the
 * rules, only their effect: a request that fails as it would on a broken network.
 */
public final class Network {

    /** The party name of the API server. */
    public static final String API_SERVER = "apiserver";
    /** The party name of the test and the tools it runs (in-process client, HTTP clients, kubectl). */
    public static final String TEST = "test";

    private final Set<String> cut = ConcurrentHashMap.newKeySet();

    /** Whether a message from {@code from} reaches {@code to} now. */
    public boolean reachable(String from, String to) {
        return !cut.contains(from + "\u0000" + to);
    }

    /** Throws {@link NetworkException} if {@code from} cannot reach {@code to}. */
    public void check(String from, String to) {
        if (!reachable(from, to)) {
            throw new NetworkException("dial " + to + " from " + from + ": connection refused (link cut)");
        }
    }

    /** Cuts the links between two parties, both ways. */
    public void cut(String a, String b) {
        cut.add(a + "\u0000" + b);
        cut.add(b + "\u0000" + a);
    }

    /** Restores every link. */
    public void heal() {
        cut.clear();
    }
}

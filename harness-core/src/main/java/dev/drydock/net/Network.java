package dev.drydock.net;

import java.time.Duration;
import java.util.Map;
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
    private final Set<String> isolated = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> slow = new ConcurrentHashMap<>();

    /** Whether a message from {@code from} reaches {@code to} now. */
    public boolean reachable(String from, String to) {
        return !cut.contains(from + "\u0000" + to) && !isolated.contains(from) && !isolated.contains(to);
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

    /** Restores the links between two parties that {@link #cut(String, String)} cut, both ways. */
    public void restore(String a, String b) {
        cut.remove(a + "\u0000" + b);
        cut.remove(b + "\u0000" + a);
    }

    /** Cuts every link of one party, both ways, until {@link #rejoin(String)} or {@link #heal()}. */
    public void isolate(String party) {
        isolated.add(party);
    }

    /** Undoes {@link #isolate(String)}; links cut one by one stay cut. */
    public void rejoin(String party) {
        isolated.remove(party);
    }

    /**
     * Slows every link of one party, both ways: a message from or to it arrives {@code delay} later (plus the
     * jitter its carrier adds), until lifted with a zero delay or {@link #heal()}. A carrier that honours delays asks
     * {@link #delayNanos(String, String)}; others deliver at once.
     */
    public void slow(String party, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a link delay cannot be negative, got " + delay);
        }
        if (delay.isZero()) {
            slow.remove(party);
        } else {
            slow.put(party, delay.toNanos());
        }
    }

    /** How long a message from {@code from} to {@code to} is held up now, in nanoseconds (0: not at all). */
    public long delayNanos(String from, String to) {
        if (slow.isEmpty()) {
            return 0;
        }
        return slow.getOrDefault(from, 0L) + slow.getOrDefault(to, 0L);
    }

    /** Restores every link, at full speed. */
    public void heal() {
        cut.clear();
        isolated.clear();
        slow.clear();
    }
}

package dev.drydock.chaos;

import dev.drydock.net.LinkRule;
import dev.drydock.net.Network;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Faults of the cluster's network between named parties (see {@link Parties} for who they are): partitions, isolated
 * parties, one-way cuts, latency with jitter, and loss. Each call returns a {@link NetworkFault} that undoes it, so
 * try-with-resources scopes a fault to a block; faults on the same links compose (healing one leaves the others in
 * force); each fault's start and end is recorded on the cluster's {@link Timeline}. A call on a party that does not
 * exist, or with a negative latency or a probability outside (0, 1], is refused with the parties or range there are,
 * and changes nothing.
 *
 * <pre>{@code
 * NetworkFaults net = cluster.networkFaults();
 * try (NetworkFault f = net.partition(Parties.nodes("node-1"), Parties.controlPlane())) {
 *     // node-1's kubelet cannot reach the API server: node-1 goes NotReady, its pods are evicted
 * }
 * try (NetworkFault f = net.cut("apiserver", "client:operator")) {
 *     // the operator's requests arrive and are served, but it never hears back
 * }
 * }</pre>
 *
 * <p>What carries the rules today:
 * <ul>
 *   <li>Cuts ({@link #partition}, {@link #isolate}, {@link #cut}) act on every client's link to the API server (a
 *   request whose way there is cut fails with a connection error; one whose way back is cut is served, and its answer
 *   lost; an open watch goes silent at once and breaks after the client's compressed timeout, about a second, unless
 *   healed before), on the API server's dial to a kubelet when a pod's stream (logs, exec, port-forward) opens (a
 *   stream open already is not cut), and on the Raft links between store replicas. Components talk only through the API server, so a cut between two of them (the scheduler and a
 *   node) changes nothing: cut each from the API server instead.</li>
 *   <li>Latency, jitter ({@link #delay}) and loss ({@link #loss}) act on the Raft links between store replicas only,
 *   and are refused for other parties; for latency on the API, use {@code cluster.apiFaults()...delay(...)}.</li>
 * </ul>
 */
public final class NetworkFaults {

    private static final String NETWORK = "network";

    private final Network network;
    private final Timeline timeline;
    private final Supplier<Parties.Directory> parties;
    private final List<NetworkFault> active = new ArrayList<>(); // guarded by this

    /**
     * The network fault API of one cluster: rules on {@code network}, recorded on {@code timeline}, between the
     * parties that {@code parties} lists now. Made by the cluster.
     */
    public NetworkFaults(Network network, Timeline timeline, Supplier<Parties.Directory> parties) {
        this.network = network;
        this.timeline = timeline;
        this.parties = parties;
    }

    /** The cluster's parties now, by role. */
    public Parties.Directory parties() {
        return parties.get();
    }

    /**
     * Cuts every link between the two groups, both ways; links within a group still carry messages.
     *
     * @throws IllegalArgumentException if a group is empty, names a party that does not exist, or shares a party
     *                                  with the other
     */
    public NetworkFault partition(Collection<String> a, Collection<String> b) {
        return partition(Parties.of(a.toArray(String[]::new)), Parties.of(b.toArray(String[]::new)));
    }

    /**
     * Cuts every link between the two groups, both ways, e.g.
     * {@code partition(Parties.nodes("node-1"), Parties.controlPlane())}.
     *
     * @throws IllegalArgumentException if a group is empty, names a party that does not exist, or shares a party
     *                                  with the other
     */
    public NetworkFault partition(Parties a, Parties b) {
        Parties.Directory d = parties.get();
        Set<String> one = a.resolve(d);
        Set<String> other = b.resolve(d);
        Set<String> both = new LinkedHashSet<>(one);
        both.retainAll(other);
        if (!both.isEmpty()) {
            throw new IllegalArgumentException("a party cannot be on both sides of a partition: " + both
                    + " is in " + one + " and in " + other);
        }
        return add(NETWORK, "partition " + one + " | " + other,
                LinkRule.cut(one, other), LinkRule.cut(other, one));
    }

    /**
     * Cuts every link of one party, both ways: nothing it sends arrives, nothing reaches it.
     *
     * @throws IllegalArgumentException if the party does not exist
     */
    public NetworkFault isolate(String party) {
        require(party);
        return add(party, "isolate " + party, LinkRule.cut(Set.of(party), null), LinkRule.cut(null, Set.of(party)));
    }

    /**
     * Cuts the link from {@code from} to {@code to}, one way: what {@code from} sends to {@code to} is lost, what
     * {@code to} sends to {@code from} still arrives. {@code cut("node-1", "apiserver")}: the kubelet's requests never
     * arrive; {@code cut("apiserver", "node-1")}: they are served, and the answers lost.
     *
     * @throws IllegalArgumentException if a party does not exist, or both are the same
     */
    public NetworkFault cut(String from, String to) {
        require(from);
        require(to);
        if (from.equals(to)) {
            throw new IllegalArgumentException("a party has no link to itself: " + from);
        }
        return add(from, "cut " + from + " -> " + to, LinkRule.cut(Set.of(from), Set.of(to)));
    }

    /**
     * Holds up every message from or to a store replica by {@code latency}, plus a jitter drawn evenly from
     * {@code [0, jitter)} with the cluster's seed (the Raft links add up to a quarter of the latency of their own).
     * Messages on one link stay in order, as over one TCP connection.
     *
     * <p>A node's links carry it for its pods' traffic ({@code cluster.http()} calls to and from its pods); its
     * kubelet's API requests do not yet.
     *
     * @throws IllegalArgumentException if the party does not exist or is neither a store replica nor a node (no other
     *                                  link carries latency yet), if a duration is negative, or both are zero
     */
    public NetworkFault delay(String party, Duration latency, Duration jitter) {
        requireCarried(party, "latency");
        Set<String> p = Set.of(party);
        return add(party, "delay the links of " + party + " by " + describe(latency, jitter),
                LinkRule.delay(p, null, latency, jitter), LinkRule.delay(null, p, latency, jitter));
    }

    /**
     * Holds up every message between two store replicas, both ways, by {@code latency} plus a seeded jitter in
     * {@code [0, jitter)}: see {@link #delay(String, Duration, Duration)}.
     *
     * @throws IllegalArgumentException as {@link #delay(String, Duration, Duration)}, for either party
     */
    public NetworkFault delay(String a, String b, Duration latency, Duration jitter) {
        requireCarried(a, "latency");
        requireCarried(b, "latency");
        if (a.equals(b)) {
            throw new IllegalArgumentException("a party has no link to itself: " + a);
        }
        return add(a, "delay the link " + a + " <-> " + b + " by " + describe(latency, jitter),
                LinkRule.delay(Set.of(a), Set.of(b), latency, jitter),
                LinkRule.delay(Set.of(b), Set.of(a), latency, jitter));
    }

    /**
     * Delivers each message on the links of a store replica twice with {@code probability}, the copy a little later,
     * both ways, until healed: Raft must treat the copies as the same message. Only the Raft links between store
     * replicas carry it.
     *
     * @throws IllegalArgumentException unless {@code 0 < probability <= 1}, or if the party does not exist or is no
     *                                  store replica; nothing is applied then
     */
    public NetworkFault duplicate(String party, double probability) {
        requireCarried(party, "duplicates");
        Set<String> p = Set.of(party);
        LinkRule out = LinkRule.duplicate(p, null, probability); // checks the probability
        return add(party, "duplicate " + percent(probability) + "% of the messages on the links of " + party,
                out, LinkRule.duplicate(null, p, probability));
    }

    /**
     * Holds back each message on the links of a store replica with {@code probability}, both ways, so that messages
     * sent after it arrive first, until healed. Only the Raft links between store replicas carry it.
     *
     * @throws IllegalArgumentException unless {@code 0 < probability <= 1}, or if the party does not exist or is no
     *                                  store replica; nothing is applied then
     */
    public NetworkFault reorder(String party, double probability) {
        requireCarried(party, "reordering");
        Set<String> p = Set.of(party);
        LinkRule out = LinkRule.reorder(p, null, probability); // checks the probability
        return add(party, "reorder " + percent(probability) + "% of the messages on the links of " + party,
                out, LinkRule.reorder(null, p, probability));
    }

    private static String percent(double probability) {
        return BigDecimal.valueOf(probability).movePointRight(2).stripTrailingZeros().toPlainString();
    }

    /**
     * Loses each message from or to a store replica with {@code probability}, drawn from the cluster's seed. Raft
     * resends what is lost, so writes still commit, later. Loss on a link composes with other faults' loss: a message
     * is delivered only if every rule lets it through.
     *
     * A node's links carry it for its pods' traffic: a {@code cluster.http()} call whose request or answer is lost
     * fails with a timeout (its kubelet's API requests are not lost yet).
     *
     * @throws IllegalArgumentException if the party does not exist or is neither a store replica nor a node (no other
     *                                  link carries loss yet), or unless {@code 0 < probability <= 1}
     */
    public NetworkFault loss(String party, double probability) {
        requireCarried(party, "loss");
        Set<String> p = Set.of(party);
        LinkRule out = LinkRule.loss(p, null, probability); // checks the probability
        return add(party, "lose " + percent(probability) + "% of the messages on the links of " + party,
                out, LinkRule.loss(null, p, probability));
    }

    /** The faults made here that are in force now, oldest first. */
    public synchronized List<NetworkFault> active() {
        return List.copyOf(active);
    }

    /**
     * Heals every fault made here that is in force. Faults of the store's own handle ({@code cluster.store()}) are
     * healed by its own {@code heal()}.
     */
    public void heal() {
        for (NetworkFault f : active()) {
            f.close();
        }
    }

    // ---- making and healing

    private NetworkFault add(String subject, String description, LinkRule... rules) {
        NetworkFault f = new NetworkFault(this, subject, description, rules);
        synchronized (this) {
            active.add(f);
        }
        timeline.fault(subject, description);
        network.add(rules); // all of the fault's rules at once
        return f;
    }

    void healed(NetworkFault f) {
        network.remove(f.rules);
        synchronized (this) {
            active.remove(f);
        }
        timeline.fault(f.subject(), "healed " + f);
    }

    private void require(String party) {
        parties.get().require(java.util.Collections.singletonList(party));
    }

    private void requireCarried(String party, String what) {
        Parties.Directory d = parties.get();
        d.require(java.util.Collections.singletonList(party));
        boolean podTraffic = (what.equals("latency") || what.equals("loss")) && d.nodes().contains(party);
        if (!d.storeReplicas().contains(party) && !podTraffic) {
            throw new IllegalArgumentException("no link of '" + party + "' carries " + what + " yet: only the "
                    + "Raft links between store replicas " + d.storeReplicas() + " do"
                    + (what.equals("latency") || what.equals("loss") ? ", and nodes' pod traffic (cluster.http())"
                    : "") + " (for latency on the API, use cluster.apiFaults()...delay(...))");
        }
    }

    private static String describe(Duration latency, Duration jitter) {
        return latency.toMillis() + "ms" + (jitter.isZero() ? "" : " (jitter " + jitter.toMillis() + "ms)");
    }
}

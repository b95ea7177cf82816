package dev.drydock.net;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;

/**
 * The simulated network of a cluster: every message between two named parties (a node's kubelet and the API server,
 * two store replicas, two pods) crosses a link here, and faults are rules on those links. Components never see the
 * rules, only their effect: a request that fails as it would on a broken network.
 *
 * <p>Rules come two ways: owned {@link LinkRule}s ({@link #add(LinkRule...)}, each lifted by its owner alone, so that
 * faults on one link compose; what {@code chaos.NetworkFaults} makes), and the older per-party switches ({@link #cut},
 * {@link #isolate}, {@link #slow}, {@link #lossy}) that the store's handle uses. A link's carrier asks
 * {@link #reachable}, {@link #delayNanos} and {@link #drops} of both alike.
 */
public final class Network {

    /** The party name of the API server. */
    public static final String API_SERVER = "apiserver";
    /** The party name of the test and the tools it runs (in-process client, HTTP clients, kubectl). */
    public static final String TEST = "test";

    private final Set<String> cut = ConcurrentHashMap.newKeySet();
    private final Set<String> isolated = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> slow = new ConcurrentHashMap<>();
    private final Map<String, Double> lossy = new ConcurrentHashMap<>();
    /** Parties that run on another's host (a client on a node), by party: see {@link #runOn}. */
    private final Map<String, String> hosts = new ConcurrentHashMap<>();
    private final java.util.List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private static final LinkRule[] NO_RULES = new LinkRule[0];
    /**
     * Rules with an owner (see {@link #add(LinkRule...)}), and which of them match each link, replaced whole on each
     * change: read without a lock. A message looks its link up rather than scanning every rule, so rules on links it
     * does not cross cost it nothing.
     */
    private volatile Matches rules = new Matches(NO_RULES);
    /** Draws the jitter of delayed links' messages; seeded, and drawn from only while a rule has jitter. */
    private final Random jitter;

    /** A network whose jitter is drawn from seed 0. */
    public Network() {
        this(0);
    }

    /** A network whose jitter (see {@link LinkRule#delay}) is drawn from a generator derived from {@code seed}. */
    public Network(long seed) {
        this.jitter = new Random(seed ^ 0x6A09E667F3BCC909L);
    }

    /**
     * Runs {@code listener} after every change of the rules (a cut, a restore, an isolation, a heal...), on the thread
     * that changed them: how carriers of open streams (a watch) learn that a link under them broke or came back
     * without asking on every message. A listener returns quickly and does not throw.
     */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /** Stops running a listener added by {@link #addListener(Runnable)}. */
    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void changed() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Network.class).warn("a listener of the network's rules failed", e);
            }
        }
    }

    /**
     * Whether a message from {@code from} reaches {@code to} now. Direction matters: a link cut one way (see
     * {@link LinkRule#cut}) still carries messages the other way.
     */
    public boolean reachable(String from, String to) {
        if (!hosts.isEmpty()) {
            String fromHost = hosts.get(from);
            String toHost = hosts.get(to);
            if (fromHost != null && !fromHost.equals(to) && !linkUp(fromHost, to)
                    || toHost != null && !toHost.equals(from) && !linkUp(from, toHost)) {
                return false; // the host's own link is cut, and the message crosses it
            }
        }
        return linkUp(from, to);
    }

    /**
     * Runs {@code party} on {@code host}, as a pod's client runs on its node: from now on every message from or to
     * {@code party} also crosses {@code host}'s link, so a cut, partition or isolation of {@code host} cuts
     * {@code party} too (its own rules still apply as well). Only cuts act through the host; latency and loss are
     * the party's own. A party runs on one host at a time: this moves it.
     *
     * @throws IllegalArgumentException if both are the same party
     */
    public void runOn(String party, String host) {
        if (party.equals(host)) {
            throw new IllegalArgumentException("a party cannot run on itself: " + party);
        }
        hosts.put(party, host);
        changed();
    }

    /** The host {@code party} runs on (see {@link #runOn}), or null if it is a host of its own. */
    public String hostOf(String party) {
        return hosts.get(party);
    }

    private boolean linkUp(String from, String to) {
        if (cut.contains(from + "\u0000" + to) || isolated.contains(from) || isolated.contains(to)) {
            return false;
        }
        for (LinkRule r : rules.on(from, to)) {
            if (r.cut) {
                return false;
            }
        }
        return true;
    }

    /**
     * Puts rules on the links, all at once, until {@link #remove(LinkRule...)} takes these same rule objects off.
     * Rules compose: two rules on one link (two cuts, a cut and a delay) are each in force until their own removal,
     * so lifting one leaves the other. Rules added here are apart from the older calls ({@link #cut},
     * {@link #isolate}, {@link #slow}, {@link #lossy}); {@link #heal()} lifts both.
     */
    public void add(LinkRule... added) {
        if (added.length == 0) {
            return;
        }
        synchronized (this) {
            LinkRule[] old = rules.all;
            LinkRule[] now = Arrays.copyOf(old, old.length + added.length);
            System.arraycopy(added, 0, now, old.length, added.length);
            rules = new Matches(now);
        }
        changed();
    }

    /** Takes rules added by {@link #add(LinkRule...)} off the links (these objects, not equal ones); others stay. */
    public void remove(LinkRule... removed) {
        synchronized (this) {
            rules = new Matches(Arrays.stream(rules.all).filter(r -> {
                for (LinkRule x : removed) {
                    if (x == r) {
                        return false;
                    }
                }
                return true;
            }).toArray(LinkRule[]::new));
        }
        changed();
    }

    /** How many rules added by {@link #add(LinkRule...)} are in force now. */
    public int rules() {
        return rules.all.length;
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
        changed();
    }

    /** Restores the links between two parties that {@link #cut(String, String)} cut, both ways. */
    public void restore(String a, String b) {
        cut.remove(a + "\u0000" + b);
        cut.remove(b + "\u0000" + a);
        changed();
    }

    /** Cuts every link of one party, both ways, until {@link #rejoin(String)} or {@link #heal()}. */
    public void isolate(String party) {
        isolated.add(party);
        changed();
    }

    /** Undoes {@link #isolate(String)}; links cut one by one stay cut. */
    public void rejoin(String party) {
        isolated.remove(party);
        changed();
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
        long delay = slow.isEmpty() ? 0 : slow.getOrDefault(from, 0L) + slow.getOrDefault(to, 0L);
        for (LinkRule r : rules.on(from, to)) {
            if (r.delayNanos > 0 || r.jitterNanos > 0) {
                delay += r.delayNanos;
                if (r.jitterNanos > 0) {
                    synchronized (jitter) {
                        delay += (long) (jitter.nextDouble() * r.jitterNanos);
                    }
                }
            }
        }
        return delay;
    }

    /**
     * Makes every link of one party lossy, both ways: each message from or to it is lost with {@code probability},
     * until lifted with a probability of 0 or {@link #heal()}. A message between two lossy parties runs both risks. A
     * carrier that honours loss asks {@link #drops(String, String, RandomGenerator)} for each message; others deliver
     * every one. Only carriers whose protocol tolerates loss honour it (the store's Raft links do: Raft resends).
     *
     * @throws IllegalArgumentException unless {@code 0 <= probability <= 1}
     */
    public void lossy(String party, double probability) {
        if (!(probability >= 0 && probability <= 1)) { // NaN too
            throw new IllegalArgumentException("a link's loss probability must be between 0 and 1, got "
                    + probability);
        }
        if (probability == 0) {
            lossy.remove(party);
        } else {
            lossy.put(party, probability);
        }
    }

    /**
     * Whether to lose one message from {@code from} to {@code to} now, by the loss of their links (see
     * {@link #lossy(String, double)}). Draws from {@code random}, the carrier's seeded generator, only when a link is
     * lossy: a run without loss draws nothing, and a run with it is the same for the same seed and the same messages.
     */
    public boolean drops(String from, String to, RandomGenerator random) {
        LinkRule[] r = rules.on(from, to);
        if (lossy.isEmpty() && r.length == 0) {
            return false;
        }
        double delivered = lossy.isEmpty() ? 1
                : (1 - lossy.getOrDefault(from, 0.0)) * (1 - lossy.getOrDefault(to, 0.0));
        for (LinkRule rule : r) {
            if (rule.loss > 0) {
                delivered *= 1 - rule.loss;
            }
        }
        if (delivered == 1) {
            return false;
        }
        double draw;
        synchronized (random) {
            draw = random.nextDouble();
        }
        return draw >= delivered;
    }

    /**
     * Whether to deliver one message from {@code from} to {@code to} twice, by the {@link LinkRule#duplicate} rules on
     * the link; draws from the carrier's {@code random} only when such a rule is on it.
     */
    public boolean duplicates(String from, String to, RandomGenerator random) {
        return draw(from, to, random, true);
    }

    /**
     * Whether to hold one message from {@code from} to {@code to} back, so that later ones overtake it, by the
     * {@link LinkRule#reorder} rules on the link; draws from the carrier's {@code random} only when such a rule is on
     * it.
     */
    public boolean reorders(String from, String to, RandomGenerator random) {
        return draw(from, to, random, false);
    }

    private boolean draw(String from, String to, RandomGenerator random, boolean duplicate) {
        LinkRule[] r = rules.on(from, to);
        if (r.length == 0) {
            return false;
        }
        double not = 1;
        for (LinkRule rule : r) {
            not *= 1 - (duplicate ? rule.duplicate : rule.reorder);
        }
        if (not == 1) {
            return false;
        }
        double draw;
        synchronized (random) {
            draw = random.nextDouble();
        }
        return draw >= not;
    }

    /**
     * Restores every link, at full speed and without loss: every rule off, whoever put it on. Where parties run
     * ({@link #runOn}) is no fault, and stays.
     */
    public void heal() {
        synchronized (this) {
            rules = new Matches(NO_RULES);
        }
        cut.clear();
        isolated.clear();
        slow.clear();
        lossy.clear();
        changed();
    }

    /** The rules in force, and which of them match each link, found on the link's first message after a change. */
    private static final class Matches {
        final LinkRule[] all;
        private final Map<String, Map<String, LinkRule[]>> byLink = new ConcurrentHashMap<>();

        Matches(LinkRule[] all) {
            this.all = all;
        }

        /** The rules that match the link from {@code from} to {@code to}, in the order they were added. */
        LinkRule[] on(String from, String to) {
            if (all.length == 0) {
                return NO_RULES;
            }
            Map<String, LinkRule[]> fromHere = byLink.get(from);
            if (fromHere == null) {
                fromHere = byLink.computeIfAbsent(from, f -> new ConcurrentHashMap<>());
            }
            LinkRule[] matching = fromHere.get(to);
            if (matching == null) {
                matching = fromHere.computeIfAbsent(to, t -> Arrays.stream(all).filter(r -> r.matches(from, t))
                        .toArray(LinkRule[]::new));
            }
            return matching;
        }
    }
}

package dev.drydock.net;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;

/**
 * One rule on the network's links, in one direction: messages from any party of {@code from} to any party of
 * {@code to} are cut, held up, lost, duplicated or reordered with a probability. A side of {@code null} matches every party, so that
 * {@code cut(Set.of("node-1"), null)} cuts everything {@code node-1} sends. A rule is in force between
 * {@link Network#add(LinkRule...)} and {@link Network#remove(LinkRule...)} of this same object; two equal rules are
 * two rules, each lifted on its own.
 */
public final class LinkRule {

    final Set<String> from; // null: any party
    final Set<String> to;   // null: any party
    final boolean cut;
    final long delayNanos;
    final long jitterNanos;
    final double loss;
    final double duplicate;
    final double reorder;

    private LinkRule(Collection<String> from, Collection<String> to, boolean cut, long delayNanos, long jitterNanos,
                     double loss) {
        this(from, to, cut, delayNanos, jitterNanos, loss, 0, 0);
    }

    private LinkRule(Collection<String> from, Collection<String> to, boolean cut, long delayNanos, long jitterNanos,
                     double loss, double duplicate, double reorder) {
        this.from = from == null ? null : Set.copyOf(from);
        this.to = to == null ? null : Set.copyOf(to);
        this.cut = cut;
        this.delayNanos = delayNanos;
        this.jitterNanos = jitterNanos;
        this.loss = loss;
        this.duplicate = duplicate;
        this.reorder = reorder;
    }

    /** Messages from {@code from} to {@code to} are lost, all of them (null: any party). */
    public static LinkRule cut(Collection<String> from, Collection<String> to) {
        return new LinkRule(from, to, true, 0, 0, 0);
    }

    /**
     * Messages from {@code from} to {@code to} arrive {@code latency} later, plus a jitter drawn evenly from
     * {@code [0, jitter)} with the network's seed, for each message (null: any party).
     *
     * @throws IllegalArgumentException if either duration is negative, or both are zero
     */
    public static LinkRule delay(Collection<String> from, Collection<String> to, Duration latency, Duration jitter) {
        if (latency.isNegative() || jitter.isNegative()) {
            throw new IllegalArgumentException("a link's latency and jitter cannot be negative, got latency "
                    + latency + " and jitter " + jitter);
        }
        if (latency.isZero() && jitter.isZero()) {
            throw new IllegalArgumentException("a delay needs a positive latency or jitter, got both zero");
        }
        return new LinkRule(from, to, false, latency.toNanos(), jitter.toNanos(), 0);
    }

    /**
     * Each message from {@code from} to {@code to} is lost with {@code probability} (null: any party).
     *
     * @throws IllegalArgumentException unless {@code 0 < probability <= 1}
     */
    public static LinkRule loss(Collection<String> from, Collection<String> to, double probability) {
        if (!(probability > 0 && probability <= 1)) { // NaN too
            throw new IllegalArgumentException("a link's loss probability must be above 0 and at most 1, got "
                    + probability);
        }
        return new LinkRule(from, to, false, 0, 0, probability);
    }

    /**
     * Each message from {@code from} to {@code to} arrives twice with {@code probability}, the copy a little later
     * (null: any party). Only carriers whose protocol tolerates duplicates honour it (the store's Raft links).
     *
     * @throws IllegalArgumentException unless {@code 0 < probability <= 1}
     */
    public static LinkRule duplicate(Collection<String> from, Collection<String> to, double probability) {
        return new LinkRule(from, to, false, 0, 0, 0, probability("duplicate", probability), 0);
    }

    /**
     * Each message from {@code from} to {@code to} is held back with {@code probability}, so that the messages sent
     * after it overtake it (null: any party). Only carriers whose protocol tolerates reordering honour it (the store's
     * Raft links).
     *
     * @throws IllegalArgumentException unless {@code 0 < probability <= 1}
     */
    public static LinkRule reorder(Collection<String> from, Collection<String> to, double probability) {
        return new LinkRule(from, to, false, 0, 0, 0, 0, probability("reorder", probability));
    }

    private static double probability(String what, double probability) {
        if (!(probability > 0 && probability <= 1)) { // NaN too
            throw new IllegalArgumentException("a link's " + what + " probability must be above 0 and at most 1, got "
                    + probability);
        }
        return probability;
    }

    /** Whether the rule is on the link from {@code a} to {@code b}. */
    boolean matches(String a, String b) {
        return (from == null || from.contains(a)) && (to == null || to.contains(b));
    }

    @Override
    public String toString() {
        String what = cut ? "cut" : loss > 0 ? "lose " + loss : duplicate > 0 ? "duplicate " + duplicate
                : reorder > 0 ? "reorder " + reorder : "delay " + Duration.ofNanos(delayNanos).toMillis()
                + "ms+" + Duration.ofNanos(jitterNanos).toMillis() + "ms";
        return what + " " + (from == null ? "*" : from) + " -> " + (to == null ? "*" : to);
    }
}

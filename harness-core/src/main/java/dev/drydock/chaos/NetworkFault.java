package dev.drydock.chaos;

import dev.drydock.net.LinkRule;

/**
 * One network fault in force, made by {@link NetworkFaults}: undo it with {@link #heal()} or {@link #close()}, so
 * that try-with-resources scopes it to a block. Healing it lifts its own rules only: another fault on the same links
 * stays in force.
 *
 * <pre>{@code
 * try (NetworkFault f = cluster.networkFaults().isolate("node-1")) {
 *     await().until(() -> nodeIsNotReady("node-1"));
 * }
 * }</pre>
 */
public final class NetworkFault implements AutoCloseable {

    private final NetworkFaults owner;
    private final String subject;
    private final String description;
    final LinkRule[] rules;
    private volatile boolean healed;

    NetworkFault(NetworkFaults owner, String subject, String description, LinkRule[] rules) {
        this.owner = owner;
        this.subject = subject;
        this.description = description;
        this.rules = rules;
    }

    /** Whether the fault is still in force. */
    public boolean isActive() {
        return !healed;
    }

    /**
     * Undoes the fault: its links carry messages again (unless another fault still holds them). Recorded on the
     * cluster's timeline.
     *
     * @throws IllegalStateException if it was healed already
     */
    public void heal() {
        if (!markHealed()) {
            throw new IllegalStateException("the network fault '" + description + "' was healed already");
        }
        owner.healed(this);
    }

    /** Heals the fault unless it was healed already: what ends a try-with-resources block. */
    @Override
    public void close() {
        if (markHealed()) {
            owner.healed(this);
        }
    }

    private synchronized boolean markHealed() {
        if (healed) {
            return false;
        }
        healed = true;
        return true;
    }

    /** The party or group the fault is about, as its timeline entries name it. */
    String subject() {
        return subject;
    }

    /** The fault as recorded on the timeline, e.g. {@code isolate node-1}. */
    @Override
    public String toString() {
        return description;
    }
}

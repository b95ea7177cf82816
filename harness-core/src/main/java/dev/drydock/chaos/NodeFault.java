package dev.drydock.chaos;

import java.util.Objects;

/**
 * One fault in force on a node or one of its containers (a frozen node, a hung container), as
 * {@link NetworkFault} and {@link ApiFault} are on links and requests: undo it with {@link #heal()} or
 * {@link #close()}, so that try-with-resources scopes it to a block. Its start and its end are recorded on the
 * cluster's {@link Timeline}.
 *
 * <pre>{@code
 * try (NodeFault hung = cluster.pod("default", "web-0").container("app").hang()) {
 *     // the container runs on, but answers nothing: exec, attach and its ports stall
 * }
 * }</pre>
 */
public final class NodeFault implements AutoCloseable {

    private final String subject;
    private final String description;
    private final Timeline timeline;
    private final Runnable undo;
    private boolean healed; // guarded by this

    /**
     * A fault that is in force now; recorded on {@code timeline} by whoever made it. {@code undo} lifts it, once.
     *
     * @param subject     whom it is about, as the timeline names it (e.g. {@code node-1})
     * @param description what it is, e.g. {@code freeze node-1}
     */
    public NodeFault(String subject, String description, Timeline timeline, Runnable undo) {
        this.subject = Objects.requireNonNull(subject, "subject");
        this.description = Objects.requireNonNull(description, "description");
        this.timeline = Objects.requireNonNull(timeline, "timeline");
        this.undo = Objects.requireNonNull(undo, "undo");
    }

    /** Whether the fault is still in force. */
    public synchronized boolean isActive() {
        return !healed;
    }

    /**
     * Undoes the fault. Recorded on the cluster's timeline.
     *
     * @throws IllegalStateException if it was healed already (by this handle or another way, e.g. a node's
     *                               {@code thaw()} or its crash)
     */
    public void heal() {
        if (!markHealed()) {
            throw new IllegalStateException("the fault '" + description + "' was healed already");
        }
        lift();
    }

    /** Heals the fault unless it was healed already: what ends a try-with-resources block. */
    @Override
    public void close() {
        if (markHealed()) {
            lift();
        }
    }

    /**
     * Marks the fault over without undoing anything, because what it acted on is gone (the node crashed or restarted,
     * the container was replaced): its handle's {@link #close()} then does nothing. Recorded on the timeline with why.
     */
    public void ended(String why) {
        if (markHealed()) {
            timeline.event(subject, description + " ended: " + why);
        }
    }

    private void lift() {
        try {
            undo.run();
        } finally {
            timeline.fault(subject, "healed " + description);
        }
    }

    private synchronized boolean markHealed() {
        if (healed) {
            return false;
        }
        healed = true;
        return true;
    }

    /** The fault as recorded on the timeline, e.g. {@code freeze node-1}. */
    @Override
    public String toString() {
        return description;
    }
}

package dev.drydock.chaos;

import dev.drydock.base.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One cluster's record of what happened, in order: every fault injected, the API errors faults caused, every distinct
 * error of a component's sync, and the notable changes of the cluster (pods' phases and readiness, nodes' conditions,
 * leaders, rollouts; see {@code dev.drydock.cluster.TimelineRecorder}). A failing test prints it, so the order of
 * faults and consequences can be read, and draws it as lanes (a lane per subject of the entries that carry a state).
 *
 * <p>The timeline keeps its newest {@link #capacity()} entries and counts those it let go ({@link #dropped()}), so a
 * long chaotic run costs bounded memory.
 *
 * <pre>{@code
 * cluster.timeline().entries().stream().filter(e -> e.kind().equals(Timeline.POD)).forEach(System.out::println);
 * }</pre>
 */
public final class Timeline {

    /** Kind of a fault injected by the test or by scheduled chaos. */
    public static final String FAULT = "fault";
    /** Kind of a notable event without a state of its own (started, serving, a replica restarted...). */
    public static final String EVENT = "event";
    /** Kind of an error: API requests that a fault failed, a component's failed sync. */
    public static final String ERROR = "error";
    /** Kind of a pod's change: its subject is {@code pod/<namespace>/<name>}, its state the phase and readiness. */
    public static final String POD = "pod";
    /** Kind of a node's change: its subject is {@code node/<name>}, its state {@code Ready}, {@code NotReady}... */
    public static final String NODE = "node";
    /** Kind of a leader's change: the store's Raft leader ({@code store}), or a Lease's holder ({@code lease/ns/name}). */
    public static final String LEADER = "leader";
    /** Kind of a Deployment's rollout: its subject is {@code deployment/<namespace>/<name>}. */
    public static final String ROLLOUT = "rollout";
    /** How many entries a timeline keeps unless told otherwise. */
    public static final int DEFAULT_CAPACITY = 20_000;

    /**
     * One entry: when, what kind of thing ({@link #FAULT}, {@link #POD}...), about whom ({@code node/node-1},
     * {@code pod/default/web-x7k2p}, a network party...), the state the subject is in from then on (null for entries
     * that are not state changes), and what happened.
     */
    public record Entry(Instant at, String kind, String subject, String detail, String state) {

        /** An entry that is not a state change. */
        public Entry(Instant at, String kind, String subject, String detail) {
            this(at, kind, subject, detail, null);
        }

        @Override
        public String toString() {
            return at + "  " + kind + "  " + subject + (state == null ? "" : "  " + state)
                    + (detail == null || detail.isEmpty() ? "" : "  " + detail);
        }
    }

    private final Clock clock;
    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long dropped;
    private long syncFailures;

    public Timeline(Clock clock) {
        this(clock, DEFAULT_CAPACITY);
    }

    /** A timeline that keeps its newest {@code capacity} entries. */
    public Timeline(Clock clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a timeline keeps at least one entry, got capacity " + capacity);
        }
        this.clock = clock;
        this.capacity = capacity;
    }

    /** The clock its entries are stamped with: the cluster's. */
    public Clock clock() {
        return clock;
    }

    /** Records a fault injected by the test. */
    public void fault(String subject, String detail) {
        add(FAULT, subject, detail, null);
    }

    /** Records a notable event of the cluster. */
    public void event(String subject, String detail) {
        add(EVENT, subject, detail, null);
    }

    /** Records an error that a fault caused, e.g. API requests that a fault failed. */
    public void error(String subject, String detail) {
        add(ERROR, subject, detail, null);
    }

    /**
     * Records that {@code subject} is in {@code state} from now on, e.g. {@code record(POD, "pod/default/web-1",
     * "Running/Ready", "became Ready on node-2")}: the entries a lane of the HTML timeline is drawn from.
     */
    public void record(String kind, String subject, String state, String detail) {
        add(kind, subject, detail, state);
    }

    /**
     * Counts a failed sync of a component (a controller, the scheduler, a kubelet), and records it as an
     * {@code error} entry unless it repeats the key's previous error. Given to the components as their
     * {@link dev.drydock.base.SyncFailures}.
     */
    public synchronized void syncFailed(String queue, String key, Throwable error, boolean repeat) {
        syncFailures++;
        if (!repeat) {
            add(ERROR, queue, "sync of " + key + " failed: " + error, null);
        }
    }

    /**
     * How many syncs of the cluster's components have failed so far, repeats included. A converged cluster adds
     * none: a figure that keeps growing is a component retrying something it cannot do.
     */
    public synchronized long syncFailures() {
        return syncFailures;
    }

    private synchronized void add(String kind, String subject, String detail, String state) {
        if (entries.size() == capacity) {
            entries.removeFirst();
            dropped++;
        }
        entries.addLast(new Entry(clock.now(), kind, subject, detail, state));
    }

    /** The entries kept, oldest first (see {@link #dropped()}). */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The newest {@code n} entries kept, oldest first. */
    public synchronized List<Entry> last(int n) {
        List<Entry> all = new ArrayList<>(entries);
        return List.copyOf(all.subList(Math.max(0, all.size() - Math.max(0, n)), all.size()));
    }

    /** How many entries it keeps at most. */
    public int capacity() {
        return capacity;
    }

    /** How many of the oldest entries it let go to keep within its {@link #capacity()}. */
    public synchronized long dropped() {
        return dropped;
    }

    @Override
    public synchronized String toString() {
        StringBuilder s = new StringBuilder();
        if (dropped > 0) {
            s.append("(").append(dropped).append(" older entries dropped; the timeline keeps ").append(capacity)
                    .append(")\n");
        }
        entries.forEach(e -> s.append(e).append('\n'));
        return s.toString();
    }
}

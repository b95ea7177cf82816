package dev.drydock.chaos;

import dev.drydock.base.SerialExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running chaos schedule, made by {@link Chaos.Every#pick(Chaos.Fault...)}: close it to stop picking and heal
 * every fault it started (crashed nodes boot again, isolated parties rejoin), so that try-with-resources scopes the
 * chaos to a block.
 */
public final class ChaosSchedule implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChaosSchedule.class);
    private static final String SUBJECT = "chaos";

    private final int number;
    private final Duration interval;
    private final int times;
    private final List<Chaos.Fault> faults;
    private final Random random;
    private final Chaos.Targets targets;
    private final Timeline timeline;
    private final ScheduledExecutorService timer;
    /** Picks and ends run here one at a time, in the order the timer fires them. */
    private final Executor lane;
    // guarded by this
    private final List<Active> active = new ArrayList<>();
    private int picks;
    private boolean stopped;
    private ScheduledFuture<?> ticking;

    /** One fault a pick made, until it ends. */
    private static final class Active {
        final int pick;
        final Chaos.Fault fault;
        final String target;
        final long endsAt; // in intervals' nanos since the start: when it ends at the latest, as planned
        NetworkFault network; // for isolations
        NodeFault frozen;     // for freezes

        Active(int pick, Chaos.Fault fault, String target, long endsAt) {
            this.pick = pick;
            this.fault = fault;
            this.target = target;
            this.endsAt = endsAt;
        }
    }

    ChaosSchedule(int number, Duration interval, int times, List<Chaos.Fault> faults, Random random,
                  Chaos.Targets targets, Timeline timeline, ScheduledExecutorService timer, Executor workers) {
        this.number = number;
        this.interval = interval;
        this.times = times;
        this.faults = faults;
        this.random = random;
        this.targets = targets;
        this.timeline = timeline;
        this.timer = timer;
        this.lane = new SerialExecutor(workers);
    }

    synchronized void start() {
        timeline.fault(SUBJECT, name() + " started: every " + interval.toMillis() + "ms"
                + (times > 0 ? ", " + times + " picks" : "") + ", one of " + faults);
        long nanos = interval.toNanos();
        ticking = timer.scheduleAtFixedRate(() -> run(this::pick), nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** How many picks it has made so far. */
    public synchronized int picks() {
        return picks;
    }

    /**
     * Whether it has finished: closed, or (with {@link Chaos.Every#times(int)}) made all its picks and every fault
     * they started has ended.
     */
    public synchronized boolean isDone() {
        return stopped || times > 0 && picks >= times && active.isEmpty();
    }

    /** Stops picking and heals every fault it started that has not ended. Does nothing the second time. */
    @Override
    public void close() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            ticking.cancel(false);
            for (Active a : List.copyOf(active)) {
                end(a);
            }
            timeline.fault(SUBJECT, name() + " stopped after " + picks + " pick(s)");
        }
    }

    /** Stops at once, healing nothing: the cluster is closing. */
    synchronized void abandon() {
        stopped = true;
        if (ticking != null) {
            ticking.cancel(false);
        }
        active.clear();
    }

    // ---- on the lane

    /** Runs a step on the lane, unless the cluster's workers are gone (it is closing). */
    private void run(Runnable step) {
        try {
            lane.execute(() -> {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    LOG.warn("{}: a step failed; the schedule goes on", name(), e);
                    timeline.error(SUBJECT, name() + ": " + e);
                }
            });
        } catch (RejectedExecutionException e) {
            abandon();
        }
    }

    private synchronized void pick() {
        if (stopped || times > 0 && picks >= times) {
            return;
        }
        int k = ++picks;
        long now = k * interval.toNanos();
        for (Active a : List.copyOf(active)) {
            if (a.endsAt <= now) {
                end(a); // due, even if its own timer is late: a slow machine changes when, not what
            }
        }
        Chaos.Fault fault = faults.get(random.nextInt(faults.size()));
        List<String> free = new ArrayList<>();
        for (String t : fault.kind.universe(targets)) {
            if (active.stream().noneMatch(a -> a.target.equals(t)) && fault.kind.eligible(targets, t)) {
                free.add(t);
            }
        }
        if (free.isEmpty()) {
            timeline.fault(SUBJECT, name() + " pick " + k + ": " + fault + ": no " + fault.kind.targets + " free");
        } else {
            String target = free.get(random.nextInt(free.size()));
            timeline.fault(SUBJECT, name() + " pick " + k + ": " + fault + ": " + target);
            Active a = new Active(k, fault, target, now + fault.duration.toNanos());
            begin(a);
            active.add(a);
            try {
                timer.schedule(() -> run(() -> endIfActive(a)), fault.duration.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                abandon(); // the cluster is closing
            }
        }
        if (times > 0 && picks >= times) {
            ticking.cancel(false);
        }
    }

    private synchronized void endIfActive(Active a) {
        if (!stopped && active.contains(a)) {
            end(a);
        }
    }

    private void begin(Active a) {
        switch (a.fault.kind) {
            case ISOLATE_NODE, ISOLATE_STORE_REPLICA -> a.network = targets.network().isolate(a.target);
            case CRASH_NODE -> targets.nodes().crash(a.target);
            case FREEZE_NODE -> a.frozen = targets.nodes().freeze(a.target);
        }
    }

    /** Ends one fault: guarded by this. */
    private void end(Active a) {
        active.remove(a);
        switch (a.fault.kind) {
            case ISOLATE_NODE, ISOLATE_STORE_REPLICA -> a.network.close();
            case CRASH_NODE -> targets.nodes().restart(a.target);
            case FREEZE_NODE -> a.frozen.close(); // nothing if a crash ended the freeze meanwhile
        }
    }

    private String name() {
        return "schedule " + number;
    }

    @Override
    public synchronized String toString() {
        return name() + " (" + picks + " pick(s)" + (stopped ? ", stopped" : "") + ")";
    }
}

package dev.drydock.kubelet;

import dev.drydock.base.Timers;
import dev.drydock.runtime.ContainerStatus;
import java.time.Duration;

/**
 * One probe of one container instance, as kube's probe worker: a periodic timer on the cluster's clock (never a
 * thread) that starts a probe when one is due and none is under way, counts the results in a row against the
 * probe's thresholds, and keeps the result its container's status reads. Like kube's, it waits for the container to
 * be started before a liveness or readiness probe runs, stops probing a startup probe once it settled, holds a
 * liveness probe that failed (its container is being killed), and ends when its container exits.
 */
final class ProbeWorker {

    private final ProbeManager.Instance instance;
    private final ProbeSpec spec;
    // guarded by this
    private Timers.Task timer;
    private boolean stopped;
    private boolean inFlight;
    private Runnable cancelInFlight;
    private boolean onHold;
    private Prober.Outcome lastOutcome;
    private int resultRun;
    /** The result the container's status reads: null while unknown. */
    private volatile Prober.Outcome result;

    ProbeWorker(ProbeManager.Instance instance, ProbeSpec spec) {
        this.instance = instance;
        this.spec = spec;
        // kube's initial results: a readiness probe fails until it succeeds, a liveness probe passes until it fails
        this.result = switch (spec.type()) {
            case READINESS -> Prober.Outcome.FAILURE;
            case LIVENESS -> Prober.Outcome.SUCCESS;
            case STARTUP -> null;
        };
    }

    /**
     * Starts the probe's timer: the first probe {@code initialDelaySeconds} after now (the container's start), then
     * one every {@code periodSeconds}.
     */
    void start() {
        Duration second = instance.manager().probeSecond();
        Timers.Task t = instance.manager().timers().every("node " + instance.manager().node() + ": " + spec.type()
                        + " probe of " + instance.podKey() + " container " + instance.name(),
                second.multipliedBy(spec.initialDelaySeconds()), second.multipliedBy(spec.periodSeconds()),
                this::tick);
        boolean cancel;
        synchronized (this) {
            timer = t;
            cancel = stopped;
        }
        if (cancel) {
            t.cancel();
        }
    }

    ProbeSpec spec() {
        return spec;
    }

    /** The result the container's status reads: {@code SUCCESS}, {@code FAILURE}, or null while unknown. */
    Prober.Outcome result() {
        return result;
    }

    /** Probes now rather than at the next tick (as kube's manual trigger), if a probe may run. */
    void trigger() {
        try {
            instance.manager().workers().execute(this::tick);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            stop(); // the cluster is closing
        }
    }

    /** Stops probing, and cancels a probe under way. Idempotent. */
    void stop() {
        Runnable cancel;
        Timers.Task t;
        synchronized (this) {
            stopped = true;
            cancel = cancelInFlight;
            cancelInFlight = null;
            t = timer;
        }
        if (t != null) {
            t.cancel();
        }
        if (cancel != null) {
            cancel.run();
        }
    }

    private void tick() {
        synchronized (this) {
            if (stopped || inFlight || onHold) {
                return;
            }
        }
        ProbeManager m = instance.manager();
        if (m.paused()) {
            return; // a frozen kubelet probes nothing
        }
        ContainerStatus cs = m.runtime().containerStatus(instance.containerId());
        if (cs == null || cs.state() == ContainerStatus.State.EXITED) {
            result = Prober.Outcome.FAILURE; // as kube's worker marks a container that is not running
            stop(); // an instance never runs again: a restart is a new one, with workers of its own
            return;
        }
        if (cs.state() != ContainerStatus.State.RUNNING) {
            return;
        }
        boolean started = instance.started();
        if (spec.type() == ProbeType.STARTUP ? started : !started) {
            return; // a startup probe is done once started; the others wait for it
        }
        Prober.Target target = instance.target();
        synchronized (this) {
            if (stopped || inFlight) {
                return;
            }
            inFlight = true;
        }
        Runnable cancel = m.prober().probe(spec, target, this::done);
        synchronized (this) {
            if (inFlight) {
                cancelInFlight = cancel;
            }
        }
    }

    /** A probe ended: kube's {@code doProbe} after the probe returns. */
    private void done(Prober.Result r) {
        boolean changed = false;
        boolean event;
        synchronized (this) {
            inFlight = false;
            cancelInFlight = null;
            if (stopped) {
                return;
            }
            // throttled, with the kubelet's other events about the pod, by its recorder's spam filter, as in kube
            event = r.outcome() != Prober.Outcome.SUCCESS;
            if (r.outcome() != Prober.Outcome.ERROR) { // an errored probe's result is thrown away
                if (r.outcome() == lastOutcome) {
                    resultRun++;
                } else {
                    lastOutcome = r.outcome();
                    resultRun = 1;
                }
                boolean below = r.outcome() == Prober.Outcome.FAILURE ? resultRun < spec.failureThreshold()
                        : resultRun < spec.successThreshold();
                if (!below) {
                    changed = result != r.outcome();
                    result = r.outcome();
                    if (spec.type() == ProbeType.LIVENESS && r.outcome() == Prober.Outcome.FAILURE
                            || spec.type() == ProbeType.STARTUP) {
                        // its container is killed (or started): no more probes of this instance
                        onHold = true;
                        resultRun = 0;
                    }
                }
            }
        }
        if (event) {
            String message = r.outcome() == Prober.Outcome.ERROR
                    ? spec.type() + " probe errored and resulted in unknown state: " + r.output()
                    : spec.type() + " probe failed: " + r.output();
            instance.manager().unhealthy(instance, message);
        }
        if (changed) {
            instance.manager().resultChanged(instance, spec.type());
        }
    }
}

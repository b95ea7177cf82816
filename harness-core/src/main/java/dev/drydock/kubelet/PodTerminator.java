package dev.drydock.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.ComponentContext;
import dev.drydock.client.EventRecorder;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.ContainerStatus;
import dev.drydock.runtime.RuntimeError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a pod's containers gracefully, as kube's {@code killPodWithSyncResult}: each running app container runs its
 * {@code preStop} hook, then gets SIGTERM, and SIGKILL once the rest of the grace period has passed (at least kube's
 * 2 s minimum after its hook); restartable init containers (sidecars) stop after every app container has exited, the
 * last one first. It is driven by the pod's syncs: each call does what is due and returns; a hook's end, a
 * container's exit and the grace period's end sync the pod again. Nothing waits on the pod's lane or the node's.
 *
 * <p>The grace period is the pod's {@code deletionGracePeriodSeconds} (from {@code terminationGracePeriodSeconds},
 * 30 by default), shortened if a later delete asks for less, on the cluster's clock, compressed as
 * {@link dev.drydock.base.Timings#terminationGracePeriod()} says.
 */
final class PodTerminator {

    private static final Logger LOG = LoggerFactory.getLogger(PodTerminator.class);
    /** kube's {@code minimumGracePeriodInSeconds}: what a container gets after a hook that used up the grace. */
    private static final long MINIMUM_GRACE_SECONDS = 2;

    /** A pod's termination under way: its deadline and each container's progress. */
    static final class Termination {
        volatile Instant deadline;
        volatile long graceSeconds;
        /** By container instance id: the hooks under way (their cancellers). */
        final Map<String, Runnable> hooks = new ConcurrentHashMap<>();
        /** The instances whose hook was started, and those whose hook ended. */
        final java.util.Set<String> hooked = ConcurrentHashMap.newKeySet();
        final java.util.Set<String> hookDone = ConcurrentHashMap.newKeySet();
        final java.util.Set<String> stopped = ConcurrentHashMap.newKeySet();
        /** The instances whose stop was announced (kube's {@code Killing} event, before the hook). */
        final java.util.Set<String> announced = ConcurrentHashMap.newKeySet();

        Termination(Instant deadline, long graceSeconds) {
            this.deadline = deadline;
            this.graceSeconds = graceSeconds;
        }
    }

    /**
     * One container instance being stopped on its own, as kube's {@code killContainer} stops one after a failed
     * liveness or startup probe: with its hook, its grace period and its {@code Killing} message.
     */
    static final class Kill {
        final String id;
        final String message;
        final Termination termination;

        Kill(String id, String message, Termination termination) {
            this.id = id;
            this.message = message;
            this.termination = termination;
        }
    }

    private final ContainerRuntime runtime;
    private final ComponentContext ctx;
    private final EventRecorder events;
    private final PodWorkers workers;
    private final LifecycleHooks hooks;
    private final String node;

    PodTerminator(String node, ContainerRuntime runtime, ComponentContext ctx, EventRecorder events,
                  PodWorkers workers) {
        this.node = node;
        this.runtime = runtime;
        this.ctx = ctx;
        this.events = events;
        this.workers = workers;
        this.hooks = new LifecycleHooks(runtime, ctx);
    }

    /**
     * The grace period of a pod's termination, in seconds, as kube's pod workers compute it: the deletion's
     * {@code deletionGracePeriodSeconds}, or, when there is none or it is 0 (a forced deletion: the API object is
     * gone, but its containers still stop gracefully), the pod's {@code terminationGracePeriodSeconds} (30 by
     * default); never less than 1.
     */
    static long gracePeriodSeconds(JsonNode pod) {
        long deletion = pod.path("metadata").path("deletionGracePeriodSeconds").asLong(0);
        long grace = deletion > 0 ? deletion : pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
        return Math.max(1, grace);
    }

    /**
     * Takes the pod's termination one step further.
     *
     * @param key         the pod's key, to sync it again
     * @param pod         the pod (its spec names the containers and their hooks)
     * @param run         what the kubelet runs of it
     * @param grace       the grace period in seconds (a shorter one than before shortens it)
     * @param sidecarsOnly whether only the sidecars are to stop (a pod whose app containers finished)
     * @return whether every container it was asked to stop has stopped
     */
    boolean terminate(String key, ObjectNode pod, Kubelet.RunningPod run, long grace, boolean sidecarsOnly) {
        if (!sidecarsOnly) {
            run.containers().values().forEach(Kubelet.ContainerSlot::cancelPostStart); // the pod is being stopped
        }
        List<JsonNode> apps = new ArrayList<>();
        List<JsonNode> sidecars = new ArrayList<>();
        JsonNode spec = pod.path("spec");
        for (JsonNode c : spec.path("initContainers")) {
            (PodActions.isSidecar(c) ? sidecars : apps).add(c);
        }
        if (!sidecarsOnly) {
            spec.path("containers").forEach(apps::add);
        }
        List<JsonNode> liveApps = live(run, apps);
        List<JsonNode> liveSidecars = live(run, sidecars);
        Termination t = run.termination;
        if (liveApps.isEmpty() && liveSidecars.isEmpty()) {
            if (t != null) {
                t.hooks.values().forEach(Runnable::run); // hooks of containers that exited meanwhile
                t.hooks.clear();
            }
            return true;
        }
        Instant now = ctx.clock().now();
        Instant due = now.plus(ctx.timings().gracePeriod(grace));
        if (t == null) {
            t = new Termination(due, grace);
            workers.addAt(key, due);
        } else if (grace < t.graceSeconds && due.isBefore(t.deadline)) {
            t.deadline = due; // a delete with a shorter grace period: the stops already sent are sent again
            t.graceSeconds = grace;
            t.stopped.clear();
            workers.addAt(key, due);
        }
        boolean pastDeadline = !now.isBefore(t.deadline);
        List<JsonNode> stopping = !liveApps.isEmpty() ? liveApps
                : List.of(liveSidecars.get(liveSidecars.size() - 1));
        for (JsonNode c : stopping) {
            stop(key, pod, run, t, c, pastDeadline, now);
        }
        run.termination = t; // published once its first step is done: hooks started, SIGTERMs sent
        return false;
    }

    /**
     * Starts stopping one container instance of a running pod (see {@link #kill}): its grace period, in seconds,
     * runs from now, compressed as a pod's is, and the pod is synced again when it ends.
     */
    Kill startKill(String key, String containerId, long graceSeconds, String message) {
        Instant due = ctx.clock().now().plus(ctx.timings().gracePeriod(graceSeconds));
        workers.addAt(key, due);
        return new Kill(containerId, message, new Termination(due, graceSeconds));
    }

    /**
     * Takes a container's kill one step further, as {@link #terminate} does for a pod's: its {@code preStop} hook,
     * then SIGTERM, then SIGKILL at the end of the grace period (at least 2 s after a hook that used it up).
     *
     * @param container the container's spec
     * @return whether the instance has stopped (its hook, if still running, is cancelled then)
     */
    boolean kill(String key, ObjectNode pod, Kubelet.RunningPod run, JsonNode container, Kill kill) {
        ContainerStatus cs = runtime.containerStatus(kill.id);
        if (cs == null || cs.state() != ContainerStatus.State.RUNNING && cs.state() != ContainerStatus.State.CREATED) {
            cancel(kill);
            return true;
        }
        Instant now = ctx.clock().now();
        stop(key, pod, run, kill.termination, container, kill.id, kill.message, !now.isBefore(
                kill.termination.deadline), now);
        return false;
    }

    /** Cancels what is left of a kill: a hook still running. */
    void cancel(Kill kill) {
        kill.termination.hooks.values().forEach(Runnable::run);
        kill.termination.hooks.clear();
    }

    /** Forgets the pod's termination and its containers' kills: hooks still under way are cancelled. */
    void forget(Kubelet.RunningPod run) {
        Termination t = run.termination;
        if (t != null) {
            t.hooks.values().forEach(Runnable::run);
            t.hooks.clear();
        }
        for (Kubelet.ContainerSlot slot : run.containers().values()) {
            Kill kill = slot.kill;
            if (kill != null) {
                cancel(kill);
            }
        }
    }

    private void stop(String key, ObjectNode pod, Kubelet.RunningPod run, Termination t, JsonNode c,
                      boolean pastDeadline, Instant now) {
        String name = c.path("name").asText();
        Kubelet.ContainerSlot slot = run.containers().get(name);
        String id = slot.id;
        Kill kill = slot.kill;
        if (kill != null && kill.id.equals(id) && kill.termination.hooked.contains(id)) {
            // A probe's kill ran its hook already: kube runs a container's preStop hook once
            t.hooked.add(id);
            t.hookDone.add(id);
            cancel(kill);
        }
        stop(key, pod, run, t, c, id, "Stopping container " + name, pastDeadline, now);
    }

    private void stop(String key, ObjectNode pod, Kubelet.RunningPod run, Termination t, JsonNode c, String id,
                      String message, boolean pastDeadline, Instant now) {
        String name = c.path("name").asText();
        JsonNode preStop = c.path("lifecycle").path("preStop");
        if (t.announced.add(id)) {
            events.normal(pod, Kubelet.containerPath(pod, name), "Killing", message);
        }
        if (!t.hooked.contains(id) && LifecycleHooks.isHandler(preStop) && !pastDeadline) {
            t.hooked.add(id);
            Runnable cancel = hooks.run(preStop, c, run.sandboxId(), id, why -> {
                t.hookDone.add(id);
                t.hooks.remove(id);
                if (why != null) {
                    events.warning(pod, Kubelet.containerPath(pod, name), "FailedPreStopHook",
                            "PreStopHook failed for container " + name + ": "
                            + why);
                }
                workers.add(key);
            });
            t.hooks.put(id, cancel);
            if (t.hookDone.contains(id)) {
                t.hooks.remove(id); // it ended at once
            } else {
                return;
            }
        }
        Runnable running = t.hooks.get(id);
        if (running != null) {
            if (!pastDeadline) {
                return; // its end syncs the pod again, as does the deadline
            }
            t.hooks.remove(id);
            running.run();
            LOG.debug("node {}: the preStop hook of {} in {} outlived the grace period", node, name, key);
        }
        if (t.stopped.add(id)) {
            Duration left = Duration.between(now, t.deadline);
            Duration min = ctx.timings().gracePeriod(MINIMUM_GRACE_SECONDS);
            if (t.hooked.contains(id) && left.compareTo(min) < 0 && t.graceSeconds > 0) {
                left = min; // kube gives a container whose hook ate its grace period two seconds more
            }
            try {
                runtime.stopContainer(id, left.isNegative() ? Duration.ZERO : left);
            } catch (RuntimeError e) {
                LOG.debug("node {}: stopping {} of {} failed: {}", node, name, key, e.getMessage());
            }
        }
    }

    private List<JsonNode> live(Kubelet.RunningPod run, List<JsonNode> containers) {
        List<JsonNode> live = new ArrayList<>();
        for (JsonNode c : containers) {
            Kubelet.ContainerSlot slot = run.containers().get(c.path("name").asText());
            ContainerStatus cs = slot == null || slot.id == null ? null : runtime.containerStatus(slot.id);
            if (cs != null && (cs.state() == ContainerStatus.State.RUNNING
                    || cs.state() == ContainerStatus.State.CREATED)) {
                live.add(c);
            }
        }
        return live;
    }
}

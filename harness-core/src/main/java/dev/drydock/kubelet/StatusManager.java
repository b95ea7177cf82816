package dev.drydock.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.Clock;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Conditions;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Semantic;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.ContainerStatus;
import dev.drydock.runtime.PodSandboxStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's status manager: computes a pod's API status from what the runtime says of its containers (kube's
 * {@code generateAPIPodStatus}: {@code initContainerStatuses} and {@code containerStatuses} with their waiting,
 * running and terminated states, {@code lastState}, {@code restartCount}, {@code ready} and {@code started}; the
 * phase by kube's {@code getPhase}; the conditions {@code PodReadyToStartContainers}, {@code Initialized},
 * {@code Ready}, {@code ContainersReady} and {@code PodScheduled} with kube's reasons) and writes it only when it
 * changed semantically, with kube's rules: conditions the kubelet does not own (a {@code DisruptionTarget}, a
 * readiness gate's) are kept, {@code startTime} is set once, and a terminal phase never goes back.
 *
 * <p>A container's readiness and its {@code started} come from {@link ProbeResults}, where a probe manager answers;
 * without one a running container is ready and started.
 */
final class StatusManager {

    private static final Logger LOG = LoggerFactory.getLogger(StatusManager.class);

    /** The pod conditions the kubelet owns (kube's {@code kubetypes.PodConditionsByKubelet} and PodScheduled). */
    private static final Set<String> OWNED = Set.of("PodReadyToStartContainers", "Initialized", "Ready",
            "ContainersReady", "PodScheduled");

    /** What probes say of a container instance; null where it has no such probe (or no result yet counts). */
    interface ProbeResults {
        /** The readiness probe's verdict, or null: without a readiness probe a running container is ready. */
        default Boolean ready(String containerId) {
            return null;
        }

        /** The startup probe's verdict, or null: without a startup probe a running container is started. */
        default Boolean started(String containerId) {
            return null;
        }

        ProbeResults NONE = new ProbeResults() {
        };
    }

    private final NodeConfig node;
    private final KubeClient client;
    private final ContainerRuntime runtime;
    private final Clock clock;
    private volatile ProbeResults probes = ProbeResults.NONE;

    StatusManager(NodeConfig node, KubeClient client, ContainerRuntime runtime, Clock clock) {
        this.node = node;
        this.client = client;
        this.runtime = runtime;
        this.clock = clock;
    }

    /** Where container readiness and {@code started} come from (a probe manager). */
    void setProbeResults(ProbeResults probes) {
        this.probes = probes;
    }

    /** Whether a running container instance counts as started (past its startup probe, if any). */
    boolean started(String containerId) {
        Boolean s = probes.started(containerId);
        return s == null || s;
    }

    /**
     * The pod's status as the kubelet computes it (kube's {@code generateAPIPodStatus}).
     *
     * @param podIsTerminal whether the kubelet is done with the pod (it was deleted and its containers stopped, or it
     *                      finished): then a pod whose containers all stopped is Succeeded or Failed whatever its
     *                      {@code restartPolicy}
     */
    ObjectNode generate(ObjectNode pod, Kubelet.RunningPod run, boolean podIsTerminal) {
        JsonNode old = pod.path("status");
        JsonNode spec = pod.path("spec");
        Instant now = clock.now();
        boolean hasInit = !spec.path("initContainers").isEmpty();
        String defaultWaiting = hasInit ? "PodInitializing" : "ContainerCreating";
        ArrayNode initStatuses = Json.array();
        for (JsonNode c : spec.path("initContainers")) {
            initStatuses.add(containerStatus(pod, c, run, defaultWaiting, !PodActions.isSidecar(c)));
        }
        ArrayNode statuses = Json.array();
        for (JsonNode c : spec.path("containers")) {
            statuses.add(containerStatus(pod, c, run, defaultWaiting, false));
        }
        boolean initialized = run.initialized || !hasInit || hasStarted(statuses);
        ObjectNode status = Json.object();
        String phase = phase(spec, initStatuses, statuses, podIsTerminal, initialized);
        status.put("phase", phase);
        JsonNode before = old.path("conditions");
        ArrayNode conditions = status.putArray("conditions");
        PodSandboxStatus sandbox = run.sandboxId() == null ? null : runtime.podSandboxStatus(run.sandboxId());
        boolean sandboxReady = sandbox != null && sandbox.ready() && !run.sandboxStopped;
        Conditions.set(conditions, before, "PodReadyToStartContainers", sandboxReady ? "True" : "False", null, null,
                Conditions.PROBE, now);
        List<String> incomplete = new ArrayList<>();
        for (int i = 0; i < spec.path("initContainers").size(); i++) {
            JsonNode c = spec.path("initContainers").get(i);
            JsonNode s = initStatuses.get(i);
            boolean through = PodActions.isSidecar(c) ? s.path("started").asBoolean()
                    : s.path("state").path("terminated").path("exitCode").asInt(-1) == 0;
            if (!through) {
                incomplete.add(c.path("name").asText());
            }
        }
        if (initialized || incomplete.isEmpty()) {
            Conditions.set(conditions, before, "Initialized", "True", null, null, Conditions.PROBE, now);
        } else {
            Conditions.set(conditions, before, "Initialized", "False", "ContainersNotInitialized",
                    "containers with incomplete status: " + goList(incomplete), Conditions.PROBE, now);
        }
        List<String> unready = new ArrayList<>();
        for (int i = 0; i < spec.path("initContainers").size(); i++) {
            if (PodActions.isSidecar(spec.path("initContainers").get(i))
                    && !initStatuses.get(i).path("ready").asBoolean()) {
                unready.add(initStatuses.get(i).path("name").asText());
            }
        }
        for (JsonNode s : statuses) {
            if (!s.path("ready").asBoolean()) {
                unready.add(s.path("name").asText());
            }
        }
        String[] containersReady = readiness(phase, unready);
        String[] ready = containersReady;
        if ("True".equals(ready[0])) {
            ready = readinessGates(spec, before);
        }
        Conditions.set(conditions, before, "Ready", ready[0], ready[1], ready[2], Conditions.PROBE, now);
        Conditions.set(conditions, before, "ContainersReady", containersReady[0], containersReady[1],
                containersReady[2], Conditions.PROBE, now);
        ObjectNode scheduled = Conditions.find(before, "PodScheduled");
        if (scheduled != null) {
            conditions.add(scheduled.deepCopy());
        } else {
            Conditions.set(conditions, before, "PodScheduled", "True", null, null, Conditions.PROBE, now);
        }
        for (JsonNode c : before) {
            if (!OWNED.contains(c.path("type").asText())) {
                conditions.add(c.deepCopy()); // a DisruptionTarget, a readiness gate: not the kubelet's
            }
        }
        status.put("hostIP", node.internalIp());
        status.putArray("hostIPs").addObject().put("ip", node.internalIp());
        if (sandbox != null && sandbox.ip() != null) {
            status.put("podIP", sandbox.ip());
            status.putArray("podIPs").addObject().put("ip", sandbox.ip());
        }
        status.put("startTime", old.path("startTime").asText(now.truncatedTo(ChronoUnit.SECONDS).toString()));
        if (hasInit) {
            status.set("initContainerStatuses", initStatuses);
        }
        status.set("containerStatuses", statuses);
        status.put("qosClass", old.path("qosClass").asText("BestEffort"));
        return status;
    }

    /**
     * Writes {@code status} to the pod if it changed semantically. A pod whose phase is terminal keeps it: a status
     * that would take it back is not written (kube's status manager refuses it too). On a conflict or a pod gone,
     * nothing is written: the informer brings the newer pod, whose update syncs it again.
     *
     * @return whether it wrote
     */
    boolean write(ObjectNode pod, ObjectNode status) {
        JsonNode old = pod.path("status");
        String oldPhase = old.path("phase").asText("");
        String phase = status.path("phase").asText();
        if (isTerminal(oldPhase) && !oldPhase.equals(phase)) {
            LOG.debug("node {}: not moving {} from {} to {}", node.name(), Json.key(pod), oldPhase, phase);
            return false;
        }
        if (Semantic.equal(status, old)) {
            return false;
        }
        ObjectNode updated = pod.deepCopy();
        updated.set("status", status);
        try {
            client.updateStatus(Resource.PODS, updated);
            return true;
        } catch (ApiException e) {
            if (!e.isConflict() && !e.isNotFound()) {
                throw e;
            }
            return false;
        }
    }

    static boolean isTerminal(String phase) {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private ObjectNode containerStatus(ObjectNode pod, JsonNode c, Kubelet.RunningPod run, String defaultWaiting,
                                       boolean regularInit) {
        String name = c.path("name").asText();
        Kubelet.ContainerSlot slot = run.containers().get(name);
        ContainerStatus cs = slot == null || slot.id == null ? null : runtime.containerStatus(slot.id);
        ContainerStatus last = slot == null || slot.previousId == null ? null
                : runtime.containerStatus(slot.previousId);
        ObjectNode s = Json.object();
        s.put("name", name);
        ObjectNode state = s.putObject("state");
        // while its postStart hook runs, a started container is still being created, as kube shows it
        boolean hooking = cs != null && slot.postStart != null && slot.postStart.runsFor(cs.id());
        boolean isRunning = cs != null && cs.state() == ContainerStatus.State.RUNNING && !hooking;
        boolean exited = cs != null && cs.state() == ContainerStatus.State.EXITED;
        if (isRunning) {
            state.putObject("running").put("startedAt", seconds(cs.startedAt()));
        } else if (exited && slot.waitingUntil != null) {
            // exited, and waits to be restarted: what it was is its last state
            last = cs;
            state.putObject("waiting").put("reason", "CrashLoopBackOff").put("message", "back-off "
                    + Kubelet.goDuration(slot.backOff) + " restarting failed container=" + name + " pod="
                    + Json.name(pod) + "_" + Json.namespace(pod) + "(" + Json.uid(pod) + ")");
        } else if (exited) {
            state.set("terminated", terminated(cs));
        } else {
            ObjectNode w = state.putObject("waiting");
            String reason = cs != null || slot == null || slot.waitingReason == null ? defaultWaiting
                    : slot.waitingReason;
            w.put("reason", reason);
            if (cs == null && slot != null && slot.waitingMessage != null) {
                w.put("message", slot.waitingMessage);
            }
        }
        if (last != null) {
            s.putObject("lastState").set("terminated", terminated(last));
        } else {
            s.putObject("lastState");
        }
        boolean started = isRunning && (regularInit || started(cs.id()));
        Boolean probed = isRunning && !regularInit ? probes.ready(cs.id()) : null;
        boolean ready = regularInit ? exited && cs.exitCode() == 0 && slot.waitingUntil == null
                : started && (probed == null || probed);
        s.put("ready", ready);
        s.put("restartCount", slot == null ? 0 : slot.restarts);
        s.put("image", c.path("image").asText());
        s.put("imageID", "");
        if (cs != null && !hooking) {
            s.put("containerID", "drydock://" + cs.id());
        }
        s.put("started", started);
        return s;
    }

    /** Whether an app container ran already: the pod was initialized before (kube's {@code podHasInitialized}). */
    private static boolean hasStarted(ArrayNode statuses) {
        for (JsonNode s : statuses) {
            JsonNode state = s.path("state");
            if (state.has("running") || state.has("terminated") || s.path("lastState").has("terminated")) {
                return true;
            }
        }
        return false;
    }

    /** The ContainersReady condition (status, reason, message), as kube's {@code GenerateContainersReadyCondition}. */
    private static String[] readiness(String phase, List<String> unready) {
        if ("Succeeded".equals(phase)) {
            return new String[] {"False", "PodCompleted", null};
        }
        if (unready.isEmpty()) {
            return new String[] {"True", null, null};
        }
        return new String[] {"False", "ContainersNotReady", "containers with unready status: " + goList(unready)};
    }

    /** The Ready condition of a pod whose containers are ready: its readiness gates' conditions must be True. */
    private static String[] readinessGates(JsonNode spec, JsonNode conditions) {
        List<String> missing = new ArrayList<>();
        List<String> notTrue = new ArrayList<>();
        for (JsonNode g : spec.path("readinessGates")) {
            String type = g.path("conditionType").asText();
            ObjectNode c = Conditions.find(conditions, type);
            if (c == null) {
                missing.add("corresponding condition of pod readiness gate \"" + type + "\" does not exist.");
            } else if (!"True".equals(c.path("status").asText())) {
                notTrue.add("the status of pod readiness gate \"" + type + "\" is not \"True\", but "
                        + c.path("status").asText());
            }
        }
        if (missing.isEmpty() && notTrue.isEmpty()) {
            return new String[] {"True", null, null};
        }
        List<String> all = new ArrayList<>(missing);
        all.addAll(notTrue);
        return new String[] {"False", "ReadinessGatesNotReady", String.join(", ", all)};
    }

    /**
     * kube's {@code getPhase}, read from the container statuses just computed: Pending while an init container or a
     * container has yet to run; Running while one runs (or, under {@code restartPolicy} Always or OnFailure, will
     * run again); Succeeded or Failed when all stopped for good. Terminated sidecars do not count.
     */
    static String phase(JsonNode spec, ArrayNode initStatuses, ArrayNode statuses, boolean podIsTerminal,
                        boolean podHasInitialized) {
        String policy = spec.path("restartPolicy").asText("Always");
        int pendingRestartable = 0;
        int pendingRegular = 0;
        int failedInitialization = 0;
        int unknown = 0;
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (int i = 0; i < spec.path("initContainers").size(); i++) {
            JsonNode c = spec.path("initContainers").get(i);
            JsonNode s = initStatuses.get(i);
            JsonNode state = s.path("state");
            JsonNode lastTerminated = s.path("lastState").path("terminated");
            if (PodActions.isSidecar(c)) {
                if (state.has("running")) {
                    if (!s.path("started").asBoolean()) {
                        pendingRestartable++;
                    }
                    running++;
                } else if (state.has("waiting") && lastTerminated.isMissingNode()) {
                    pendingRestartable++;
                    waiting++;
                }
            } else if (state.has("terminated")) {
                if (state.path("terminated").path("exitCode").asInt() != 0) {
                    failedInitialization++;
                }
            } else if (state.has("waiting") && !lastTerminated.isMissingNode()) {
                if (lastTerminated.path("exitCode").asInt() != 0) {
                    failedInitialization++;
                } else {
                    pendingRegular++;
                }
            } else {
                pendingRegular++;
            }
        }
        for (JsonNode s : statuses) {
            JsonNode state = s.path("state");
            if (state.has("running")) {
                running++;
            } else if (state.has("terminated")) {
                stopped++;
                if (state.path("terminated").path("exitCode").asInt() == 0) {
                    succeeded++;
                }
            } else if (state.has("waiting") && s.path("lastState").has("terminated")) {
                stopped++;
            } else if (state.has("waiting")) {
                waiting++;
            } else {
                unknown++;
            }
        }
        if (failedInitialization > 0 && policy.equals("Never")) {
            return "Failed";
        }
        if (pendingRegular > 0 || pendingRestartable > 0 && !podHasInitialized || waiting > 0) {
            return "Pending";
        }
        if (running > 0 && unknown == 0) {
            return "Running";
        }
        if (running == 0 && stopped > 0 && unknown == 0) {
            if (podIsTerminal) {
                return stopped == succeeded ? "Succeeded" : "Failed";
            }
            if (policy.equals("Always")) {
                return "Running";
            }
            if (stopped == succeeded) {
                return "Succeeded";
            }
            return policy.equals("Never") ? "Failed" : "Running";
        }
        return "Pending";
    }

    private static ObjectNode terminated(ContainerStatus cs) {
        ObjectNode t = Json.object();
        t.put("exitCode", cs.exitCode()).put("reason", cs.reason()).put("startedAt", seconds(cs.startedAt()))
                .put("finishedAt", seconds(cs.finishedAt())).put("containerID", "drydock://" + cs.id());
        return t;
    }

    /** A list as Go's {@code %v} prints a slice of strings: {@code [a b]}. */
    private static String goList(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }

    private static String seconds(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}

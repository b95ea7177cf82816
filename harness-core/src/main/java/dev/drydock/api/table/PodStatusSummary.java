package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * READY, STATUS and RESTARTS of a pod, following kube's {@code printPod}: the phase (or {@code status.reason}) unless
 * an init container is still working ({@code Init:0/2}, {@code Init:CrashLoopBackOff}) or a container reports a
 * waiting or terminated reason; {@code Terminating} once deletion started. Sidecars (init containers with
 * {@code restartPolicy: Always}) count as regular containers once started.
 *
 * @param lastRestart when a container last terminated before restarting, for {@code 3 (5m ago)}
 */
record PodStatusSummary(int readyContainers, int totalContainers, String reason, long restarts,
                        Optional<Instant> lastRestart) {

    static PodStatusSummary of(JsonNode pod) {
        return new Builder(pod).build();
    }

    private static final class Builder {
        private final JsonNode pod;
        private final JsonNode status;
        private final Map<String, Boolean> restartableInitContainers = new HashMap<>();
        private int ready;
        private int total;
        private String reason;
        private long restarts;
        private Instant lastRestart;
        private long sidecarRestarts;
        private Instant sidecarLastRestart;

        Builder(JsonNode pod) {
            this.pod = pod;
            this.status = Json.at(pod, "status");
        }

        PodStatusSummary build() {
            String phase = Json.text(status, "phase");
            reason = Json.firstNonEmpty(Json.text(status, "reason"), phase);
            for (JsonNode condition : Json.elements(status, "conditions")) {
                if ("PodScheduled".equals(Json.text(condition, "type"))
                        && "SchedulingGated".equals(Json.text(condition, "reason"))) {
                    reason = "SchedulingGated";
                }
            }
            total = Json.size(pod, "spec", "containers");
            for (JsonNode init : Json.elements(pod, "spec", "initContainers")) {
                boolean restartable = "Always".equals(Json.text(init, "restartPolicy"));
                restartableInitContainers.put(Json.text(init, "name"), restartable);
                if (restartable) {
                    total++;
                }
            }

            boolean initializing = summarizeInitContainers();
            if (!initializing || isInitialized()) {
                // Once past initialization, finished init containers' restarts no longer count; sidecars' still do.
                restarts = sidecarRestarts;
                lastRestart = sidecarLastRestart;
                summarizeContainers();
            }

            if (Json.has(pod, "metadata", "deletionTimestamp")) {
                if ("NodeLost".equals(Json.text(status, "reason"))) {
                    reason = "Unknown";
                } else if (!phase.equals("Succeeded") && !phase.equals("Failed")) {
                    reason = "Terminating";
                }
            }
            return new PodStatusSummary(ready, total, reason, restarts, Optional.ofNullable(lastRestart));
        }

        /** Walks init containers in order up to the first unfinished one; true if the pod is still initializing. */
        private boolean summarizeInitContainers() {
            List<JsonNode> statuses = Json.elements(status, "initContainerStatuses");
            int specCount = Json.size(pod, "spec", "initContainers");
            boolean initializing = false;
            for (int i = 0; i < statuses.size(); i++) {
                JsonNode container = statuses.get(i);
                long count = Json.integer(container, "restartCount");
                Instant terminatedAt = lastTerminated(container);
                restarts += count;
                lastRestart = later(lastRestart, terminatedAt);
                boolean sidecar = restartableInitContainers.getOrDefault(Json.text(container, "name"), false);
                if (sidecar) {
                    sidecarRestarts += count;
                    sidecarLastRestart = later(sidecarLastRestart, terminatedAt);
                }

                JsonNode terminated = Json.at(container, "state", "terminated");
                boolean isTerminated = terminated.isObject();
                String waitingReason = Json.text(container, "state", "waiting", "reason");
                if (isTerminated && Json.integer(terminated, "exitCode") == 0) {
                    continue;
                }
                if (sidecar && Json.bool(container, "started")) {
                    if (Json.bool(container, "ready")) {
                        ready++;
                    }
                    continue;
                }
                if (isTerminated) {
                    String terminatedReason = Json.text(terminated, "reason");
                    reason = !terminatedReason.isEmpty() ? "Init:" + terminatedReason
                            : Json.integer(terminated, "signal") != 0
                            ? "Init:Signal:" + Json.integer(terminated, "signal")
                            : "Init:ExitCode:" + Json.integer(terminated, "exitCode");
                } else if (!waitingReason.isEmpty() && !waitingReason.equals("PodInitializing")) {
                    reason = "Init:" + waitingReason;
                } else {
                    reason = "Init:" + i + "/" + specCount;
                }
                initializing = true;
                break;
            }
            return initializing;
        }

        /** Regular containers, last to first so the first container's reason wins. */
        private void summarizeContainers() {
            List<JsonNode> statuses = Json.elements(status, "containerStatuses");
            boolean hasRunning = false;
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode container = statuses.get(i);
                restarts += Json.integer(container, "restartCount");
                lastRestart = later(lastRestart, lastTerminated(container));
                JsonNode terminated = Json.at(container, "state", "terminated");
                String waitingReason = Json.text(container, "state", "waiting", "reason");
                if (!waitingReason.isEmpty()) {
                    reason = waitingReason;
                } else if (terminated.isObject()) {
                    String terminatedReason = Json.text(terminated, "reason");
                    reason = !terminatedReason.isEmpty() ? terminatedReason
                            : Json.integer(terminated, "signal") != 0
                            ? "Signal:" + Json.integer(terminated, "signal")
                            : "ExitCode:" + Json.integer(terminated, "exitCode");
                } else if (Json.bool(container, "ready") && Json.at(container, "state", "running").isObject()) {
                    hasRunning = true;
                    ready++;
                }
            }
            // A completed container next to one still running: the pod as a whole is still running.
            if (reason.equals("Completed") && hasRunning) {
                reason = hasCondition("Ready") ? "Running" : "NotReady";
            }
        }

        private boolean isInitialized() {
            for (JsonNode condition : Json.elements(status, "conditions")) {
                if ("Initialized".equals(Json.text(condition, "type"))) {
                    return "True".equals(Json.text(condition, "status"));
                }
            }
            return false;
        }

        private boolean hasCondition(String type) {
            return Json.elements(status, "conditions").stream().anyMatch(c ->
                    type.equals(Json.text(c, "type")) && "True".equals(Json.text(c, "status")));
        }

        private static Instant lastTerminated(JsonNode container) {
            return Json.time(container, "lastState", "terminated", "finishedAt").orElse(null);
        }

        private static Instant later(Instant current, Instant candidate) {
            return candidate != null && (current == null || current.isBefore(candidate)) ? candidate : current;
        }
    }
}

package dev.drydock.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What a pod's containers should do next, as kube's {@code computePodActions} decides it from the pod's spec and what
 * its containers do now: a pure function, without the runtime or a clock.
 *
 * <ul>
 *   <li>Init containers run first, in order: a regular one must exit with 0 before the next starts (restarted per
 *       the pod's {@code restartPolicy}; with {@code Never} a failed one fails the pod); a restartable one
 *       ({@code restartPolicy: Always} on the init container, a sidecar) must be running and started, then the
 *       next starts while it keeps running.</li>
 *   <li>Once all are through, the pod is initialized (for good: its init containers do not run again), the app
 *       containers start, and exited ones are restarted as the {@code restartPolicy} says; a sidecar that exits is
 *       restarted whatever the policy.</li>
 *   <li>When no app container runs or will run again, the pod is done: its sidecars are to be stopped, as kube
 *       stops them for a Job's pod.</li>
 * </ul>
 *
 * @param start       the containers to start or restart now, in order (a restart goes through the back-off)
 * @param initialized whether every init container is through
 * @param failed      whether a regular init container failed under {@code restartPolicy: Never}: the pod fails
 * @param done        whether the pod's app containers all exited for good (or it failed): what runs is to stop
 */
record PodActions(List<String> start, boolean initialized, boolean failed, boolean done) {

    /** What a container does now. */
    enum State { NONE, RUNNING, EXITED }

    /**
     * A container now: {@code NONE} while it has no instance (being pulled, created, or never), else its instance's
     * state; {@code started} is kube's (running, and past its startup probe if it has one).
     */
    record Observed(State state, int exitCode, boolean started) {
        static final Observed NONE = new Observed(State.NONE, 0, false);
    }

    /** Whether an init container is restartable (a sidecar): its own {@code restartPolicy} is {@code Always}. */
    static boolean isSidecar(JsonNode container) {
        return "Always".equals(container.path("restartPolicy").asText(null));
    }

    /** Whether a container that exited with {@code exitCode} restarts under the pod's {@code policy}. */
    static boolean restarts(String policy, int exitCode) {
        return policy == null || policy.equals("Always") || policy.equals("OnFailure") && exitCode != 0;
    }

    /**
     * @param spec          the pod's spec
     * @param observe       what each container (by name) does now
     * @param wasInitialized whether the pod was initialized before (then its init containers are through for good)
     */
    static PodActions compute(JsonNode spec, Function<String, Observed> observe, boolean wasInitialized) {
        String policy = spec.path("restartPolicy").asText(null);
        List<String> start = new ArrayList<>();
        boolean initialized = wasInitialized;
        boolean failed = false;
        if (!initialized) {
            boolean blocked = false;
            for (JsonNode c : spec.path("initContainers")) {
                String name = c.path("name").asText();
                Observed o = observe.apply(name);
                if (isSidecar(c)) {
                    if (o.state() != State.RUNNING) {
                        start.add(name); // not yet, or exited: started (again) whatever the pod's policy
                        blocked = true;
                    } else if (!o.started()) {
                        blocked = true;
                    }
                } else if (o.state() == State.EXITED && o.exitCode() == 0) {
                    continue;
                } else if (o.state() == State.EXITED) {
                    if (policy != null && policy.equals("Never")) {
                        failed = true;
                    } else {
                        start.add(name);
                    }
                    blocked = true;
                } else {
                    if (o.state() == State.NONE) {
                        start.add(name);
                    }
                    blocked = true;
                }
                if (blocked) {
                    break;
                }
            }
            initialized = !blocked;
            if (failed) {
                return new PodActions(List.of(), false, true, true);
            }
            if (!initialized) {
                return new PodActions(start, false, false, false);
            }
        }
        boolean appsDone = true;
        List<String> apps = new ArrayList<>();
        for (JsonNode c : spec.path("containers")) {
            String name = c.path("name").asText();
            Observed o = observe.apply(name);
            if (o.state() == State.NONE) {
                apps.add(name);
                appsDone = false;
            } else if (o.state() == State.RUNNING) {
                appsDone = false;
            } else if (restarts(policy, o.exitCode())) {
                apps.add(name);
                appsDone = false;
            }
        }
        if (appsDone) {
            return new PodActions(List.of(), true, false, true);
        }
        for (JsonNode c : spec.path("initContainers")) {
            if (isSidecar(c) && observe.apply(c.path("name").asText()).state() != State.RUNNING) {
                start.add(c.path("name").asText());
            }
        }
        start.addAll(apps);
        return new PodActions(start, true, false, false);
    }
}

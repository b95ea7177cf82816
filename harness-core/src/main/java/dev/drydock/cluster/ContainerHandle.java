package dev.drydock.cluster;

import dev.drydock.chaos.NodeFault;

/**
 * One container of a pod, and the faults a test can inject into it: {@link #kill(int)} ends it with an exit code (the
 * kubelet then reports it terminated and restarts it as the pod's {@code restartPolicy} says), {@link #hang()} makes it
 * stop answering while it keeps running. Each acts on the container's instance running when it is called, and is
 * recorded on the cluster's timeline.
 *
 * <pre>{@code
 * ContainerHandle app = cluster.pod("default", "web-0").container("app");
 * app.kill(137);                      // as the OOM killer or kill -9: restartCount 1, lastState terminated 137 Error
 * try (NodeFault hung = app.hang()) {     // exec, attach and its ports stall; it keeps running
 *     ...
 * }                                   // it answers again, and what stalled goes on
 * }</pre>
 */
public final class ContainerHandle {

    private final PodHandle pod;
    private final String name;

    ContainerHandle(PodHandle pod, String name) {
        this.pod = pod;
        this.name = name;
    }

    /** The container's name. */
    public String name() {
        return name;
    }

    /**
     * Kills the container's running instance as if its main process ended with {@code exitCode} (137: killed by
     * SIGKILL, e.g. the OOM killer; 143: SIGTERM; 1: an error). Its status shows it {@code terminated} with that exit
     * code and reason {@code Error} ({@code Completed} for 0); the kubelet restarts it as the pod's restart policy says
     * ({@code Always}: at once, then with back-off), keeping the killed instance as its {@code lastState}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= exitCode <= 255}, or if the pod is gone
     * @throws IllegalStateException    if the container is not running now (its node crashed, it exited, it waits to
     *                                  restart), saying what it is instead
     */
    public void kill(int exitCode) {
        if (exitCode < 0 || exitCode > 255) {
            throw new IllegalArgumentException("an exit code is 0 to 255, got " + exitCode);
        }
        pod.node().killContainer(pod.namespace(), pod.name(), name, exitCode);
    }

    /** Kills the container as SIGKILL does: {@link #kill(int) kill(137)}. */
    public void kill() {
        kill(137);
    }

    /**
     * Makes the container's running instance hang, as a process stopped by the cgroup freezer: it keeps running and
     * keeps its state, but does nothing: its output stops, an exec into it, an attach or a connection to its ports
     * stalls. Healing the returned fault lets it go on from where it stood. If the node is frozen too, the container
     * stays paused until both are healed. The fault ends by itself if the container's node crashes or restarts.
     *
     * @throws IllegalArgumentException if the pod is gone
     * @throws IllegalStateException    if the container is not running now, or hangs already
     */
    public NodeFault hang() {
        return pod.node().hangContainer(pod.namespace(), pod.name(), name);
    }

    @Override
    public String toString() {
        return "container " + name + " of " + pod;
    }
}

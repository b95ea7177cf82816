package dev.drydock.runtime;

import java.util.List;

/**
 * The container runtime of one node, shaped like Kubernetes' CRI: pod sandboxes (the pod's network namespace and
 * identity) and containers inside them. The kubelet drives it; implementations are the fake in-memory runtime and
 * Docker. Container state changes are pushed to a {@link ContainerEventListener} (as CRI's evented PLEG), so a node
 * costs no polling.
 */
public interface ContainerRuntime extends AutoCloseable {

    /** Creates and starts a sandbox for a pod; returns its id. */
    String runPodSandbox(PodSandboxConfig config);

    /**
     * Creates and starts a sandbox for a pod without holding the caller while the engine works, as a runtime whose
     * engine is slow (Docker: hundreds of milliseconds) must, so that a burst of pods starts their sandboxes side by
     * side and a slow start never holds a lane other pods or nodes need: {@code listener} hears it ready or failed.
     * A sandbox whose start ends after the runtime was closed is removed by the runtime and heard failed. By default
     * it is {@link #runPodSandbox(PodSandboxConfig)} on the calling thread, heard before this returns, which suits a
     * runtime in memory.
     */
    default void runPodSandbox(PodSandboxConfig config, PodSandboxListener listener) {
        String id;
        try {
            id = runPodSandbox(config);
        } catch (RuntimeError e) {
            listener.failed(e);
            return;
        }
        listener.ready(id);
    }

    /** Stops every container of the sandbox and the sandbox itself. */
    void stopPodSandbox(String sandboxId);

    /** Removes a stopped sandbox and its containers. */
    void removePodSandbox(String sandboxId);

    /** The sandbox's state and IP, or {@code null} if it does not exist. */
    PodSandboxStatus podSandboxStatus(String sandboxId);

    /**
     * Whether the node holds {@code image} now, as CRI's {@code ImageStatus} tells the kubelet before it decides to
     * pull. By default every image is present: a runtime that pulls inside {@link #createContainer}.
     */
    default boolean imagePresent(String image) {
        return true;
    }

    /**
     * Pulls {@code image} onto the node, as CRI's {@code PullImage}, without holding the caller: {@code listener}
     * hears the outcome when the pull ends (at once, or later on the cluster's clock). By default it succeeds at once.
     */
    default void pullImage(String image, ImagePullListener listener) {
        listener.pulled(image, 0);
    }

    /**
     * Creates a container in a sandbox; returns its id.
     *
     * @throws RuntimeError with reason {@code ErrImagePull} (and others) as the kubelet reports them
     */
    String createContainer(String sandboxId, ContainerConfig config);

    void startContainer(String containerId);

    /**
     * Creates and starts a container without holding the caller while the engine works, as a runtime whose engine is
     * slow (Docker: hundreds of milliseconds) must, so that a slow start never holds a lane other pods or nodes need:
     * {@code listener} hears it created, then started or failed. By default both happen on the calling thread before
     * this returns ({@link #createContainer} then {@link #startContainer}), which suits a runtime in memory.
     */
    default void createAndStartContainer(String sandboxId, ContainerConfig config, ContainerStartListener listener) {
        String id;
        try {
            id = createContainer(sandboxId, config);
        } catch (RuntimeError e) {
            listener.failed(null, e);
            return;
        }
        listener.created(id);
        try {
            startContainer(id);
        } catch (RuntimeError e) {
            listener.failed(id, e);
            return;
        }
        listener.started(id);
    }

    /** Stops a container, killing it after {@code timeoutSeconds} if it has not exited. */
    void stopContainer(String containerId, long timeoutSeconds);

    /**
     * Stops a container as CRI's {@code StopContainer} does: SIGTERM now, which its main process may heed and exit
     * on its own, then SIGKILL (exit code 137) once {@code timeout} has passed on the cluster's clock if it has not
     * exited. It returns at once: the exit is heard through the {@link ContainerEventListener}. The kubelet calls it
     * with a pod's grace period, compressed by the cluster's timings, so a runtime that counts in whole seconds
     * rounds it up (the default).
     */
    default void stopContainer(String containerId, java.time.Duration timeout) {
        long seconds = timeout.getSeconds() + (timeout.getNano() > 0 ? 1 : 0);
        stopContainer(containerId, Math.max(0, seconds));
    }

    void removeContainer(String containerId);

    /** The container's state, or {@code null} if it does not exist. */
    ContainerStatus containerStatus(String containerId);

    /** The containers of a sandbox. */
    List<ContainerStatus> listContainers(String sandboxId);

    /**
     * The kubelet rewrote the files of a container's volumes (a ConfigMap or Secret they hold changed): the container
     * sees {@code mounts}' files from now on, in its volumes of files that are not mounted by {@code subPath}. By
     * default nothing changes (a runtime that cannot update them).
     */
    default void updateMounts(String containerId, List<Mount> mounts) {
    }

    /**
     * A running container's resource usage now, as CRI's {@code ContainerStats}; null if the container does not
     * run, or the runtime does not measure usage (the default).
     */
    default ContainerStats containerStats(String containerId) {
        return null;
    }

    /**
     * Runs {@code command} in a running container, its output going to {@code io}'s sinks as it comes.
     *
     * @throws RuntimeError if the container does not exist or is not running
     */
    default StreamHandle exec(String containerId, java.util.List<String> command, ProcessIo io) {
        throw unsupported("exec");
    }

    /**
     * Attaches to a running container's main process: what it writes from now on goes to {@code io}'s sinks, and the
     * client's input to its stdin if the container was started with one.
     *
     * @throws RuntimeError if the container does not exist or is not running
     */
    default StreamHandle attach(String containerId, ProcessIo io) {
        throw unsupported("attach");
    }

    /**
     * Connects to {@code port} inside the sandbox's network namespace, as CRI's {@code PortForward}. If nothing
     * serves the port, {@code listener} hears it failed (connection refused).
     *
     * @throws RuntimeError if the sandbox does not exist
     */
    default StreamHandle portForward(String sandboxId, int port, ByteSink toClient, StreamListener listener) {
        throw unsupported("port-forward");
    }

    /**
     * Asks the gRPC server on {@code port} inside the sandbox's network namespace for the health of {@code service}
     * (the standard {@code grpc.health.v1.Health/Check}; an empty service is the server's overall health), as the
     * kubelet's grpc probe does. The stage completes with the serving status the server answered
     * ({@code SERVING}, {@code NOT_SERVING}, ...), or fails with a {@link RuntimeError} whose reason is the gRPC
     * code: {@code Unavailable} when nothing serves gRPC there, {@code Unimplemented} when the server has no health
     * service, {@code NotFound} for a service it does not know. It may never complete (a frozen container): the
     * caller bounds its wait. By default it fails: the runtime cannot probe gRPC.
     */
    default java.util.concurrent.CompletionStage<String> grpcHealthCheck(String sandboxId, int port, String service) {
        return java.util.concurrent.CompletableFuture.failedFuture(unsupported("gRPC health checks"));
    }

    /**
     * Reads what the container wrote to stdout and stderr, timestamped by the cluster's clock, as the kubelet reads
     * CRI's log files. It ends when all asked for is written, or, when following, once the container has exited.
     *
     * @throws RuntimeError if the container does not exist
     */
    default StreamHandle readLog(String containerId, LogOptions options, ByteSink out, StreamListener listener) {
        throw unsupported("logs");
    }

    /**
     * Ends a running container's main process at once, as if it had exited with {@code exitCode} (137 is SIGKILL's,
     * 143 SIGTERM's); the container becomes {@link ContainerStatus.State#EXITED} with that code, reason
     * {@code Completed} for 0 and {@code Error} otherwise, and its listener hears it. A fault a test injects: the
     * kubelet never calls it. A paused container is killed too.
     *
     * @throws RuntimeError if the container does not exist or is not running
     */
    default void killContainer(String containerId, int exitCode) {
        throw unsupported("killing a container with an exit code");
    }

    /**
     * Freezes every process of a running container, as containerd's task pause (the cgroup freezer) does: it stays
     * running and keeps its state, but does nothing until {@link #resumeContainer}: its output stops, an exec into
     * it or a connection to its ports stalls. What it already wrote can still be read. Pausing a paused container
     * changes nothing. A fault a test injects: the kubelet never calls it.
     *
     * @throws RuntimeError if the container does not exist or is not running
     */
    default void pauseContainer(String containerId) {
        throw unsupported("pausing a container");
    }

    /**
     * Lets a paused container's processes run again, from where they stood; what stalled meanwhile goes on. Resuming
     * a container that is not paused (or is gone) changes nothing.
     */
    default void resumeContainer(String containerId) {
        throw unsupported("resuming a container");
    }

    /** Where state changes go; set by the kubelet before the first call. */
    void setListener(ContainerEventListener listener);

    /**
     * Stops everything of this node at once, as a power cut does: every open stream fails, as a client sees its
     * connection to a node lost.
     */
    @Override
    void close();

    private RuntimeError unsupported(String what) {
        return new RuntimeError("Unsupported", "the " + getClass().getSimpleName() + " runtime does not serve "
                + what + " yet");
    }
}

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

    /** Stops every container of the sandbox and the sandbox itself. */
    void stopPodSandbox(String sandboxId);

    /** Removes a stopped sandbox and its containers. */
    void removePodSandbox(String sandboxId);

    /** The sandbox's state and IP, or {@code null} if it does not exist. */
    PodSandboxStatus podSandboxStatus(String sandboxId);

    /**
     * Creates a container in a sandbox; returns its id.
     *
     * @throws RuntimeError with reason {@code ErrImagePull} (and others) as the kubelet reports them
     */
    String createContainer(String sandboxId, ContainerConfig config);

    void startContainer(String containerId);

    /** Stops a container, killing it after {@code timeoutSeconds} if it has not exited. */
    void stopContainer(String containerId, long timeoutSeconds);

    void removeContainer(String containerId);

    /** The container's state, or {@code null} if it does not exist. */
    ContainerStatus containerStatus(String containerId);

    /** The containers of a sandbox. */
    List<ContainerStatus> listContainers(String sandboxId);

    /** Where state changes go; set by the kubelet before the first call. */
    void setListener(ContainerEventListener listener);

    /** Stops everything of this node at once, as a power cut does. */
    @Override
    void close();
}

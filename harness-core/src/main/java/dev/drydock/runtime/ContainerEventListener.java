package dev.drydock.runtime;

/** Hears that a container of a sandbox changed state (started, exited); the kubelet then syncs that pod. */
public interface ContainerEventListener {

    void containerChanged(String sandboxId, String containerId);
}

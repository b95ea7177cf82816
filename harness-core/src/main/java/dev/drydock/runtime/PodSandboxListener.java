package dev.drydock.runtime;

/**
 * Hears how {@link ContainerRuntime#runPodSandbox(PodSandboxConfig, PodSandboxListener)} went: exactly one of
 * {@link #ready} and {@link #failed}, on whatever thread the runtime finishes on (never while it holds a lock of its
 * own).
 */
public interface PodSandboxListener {

    /** The sandbox runs: its network namespace is up and has its address. */
    void ready(String sandboxId);

    /** The sandbox could not be created or started; nothing of it is left (kube's {@code CreatePodSandboxError}). */
    void failed(RuntimeError error);
}

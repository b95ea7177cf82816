package dev.drydock.runtime;

/**
 * A runtime call that failed for a reason the kubelet reports on the pod, e.g. {@code ErrImagePull} or
 * {@code CreateContainerError}.
 */
public class RuntimeError extends RuntimeException {

    private final String reason;

    public RuntimeError(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}

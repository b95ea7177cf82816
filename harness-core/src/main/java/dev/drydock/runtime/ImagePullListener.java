package dev.drydock.runtime;

/**
 * Hears how an image pull ({@link ContainerRuntime#pullImage}) ended: exactly one of its methods is called, once, on
 * whatever thread the runtime completes the pull on (never while holding a lock of the runtime's).
 */
public interface ImagePullListener {

    /** The image is on the node now; {@code sizeBytes} is its size, as kube's {@code Pulled} event reports it. */
    void pulled(String image, long sizeBytes);

    /**
     * The pull failed: {@code error}'s message says why in the runtime's words (containerd's, e.g. {@code rpc error:
     * code = NotFound desc = failed to pull and unpack image ...}); the kubelet reports it as {@code ErrImagePull}.
     */
    void failed(RuntimeError error);
}

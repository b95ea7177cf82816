package dev.drydock.runtime;

/**
 * What a cluster's fake runtime does with an image that no behaviour was registered for and that is not built in
 * (e.g. {@code registry.example/web:2}): set on {@code ClusterSpec.unknownImages} or {@code @Cluster(unknownImages)}.
 */
public enum UnknownImages {

    /** It exists: it pulls, and its containers run the built-in commands or sleep until stopped. */
    SLEEP,

    /**
     * It does not exist, as on Kubernetes: its pull fails with {@code ErrImagePull}, then the container waits in
     * {@code ImagePullBackOff} and the kubelet tries again with its back-off (the default).
     */
    FAIL_TO_PULL
}

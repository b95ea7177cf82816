package dev.drydock.fake;

import dev.drydock.runtime.ClusterHttp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a container's port handlers see of their pod: its command line and environment, its name and namespace, the
 * cluster's clock, and the cluster's network as the pod calls it ({@link #http()}: Service names, pod IPs; the call
 * crosses the network from the pod's node).
 */
public interface PodContext {

    /** The container's command line ({@code command} then {@code args}). */
    List<String> argv();

    /** The container's environment. */
    Map<String, String> env();

    /** The pod's name. */
    String hostname();

    /** The pod's namespace: short Service names are looked up there. */
    String namespace();

    /** Now, on the cluster's clock. */
    Instant now();

    /** Calls {@code action} back after {@code delay} of the cluster's clock, on drydock's shared threads. */
    void after(java.time.Duration delay, Runnable action);

    /** HTTP calls from this pod; asynchronous, as a handler must never block ({@link ClusterHttp#send}). */
    ClusterHttp http();

    /**
     * The content of a file of the container's volumes (configMap, secret, downwardAPI, projected, emptyDir), or null
     * if there is no such file: what a server of files (busybox httpd) serves.
     */
    default byte[] file(String path) {
        return null;
    }
}

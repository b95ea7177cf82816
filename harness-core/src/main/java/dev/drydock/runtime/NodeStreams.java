package dev.drydock.runtime;

import java.util.List;

/**
 * The streaming endpoints of a node's kubelet, by pod and container name, as kube-apiserver reaches them
 * ({@code /exec}, {@code /attach}, {@code /portForward}, {@code /containerLogs} on the kubelet's port). The kubelet
 * finds the container and hands the stream to its {@link ContainerRuntime}. Each method either returns an open
 * stream or throws {@link NodeStreamException}; once open, the stream's end is reported to its listener.
 */
public interface NodeStreams {

    /** Runs {@code command} in a running container. */
    StreamHandle exec(String namespace, String pod, String container, List<String> command, ProcessIo io);

    /** Attaches to a running container's main process: its output from now on, and its stdin if it has one. */
    StreamHandle attach(String namespace, String pod, String container, ProcessIo io);

    /** Connects to {@code port} in the pod's network namespace; {@code toClient} gets what the pod sends. */
    StreamHandle portForward(String namespace, String pod, int port, ByteSink toClient, StreamListener listener);

    /** Reads a container's log, of its current or (with {@code options.previous()}) its previous instance. */
    StreamHandle logs(String namespace, String pod, String container, LogOptions options, ByteSink out,
                      StreamListener listener);

    /**
     * The node's resource usage now, as the kubelet's summary API ({@code /stats/summary}) reports it; null if it
     * does not measure any (the default).
     */
    default NodeStats stats() {
        return null;
    }
}

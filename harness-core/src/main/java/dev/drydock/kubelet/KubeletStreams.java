package dev.drydock.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import dev.drydock.runtime.ByteSink;
import dev.drydock.runtime.ContainerStatus;
import dev.drydock.runtime.LogOptions;
import dev.drydock.runtime.NodeStreamException;
import dev.drydock.runtime.NodeStreams;
import dev.drydock.runtime.ProcessIo;
import dev.drydock.runtime.RuntimeError;
import dev.drydock.runtime.StreamHandle;
import dev.drydock.runtime.StreamListener;
import java.util.List;

/**
 * The kubelet's streaming endpoints, as kube's kubelet server answers {@code /exec}, {@code /attach},
 * {@code /portForward} and {@code /containerLogs}: it finds the pod it runs and the container's instance (for logs,
 * with kube's {@code validateContainerLogStatus}), and hands the stream to the runtime. Its refusals carry the HTTP
 * status and text the kubelet answers with. While the kubelet is frozen, a stream opened to it waits unanswered
 * ({@link DeferredStream}) and opens when it thaws.
 */
final class KubeletStreams implements NodeStreams {

    private final Kubelet kubelet;

    KubeletStreams(Kubelet kubelet) {
        this.kubelet = kubelet;
    }

    @Override
    public StreamHandle exec(String namespace, String pod, String container, List<String> command, ProcessIo io) {
        StreamHandle waiting = kubelet.deferIfFrozen(() -> openExec(namespace, pod, container, command, io),
                failure(io), true);
        return waiting != null ? waiting : openExec(namespace, pod, container, command, io);
    }

    private StreamHandle openExec(String namespace, String pod, String container, List<String> command,
                                  ProcessIo io) {
        String id = runningContainer(namespace, pod, container);
        try {
            return kubelet.runtime().exec(id, command, io);
        } catch (RuntimeError e) {
            throw new NodeStreamException(500, e.getMessage());
        }
    }

    @Override
    public StreamHandle attach(String namespace, String pod, String container, ProcessIo io) {
        StreamHandle waiting = kubelet.deferIfFrozen(() -> openAttach(namespace, pod, container, io),
                failure(io), true);
        return waiting != null ? waiting : openAttach(namespace, pod, container, io);
    }

    private StreamHandle openAttach(String namespace, String pod, String container, ProcessIo io) {
        String id = runningContainer(namespace, pod, container);
        try {
            return kubelet.runtime().attach(id, io);
        } catch (RuntimeError e) {
            throw new NodeStreamException(500, e.getMessage());
        }
    }

    @Override
    public StreamHandle portForward(String namespace, String pod, int port, ByteSink toClient,
                                    StreamListener listener) {
        StreamHandle waiting = kubelet.deferIfFrozen(() -> openPortForward(namespace, pod, port, toClient, listener),
                failure(toClient, listener), true);
        return waiting != null ? waiting : openPortForward(namespace, pod, port, toClient, listener);
    }

    private StreamHandle openPortForward(String namespace, String pod, int port, ByteSink toClient,
                                         StreamListener listener) {
        requirePod(namespace, pod, "pod does not exist");
        String sandbox = kubelet.sandboxOf(namespace, pod);
        if (sandbox == null) {
            throw new NodeStreamException(404, "pod does not exist");
        }
        // kube's kubelet names the pod by its sandbox (CRI's streaming server knows no more) and no uid
        String prefix = "error forwarding port " + port + " to pod " + sandbox + ", uid : ";
        StreamListener named = new StreamListener() {
            @Override
            public void ended(int exitCode) {
                listener.ended(exitCode);
            }

            @Override
            public void failed(String message) {
                listener.failed(prefix + message);
            }
        };
        try {
            return kubelet.runtime().portForward(sandbox, port, toClient, named);
        } catch (RuntimeError e) {
            throw new NodeStreamException(500, prefix + e.getMessage());
        }
    }

    @Override
    public StreamHandle logs(String namespace, String pod, String container, LogOptions options, ByteSink out,
                             StreamListener listener) {
        StreamHandle waiting = kubelet.deferIfFrozen(() -> openLogs(namespace, pod, container, options, out,
                listener), failure(out, listener), false);
        return waiting != null ? waiting : openLogs(namespace, pod, container, options, out, listener);
    }

    private StreamHandle openLogs(String namespace, String pod, String container, LogOptions options, ByteSink out,
                                  StreamListener listener) {
        ObjectNode p = kubelet.pod(namespace, pod);
        if (p == null) {
            throw new NodeStreamException(404, "pod \"" + pod + "\" does not exist");
        }
        String id = logContainer(p, container, options.previous());
        try {
            return kubelet.runtime().readLog(id, options, out, listener);
        } catch (RuntimeError e) {
            throw new NodeStreamException(400, "container \"" + container + "\" in pod \"" + pod
                    + "\" is not available");
        }
    }

    /** How a waiting stream of a process fails: its output ends, then its listener hears why. */
    private static java.util.function.Consumer<String> failure(ProcessIo io) {
        return message -> {
            io.stdout().close();
            io.stderr().close();
            io.listener().failed(message);
        };
    }

    /** How a waiting stream fails: its output ends, then its listener hears why. */
    private static java.util.function.Consumer<String> failure(ByteSink out, StreamListener listener) {
        return message -> {
            out.close();
            listener.failed(message);
        };
    }

    /** kube's {@code findContainer}: the running instance of the container, else 500 container not found. */
    private String runningContainer(String namespace, String pod, String container) {
        requirePod(namespace, pod, "pod does not exist");
        Kubelet.ContainerIds ids = kubelet.containerIds(namespace, pod, container);
        ContainerStatus s = ids == null || ids.current() == null ? null
                : kubelet.runtime().containerStatus(ids.current());
        if (s == null || s.state() != ContainerStatus.State.RUNNING) {
            throw new NodeStreamException(500, "container not found (\"" + container + "\")");
        }
        return ids.current();
    }

    private void requirePod(String namespace, String pod, String message) {
        if (kubelet.pod(namespace, pod) == null) {
            throw new NodeStreamException(404, message);
        }
    }

    /** kube's {@code validateContainerLogStatus}: which instance's log to read, or why there is none. */
    private String logContainer(ObjectNode pod, String container, boolean previous) {
        String name = Json.name(pod);
        Kubelet.ContainerIds ids = kubelet.containerIds(Json.namespace(pod), name, container);
        JsonNode status = null;
        for (JsonNode s : pod.path("status").path("containerStatuses")) {
            if (container.equals(s.path("name").asText())) {
                status = s;
            }
        }
        if (ids == null) {
            throw new NodeStreamException(400, "container \"" + container + "\" in pod \"" + name
                    + "\" is not available");
        }
        ContainerStatus current = ids.current() == null ? null : kubelet.runtime().containerStatus(ids.current());
        ContainerStatus last = ids.previous() == null ? null : kubelet.runtime().containerStatus(ids.previous());
        if (previous) {
            if (last == null) {
                throw new NodeStreamException(400, "previous terminated container \"" + container + "\" in pod \""
                        + name + "\" not found");
            }
            return ids.previous();
        }
        if (current != null) {
            return ids.current();
        }
        if (last != null) {
            return ids.previous();
        }
        String reason = status.path("state").path("waiting").path("reason").asText("");
        if (reason.isEmpty()) {
            throw new NodeStreamException(400, "container \"" + container + "\" in pod \"" + name
                    + "\" is waiting to start - no logs yet");
        }
        throw new NodeStreamException(400, "container \"" + container + "\" in pod \"" + name
                + "\" is waiting to start: " + reason);
    }

    @Override
    public dev.drydock.runtime.NodeStats stats() {
        return NodeSummary.of(kubelet);
    }
}

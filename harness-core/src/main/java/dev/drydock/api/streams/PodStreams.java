package dev.drydock.api.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.Errors;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.ResourceStorage;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.net.Network;
import dev.drydock.net.NetworkException;
import dev.drydock.runtime.NodeStreams;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The API server's side of a pod's streams ({@code log}, {@code exec}, {@code attach}, {@code portforward}): the
 * pod and container a request names, checked as kube's {@code LogLocation}, {@code ExecLocation},
 * {@code AttachLocation} and {@code PortForwardLocation} check them, and the connection to the kubelet of its node.
 * Every stream crosses the cluster's network as its client's party toward the API server, then from the API server
 * to the node, as kube-apiserver dials the kubelet.
 */
public final class PodStreams {

    /** The kubelet port kube-apiserver dials, as node status reports it. */
    static final int KUBELET_PORT = 10250;

    private final ResourceStorage storage;
    private final Network network;
    private final Function<String, NodeStreams> kubelets;
    private final StreamRegistry open;

    /**
     * Pod streams whose network rules are checked when they open only.
     *
     * @param kubelets the streaming endpoints of a node's kubelet by node name; null for a node that does not run
     */
    public PodStreams(ResourceStorage storage, Network network, Function<String, NodeStreams> kubelets) {
        this(storage, network, kubelets, null);
    }

    /**
     * @param kubelets the streaming endpoints of a node's kubelet by node name; null for a node that does not run
     * @param timer    on the cluster's clock: an open stream whose link a rule made later cuts is broken after a
     *                 while, as a silent TCP peer breaks it; null, only the rules in force at the opening count
     */
    public PodStreams(ResourceStorage storage, Network network, Function<String, NodeStreams> kubelets,
                      ScheduledExecutorService timer) {
        this.storage = storage;
        this.network = network;
        this.kubelets = kubelets;
        this.open = new StreamRegistry(network, timer);
    }

    /** Now, on the cluster's clock (which the containers' log timestamps follow). */
    Instant now() {
        return storage.now();
    }

    /**
     * What a stream request is for: the client's network party, a pod, one of its containers (null for
     * port-forward), and its node. An open stream is registered with its target, so that what crosses a link of the
     * network (client to API server, API server to node) can be found, and ended, by the link's parties.
     */
    record Target(String party, ObjectNode pod, String namespace, String name, String container, String node) {
    }

    /** The streams open now, for the counting tests and the end of the server. */
    StreamRegistry open() {
        return open;
    }

    /** How many pod streams are open now. */
    public int openStreams() {
        return open.size();
    }

    /** Ends every open stream, as the server closing cuts its connections. */
    public void closeAll() {
        open.closeAll();
    }

    /** kube's {@code LogLocation}: the pod and container; a pod on no node yet has an empty log. */
    Target log(String party, String namespace, String name, String container) {
        ObjectNode pod = pod(party, namespace, name);
        return new Target(party, pod, namespace, name, container(pod, name, container), nodeName(pod));
    }

    /** kube's {@code streamLocation} for exec and attach: the container, on a node. */
    Target process(String party, String namespace, String name, String container) {
        ObjectNode pod = pod(party, namespace, name);
        String c = container(pod, name, container);
        return new Target(party, pod, namespace, name, c, requireNode(pod, name));
    }

    /** kube's {@code PortForwardLocation}: the pod, on a node. */
    Target portForward(String party, String namespace, String name) {
        ObjectNode pod = pod(party, namespace, name);
        return new Target(party, pod, namespace, name, null, requireNode(pod, name));
    }

    /**
     * The kubelet of the target's node, dialled across the network from the API server.
     *
     * @throws NodeUnreachable with the error kube-apiserver's dial would give
     */
    NodeStreams kubelet(Target target) {
        String address = nodeAddress(target.node());
        try {
            network.check(Network.API_SERVER, target.node());
        } catch (NetworkException e) {
            throw new NodeUnreachable("dial tcp " + address + ": i/o timeout");
        }
        NodeStreams node = kubelets.apply(target.node());
        if (node == null) {
            throw new NodeUnreachable("dial tcp " + address + ": connect: connection refused");
        }
        return node;
    }

    /** The address kube-apiserver dials for a node's kubelet: its InternalIP and the kubelet's port. */
    String nodeAddress(String node) {
        ObjectNode n = storage.find(kind(Resource.NODES), null, node);
        String ip = node;
        if (n != null) {
            for (JsonNode a : n.path("status").path("addresses")) {
                if ("InternalIP".equals(a.path("type").asText())) {
                    ip = a.path("address").asText();
                }
            }
        }
        return ip + ":" + KUBELET_PORT;
    }

    private ObjectNode pod(String party, String namespace, String name) {
        network.check(party, Network.API_SERVER);
        KindDescriptor pods = kind(Resource.PODS);
        ObjectNode pod = storage.find(pods, namespace, name);
        if (pod == null) {
            throw Errors.notFound(pods, name);
        }
        return pod;
    }

    private KindDescriptor kind(Resource resource) {
        return storage.registry().find(resource);
    }

    /** kube's container choice: the one asked for must exist; none asked for is the only one. */
    private static String container(ObjectNode pod, String name, String container) {
        List<String> containers = names(pod.path("spec").path("containers"));
        List<String> init = names(pod.path("spec").path("initContainers"));
        if (container == null || container.isEmpty()) {
            if (containers.size() == 1) {
                return containers.get(0);
            }
            if (containers.isEmpty()) {
                throw ApiException.of(400, "BadRequest", "a container name must be specified for pod " + name);
            }
            String message = "a container name must be specified for pod " + name + ", choose one of: ["
                    + String.join(" ", containers) + "]";
            if (!init.isEmpty()) {
                message += " or one of the init containers: [" + String.join(" ", init) + "]";
            }
            throw ApiException.of(400, "BadRequest", message);
        }
        if (!containers.contains(container) && !init.contains(container)
                && !names(pod.path("spec").path("ephemeralContainers")).contains(container)) {
            throw ApiException.of(400, "BadRequest", "container " + container + " is not valid for pod " + name);
        }
        return container;
    }

    private static List<String> names(JsonNode containers) {
        List<String> names = new ArrayList<>();
        containers.forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    private static String nodeName(ObjectNode pod) {
        String node = Json.text(pod, "spec", "nodeName");
        return node == null || node.isEmpty() ? null : node;
    }

    private static String requireNode(ObjectNode pod, String name) {
        String node = nodeName(pod);
        if (node == null) {
            throw ApiException.of(400, "BadRequest", "pod " + name + " does not have a host assigned");
        }
        return node;
    }

    /** The API server could not reach a node's kubelet: the message is what its dial would say. */
    static final class NodeUnreachable extends RuntimeException {
        NodeUnreachable(String message) {
            super(message);
        }
    }
}

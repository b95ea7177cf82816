package dev.drydock.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One pod of the cluster, by namespace and name, and the faults a test can inject into its containers
 * ({@link #container(String)}). Made by {@code cluster.pod(namespace, name)}; each fault finds the pod's node when it
 * is made.
 *
 * <pre>{@code
 * cluster.pod("default", "web-0").container("app").kill(137);
 * try (NodeFault hung = cluster.pod("default", "web-0").container("app").hang()) {
 *     ...
 * }
 * }</pre>
 */
public final class PodHandle {

    private final String namespace;
    private final String name;
    private final KubeClient client;
    private final Function<String, NodeHandle> nodes;

    PodHandle(String namespace, String name, KubeClient client, Function<String, NodeHandle> nodes) {
        this.namespace = namespace;
        this.name = name;
        this.client = client;
        this.nodes = nodes;
    }

    /** The pod's namespace. */
    public String namespace() {
        return namespace;
    }

    /** The pod's name. */
    public String name() {
        return name;
    }

    /**
     * One of the pod's containers (init containers too), by the name its spec gives it.
     *
     * @throws IllegalArgumentException if the pod has no such container, naming those it has
     */
    public ContainerHandle container(String containerName) {
        List<String> names = containerNames(pod());
        if (!names.contains(containerName)) {
            throw new IllegalArgumentException("pod " + namespace + "/" + name + " has no container named '"
                    + containerName + "'; its containers are " + names);
        }
        return new ContainerHandle(this, containerName);
    }

    /** The pod as the API shows it now. */
    ObjectNode pod() {
        ObjectNode pod = client.find(Resource.PODS, namespace, name);
        if (pod == null) {
            throw new IllegalArgumentException("no pod " + namespace + "/" + name + "; pods in " + namespace
                    + " are " + client.items(Resource.PODS, namespace, null).stream().map(Json::name).toList());
        }
        return pod;
    }

    /** The node the pod is bound to. */
    NodeHandle node() {
        String node = Json.text(pod(), "spec", "nodeName");
        if (node == null || node.isEmpty()) {
            throw new IllegalStateException("pod " + namespace + "/" + name + " is not scheduled to a node yet");
        }
        return nodes.apply(node);
    }

    private static List<String> containerNames(JsonNode pod) {
        List<String> names = new ArrayList<>();
        pod.path("spec").path("initContainers").forEach(c -> names.add(c.path("name").asText()));
        pod.path("spec").path("containers").forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    @Override
    public String toString() {
        return "pod " + namespace + "/" + name;
    }
}

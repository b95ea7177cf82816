package dev.drydock.docker;

import dev.drydock.runtime.ClusterRuntime;
import dev.drydock.runtime.ContainerRuntime;
import dev.drydock.runtime.NodeContext;
import dev.drydock.runtime.RuntimeProvider;

/**
 * The runtime named {@code docker}: pods as real containers in the Docker engine at {@code DOCKER_HOST} (or the
 * default socket), with the control plane still in-process. Found through {@link java.util.ServiceLoader}; pick it
 * with {@code ClusterSpec.runtime("docker")} or {@code @Cluster(runtime = "docker")}.
 */
public final class DockerRuntimeProvider implements RuntimeProvider {

    @Override
    public String name() {
        return "docker";
    }

    /**
     * Not for a node alone: the Docker runtime needs its cluster's network, so it is reached through {@link #open}.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public ContainerRuntime create(NodeContext node) {
        throw new UnsupportedOperationException("the docker runtime makes a node's runtime through its cluster: "
                + "use open(cluster).node(node)");
    }

    @Override
    public ClusterRuntime open(String cluster) {
        return DockerCluster.open(cluster);
    }
}

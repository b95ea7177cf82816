package dev.drydock.runtime;

import java.util.ServiceLoader;

/**
 * Makes the container runtime of each node. Implementations are found through {@link ServiceLoader}
 * ({@code META-INF/services/dev.drydock.runtime.RuntimeProvider}); a cluster picks one by {@link #name()}.
 */
public interface RuntimeProvider {

    /** The runtime's name, e.g. {@code fake} or {@code docker}. */
    String name();

    /** A runtime for one node of one cluster. */
    ContainerRuntime create(NodeContext node);

    /**
     * The runtime's share of the cluster named {@code cluster}, which makes its nodes' runtimes. By default it holds
     * nothing of its own: each node's runtime comes from {@link #create}.
     *
     * @throws IllegalStateException if the runtime cannot serve (e.g. no Docker engine answers), saying why
     */
    default ClusterRuntime open(String cluster) {
        return new ClusterRuntime() {
            @Override
            public ContainerRuntime node(NodeContext node) {
                return create(node);
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * The provider named {@code name}, or, if {@code name} is null, the fake one if present, else the only one.
     *
     * @throws IllegalStateException if it is not on the class path, naming the module that provides it
     *         ({@code fake}: {@code dev.drydock:fake-runtime}, {@code docker}: {@code dev.drydock:real-runtime}), or,
     *         for a name drydock does not know, listing the runtimes it knows and the module of each
     */
    static RuntimeProvider find(String name) {
        return RuntimeProviders.find(name, ServiceLoader.load(RuntimeProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList());
    }
}

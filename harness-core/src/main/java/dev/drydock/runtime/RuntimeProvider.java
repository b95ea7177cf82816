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
     * The provider named {@code name}, or, if {@code name} is null, the fake one if present, else the only one.
     *
     * @throws IllegalStateException saying which providers are on the class path
     */
    static RuntimeProvider find(String name) {
        java.util.List<RuntimeProvider> all = ServiceLoader.load(RuntimeProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        String wanted = name == null ? "fake" : name;
        for (RuntimeProvider p : all) {
            if (p.name().equals(wanted)) {
                return p;
            }
        }
        if (name == null && all.size() == 1) {
            return all.get(0);
        }
        throw new IllegalStateException("no container runtime named '" + wanted + "' on the class path (found: "
                + all.stream().map(RuntimeProvider::name).toList() + "); add dev.drydock:fake-runtime as a "
                + "dependency for the default one");
    }
}

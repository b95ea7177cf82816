package dev.drydock.client;

import dev.drydock.base.ComponentContext;
import dev.drydock.kube.Resource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shares one all-namespaces {@link Informer} per resource among the controllers of a component, as client-go's
 * shared informer factory: one list and one watch per resource, however many controllers read it. Its informers
 * cache objects without their {@code managedFields}, as kube's scheduler and controller manager do.
 */
public final class InformerFactory implements AutoCloseable {

    private final KubeClient client;
    private final ComponentContext context;
    private final Map<Resource, Informer> informers = new LinkedHashMap<>();

    public InformerFactory(KubeClient client, ComponentContext context) {
        this.client = client;
        this.context = context;
    }

    public synchronized Informer informer(Resource resource) {
        return informers.computeIfAbsent(resource, r -> new Informer(client, r, null, Map.of(), context.timers())
                .withoutManagedFields());
    }

    /** Starts every informer asked for so far. */
    public synchronized void start() {
        informers.values().forEach(Informer::start);
    }

    public synchronized boolean hasSynced() {
        return informers.values().stream().allMatch(Informer::hasSynced);
    }

    @Override
    public synchronized void close() {
        informers.values().forEach(Informer::close);
    }
}

package dev.drydock.controller;

import dev.drydock.base.ComponentContext;
import dev.drydock.client.InformerFactory;
import dev.drydock.client.KubeClient;

/**
 * Runs the controllers of a cluster over one set of shared informers, as kube-controller-manager does: ReplicaSet,
 * Deployment, node lifecycle, garbage collector, namespace, disruption, ClusterRole aggregation, Endpoints and
 * EndpointSlice controllers.
 */
public final class ControllerManager implements AutoCloseable {

    private final InformerFactory informers;
    private final ReplicaSetController replicaSets;
    private final DeploymentController deployments;
    private final NodeLifecycleController nodeLifecycle;
    private final GarbageCollector garbageCollector;
    private final NamespaceController namespaces;
    private final DisruptionController disruption;
    private final ClusterRoleAggregationController clusterRoleAggregation;
    private final EndpointsController endpoints;
    private final EndpointSliceController endpointSlices;

    public ControllerManager(KubeClient client, ComponentContext ctx) {
        this.informers = new InformerFactory(client, ctx);
        this.replicaSets = new ReplicaSetController(client, informers, ctx);
        this.deployments = new DeploymentController(client, informers, ctx);
        this.nodeLifecycle = new NodeLifecycleController(client, informers, ctx);
        this.garbageCollector = new GarbageCollector(client, informers, ctx);
        this.namespaces = new NamespaceController(client, informers, ctx);
        this.disruption = new DisruptionController(client, informers, ctx);
        this.clusterRoleAggregation = new ClusterRoleAggregationController(client, informers, ctx);
        this.endpoints = new EndpointsController(client, informers, ctx);
        this.endpointSlices = new EndpointSliceController(client, informers, ctx);
    }

    public void start() {
        informers.start();
        garbageCollector.start();
        nodeLifecycle.start();
    }

    @Override
    public void close() {
        nodeLifecycle.shutdown();
        replicaSets.shutdown();
        deployments.shutdown();
        garbageCollector.shutdown();
        namespaces.shutdown();
        disruption.shutdown();
        clusterRoleAggregation.shutdown();
        endpoints.shutdown();
        endpointSlices.shutdown();
        informers.close();
    }
}

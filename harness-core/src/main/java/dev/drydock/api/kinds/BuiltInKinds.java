package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.ScaleSubresource;
import dev.drydock.kube.Resource;

/**
 * The built-in kinds, one descriptor each, with kube's short names, categories (kube puts pods, services,
 * replication controllers, the apps workloads, jobs, cron jobs and horizontal pod autoscalers in {@code all}), the
 * fields kube lets each be selected by, and their subresources.
 */
public final class BuiltInKinds {

    private BuiltInKinds() {
    }

    /** Adds every built-in kind to {@code registry}. */
    public static void register(KindRegistry registry) {
        registry.add(KindDescriptor.of(Resource.NAMESPACES).shortNames("ns").status()
                .strategy(KindStrategies.NAMESPACE).fields("status.phase").build());
        registry.add(KindDescriptor.of(Resource.NODES).shortNames("no").status().strategy(KindStrategies.NODE)
                .field("spec.unschedulable", node -> bool(node.path("spec").path("unschedulable"))).build());
        registry.add(KindDescriptor.of(Resource.PODS).shortNames("po").categories(KindDescriptor.ALL).status()
                .strategy(KindStrategies.POD).subresource("binding", new PodBinding())
                .fields("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                        "status.phase", "status.podIP", "status.nominatedNodeName")
                .field("spec.hostNetwork", pod -> bool(pod.path("spec").path("hostNetwork"))).build());
        registry.add(KindDescriptor.of(Resource.EVENTS).shortNames("ev")
                .fields("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                        "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                        "involvedObject.fieldPath", "reason", "reportingComponent", "type")
                .field("source", ev -> ev.path("source").path("component").asText(""))
                .build());
        registry.add(KindDescriptor.of(Resource.DEPLOYMENTS).shortNames("deploy").categories(KindDescriptor.ALL)
                .status().subresource("scale", new ScaleSubresource()).strategy(KindStrategies.DEPLOYMENT).build());
        registry.add(KindDescriptor.of(Resource.REPLICASETS).shortNames("rs").categories(KindDescriptor.ALL)
                .status().subresource("scale", new ScaleSubresource()).strategy(KindStrategies.REPLICASET).build());
        registry.add(KindDescriptor.of(Resource.LEASES).build());
        NetworkingV1Kinds.register(registry);
        RbacV1Kinds.register(registry);
        SchedulingV1Kinds.register(registry);
        StorageV1Kinds.register(registry);
        CertificatesV1Kinds.register(registry);
        AuthorizationV1Kinds.register(registry);
        AuthenticationV1Kinds.register(registry);
    }

    /** A boolean field as kube's field sets format it ({@code strconv.FormatBool}): absent is {@code false}. */
    static String bool(JsonNode n) {
        return Boolean.toString(n.asBoolean(false));
    }
}

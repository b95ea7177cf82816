package dev.drydock.api.kinds;

import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.KindStrategy;
import dev.drydock.kube.Resource;

/**
 * The kinds of the core group ({@code v1}): their descriptors with kube's short names, categories (Pods, Services
 * and ReplicationControllers are in {@code all}), subresources and the fields kube lets each be selected by
 * ({@code fieldLabelConversion} in kube's {@code pkg/apis/core/v1/conversion.go}).
 */
public final class CoreV1Kinds {

    public static final Resource SERVICES = Resource.SERVICES;
    public static final Resource ENDPOINTS = core("endpoints", "Endpoints", true);
    public static final Resource CONFIG_MAPS = core("configmaps", "ConfigMap", true);
    public static final Resource SECRETS = core("secrets", "Secret", true);
    public static final Resource SERVICE_ACCOUNTS = core("serviceaccounts", "ServiceAccount", true);
    public static final Resource PERSISTENT_VOLUMES = core("persistentvolumes", "PersistentVolume", false);
    public static final Resource PERSISTENT_VOLUME_CLAIMS = core("persistentvolumeclaims", "PersistentVolumeClaim",
            true);
    public static final Resource RESOURCE_QUOTAS = core("resourcequotas", "ResourceQuota", true);
    public static final Resource LIMIT_RANGES = core("limitranges", "LimitRange", true);
    public static final Resource REPLICATION_CONTROLLERS = core("replicationcontrollers", "ReplicationController",
            true);

    private CoreV1Kinds() {
    }

    /** The cluster IP of the {@code default/kubernetes} Service: the first address of the service CIDR. */
    public static String kubernetesServiceIP() {
        return ServiceRanges.kubernetesServiceIP();
    }

    /** Adds the core group's kinds to {@code registry}. */
    public static void register(KindRegistry registry) {
        registry.add(KindDescriptor.of(Resource.NAMESPACES).shortNames("ns").status()
                .strategy(KindStrategies.NAMESPACE).fields("status.phase").build());
        registry.add(KindDescriptor.of(Resource.NODES).shortNames("no").status().strategy(KindStrategies.NODE)
                .field("spec.unschedulable", node -> BuiltInKinds.bool(node.path("spec").path("unschedulable")))
                .build());
        registry.add(KindDescriptor.of(Resource.PODS).shortNames("po").categories(KindDescriptor.ALL).status()
                .strategy(KindStrategies.POD).subresource("attach", PodStreamSubresource.attach())
                .subresource("binding", new PodBinding())
                .subresource("eviction", new PodEviction()).subresource("exec", PodStreamSubresource.exec())
                .subresource("log", PodStreamSubresource.log())
                .subresource("portforward", PodStreamSubresource.portForward())
                .fields("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                        "status.phase", "status.podIP", "status.nominatedNodeName")
                .field("spec.hostNetwork", pod -> BuiltInKinds.bool(pod.path("spec").path("hostNetwork"))).build());
        registry.add(KindDescriptor.of(Resource.EVENTS).shortNames("ev")
                .fields("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                        "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                        "involvedObject.fieldPath", "reason", "reportingComponent", "type")
                .field("source", ev -> ev.path("source").path("component").asText(""))
                .build());
        registry.add(KindDescriptor.of(SERVICES).shortNames("svc").categories(KindDescriptor.ALL).status()
                .strategy(new ServiceStrategy()).admission(new ServiceAllocation())
                .fields("spec.clusterIP", "spec.type").build());
        registry.add(KindDescriptor.of(ENDPOINTS).shortNames("ep").strategy(CoreV1Strategies.ENDPOINTS).build());
        registry.add(KindDescriptor.of(CONFIG_MAPS).shortNames("cm").strategy(ConfigDataStrategies.CONFIG_MAP)
                .build());
        registry.add(KindDescriptor.of(SECRETS).strategy(ConfigDataStrategies.SECRET).fields("type").build());
        registry.add(KindDescriptor.of(SERVICE_ACCOUNTS).shortNames("sa").strategy(KindStrategy.PLAIN)
                .subresource("token", new ServiceAccountTokenRequest()).build());
        registry.add(KindDescriptor.of(PERSISTENT_VOLUMES).shortNames("pv").status()
                .strategy(StorageStrategies.PERSISTENT_VOLUME).build());
        registry.add(KindDescriptor.of(PERSISTENT_VOLUME_CLAIMS).shortNames("pvc").status()
                .strategy(StorageStrategies.PERSISTENT_VOLUME_CLAIM).build());
        registry.add(KindDescriptor.of(RESOURCE_QUOTAS).shortNames("quota").status()
                .strategy(CoreV1Strategies.RESOURCE_QUOTA).build());
        registry.add(KindDescriptor.of(LIMIT_RANGES).shortNames("limits").strategy(CoreV1Strategies.LIMIT_RANGE)
                .build());
        registry.add(KindDescriptor.of(REPLICATION_CONTROLLERS).shortNames("rc").categories(KindDescriptor.ALL)
                .status().subresource("scale", new MapSelectorScale())
                .strategy(CoreV1Strategies.REPLICATION_CONTROLLER)
                .field("status.replicas", rc -> Long.toString(rc.path("status").path("replicas").asLong(0)))
                .build());
    }

    private static Resource core(String plural, String kind, boolean namespaced) {
        return new Resource("", "v1", plural, kind, namespaced);
    }
}

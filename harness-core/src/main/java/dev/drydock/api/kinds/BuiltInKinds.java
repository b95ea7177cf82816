package dev.drydock.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.KindDescriptor;
import dev.drydock.api.KindRegistry;
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
        CoreV1Kinds.register(registry);
        AppsV1Kinds.register(registry);
        registry.add(KindDescriptor.of(Resource.LEASES).build());
        EventsV1Kinds.register(registry);
        BatchV1Kinds.register(registry);
        AutoscalingKinds.register(registry);
        PolicyV1Kinds.register(registry);
        DiscoveryV1Kinds.register(registry);
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

package dev.drydock.junit.assertions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;

/** The objects the assertion tests create, through the cluster's API as a user's client would. */
final class Workloads {

    private Workloads() {
    }

    /** Creates a Deployment of {@code replicas} pods labelled {@code app=<name>}, one container each. */
    static void deployment(DrydockCluster cluster, String namespace, String name, int replicas) {
        ObjectNode d = Json.object().put("apiVersion", "apps/v1").put("kind", "Deployment");
        Json.with(d, "metadata").put("name", name);
        ObjectNode spec = Json.with(d, "spec").put("replicas", replicas);
        Json.with(spec, "selector", "matchLabels").put("app", name);
        Json.with(spec, "template", "metadata", "labels").put("app", name);
        Json.withArray(Json.with(spec, "template", "spec"), "containers").addObject().put("name", "main")
                .put("image", "busybox");
        cluster.client().create(Resource.DEPLOYMENTS, namespace, d);
    }

    /** Scales a Deployment by writing its {@code spec.replicas}, as {@code kubectl scale} would. */
    static void scale(DrydockCluster cluster, String namespace, String name, int replicas) {
        cluster.client().modify(Resource.DEPLOYMENTS, namespace, name,
                d -> Json.with(d, "spec").put("replicas", replicas));
    }

    /** Creates a pod asking for more CPU than any node has: it stays Pending, with a FailedScheduling event. */
    static void unschedulablePod(DrydockCluster cluster, String namespace, String name, String label) {
        ObjectNode p = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(p, "metadata").put("name", name);
        Json.with(p, "metadata", "labels").put("app", label);
        ObjectNode c = Json.withArray(Json.with(p, "spec"), "containers").addObject().put("name", "main")
                .put("image", "busybox");
        Json.with(c, "resources", "requests").put("cpu", "64");
        cluster.client().create(Resource.PODS, namespace, p);
    }

    /** The Deployment's {@code status.availableReplicas}, as {@code kubectl get deployment} shows it. */
    static int available(DrydockCluster cluster, String namespace, String name) {
        return cluster.client().get(Resource.DEPLOYMENTS, namespace, name).path("status").path("availableReplicas")
                .asInt();
    }
}

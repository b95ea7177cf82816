package dev.drydock.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.Informer;
import dev.drydock.kube.Json;
import dev.drydock.kube.LabelSelector;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Finds the Services a pod change concerns, for the endpoint controllers' pod handlers (kube's
 * {@code GetPodServiceMemberships}): the Services of the pod's namespace whose selector matches the pod's labels
 * before or after the change. An update that changes nothing the endpoints read (IP, readiness, labels, deletion,
 * hostname, node, phase, ports) concerns none, as kube's {@code podEndpointsChanged} has it.
 */
final class PodServices {

    private PodServices() {
    }

    static Informer.Handler handler(NamespaceIndex services, Consumer<String> enqueue) {
        return new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode pod) {
                enqueueFor(services, pod, enqueue);
            }

            @Override
            public void onUpdate(ObjectNode oldPod, ObjectNode newPod) {
                if (!endpointsChanged(oldPod, newPod)) {
                    return;
                }
                enqueueFor(services, newPod, enqueue);
                if (!Objects.equals(oldPod.path("metadata").path("labels"), newPod.path("metadata").path("labels"))) {
                    enqueueFor(services, oldPod, enqueue);
                }
            }

            @Override
            public void onDelete(ObjectNode pod) {
                enqueueFor(services, pod, enqueue);
            }
        };
    }

    private static void enqueueFor(NamespaceIndex services, JsonNode pod, Consumer<String> enqueue) {
        for (ObjectNode svc : services.list(Json.namespace(pod))) {
            LabelSelector selector = EndpointRules.selector(svc);
            if (selector != null && selector.matchesObject(pod)) {
                enqueue.accept(Json.key(svc));
            }
        }
    }

    static boolean endpointsChanged(JsonNode a, JsonNode b) {
        return !Objects.equals(EndpointRules.podIp(a), EndpointRules.podIp(b))
                || EndpointRules.isPodReady(a) != EndpointRules.isPodReady(b)
                || Json.isDeleting(a) != Json.isDeleting(b)
                || !Objects.equals(Json.text(a, "status", "phase"), Json.text(b, "status", "phase"))
                || !Objects.equals(a.path("metadata").path("labels"), b.path("metadata").path("labels"))
                || !Objects.equals(a.path("spec").path("hostname"), b.path("spec").path("hostname"))
                || !Objects.equals(a.path("spec").path("subdomain"), b.path("spec").path("subdomain"))
                || !Objects.equals(Json.text(a, "spec", "nodeName"), Json.text(b, "spec", "nodeName"))
                || !Objects.equals(a.path("spec").path("containers"), b.path("spec").path("containers"));
    }
}

package dev.drydock.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.Informer;
import dev.drydock.kube.Json;
import java.util.function.Consumer;

/** Helpers the controllers share: owner references, pod states, handler wiring. */
final class Controllers {

    private Controllers() {
    }

    /** A handler that hands every added, updated and deleted object to {@code enqueue}. */
    static Informer.Handler onAnyChange(Consumer<ObjectNode> enqueue) {
        return new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode obj) {
                enqueue.accept(obj);
            }

            @Override
            public void onUpdate(ObjectNode oldObj, ObjectNode newObj) {
                enqueue.accept(newObj);
            }

            @Override
            public void onDelete(ObjectNode obj) {
                enqueue.accept(obj);
            }
        };
    }

    /** An owner reference to {@code owner} marking it as the controller, as kube's {@code NewControllerRef}. */
    static ObjectNode controllerRef(JsonNode owner) {
        ObjectNode ref = Json.object();
        ref.put("apiVersion", owner.path("apiVersion").asText());
        ref.put("kind", owner.path("kind").asText());
        ref.put("name", Json.name(owner));
        ref.put("uid", Json.uid(owner));
        ref.put("controller", true);
        ref.put("blockOwnerDeletion", true);
        return ref;
    }

    /** Whether {@code obj}'s controller reference names {@code owner} (by uid). */
    static boolean isControlledBy(JsonNode obj, JsonNode owner) {
        JsonNode ref = Json.controllerOf(obj);
        return ref != null && ref.path("uid").asText().equals(Json.uid(owner));
    }

    /** The key of the object's controller in the same namespace, if it is of {@code kind}; else null. */
    static String ownerKey(JsonNode obj, String kind) {
        JsonNode ref = Json.controllerOf(obj);
        if (ref == null || !ref.path("kind").asText().equals(kind)) {
            return null;
        }
        return Json.key(Json.namespace(obj), ref.path("name").asText());
    }

    static boolean isPodActive(JsonNode pod) {
        String phase = Json.text(pod, "status", "phase");
        return !"Succeeded".equals(phase) && !"Failed".equals(phase) && !Json.isDeleting(pod);
    }

    static boolean isPodReady(JsonNode pod) {
        return "True".equals(Json.condition(pod, "Ready"));
    }

    static long replicas(JsonNode obj) {
        return obj.path("spec").path("replicas").asLong(1);
    }
}

package dev.drydock.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;

/** Test data builders for the objects the tests create. */
final class Objects {

    private Objects() {
    }

    static ObjectNode deployment(String name, int replicas, String image) {
        ObjectNode d = Json.object().put("apiVersion", "apps/v1").put("kind", "Deployment");
        Json.with(d, "metadata").put("name", name);
        ObjectNode spec = Json.with(d, "spec").put("replicas", replicas);
        Json.with(spec, "selector", "matchLabels").put("app", name);
        Json.with(spec, "template", "metadata", "labels").put("app", name);
        Json.withArray(Json.with(spec, "template", "spec"), "containers").addObject().put("name", "main")
                .put("image", image);
        return d;
    }

    static ObjectNode pod(String name, String cpuRequest) {
        ObjectNode p = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(p, "metadata").put("name", name);
        ObjectNode c = Json.withArray(Json.with(p, "spec"), "containers").addObject().put("name", "main")
                .put("image", "busybox");
        if (cpuRequest != null) {
            Json.with(c, "resources", "requests").put("cpu", cpuRequest);
        }
        return p;
    }

    static String condition(JsonNode obj, String type) {
        for (JsonNode c : obj.path("status").path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c.path("status").asText();
            }
        }
        return null;
    }

    static JsonNode conditionObject(JsonNode obj, String type) {
        for (JsonNode c : obj.path("status").path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c;
            }
        }
        return null;
    }
}

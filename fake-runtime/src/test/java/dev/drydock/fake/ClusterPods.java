package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What tests of pods read and write in the {@code default} namespace of a cluster, as a user would. */
final class ClusterPods {

    static final Resource CONFIG_MAPS = new Resource("", "v1", "configmaps", "ConfigMap", true);
    static final Resource SECRETS = new Resource("", "v1", "secrets", "Secret", true);

    private final DrydockCluster cluster;

    ClusterPods(DrydockCluster cluster) {
        this.cluster = cluster;
    }

    /** Creates an object of {@code r} from its JSON (without {@code apiVersion} and {@code kind}). */
    void create(Resource r, String json) {
        try {
            ObjectNode obj = (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
            obj.put("apiVersion", r.group().isEmpty() ? r.version() : r.group() + "/" + r.version())
                    .put("kind", r.kind());
            cluster.client().create(r, "default", obj);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    ObjectNode pod(String name) {
        return cluster.client().get(Resource.PODS, "default", name);
    }

    String phase(String pod) {
        return Json.text(pod(pod), "status", "phase");
    }

    /** The status of a container of the pod, by name. */
    JsonNode container(String pod, String container) {
        for (JsonNode s : pod(pod).path("status").path("containerStatuses")) {
            if (s.path("name").asText().equals(container)) {
                return s;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** The first container's waiting state. */
    JsonNode waiting(String pod) {
        return pod(pod).at("/status/containerStatuses/0/state/waiting");
    }

    /** The log of the pod's (only, or named) container, through the API server as kubectl reads it. */
    String log(String pod, String... container) throws Exception {
        return logIn("default", pod, container);
    }

    /** {@link #log} of a pod of {@code namespace}. */
    String logIn(String namespace, String pod, String... container) throws Exception {
        String query = container.length == 0 ? "" : "?container=" + container[0];
        HttpResponse<String> r = WsClient.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.apiUrl()
                + "/api/v1/namespaces/" + namespace + "/pods/" + pod + "/log" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /** The pod's events, as {@code reason: message}. */
    List<String> events(String pod) {
        List<String> out = new ArrayList<>();
        for (ObjectNode e : cluster.client().items(Resource.EVENTS, "default", null)) {
            if (e.path("involvedObject").path("name").asText().equals(pod)) {
                out.add(e.path("reason").asText() + ": " + e.path("message").asText());
            }
        }
        return out;
    }
}

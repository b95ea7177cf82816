package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the tests of each group of kinds share: objects written as JSON, discovery, errors' causes. */
abstract class KindTestSupport extends ApiServerTestSupport {

    /** JSON with single quotes for double quotes, to keep fixtures readable. */
    static ObjectNode json(String singleQuoted) {
        return (ObjectNode) tree(singleQuoted);
    }

    /** Any JSON value, with single quotes for double quotes. */
    static JsonNode tree(String singleQuoted) {
        try {
            return Json.parse(singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The resource's entry in discovery's resource list of its group version. */
    static JsonNode discovered(String name, Resource r) {
        ObjectNode list = new Discovery(KindRegistry.builtIn()).resources(r.group(), r.version());
        assertThat(list).as("discovery of " + r.apiVersion()).isNotNull();
        for (JsonNode res : list.path("resources")) {
            if (res.path("name").asText().equals(name)) {
                return res;
            }
        }
        throw new AssertionError("no resource " + name + " in " + list);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    /** The fields of the causes of a 422, in order. */
    static List<String> causeFields(ApiException e) {
        List<String> out = new ArrayList<>();
        e.status().path("details").path("causes").forEach(c -> out.add(c.path("field").asText()));
        return out;
    }

    ObjectNode mergePatch(Resource r, String name, String patch) {
        return client.mergePatch(r, NS, name, null, json(patch));
    }

    ObjectNode patchStatus(Resource r, String name, String patch) {
        return client.mergePatch(r, NS, name, "status", json(patch));
    }

    /** A field selector list of {@code r} in the test namespace: the names it returns. */
    List<String> selectedNames(Resource r, String fieldSelector) {
        return names(list(r, NS, Map.of("fieldSelector", fieldSelector)));
    }

    ApiResponse post(Resource r, String name, String subresource, ObjectNode body, Map<String, String> params) {
        return call(ApiRequest.Verb.CREATE, r, NS, name, subresource, params, body, null);
    }

    /** The causes of a 422 Invalid, each as {@code field: message}. */
    static List<String> causes(ApiException e) {
        assertThat(e.code()).as(e.getMessage()).isEqualTo(422);
        List<String> out = new ArrayList<>();
        for (JsonNode c : e.status().path("details").path("causes")) {
            out.add(c.path("field").asText() + ": " + c.path("message").asText());
        }
        return out;
    }

    /** The names a LIST with this field selector returns. */
    List<String> namesSelectedBy(Resource r, String namespace, String fieldSelector) {
        return names(client.list(r, namespace, Map.of("fieldSelector", fieldSelector)));
    }

    /** Discovery's entry of a resource (or {@code plural/subresource}) of a group's v1, e.g. {@code ingresses}. */
    JsonNode discovered(String group, String plural) {
        ObjectNode list = new Discovery(api.registry()).resources(group, "v1");
        for (JsonNode r : list.path("resources")) {
            if (r.path("name").asText().equals(plural)) {
                return r;
            }
        }
        throw new AssertionError(plural + " not in the discovery of " + group + "/v1: " + list);
    }
}

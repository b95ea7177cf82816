package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the tests of the kinds of one API group share: objects from JSON text, error details, discovery. */
abstract class KindTestSupport extends ApiServerTestSupport {

    /** An object from JSON text (single quotes may stand for double quotes). */
    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(text.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}

package dev.drydock.api.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.drydock.kube.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A reader's copy of a shared tree, made as it is read: its own, and the same object as the shared one. */
class CopyOnReadTest {

    private static final String POD = "{\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"},"
            + "\"managedFields\":[{\"manager\":\"kubectl\",\"fieldsV1\":{\"f:spec\":{}}}]},"
            + "\"spec\":{\"containers\":[{\"name\":\"a\",\"ports\":[{\"containerPort\":80}]},{\"name\":\"b\"}]},"
            + "\"status\":{\"phase\":\"Running\",\"ready\":true,\"count\":3,\"none\":null}}";

    private static ObjectNode shared() {
        return Json.parseTrusted(POD.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCopyIsTheSameObjectInEveryWayAJsonTreeIsRead() {
        ObjectNode source = shared();
        JsonNode copy = CopyOnRead.of(source);

        assertThat(copy).isEqualTo(source);
        assertThat(source).isEqualTo(copy);
        assertThat(copy.hashCode()).isEqualTo(source.hashCode());
        assertThat(Json.string(copy)).isEqualTo(Json.string(source));
        assertThat((JsonNode) copy.deepCopy()).isEqualTo(source);
        assertThat(copy.at("/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(80);
        assertThat(copy.path("status").path("none").isNull()).isTrue();
        assertThat(copy.path("status").has("absent")).isFalse();
        assertThat(copy.size()).isEqualTo(3);
        List<String> names = new ArrayList<>();
        copy.path("spec").path("containers").forEach(c -> names.add(c.path("name").asText()));
        assertThat(names).containsExactly("a", "b");
        assertThat(copy.path("status").properties().stream().map(Map.Entry::getKey))
                .containsExactly("phase", "ready", "count", "none");
    }

    @Test
    void whatAReaderChangesAtAnyDepthIsItsOwnAndWrittenOut() {
        ObjectNode source = shared();
        ObjectNode copy = (ObjectNode) CopyOnRead.of(source);
        ObjectNode other = (ObjectNode) CopyOnRead.of(source);

        ((ObjectNode) copy.at("/spec/containers/0/ports/0")).put("containerPort", 8080);
        ((ObjectNode) copy.get("metadata").get("labels")).put("tier", "front");
        ((ArrayNode) copy.at("/spec/containers")).remove(1);
        ((ArrayNode) copy.at("/metadata/managedFields")).add(Json.object().put("manager", "me"));
        copy.remove("status");

        assertThat(source).isEqualTo(shared());
        assertThat(other).isEqualTo(shared());
        ObjectNode written = Json.parseTrusted(Json.bytes(copy));
        assertThat(written.at("/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(written.at("/spec/containers").size()).isEqualTo(1);
        assertThat(written.at("/metadata/labels/tier").asText()).isEqualTo("front");
        assertThat(written.at("/metadata/managedFields").size()).isEqualTo(2);
        assertThat(written.has("status")).isFalse();
        assertThat(written).isEqualTo(copy);
        assertThat(copy.properties().stream().map(Map.Entry::getKey)).containsExactly("metadata", "spec");
    }

    @Test
    void aNodeReadBeforeTheWholeIsCopiedIsTheOneTheWholeHolds() {
        ObjectNode copy = (ObjectNode) CopyOnRead.of(shared());

        JsonNode metadata = copy.get("metadata");
        JsonNode first = copy.at("/spec/containers").get(0);
        ((ArrayNode) copy.at("/spec/containers")).add(TextNode.valueOf("c"));

        assertThat(copy.get("metadata")).isSameAs(metadata);
        assertThat(copy.at("/spec/containers").get(0)).isSameAs(first);
        assertThat(copy.at("/spec/containers").size()).isEqualTo(3);
    }

    @Test
    void everyFieldReadAloneIsTheSameNodeAtEachReadAndKeepsItsChangesOnceTheWholeIsCopied() {
        // the first two copied alone are kept inline, the next ones in a map: each must keep its identity
        ObjectNode copy = (ObjectNode) CopyOnRead.of(shared().get("status"));
        ObjectNode metaCopy = (ObjectNode) CopyOnRead.of(shared());

        JsonNode phase = copy.get("phase");
        JsonNode ready = copy.get("ready");
        JsonNode count = copy.get("count");
        assertThat(copy.get("absent")).isNull();
        assertThat(copy.get("none").isNull()).isTrue();
        ObjectNode metadata = (ObjectNode) metaCopy.get("metadata");
        ObjectNode spec = (ObjectNode) metaCopy.get("spec");
        ObjectNode status = (ObjectNode) metaCopy.get("status");
        metadata.put("name", "db");
        spec.put("nodeName", "n1");
        status.put("phase", "Failed");

        assertThat(copy.get("phase")).isSameAs(phase);
        assertThat(copy.get("ready")).isSameAs(ready);
        assertThat(copy.get("count")).isSameAs(count);
        assertThat(metaCopy.get("metadata")).isSameAs(metadata);
        assertThat(metaCopy.get("spec")).isSameAs(spec);
        assertThat(metaCopy.get("status")).isSameAs(status);
        // the whole copied now (every field, in the shared tree's order), with the ones read alone in their place
        assertThat(copy.properties().stream().map(Map.Entry::getKey))
                .containsExactly("phase", "ready", "count", "none");
        assertThat(copy.get("count")).isSameAs(count);
        assertThat(metaCopy.properties().stream().map(Map.Entry::getKey))
                .containsExactly("metadata", "spec", "status");
        assertThat(metaCopy.get("status")).isSameAs(status);
        assertThat(Json.string(metaCopy)).contains("\"name\":\"db\"", "\"nodeName\":\"n1\"", "\"phase\":\"Failed\"");
        assertThat(shared().at("/status/phase").asText()).isEqualTo("Running");
    }

    @Test
    void aFieldSetInTheCopyReplacesTheSharedOneInPlaceOrComesLast() {
        ObjectNode meta = (ObjectNode) shared().get("metadata");

        ObjectNode replaced = CopyOnRead.with(meta, "name", TextNode.valueOf("db"));
        ObjectNode added = CopyOnRead.with(meta, "resourceVersion", TextNode.valueOf("7"));

        assertThat(replaced.path("name").asText()).isEqualTo("db");
        assertThat(replaced.properties().stream().map(Map.Entry::getKey))
                .containsExactly("name", "labels", "managedFields");
        assertThat(added.size()).isEqualTo(4);
        assertThat(added.has("resourceVersion")).isTrue();
        assertThat(Json.string(added)).endsWith("\"resourceVersion\":\"7\"}");
        assertThat(meta.has("resourceVersion")).isFalse();
    }

    @Test
    void anItemPastTheEndIsNone() {
        ArrayNode copy = (ArrayNode) CopyOnRead.of(shared().at("/spec/containers"));

        assertThat(copy.get(2)).isNull();
        assertThat(copy.path(5).isMissingNode()).isTrue();
        assertThatThrownBy(() -> copy.elements().forEachRemaining(e -> copy.set(5, e)))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}

package dev.drydock.api.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import dev.drydock.kube.LabelSelector;
import dev.drydock.store.KeyValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A cached object handed out: served as its bytes, read as a tree of its own. */
class CachedObjectNodeTest {

    private static final CacheConfig CONFIG = new CacheConfig("/registry/core/pods/", true, "Pod", "v1", Map.of(),
            null, null);

    private static CachedObject cached(String json, long modRevision) {
        return CachedObject.decode(new KeyValue("/registry/core/pods/default/web",
                json.getBytes(StandardCharsets.UTF_8), modRevision, modRevision, 1), CONFIG);
    }

    private static final String POD = "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web\","
            + "\"namespace\":\"default\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"app\","
            + "\"image\":\"nginx\"}]},\"status\":{\"phase\":\"Pending\",\"message\":\"ünïcödé\"}}";

    @Test
    void servedUnreadItIsTheStoredBytesWithItsResourceVersionInMetadata() {
        CachedObjectNode node = new CachedObjectNode(cached(POD, 42), 42, null);

        String served = new String(Json.bytes(node), StandardCharsets.UTF_8);

        assertThat(served).isEqualTo(POD.replace("\"metadata\":{", "\"metadata\":{\"resourceVersion\":\"42\","));
    }

    @Test
    void asAWatchEventLineItIsWhatJacksonWritesMadeOnceForAllWatchersOfTheEvent() {
        CachedObject obj = cached(POD, 42);
        CachedObjectNode first = new CachedObjectNode(obj, 42, null);
        CachedObjectNode second = new CachedObjectNode(obj, 42, null);
        ObjectNode event = Json.object().put("type", "MODIFIED").set("object", new CachedObjectNode(obj, 42, null));
        String written = new String(Json.bytes(event), StandardCharsets.UTF_8) + "\n";

        byte[] line = first.watchEventLine("MODIFIED");

        assertThat(new String(line, StandardCharsets.UTF_8)).isEqualTo(written);
        assertThat(second.watchEventLine("MODIFIED")).isSameAs(line);
        assertThat(new String(second.watchEventLine("DELETED"), StandardCharsets.UTF_8))
                .isEqualTo(written.replace("MODIFIED", "DELETED"));
        assertThat(new String(new CachedObjectNode(cached("{\"kind\":\"Pod\",\"metadata\":{}}", 5), 5, null)
                .watchEventLine("ADDED"), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"5\"}}}\n");
        Json.with(first, "metadata", "labels").put("app", "db");
        assertThat(first.watchEventLine("MODIFIED")).as("a node read (perhaps changed) is written the generic way")
                .isNull();
    }

    @Test
    void readItIsTheObjectWithItsResourceVersion() throws IOException {
        CachedObjectNode node = new CachedObjectNode(cached(POD, 42), 7, null);

        assertThat(Json.name(node)).isEqualTo("web");
        assertThat(Json.resourceVersion(node)).isEqualTo("7");
        assertThat(node.path("status").path("message").asText()).isEqualTo("ünïcödé");
        JsonNode expected = Json.parse(POD.getBytes(StandardCharsets.UTF_8));
        ((ObjectNode) expected.get("metadata")).put("resourceVersion", "7");
        assertThat(node).isEqualTo(expected);
        assertThat(expected).isEqualTo(node);
        assertThat(Json.parse(Json.bytes(node))).isEqualTo(expected);
    }

    @Test
    void aChangeToOneNodeIsItsOwnAndIsServed() throws IOException {
        CachedObject obj = cached(POD, 42);
        CachedObjectNode changed = new CachedObjectNode(obj, 42, null);
        CachedObjectNode other = new CachedObjectNode(obj, 42, null);

        Json.with(changed, "metadata", "labels").put("app", "db");

        assertThat(Json.text(other, "metadata", "labels", "app")).isEqualTo("web");
        assertThat(Json.text(Json.parse(Json.bytes(changed)), "metadata", "labels", "app")).isEqualTo("db");
        assertThat(Json.text(Json.parse(Json.bytes(other)), "metadata", "labels", "app")).isEqualTo("web");
    }

    @Test
    void convertedOrPrettyPrintedItIsTheObjectAsWell() throws IOException {
        CachedObjectNode node = new CachedObjectNode(cached(POD, 42), 42, null);
        JsonNode expected = Json.parse(POD.getBytes(StandardCharsets.UTF_8));
        ((ObjectNode) expected.get("metadata")).put("resourceVersion", "42");

        Map<?, ?> converted = Json.MAPPER.convertValue(new CachedObjectNode(cached(POD, 42), 42, null), Map.class);
        String pretty = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);

        assertThat(Json.MAPPER.valueToTree(converted).equals(expected)).isTrue();
        assertThat(pretty).contains("\n");
        assertThat(Json.parse(pretty.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
    }

    @Test
    void anObjectWithEmptyMetadataIsServedAsValidJson() throws IOException {
        CachedObjectNode node = new CachedObjectNode(cached("{\"kind\":\"Pod\",\"metadata\":{}}", 3), 3, null);

        assertThat(Json.string(node)).isEqualTo("{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"3\"}}");
        assertThat(Json.parse(Json.bytes(node)).path("metadata").path("resourceVersion").asText()).isEqualTo("3");
    }

    @Test
    void anObjectServedInAnotherFormIsConverted() {
        CacheConfig converted = new CacheConfig("/registry/core/pods/", true, "Pod", "v1", Map.of(), null,
                obj -> obj.put("apiVersion", "v2"));
        CachedObject obj = CachedObject.decode(new KeyValue("/registry/core/pods/default/web",
                POD.getBytes(StandardCharsets.UTF_8), 5, 5, 1), converted);

        CachedObjectNode node = new CachedObjectNode(obj, 5, converted.conversion());

        assertThat(Json.string(node)).contains("\"apiVersion\":\"v2\"").contains("\"resourceVersion\":\"5\"");
    }

    @Test
    void itsLabelsAndFieldsAreReadOnceWhenCached() {
        CacheConfig config = new CacheConfig("/registry/core/pods/", true, "Pod", "v1",
                Map.of("status.phase", obj -> obj.path("status").path("phase").asText("")), null, null);

        CachedObject obj = CachedObject.decode(new KeyValue("/registry/core/pods/default/web",
                POD.getBytes(StandardCharsets.UTF_8), 5, 5, 1), config);

        assertThat(obj.matches(LabelSelector.parse("app=web,!tier"))).isTrue();
        assertThat(obj.matches(LabelSelector.parse("app=db"))).isFalse();
        assertThat(obj.field(0)).isEqualTo("Pending");
        assertThat(obj.namespace).isEqualTo("default");
        assertThat(obj.name(config)).isEqualTo("web");
    }

    @Test
    void aChildReadAloneAndChangedStaysInItsPlaceWhenTheWholeIsRead() throws IOException {
        CachedObjectNode node = new CachedObjectNode(cached(POD, 42), 42, null);

        ((ObjectNode) node.get("status")).put("phase", "Running");
        JsonNode metadata = node.get("metadata");

        assertThat(node.properties().stream().map(Map.Entry::getKey))
                .containsExactly("kind", "apiVersion", "metadata", "spec", "status");
        assertThat(node.get("metadata")).isSameAs(metadata);
        assertThat(Json.text(Json.parse(Json.bytes(node)), "status", "phase")).isEqualTo("Running");
        assertThat(Json.resourceVersion(Json.parse(Json.bytes(node)))).isEqualTo("42");
    }

    @Test
    void manyChildrenReadAloneAreEachTheSameNodeAtEachReadAndServedAsChanged() throws IOException {
        CachedObjectNode node = new CachedObjectNode(cached(POD, 42), 42, null);

        ObjectNode metadata = (ObjectNode) node.get("metadata");
        ObjectNode spec = (ObjectNode) node.get("spec");
        ObjectNode status = (ObjectNode) node.get("status");
        JsonNode kind = node.get("kind");
        metadata.put("generateName", "w-");
        spec.put("nodeName", "n1");
        status.put("phase", "Running");

        assertThat(node.get("metadata")).isSameAs(metadata);
        assertThat(node.get("spec")).isSameAs(spec);
        assertThat(node.get("status")).isSameAs(status);
        assertThat(node.get("kind")).isSameAs(kind);
        assertThat(node.get("metadata").path("resourceVersion").asText()).isEqualTo("42");
        JsonNode served = Json.parse(Json.bytes(node));
        assertThat(Json.text(served, "metadata", "generateName")).isEqualTo("w-");
        assertThat(Json.text(served, "spec", "nodeName")).isEqualTo("n1");
        assertThat(Json.text(served, "status", "phase")).isEqualTo("Running");
        assertThat(node.get("status")).isSameAs(status);
        // another reader of the same object sees none of it
        CachedObjectNode other = new CachedObjectNode(cached(POD, 42), 42, null);
        assertThat(other.path("spec").has("nodeName")).isFalse();
    }

    @Test
    void nodesOfTwoRevisionsCarryEachTheirOwnResourceVersion() throws IOException {
        CachedObject obj = cached(POD, 42);

        CachedObjectNode first = new CachedObjectNode(obj, 42, null);
        CachedObjectNode deleted = new CachedObjectNode(obj, 57, null);
        CachedObjectNode again = new CachedObjectNode(obj, 42, null);

        assertThat(Json.resourceVersion(first)).isEqualTo("42");
        assertThat(Json.resourceVersion(deleted)).isEqualTo("57");
        assertThat(Json.resourceVersion(again)).isEqualTo("42");
        assertThat(Json.resourceVersion(Json.parse(Json.bytes(new CachedObjectNode(obj, 57, null))))).isEqualTo("57");
        assertThat(Json.resourceVersion(Json.parse(Json.bytes(new CachedObjectNode(obj, 42, null))))).isEqualTo("42");
    }

    @Test
    void aChildReadAloneThenServedIsServedAsChanged() throws IOException {
        CachedObjectNode node = new CachedObjectNode(cached(POD, 42), 42, null);

        Json.with(node, "metadata", "labels").put("tier", "front");

        assertThat(Json.text(Json.parse(Json.bytes(node)), "metadata", "labels", "tier")).isEqualTo("front");
    }

    @Test
    void anObjectWithoutMetadataGetsOneWithItsResourceVersion() {
        CachedObjectNode node = new CachedObjectNode(cached("{\"kind\":\"Pod\",\"spec\":{}}", 3), 3, null);

        assertThat(Json.resourceVersion(node)).isEqualTo("3");
        assertThat(node.path("spec").isObject()).isTrue();
        assertThat(node.properties().stream().map(Map.Entry::getKey)).containsExactly("kind", "spec", "metadata");
    }
}

package dev.drydock.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrozenJsonTest {

    private static final String POD = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\","
            + "\"labels\":{\"app\":\"web\",\"tier\":\"front\"}},\"spec\":{\"containers\":[{\"name\":\"main\","
            + "\"image\":\"nginx\",\"ports\":[{\"containerPort\":80}]}],\"priority\":0,\"x\":null,"
            + "\"ratio\":1.5,\"flag\":true},\"status\":{}}";

    @Test
    void aFrozenTreeReadsComparesAndWritesAsTheTreeItWasMadeFrom() throws Exception {
        ObjectNode tree = Json.parseTrusted(POD.getBytes(StandardCharsets.UTF_8));
        ObjectNode frozen = FrozenJson.freeze(tree);

        assertThat(frozen).isEqualTo(tree);
        assertThat(tree).isEqualTo(frozen);
        assertThat(frozen.hashCode()).isEqualTo(tree.hashCode());
        assertThat(Json.MAPPER.writeValueAsString(frozen)).isEqualTo(POD);
        assertThat(frozen.toString()).isEqualTo(POD);
        assertThat(Json.text(frozen, "metadata", "labels", "tier")).isEqualTo("front");
        assertThat(frozen.at("/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(80);
        assertThat(frozen.path("spec").has("x")).isTrue();
        assertThat(frozen.path("spec").get("missing")).isNull();
        List<String> names = new ArrayList<>();
        frozen.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("apiVersion", "kind", "metadata", "spec", "status");
        assertThat(FrozenJson.freeze(frozen)).isSameAs(frozen);
        assertThat(FrozenJson.isFrozen(frozen.path("spec").path("containers"))).isTrue();
    }

    @Test
    void aFrozenTreeCannotChangeButItsCopyCan() {
        ObjectNode frozen = FrozenJson.freeze(Json.parseTrusted(POD.getBytes(StandardCharsets.UTF_8)));
        ObjectNode meta = (ObjectNode) frozen.get("metadata");
        ArrayNode containers = (ArrayNode) frozen.path("spec").get("containers");

        assertThatThrownBy(() -> frozen.put("kind", "Node")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> meta.remove("labels")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Json.with(frozen, "status", "conditions"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> containers.add(Json.object())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> containers.set(0, Json.object())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> frozen.fields().next().setValue(Json.object()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> {
            var it = meta.fields();
            it.next();
            it.remove();
        }).isInstanceOf(UnsupportedOperationException.class);

        ObjectNode copy = frozen.deepCopy();
        Json.with(copy, "metadata", "labels").put("app", "db");
        ((ArrayNode) copy.path("spec").get("containers")).addObject().put("name", "side");
        assertThat(FrozenJson.isFrozen(copy)).isFalse();
        assertThat(Json.text(frozen, "metadata", "labels", "app")).isEqualTo("web");
        assertThat(frozen.path("spec").path("containers")).hasSize(1);
    }

    @Test
    void aLargeObjectIsFoundByItsIndexAndKeepsItsOrder() {
        ObjectNode data = Json.object();
        for (int i = 40; i > 0; i--) {
            data.put("key-" + i, "value-" + i);
        }
        ObjectNode frozen = FrozenJson.freeze(data);

        assertThat(frozen).isEqualTo(data);
        for (int i = 1; i <= 40; i++) {
            assertThat(frozen.get("key-" + i).asText()).isEqualTo("value-" + i);
        }
        assertThat(frozen.get("key-41")).isNull();
        assertThat(frozen.properties().iterator().next().getKey()).isEqualTo("key-40");
    }

    @Test
    void shortStringValuesAreSharedBetweenTrees() {
        JsonNode a = FrozenJson.freeze(Json.parseTrusted(POD.getBytes(StandardCharsets.UTF_8)));
        JsonNode b = FrozenJson.freeze(Json.parseTrusted(POD.getBytes(StandardCharsets.UTF_8)));

        assertThat(a.at("/spec/containers/0/image").textValue())
                .isSameAs(b.at("/spec/containers/0/image").textValue());
    }
}

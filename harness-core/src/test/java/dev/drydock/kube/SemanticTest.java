package dev.drydock.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SemanticTest {

    private static JsonNode json(String s) {
        try {
            return Json.parse(s.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void numbersAreEqualByValueWhateverTheirNodeClass() {
        ObjectNode built = Json.object().put("replicas", 3L).put("ratio", new BigDecimal("1.50"));
        JsonNode parsed = json("{'replicas': 3, 'ratio': 1.5}");

        assertThat(built.equals(parsed)).as("Jackson's own equality").isFalse();
        assertThat(Semantic.equal(built, parsed)).isTrue();
        assertThat(Semantic.equal(json("{'replicas': 3.0}"), json("{'replicas': 3}"))).isTrue();
        assertThat(Semantic.equal(json("{'replicas': 3}"), json("{'replicas': 4}"))).isFalse();
    }

    @Test
    void quantitiesAreEqualByValueInTheMapsThatHoldThem() {
        assertThat(Semantic.equal(json("{'resources': {'requests': {'cpu': '1000m', 'memory': '1Gi'}}}"),
                json("{'resources': {'requests': {'cpu': '1', 'memory': '1073741824'}}}"))).isTrue();
        assertThat(Semantic.equal(json("{'capacity': {'cpu': '2'}}"), json("{'capacity': {'cpu': 2}}"))).isTrue();
        assertThat(Semantic.equal(json("{'capacity': {'cpu': '2'}}"), json("{'capacity': {'cpu': '3'}}"))).isFalse();
    }

    @Test
    void quantityLikeStringsElsewhereAreComparedAsText() {
        assertThat(Semantic.equal(json("{'labels': {'size': '1000m'}}"), json("{'labels': {'size': '1'}}")))
                .isFalse();
        assertThat(Semantic.equal(json("{'image': 'busybox'}"), json("{'image': 'busybox:latest'}"))).isFalse();
    }

    @Test
    void absentNullEmptyListAndEmptyObjectAreAlike() {
        assertThat(Semantic.equal(json("{'a': 1}"), json("{'a': 1, 'b': null, 'c': [], 'd': {}}"))).isTrue();
        assertThat(Semantic.equal(json("{'a': 1, 'c': []}"), json("{'a': 1}"))).isTrue();
        assertThat(Semantic.equal(null, json("{}"))).isTrue();
        assertThat(Semantic.equal(json("{'a': 1}"), json("{'a': 1, 'b': 0}"))).as("zero is not absent").isFalse();
        assertThat(Semantic.equal(json("{'a': 1}"), json("{'a': 1, 'b': ''}"))).isFalse();
        assertThat(Semantic.equal(json("{'a': [1]}"), json("{'a': []}"))).isFalse();
    }

    @Test
    void objectsIgnoreFieldOrderAndArraysKeepTheirs() {
        assertThat(Semantic.equal(json("{'a': 1, 'b': 2}"), json("{'b': 2, 'a': 1}"))).isTrue();
        assertThat(Semantic.equal(json("[1, 2]"), json("[2, 1]"))).isFalse();
        assertThat(Semantic.equal(json("[{'x': 1}]"), json("[{'x': 1.0}]"))).isTrue();
    }

    @Test
    void differentTypesAreNotEqual() {
        assertThat(Semantic.equal(json("{'a': '1'}"), json("{'a': 1}"))).isFalse();
        assertThat(Semantic.equal(json("{'a': true}"), json("{'a': 'true'}"))).isFalse();
        assertThat(Semantic.equal(JsonNodeFactory.instance.textNode("x"), JsonNodeFactory.instance.textNode("x")))
                .isTrue();
    }
}

package dev.drydock.api.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.drydock.kube.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The FieldsV1 codec and the set operations, against kube's format and structured-merge-diff's rules. */
class FieldSetTest {

    /** JSON written with single quotes, for readable literals. */
    static JsonNode json(String singleQuoted) {
        try {
            return Json.parse(singleQuoted.replace('\'', '"').getBytes());
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<PathElement> path(Object... parts) {
        return java.util.Arrays.stream(parts).map(p -> p instanceof PathElement pe ? pe
                : PathElement.field((String) p)).toList();
    }

    static PathElement key(String name, Object value) {
        return PathElement.key(List.of(Map.entry(name, value instanceof Integer i ? (JsonNode) IntNode.valueOf(i)
                : TextNode.valueOf((String) value))));
    }

    @Test
    void readsAndWritesKubesFormatWithDotForAPathThatAlsoHasChildren() {
        // a Deployment's fields as `kubectl apply --server-side` leaves them (kube's documentation shows this shape)
        JsonNode fieldsV1 = json("{'f:metadata':{'f:labels':{'.':{},'f:app':{}}},'f:spec':{'f:replicas':{},"
                + "'f:selector':{},'f:template':{'f:spec':{'f:containers':{'k:{\\'name\\':\\'nginx\\'}':{'.':{},"
                + "'f:image':{},'f:name':{}}}}}}}");
        FieldSet set = FieldSet.parseFieldsV1(fieldsV1);

        assertThat(set.has(path("metadata", "labels"))).isTrue();
        assertThat(set.has(path("metadata", "labels", "app"))).isTrue();
        assertThat(set.has(path("metadata"))).as("only its children").isFalse();
        assertThat(set.has(path("spec", "template", "spec", "containers", key("name", "nginx")))).isTrue();
        assertThat(set.has(path("spec", "template", "spec", "containers", key("name", "nginx"), "image"))).isTrue();
        assertThat(set.toFieldsV1()).isEqualTo(fieldsV1);
        assertThat(Json.string(set.toFieldsV1())).isEqualTo(Json.string(fieldsV1));
    }

    @Test
    void writesElementsInKubesOrderFieldsThenKeysThenValues() {
        FieldSet set = new FieldSet.Builder()
                .insert(path("spec", "finalizers", PathElement.value(TextNode.valueOf("b"))))
                .insert(path("spec", "finalizers", PathElement.value(TextNode.valueOf("a"))))
                .insert(path("spec", "ports", key("port", 80)))
                .insert(path("spec", "ports", key("port", 443)))
                .insert(path("spec", "b"))
                .insert(path("spec", "a"))
                .build();

        assertThat(Json.string(set.toFieldsV1())).isEqualTo("{\"f:spec\":{\"f:a\":{},\"f:b\":{},\"f:finalizers\":"
                + "{\"v:\\\"a\\\"\":{},\"v:\\\"b\\\"\":{}},\"f:ports\":{\"k:{\\\"port\\\":80}\":{},"
                + "\"k:{\\\"port\\\":443}\":{}}}}");
        assertThat(set.paths()).containsExactly(".spec.a", ".spec.b", ".spec.finalizers[=\"a\"]",
                ".spec.finalizers[=\"b\"]", ".spec.ports[port=80]", ".spec.ports[port=443]");
    }

    @Test
    void keysAreCanonicalSortedByNameWithNumbersAsGoWritesThem() {
        PathElement pe = PathElement.key(List.of(Map.entry("protocol", (JsonNode) TextNode.valueOf("TCP")),
                Map.entry("containerPort", Json.MAPPER.getNodeFactory().numberNode(new BigDecimal("8080.0")))));

        assertThat(pe.serialized()).isEqualTo("k:{\"containerPort\":8080,\"protocol\":\"TCP\"}");
        assertThat(pe.toString()).isEqualTo("[containerPort=8080,protocol=\"TCP\"]");
        assertThat(PathElement.parse("k:{\"protocol\": \"TCP\", \"containerPort\": 8080}")).isEqualTo(pe);
        assertThat(PathElement.value(TextNode.valueOf("<a&b>")).serialized())
                .as("HTML characters escaped as Go's encoding/json does").isEqualTo("v:\"\\u003ca\\u0026b\\u003e\"");
    }

    @Test
    void aClientsKeysAreRewrittenCanonicallyAndUnknownElementTypesDropped() {
        FieldSet set = FieldSet.parseFieldsV1(json("{'f:spec':{'f:ports':{'k:{\\'protocol\\':\\'TCP\\', "
                + "\\'port\\':80}':{}}},'x:future':{}}"));

        assertThat(Json.string(set.toFieldsV1()))
                .isEqualTo("{\"f:spec\":{\"f:ports\":{\"k:{\\\"port\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{}}}}");
    }

    @Test
    void aMalformedKeyIsRefused() {
        assertThatThrownBy(() -> FieldSet.parseFieldsV1(json("{'spec':{}}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldSet.parseFieldsV1(json("{'k:{not json':{}}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldSet.parseFieldsV1(json("{'f:spec':1}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void differenceTakesOutThePathsNotWhatLiesBelowThem() {
        FieldSet a = new FieldSet.Builder().insert(path("spec")).insert(path("spec", "replicas"))
                .insert(path("spec", "paused")).build();
        FieldSet b = new FieldSet.Builder().insert(path("spec")).insert(path("spec", "paused")).build();

        FieldSet d = a.difference(b);

        assertThat(d.paths()).containsExactly(".spec.replicas");
        assertThat(a.difference(FieldSet.empty())).isSameAs(a);
        assertThat(a.difference(new FieldSet.Builder().insert(path("status")).build()))
                .as("nothing to take out: the same set").isSameAs(a);
    }

    @Test
    void unionAndIntersection() {
        FieldSet a = new FieldSet.Builder().insert(path("spec", "replicas")).insert(path("spec", "paused")).build();
        FieldSet b = new FieldSet.Builder().insert(path("spec", "replicas")).insert(path("metadata", "labels", "x"))
                .build();

        assertThat(a.union(b).paths()).containsExactly(".metadata.labels.x", ".spec.paused", ".spec.replicas");
        assertThat(a.intersection(b).paths()).containsExactly(".spec.replicas");
        assertThat(a.intersection(new FieldSet.Builder().insert(path("spec")).build()).isEmpty())
                .as("a node only on the way to a path is not in the set").isTrue();
    }

    @Test
    void aStoredSetIsReadLazilyAndWrittenBackAsTheSameJson() {
        JsonNode stored = json("{'f:data':{'.':{},'f:key':{}},'f:metadata':{'f:labels':{'f:a':{}}}}");
        FieldSet set = FieldSet.fromFieldsV1(stored);

        FieldSet same = set.difference(new FieldSet.Builder().insert(path("spec", "x")).build());

        assertThat(same.toFieldsV1()).isSameAs(stored);
        FieldSet less = set.difference(new FieldSet.Builder().insert(path("data", "key")).build());
        assertThat(less.paths()).containsExactly(".data", ".metadata.labels.a");
        assertThat(less.toFieldsV1().get("f:metadata")).as("an untouched subtree is shared")
                .isSameAs(stored.get("f:metadata"));
    }
}

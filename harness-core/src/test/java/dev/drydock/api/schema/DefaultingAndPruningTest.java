package dev.drydock.api.schema;

import static dev.drydock.api.schema.StructuralCheckTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DefaultingAndPruningTest {

    private static final Schema SCHEMA = Schema.of(json("""
            {"type":"object","properties":{
              "spec":{"type":"object","default":{},"properties":{
                "replicas":{"type":"integer","default":1},
                "mode":{"type":"string","default":"Fast"},
                "note":{"type":"string","nullable":true,"default":"n"},
                "gone":{"type":"string"},
                "ports":{"type":"array","items":{"type":"object","properties":{
                  "port":{"type":"integer"},"protocol":{"type":"string","default":"TCP"}}}},
                "env":{"type":"object","additionalProperties":{"type":"string","default":"x"}},
                "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"properties":{
                  "typed":{"type":"object","properties":{"a":{"type":"string"}}}}},
                "template":{"type":"object","x-kubernetes-embedded-resource":true,
                  "x-kubernetes-preserve-unknown-fields":true}}},
              "status":{"type":"object","properties":{"ready":{"type":"boolean"}}}}}
            """));

    @Test
    void defaultsFillWhatIsMissingAndRecurse() {
        ObjectNode obj = (ObjectNode) json("{\"apiVersion\":\"x/v1\",\"kind\":\"K\",\"metadata\":{\"name\":\"a\"}}");
        Defaulting.apply(obj, SCHEMA);
        assertThat(obj.get("spec")).isEqualTo(json("{\"replicas\":1,\"mode\":\"Fast\",\"note\":\"n\"}"));

        obj = (ObjectNode) json("{\"spec\":{\"replicas\":3,\"mode\":null,\"note\":null,\"ports\":[{\"port\":80}],"
                + "\"env\":{\"A\":null,\"B\":\"b\"}}}");
        Defaulting.apply(obj, SCHEMA);
        assertThat(obj.get("spec")).isEqualTo(json("{\"replicas\":3,\"mode\":\"Fast\",\"note\":null,"
                + "\"ports\":[{\"port\":80,\"protocol\":\"TCP\"}],\"env\":{\"A\":\"x\",\"B\":\"b\"}}"));
    }

    @Test
    void nullsWithoutDefaultsArePruned() {
        ObjectNode obj = (ObjectNode) json("{\"spec\":{\"gone\":null,\"note\":null},\"status\":{\"ready\":null}}");
        Defaulting.pruneNulls(obj, SCHEMA);
        assertThat(obj).isEqualTo(json("{\"spec\":{\"note\":null},\"status\":{}}"));
    }

    @Test
    void pruningRemovesUndeclaredFieldsAndSaysWhich() {
        ObjectNode obj = (ObjectNode) json("""
                {"apiVersion":"x/v1","kind":"K","metadata":{"name":"a","bogus":1,"ownerReferences":[{"name":"o",
                  "extra":true}]},
                 "spec":{"replicas":1,"foo":"bar","ports":[{"port":80,"x":1}],"env":{"A":"a"},
                   "free":{"anything":{"goes":1},"typed":{"a":"x","b":"pruned"}},
                   "template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","junk":1},"spec":{"kept":true}}},
                 "top":1}
                """);
        assertThat(Pruning.prune(obj, SCHEMA)).containsExactly("metadata.bogus", "metadata.ownerReferences[0].extra",
                "spec.foo", "spec.free.typed.b", "spec.ports[0].x", "spec.template.metadata.junk", "top");
        assertThat(obj).isEqualTo(json("""
                {"apiVersion":"x/v1","kind":"K","metadata":{"name":"a","ownerReferences":[{"name":"o"}]},
                 "spec":{"replicas":1,"ports":[{"port":80}],"env":{"A":"a"},
                   "free":{"anything":{"goes":1},"typed":{"a":"x"}},
                   "template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"kept":true}}}}
                """));
    }
}

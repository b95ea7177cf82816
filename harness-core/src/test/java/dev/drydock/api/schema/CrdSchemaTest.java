package dev.drydock.api.schema;

import static dev.drydock.api.schema.StructuralCheckTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrdSchemaTest {

    private static final CrdSchema SCHEMA = CrdSchema.compile(json("""
            {"type":"object","properties":{
              "spec":{"type":"object",
                "x-kubernetes-validations":[
                  {"rule":"self.minReplicas <= self.maxReplicas","message":"minReplicas must not exceed maxReplicas"},
                  {"rule":"!has(self.image) || self.image.startsWith('registry.local/')",
                   "messageExpression":"'image ' + self.image + ' is not from registry.local'",
                   "fieldPath":".image","reason":"FieldValueForbidden"},
                  {"rule":"self.tags.isSorted() && self.tags.all(t, t.lowerAscii() == t)"},
                  {"rule":"self.ports.map(p, p.port).sum() < 100000 && self.ports.exists_one(p, p.port == 80)"}],
                "properties":{
                  "minReplicas":{"type":"integer","default":1},
                  "maxReplicas":{"type":"integer","default":3},
                  "image":{"type":"string"},
                  "mode":{"type":"string","x-kubernetes-validations":[
                    {"rule":"self == oldSelf","message":"mode is immutable"}]},
                  "tags":{"type":"array","items":{"type":"string"},"default":[]},
                  "ports":{"type":"array","default":[{"port":80}],"x-kubernetes-list-type":"map",
                    "x-kubernetes-list-map-keys":["port"],
                    "items":{"type":"object","required":["port"],"properties":{"port":{"type":"integer",
                      "x-kubernetes-validations":[{"rule":"self > 0 && self < 65536"}]}}}},
                  "my-field":{"type":"string","x-kubernetes-validations":[{"rule":"self.find('[0-9]+') != ''"}]},
                  "count":{"type":"integer","minimum":0}}}}}
            """));

    private static ObjectNode object(String spec) {
        ObjectNode o = (ObjectNode) json("{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\","
                + "\"metadata\":{\"name\":\"w\"},\"spec\":" + spec + "}");
        SCHEMA.defaults(o);
        SCHEMA.prune(o);
        return o;
    }

    private static List<String> validate(ObjectNode obj, ObjectNode old) {
        return SCHEMA.validate(obj, old).stream().map(FieldError::toString).toList();
    }

    @Test
    void rulesPassOnAValidObject() {
        assertThat(SCHEMA.hasRules()).isTrue();
        assertThat(validate(object("{\"image\":\"registry.local/app\",\"tags\":[\"a\",\"b\"],\"mode\":\"x\","
                + "\"my-field\":\"v1\"}"), null)).isEmpty();
    }

    @Test
    void failedRulesAreReportedAsKubeReportsThem() {
        assertThat(validate(object("{\"minReplicas\":5,\"image\":\"docker.io/app\",\"tags\":[\"b\",\"a\"],"
                + "\"ports\":[{\"port\":80},{\"port\":70000}],\"my-field\":\"none\"}"), null)).containsExactly(
                "spec: Invalid value: minReplicas must not exceed maxReplicas",
                "spec.image: Forbidden: image docker.io/app is not from registry.local",
                "spec: Invalid value: failed rule: self.tags.isSorted() && self.tags.all(t, t.lowerAscii() == t)",
                "spec.ports[1].port: Invalid value: 70000: failed rule: self > 0 && self < 65536",
                "spec.my-field: Invalid value: \"none\": failed rule: self.find('[0-9]+') != ''");
    }

    @Test
    void transitionRulesRunOnlyOnUpdate() {
        ObjectNode old = object("{\"mode\":\"a\"}");
        assertThat(validate(old, null)).isEmpty();
        assertThat(validate(object("{\"mode\":\"b\"}"), old)).containsExactly(
                "spec.mode: Invalid value: \"b\": mode is immutable");
        assertThat(validate(object("{\"mode\":\"a\"}"), old)).isEmpty();
    }

    @Test
    void anUnchangedInvalidValueIsRatcheted() {
        ObjectNode old = object("{\"minReplicas\":5}");
        assertThat(validate(object("{\"minReplicas\":5}"), old)).isEmpty();
        assertThat(validate(object("{\"minReplicas\":6}"), old)).containsExactly(
                "spec: Invalid value: minReplicas must not exceed maxReplicas");
    }

    @Test
    void rulesAreNotRunOnAnObjectWithBlockingErrors() {
        assertThat(validate(object("{\"minReplicas\":\"x\"}"), null)).containsExactly(
                "spec.minReplicas: Invalid value: \"string\": spec.minReplicas in body must be of type integer: "
                        + "\"string\"",
                "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; "
                        + "correct the existing errors to complete validation");
    }

    @Test
    void evaluationErrorsAreWordedAsCelGo() {
        CrdSchema s = CrdSchema.compile(json("""
                {"type":"object","properties":{"spec":{"type":"object","x-kubernetes-preserve-unknown-fields":true,
                  "x-kubernetes-validations":[{"rule":"self.missing > 1"}]}}}
                """));
        assertThat(s.validate((ObjectNode) json("{\"spec\":{}}"), null).stream().map(FieldError::toString))
                .containsExactly("spec: Invalid value: \"object\": no such key: missing evaluating rule: "
                        + "self.missing > 1");
    }

    @Test
    void statusIsValidatedUnderItsPath() {
        CrdSchema s = CrdSchema.compile(json("""
                {"type":"object","properties":{"status":{"type":"object","properties":{"ready":{"type":"integer"}}}}}
                """));
        assertThat(s.validateStatus((ObjectNode) json("{\"status\":{\"ready\":\"x\"}}"),
                (ObjectNode) json("{}")).stream().map(FieldError::toString)).containsExactly(
                "status.ready: Invalid value: \"string\": ready in body must be of type integer: \"string\"");
    }

    @Test
    void aMissingCelSaysWhichArtifactToAdd() {
        assertThatThrownBy(() -> CelRules.requireCel("dev.cel.NoSuchClass"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("add the test dependency dev.cel:cel")
                .hasMessageContaining("dev.cel:cel:0.14.0");
    }

    @Test
    void pruningAndDefaultsThroughTheEntryPoint() {
        CrdSchema s = CrdSchema.compile(json("""
                {"type":"object","properties":{"spec":{"type":"object","properties":{"a":{"type":"string",
                  "default":"x"},"b":{"type":"string"}}}}}
                """));
        ObjectNode o = (ObjectNode) json("{\"spec\":{\"b\":null,\"c\":1}}");
        s.defaults(o);
        assertThat(s.prune(o)).containsExactly("spec.c");
        assertThat(o).isEqualTo(json("{\"spec\":{\"a\":\"x\"}}"));
        assertThat(s.hasRules()).isFalse();
    }
}

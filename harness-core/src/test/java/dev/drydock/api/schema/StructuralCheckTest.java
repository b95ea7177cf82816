package dev.drydock.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.FieldError;
import dev.drydock.kube.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructuralCheckTest {

    static JsonNode json(String s) {
        try {
            return Json.parse(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> check(String schema) {
        return StructuralCheck.check("spec.validation.openAPIV3Schema", Schema.of(json(schema))).stream()
                .map(FieldError::toString).toList();
    }

    @Test
    void aTypedSchemaIsStructural() {
        assertThat(check("""
                {"type":"object","properties":{
                  "metadata":{"type":"object"},
                  "spec":{"type":"object","properties":{
                    "replicas":{"type":"integer","minimum":0},
                    "ports":{"type":"array","items":{"type":"integer"}},
                    "port":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]},
                    "extra":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                    "labels":{"type":"object","additionalProperties":{"type":"string"}}}}}}
                """)).isEmpty();
    }

    @Test
    void aFieldWithoutTypeIsNotStructural() {
        assertThat(check("""
                {"type":"object","properties":{"spec":{"properties":{"a":{"type":"string"}}}}}
                """)).containsExactly("spec.validation.openAPIV3Schema.properties[spec].type: Required value: "
                + "must not be empty for specified object fields");
    }

    @Test
    void reportsEachInvariantAsKube() {
        assertThat(check("""
                {"properties":{
                  "list":{"type":"array"},
                  "items":{"type":"array","items":{}},
                  "spec":{"type":"object","additionalProperties":{"type":"string"},"anyOf":[{"type":"object",
                    "description":"x"}]}}}
                """)).containsExactly(
                "spec.validation.openAPIV3Schema.properties[items].items.type: Required value: must not be empty "
                        + "for specified array items",
                "spec.validation.openAPIV3Schema.properties[list].items: Required value: must be specified",
                "spec.validation.openAPIV3Schema.properties[spec].anyOf[0].description: Forbidden: must be empty "
                        + "to be structural",
                "spec.validation.openAPIV3Schema.properties[spec].anyOf[0].type: Forbidden: must be empty to be "
                        + "structural",
                "spec.validation.openAPIV3Schema.type: Required value: must not be empty at the root");
    }

    @Test
    void rootMetadataMaySayOnlyNameAndGenerateName() {
        assertThat(check("""
                {"type":"object","properties":{"metadata":{"type":"object","properties":{"name":{"type":"string",
                  "maxLength":10}}}}}
                """)).isEmpty();
        assertThat(check("""
                {"type":"object","properties":{"metadata":{"type":"object","properties":{"labels":{"type":"object"}}}}}
                """)).containsExactly("spec.validation.openAPIV3Schema.properties[metadata]: Forbidden: must not "
                + "specify anything other than name and generateName, but metadata is implicitly specified");
        assertThat(check("""
                {"type":"string"}
                """)).containsExactly("spec.validation.openAPIV3Schema.type: Invalid value: \"string\": must be "
                + "object at the root");
    }

    @Test
    void embeddedResourcesAndIntOrString() {
        assertThat(check("""
                {"type":"object","properties":{
                  "e":{"x-kubernetes-embedded-resource":true},
                  "f":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{"kind":{"type":"integer"}}},
                  "g":{"x-kubernetes-int-or-string":true,"x-kubernetes-preserve-unknown-fields":true}}}
                """)).containsExactly(
                "spec.validation.openAPIV3Schema.properties[e].properties: Required value: must not be empty if "
                        + "x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields",
                "spec.validation.openAPIV3Schema.properties[e].type: Required value: must be object if "
                        + "x-kubernetes-embedded-resource is true",
                "spec.validation.openAPIV3Schema.properties[f].properties[kind].type: Invalid value: \"integer\": "
                        + "must be string",
                "spec.validation.openAPIV3Schema.properties[g].x-kubernetes-preserve-unknown-fields: Invalid value: "
                        + "true: must be false if x-kubernetes-int-or-string is true");
    }

    @Test
    void nestedValidationsAtTheRootMustNameDeclaredFields() {
        // kube checks this completeness from the root's own allOf/anyOf/oneOf/not only.
        assertThat(check("""
                {"type":"object","properties":{"spec":{"type":"object","properties":{"a":{"type":"string"}}}},
                  "oneOf":[{"required":["spec"]},{"properties":{"spec":{"properties":{"b":{"minLength":1}}}}}]}
                """)).containsExactly("spec.validation.openAPIV3Schema.properties[spec].properties[b]: Required "
                + "value: because it is defined in spec.validation.openAPIV3Schema.oneOf[1].properties[spec]"
                + ".properties[b]");
    }
}

package dev.drydock.api.schema;

import static dev.drydock.api.schema.StructuralCheckTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrdValidationTest {

    private static ObjectNode crd(String versions, String extra) {
        ObjectNode crd = (ObjectNode) json("""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"widgets.example.com"},
                 "spec":{"group":"example.com","scope":"Namespaced",
                   "names":{"plural":"widgets","kind":"Widget"%s},
                   "versions":%s}}
                """.formatted(extra, versions));
        CrdValidation.applyDefaults(crd);
        return crd;
    }

    private static final String GOOD_SCHEMA = "{\"openAPIV3Schema\":{\"type\":\"object\",\"properties\":{\"spec\":"
            + "{\"type\":\"object\",\"properties\":{\"replicas\":{\"type\":\"integer\",\"default\":1}}}}}}";

    private static List<String> errors(ObjectNode crd) {
        return CrdValidation.validate(crd).stream().map(FieldError::toString).toList();
    }

    @Test
    void aGoodCrdHasNoErrors() {
        ObjectNode crd = crd("[{\"name\":\"v1\",\"served\":true,\"storage\":true,\"schema\":" + GOOD_SCHEMA
                + ",\"subresources\":{\"status\":{},\"scale\":{\"specReplicasPath\":\".spec.replicas\","
                + "\"statusReplicasPath\":\".status.replicas\"}},\"additionalPrinterColumns\":[{\"name\":\"Replicas\","
                + "\"type\":\"integer\",\"jsonPath\":\".spec.replicas\"}]}]", "");
        assertThat(errors(crd)).isEmpty();
        assertThat(crd.at("/spec/names/singular").asText()).isEqualTo("widget");
        assertThat(crd.at("/spec/names/listKind").asText()).isEqualTo("WidgetList");
    }

    @Test
    void aNonStructuralSchemaIsRefusedAtTheTopLevelPathWhenVersionsShareIt() {
        String schema = "{\"openAPIV3Schema\":{\"type\":\"object\",\"properties\":{\"spec\":{\"properties\":"
                + "{\"a\":{\"type\":\"string\"}}}}}}";
        assertThat(errors(crd("[{\"name\":\"v1\",\"served\":true,\"storage\":true,\"schema\":" + schema + "}]", "")))
                .containsExactly("spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be "
                        + "empty for specified object fields");
        assertThat(errors(crd("[{\"name\":\"v1\",\"served\":true,\"storage\":true,\"schema\":" + schema + "},"
                + "{\"name\":\"v2\",\"served\":true,\"storage\":false,\"schema\":" + GOOD_SCHEMA + "}]", "")))
                .containsExactly("spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: "
                        + "must not be empty for specified object fields");
    }

    @Test
    void namesVersionsAndStorage() {
        ObjectNode crd = crd("[{\"name\":\"V1\",\"served\":true,\"storage\":false,\"schema\":" + GOOD_SCHEMA + "}]",
                "");
        crd.withObjectProperty("metadata").put("name", "other.example.com");
        crd.withObjectProperty("spec").put("scope", "Global");
        assertThat(errors(crd)).containsExactly(
                "metadata.name: Invalid value: \"other.example.com\": must be spec.names.plural+\".\"+spec.group",
                "spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\"",
                "spec.versions[0].name: Invalid value: \"V1\": a DNS-1035 label must consist of lower case "
                        + "alphanumeric characters or '-', start with an alphabetic character, and end with an "
                        + "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
                        + "'[a-z]([-a-z0-9]*[a-z0-9])?')",
                "spec.versions: Invalid value: [{\"name\":\"V1\",\"schema\":{\"openAPIV3Schema\":{\"properties\":"
                        + "{\"spec\":{\"properties\":{\"replicas\":{\"default\":1,\"type\":\"integer\"}},\"type\":"
                        + "\"object\"}},\"type\":\"object\"}},\"served\":true,\"storage\":false}]: must have exactly "
                        + "one version marked as storage version");
    }

    @Test
    void schemaRulesDefaultsSubresourcesAndColumns() {
        String schema = """
                {"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object",
                  "x-kubernetes-validations":[{"rule":"self.a >"},{"rule":"true","reason":"Bogus"}],
                  "properties":{
                    "a":{"type":"integer","default":"one"},
                    "b":{"type":"object","default":{"x":1},"properties":{"y":{"type":"integer"}}},
                    "c":{"type":"array","uniqueItems":true,"items":{"type":"string"}},
                    "d":{"type":"array","x-kubernetes-list-type":"map","items":{"type":"object",
                      "properties":{"k":{"type":"string"}}}}}}}}}
                """;
        ObjectNode crd = crd("[{\"name\":\"v1\",\"served\":true,\"storage\":true,\"schema\":" + schema
                + ",\"subresources\":{\"scale\":{\"specReplicasPath\":\"spec.replicas\"}},"
                + "\"additionalPrinterColumns\":[{\"name\":\"A\",\"type\":\"int\",\"jsonPath\":\".spec.a\"}]}]", "");
        List<String> errors = errors(crd);
        String p = "spec.validation.openAPIV3Schema.properties[spec]";
        assertThat(errors).contains(
                // kube's validator names the default's root "", hence " in body".
                p + ".properties[a].default: Invalid value: \"string\":  in body must be of type integer: \"string\"",
                p + ".properties[b].default: Invalid value: {\"x\":1}: must not have unknown fields",
                p + ".properties[c].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime "
                        + "complexity becomes quadratic",
                p + ".properties[d].x-kubernetes-list-map-keys: Required value: must not be empty if "
                        + "x-kubernetes-list-type is map",
                p + ".x-kubernetes-validations[1].reason: Unsupported value: \"Bogus\": supported values: "
                        + "\"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\", "
                        + "\"FieldValueRequired\"",
                "spec.subresources.scale.specReplicasPath: Invalid value: \"spec.replicas\": must be a simple json "
                        + "path starting with .",
                "spec.subresources.scale.statusReplicasPath: Required value",
                "spec.additionalPrinterColumns[0].type: Invalid value: \"int\": must be one of "
                        + "boolean,date,integer,number,string");
        assertThat(errors).anyMatch(e -> e.startsWith(p + ".x-kubernetes-validations[0].rule: Invalid value: "
                + "\"self.a >\": compilation failed: "));
    }
}

package dev.drydock.api.schema;

import static dev.drydock.api.schema.StructuralCheckTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectMetaAndListTypeTest {

    private static List<String> strings(List<FieldError> errors) {
        return errors.stream().map(FieldError::toString).toList();
    }

    @Test
    void theResourcesOwnMetadata() {
        assertThat(strings(ObjectMetaCheck.resourceMeta(json("{\"metadata\":{\"name\":\"ok.name\",\"namespace\":"
                + "\"default\",\"labels\":{\"app\":\"x\"}}}"), true))).isEmpty();
        assertThat(strings(ObjectMetaCheck.resourceMeta(json("{\"metadata\":{}}"), true))).containsExactly(
                "metadata.name: Required value: name or generateName is required",
                "metadata.namespace: Required value");
        assertThat(strings(ObjectMetaCheck.resourceMeta(json("{\"metadata\":{\"name\":\"Bad_Name\"}}"), false)))
                .singleElement().asString().startsWith("metadata.name: Invalid value: \"Bad_Name\": a lowercase "
                        + "RFC 1123 subdomain must consist of");
        assertThat(strings(ObjectMetaCheck.resourceMeta(json("{\"metadata\":{\"name\":\"a\",\"namespace\":\"x\"}}"),
                false))).containsExactly("metadata.namespace: Forbidden: not allowed on this type");
        assertThat(strings(ObjectMetaCheck.resourceMeta(json("{\"metadata\":{\"generateName\":\"web-\"}}"), false)))
                .containsExactly("metadata.name: Required value: name or generateName is required");
        assertThat(strings(ObjectMetaCheck.resourceMeta(json("{\"metadata\":{\"name\":\"a\",\"labels\":{\"a\":"
                + "\"-bad-\"}}}"), false))).singleElement().asString()
                .startsWith("metadata.labels: Invalid value: \"-bad-\": a valid label must be");
    }

    private static final Schema EMBEDDING = Schema.of(json("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "template":{"type":"object","x-kubernetes-embedded-resource":true,"x-kubernetes-preserve-unknown-fields":
                true},
              "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["port"],
                "items":{"type":"object","properties":{"port":{"type":"integer"},"name":{"type":"string"}}}},
              "multi":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["port","protocol"],
                "items":{"type":"object","properties":{"port":{"type":"integer"},"protocol":{"type":"string"}}}},
              "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}}}}}}
            """));

    @Test
    void embeddedResourcesNeedTypeMetaAndValidMetadata() {
        assertThat(strings(ObjectMetaCheck.embedded(EMBEDDING, json("{\"spec\":{\"template\":{\"apiVersion\":\"v1\","
                + "\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}}}")))).isEmpty();
        assertThat(strings(ObjectMetaCheck.embedded(EMBEDDING, json("{\"spec\":{\"template\":{\"metadata\":"
                + "{\"name\":\"a/b\"}}}}")))).containsExactly("spec.template.apiVersion: Required value",
                "spec.template.kind: Required value",
                "spec.template.metadata.name: Invalid value: \"a/b\": may not contain '/'");
        assertThat(strings(ObjectMetaCheck.embedded(EMBEDDING, json("{\"spec\":{\"template\":{\"apiVersion\":\"\","
                + "\"kind\":\"Bad_Kind\"}}}")))).containsExactly(
                "spec.template.apiVersion: Invalid value: \"\": must not be empty",
                "spec.template.kind: Invalid value: \"Bad_Kind\": may have mixed case, but should otherwise match: a "
                        + "DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                        + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
                        + "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
    }

    @Test
    void setsAndMapListsRefuseDuplicates() {
        assertThat(strings(ListTypeCheck.check(EMBEDDING, json("{\"spec\":{\"tags\":[\"a\",\"b\",\"a\",\"a\"],"
                + "\"ports\":[{\"port\":80,\"name\":\"x\"},{\"port\":81},{\"port\":80,\"name\":\"y\"}],"
                + "\"multi\":[{\"port\":80,\"protocol\":\"TCP\"},{\"port\":80,\"protocol\":\"UDP\"},"
                + "{\"protocol\":\"UDP\",\"port\":80}]}}")))).containsExactlyInAnyOrder(
                "spec.tags[2]: Duplicate value: \"a\"",
                "spec.ports[2]: Duplicate value: {\"port\":80}",
                "spec.multi[2]: Duplicate value: {\"port\":80,\"protocol\":\"UDP\"}");
        assertThat(strings(ListTypeCheck.check(EMBEDDING, json("{\"spec\":{\"ports\":[{\"port\":80},\"x\"]}}"))))
                .containsExactly("spec.ports[1]: Invalid value: \"x\": must be an object for an array of list-type map");
    }
}

package dev.drydock.api.schema;

import static dev.drydock.api.schema.StructuralCheckTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {

    private static final Schema SCHEMA = Schema.of(json("""
            {"type":"object","required":["spec"],"properties":{
              "spec":{"type":"object","required":["image"],"properties":{
                "replicas":{"type":"integer","minimum":1,"maximum":10},
                "ratio":{"type":"number","exclusiveMinimum":true,"minimum":0,"multipleOf":0.5},
                "step":{"type":"integer","multipleOf":5},
                "image":{"type":"string","minLength":3,"maxLength":20,"pattern":"^[a-z]+(:[a-z0-9.]+)?$"},
                "mode":{"type":"string","enum":["Fast","Slow"]},
                "level":{"type":"integer","enum":[1,2]},
                "port":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]},
                "url":{"type":"string","format":"uri"},
                "when":{"type":"string","format":"date-time"},
                "odd":{"type":"string","format":"not-a-format"},
                "note":{"type":"string","nullable":true},
                "args":{"type":"array","minItems":1,"maxItems":2,"items":{"type":"string"}},
                "env":{"type":"object","maxProperties":2,"minProperties":1,"additionalProperties":{"type":"string"}},
                "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                "choice":{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},
                  "oneOf":[{"required":["a"]},{"required":["b"]}]}}}}}
            """));

    private static List<String> errors(String obj) {
        return SchemaValidator.validate(null, SCHEMA, json(obj), null).stream().map(FieldError::toString).toList();
    }

    @Test
    void aValidObjectHasNoErrors() {
        assertThat(errors("""
                {"spec":{"replicas":3,"ratio":1.5,"step":10,"image":"nginx:1.27","mode":"Fast","level":2,"port":"http",
                  "url":"https://example.com/x","when":"2024-01-02T03:04:05Z","odd":"anything","note":null,
                  "args":["a"],"env":{"A":"1"},"free":{"x":[1,{"y":true}]},"choice":{"a":"x"}}}
                """)).isEmpty();
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"port\":8080,\"replicas\":2.0}}")).isEmpty();
    }

    @Test
    void typeErrorsAreWordedAsKube() {
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"replicas\":\"three\"}}")).containsExactly(
                "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"replicas\":1.5}}")).containsExactly(
                "spec.replicas: Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\"");
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"port\":true}}")).contains(
                "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: "
                        + "\"boolean\"");
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"args\":[null]}}")).containsExactly(
                "spec.args[0]: Invalid value: \"null\": spec.args[0] in body must be of type string: \"null\"");
    }

    @Test
    void requiredFields() {
        assertThat(errors("{}")).containsExactly("spec: Required value");
        assertThat(errors("{\"spec\":{}}")).containsExactly("spec.image: Required value");
    }

    @Test
    void numbers() {
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"replicas\":11}}")).containsExactly(
                "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10");
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"replicas\":0}}")).containsExactly(
                "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1");
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"ratio\":0}}")).containsExactly(
                "spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0");
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"ratio\":0.7}}")).containsExactly(
                "spec.ratio: Invalid value: 0.7: spec.ratio in body should be a multiple of 0.5");
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"step\":7}}")).containsExactly(
                "spec.step: Invalid value: 7: spec.step in body should be a multiple of 5");
    }

    @Test
    void strings() {
        assertThat(errors("{\"spec\":{\"image\":\"ab\"}}")).containsExactly(
                "spec.image: Invalid value: \"ab\": spec.image in body should be at least 3 chars long");
        assertThat(errors("{\"spec\":{\"image\":\"abcdefghijklmnopqrstuvwxyz\"}}")).containsExactly(
                "spec.image: Too long: may not be more than 20 bytes");
        assertThat(errors("{\"spec\":{\"image\":\"Nginx\"}}")).containsExactly(
                "spec.image: Invalid value: \"Nginx\": spec.image in body should match '^[a-z]+(:[a-z0-9.]+)?$'");
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"mode\":\"Medium\"}}")).containsExactly(
                "spec.mode: Unsupported value: \"Medium\": supported values: \"Fast\", \"Slow\"");
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"level\":3}}")).containsExactly(
                "spec.level: Unsupported value: 3: supported values: \"1\", \"2\"");
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"url\":\"not a uri\",\"when\":\"yesterday\"}}"))
                .containsExactlyInAnyOrder(
                        "spec.url: Invalid value: \"not a uri\": spec.url in body must be of type uri: \"not a uri\"",
                        "spec.when: Invalid value: \"yesterday\": spec.when in body must be of type date-time: "
                                + "\"yesterday\"");
    }

    @Test
    void listsAndMaps() {
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"args\":[]}}")).containsExactly(
                "spec.args: Invalid value: 0: spec.args in body should have at least 1 items");
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"args\":[\"a\",\"b\",\"c\"]}}")).containsExactly(
                "spec.args: Too many: 3: must have at most 2 items");
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"env\":{\"A\":\"1\",\"B\":2,\"C\":\"3\"}}}"))
                .containsExactlyInAnyOrder("spec.env: Too many: 3: must have at most 2 items",
                        "spec.env.B: Invalid value: \"integer\": spec.env.B in body must be of type string: "
                                + "\"integer\"");
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"env\":{}}}")).containsExactly(
                "spec.env: Invalid value: 0: spec.env in body should have at least 1 properties");
    }

    @Test
    void oneOfFailuresComeAsKubeReportsThem() {
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"choice\":{\"a\":\"x\",\"b\":\"y\"}}}")).containsExactly(
                "<nil>: Invalid value: \"\": \"spec.choice\" must validate one and only one schema (oneOf). "
                        + "Found 2 valid alternatives");
        assertThat(errors("{\"spec\":{\"image\":\"abc\",\"choice\":{}}}")).containsExactly(
                "<nil>: Invalid value: \"\": \"spec.choice\" must validate one and only one schema (oneOf). "
                        + "Found none valid",
                "spec.choice.a: Required value");
    }

    @Test
    void statusIsValidatedUnderItsPath() {
        Schema status = Schema.of(json("{\"type\":\"object\",\"properties\":{\"ready\":{\"type\":\"integer\"}}}"));
        assertThat(SchemaValidator.validate("status", status, json("{\"ready\":\"no\"}"), null).stream()
                .map(FieldError::toString)).containsExactly(
                "status.ready: Invalid value: \"string\": ready in body must be of type integer: \"string\"");
    }

    @Test
    void anUpdateKeepsUnchangedInvalidValues() {
        String old = "{\"spec\":{\"image\":\"abc\",\"replicas\":20,\"args\":[]}}";
        assertThat(SchemaValidator.validate(null, SCHEMA, json(old), json(old))).isEmpty();
        assertThat(SchemaValidator.validate(null, SCHEMA,
                json("{\"spec\":{\"image\":\"abc\",\"replicas\":30,\"args\":[]}}"), json(old)).stream()
                .map(FieldError::toString)).containsExactly(
                "spec.replicas: Invalid value: 30: spec.replicas in body should be less than or equal to 10");
    }
}

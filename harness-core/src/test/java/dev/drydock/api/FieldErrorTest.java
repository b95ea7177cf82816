package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.kube.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldErrorTest {

    @Test
    void printsValuesAsKubesErrorBody() {
        assertThat(FieldError.invalid("spec.replicas", 11L, "too big"))
                .hasToString("spec.replicas: Invalid value: 11: too big");
        assertThat(FieldError.invalid("spec.ratio", 1.5, "x")).hasToString("spec.ratio: Invalid value: 1.5: x");
        assertThat(FieldError.invalid("spec.name", "a\"b", "x")).hasToString("spec.name: Invalid value: \"a\\\"b\": x");
        assertThat(FieldError.invalid("spec.on", true, "x")).hasToString("spec.on: Invalid value: true: x");
        assertThat(FieldError.invalid("spec", FieldError.OMIT, "failed rule: self.a > 0"))
                .hasToString("spec: Invalid value: failed rule: self.a > 0");
        assertThat(FieldError.invalid("spec.m", Json.object().put("b", 1).put("a", "x"), "x"))
                .hasToString("spec.m: Invalid value: {\"a\":\"x\",\"b\":1}: x");
        assertThat(FieldError.invalid("spec.x", null, "x")).hasToString("spec.x: Invalid value: null: x");
    }

    @Test
    void wordsEachTypeAsKube() {
        assertThat(FieldError.required("spec.foo", "")).hasToString("spec.foo: Required value");
        assertThat(FieldError.tooLong("spec.name", 5)).hasToString("spec.name: Too long: may not be more than 5 bytes");
        assertThat(FieldError.tooMany("spec.list", 3, 2)).hasToString("spec.list: Too many: 3: must have at most 2 items");
        assertThat(FieldError.tooMany("spec.list", 3, 1)).hasToString("spec.list: Too many: 3: must have at most 1 item");
        assertThat(FieldError.duplicate("spec.ports[1]", Json.object().put("port", 80)))
                .hasToString("spec.ports[1]: Duplicate value: {\"port\":80}");
        assertThat(FieldError.notSupported("spec.mode", "c", List.of("a", "b")))
                .hasToString("spec.mode: Unsupported value: \"c\": supported values: \"a\", \"b\"");
        assertThat(FieldError.typeInvalid("spec.replicas", "string",
                "spec.replicas in body must be of type integer: \"string\"")).hasToString(
                "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
        assertThat(FieldError.typeInvalid("a", "b", "c").cause().path("reason").asText())
                .isEqualTo("FieldValueTypeInvalid");
        assertThat(FieldError.forbidden("spec.x", "must not be set")).hasToString("spec.x: Forbidden: must not be set");
    }
}

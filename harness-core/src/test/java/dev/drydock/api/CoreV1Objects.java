package dev.drydock.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Objects of the core group's kinds for the API tests, written as JSON (single quotes stand for double ones). */
final class CoreV1Objects {

    private CoreV1Objects() {
    }

    /** An object from JSON in which {@code '} stands for {@code "}, so tests read as manifests. */
    static ObjectNode json(String json) {
        try {
            return (ObjectNode) Json.parse(json.replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Service selecting {@code app=<name>} on port 80. */
    static ObjectNode service(String name) {
        return json("{'metadata': {'name': '" + name + "'}, 'spec': {'selector': {'app': '" + name + "'}, "
                + "'ports': [{'port': 80}]}}");
    }

    /** A Service of {@code type} with the given spec fields (JSON without braces) besides one port 80. */
    static ObjectNode service(String name, String specFields) {
        return json("{'metadata': {'name': '" + name + "'}, 'spec': {'ports': [{'port': 80}]"
                + (specFields.isEmpty() ? "" : ", " + specFields) + "}}");
    }
}

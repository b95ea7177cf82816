package dev.drydock.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The field shapes resource is the whole schemas resource stripped, so the two cannot drift apart. */
class FieldSchemasTest {

    static ObjectNode read(String resource) throws IOException {
        try (InputStream in = FieldSchemas.class.getResourceAsStream(resource)) {
            return Json.parseTrusted(new GZIPInputStream(in).readAllBytes());
        }
    }

    @Test
    void theFieldsResourceIsTheSchemasResourceStripped() throws IOException {
        ObjectNode expected = FieldSchemas.strip(read(KubeSchemas.RESOURCE));
        assertThat(read(FieldSchemas.RESOURCE)).as("run FieldSchemasTest.main to write it again")
                .isEqualTo(expected);
        assertThat(expected.at("/io.k8s.api.apps.v1.DeploymentSpec/properties").has("replicas")).isTrue();
        assertThat(expected.at("/io.k8s.api.apps.v1.DeploymentSpec/properties/replicas").has("description"))
                .isFalse();
    }

    /** Writes the fields resource from the schemas resource: {@code main(<harness-core resources dir>)}. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0], "dev/drydock/api/openapi", FieldSchemas.RESOURCE);
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(out))) {
            o.write(Json.bytes(FieldSchemas.strip(read(KubeSchemas.RESOURCE))));
        }
    }
}

package dev.drydock.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Makes {@code kube-schemas.json.gz}, the resource {@link KubeSchemas} reads: the {@code components.schemas} of
 * Kubernetes' published OpenAPI v3 documents ({@code api/openapi-spec/v3/*.json} of kubernetes/kubernetes at a
 * release tag, one file per group version), merged into one object by schema name, for every group version that is
 * not alpha or beta. No Maven artifact carries these documents, so the result is kept in the source tree; run this
 * again to follow a new Kubernetes release:
 *
 * <pre>
 * java -cp harness-core/target/test-classes:$JACKSON_JARS dev.drydock.api.openapi.ExtractKubeSchemas \
 *     DIR_OF_V3_JSON_FILES harness-core/src/main/resources/dev/drydock/api/openapi/kube-schemas.json.gz
 * </pre>
 *
 * A schema of the same name must be the same in every document (the program fails otherwise).
 */
public final class ExtractKubeSchemas {

    private static final Pattern PRERELEASE = Pattern.compile(".*v\\d+(alpha|beta)\\d*(_openapi)?\\.json$");

    private ExtractKubeSchemas() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ExtractKubeSchemas <dir of v3 json documents> <out.json.gz>");
        }
        ObjectMapper mapper = new ObjectMapper();
        Map<String, JsonNode> schemas = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(args[0]))) {
            files = walk.filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> !PRERELEASE.matcher(p.toString()).matches()).sorted().toList();
        }
        for (Path file : files) {
            JsonNode doc = mapper.readTree(file.toFile());
            for (Map.Entry<String, JsonNode> e : doc.path("components").path("schemas").properties()) {
                JsonNode before = schemas.putIfAbsent(e.getKey(), e.getValue());
                if (before != null && !before.equals(e.getValue())) {
                    throw new IllegalStateException(e.getKey() + " differs in " + file);
                }
            }
        }
        ObjectNode out = mapper.createObjectNode();
        schemas.forEach(out::set);
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(Path.of(args[1])))) {
            gz.write(mapper.writeValueAsBytes(out));
        }
        System.out.println(schemas.size() + " schemas from " + files.size() + " documents");
    }
}

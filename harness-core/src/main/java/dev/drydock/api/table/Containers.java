package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;

/** The CONTAINERS and IMAGES cells of workload printers: a pod template's containers, comma separated. */
final class Containers {

    static final Column NAMES_COLUMN = Column.wide("Containers", "Names of each container in the template.");
    static final Column IMAGES_COLUMN = Column.wide("Images", "Images referenced by each container in the template.");

    private Containers() {
    }

    static String names(JsonNode workload) {
        return join(workload, "name");
    }

    static String images(JsonNode workload) {
        return join(workload, "image");
    }

    private static String join(JsonNode workload, String field) {
        List<JsonNode> containers = Json.elements(workload, "spec", "template", "spec", "containers");
        return containers.stream().map(c -> Json.text(c, field)).collect(Collectors.joining(","));
    }
}

package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** ReplicationControllers: NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR. */
final class ReplicationControllerPrinter implements Printer {

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.integer("Desired", CoreV1Descriptions.RC_DESIRED),
            Column.integer("Current", CoreV1Descriptions.RC_CURRENT),
            Column.integer("Ready", CoreV1Descriptions.RC_READY),
            Column.age(),
            Containers.NAMES_COLUMN,
            Containers.IMAGES_COLUMN,
            Column.wide("Selector", CoreV1Descriptions.RC_SELECTOR));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode rc, Instant now) {
        return List.of(
                Json.text(rc, "metadata", "name"),
                Json.integer(rc, "spec", "replicas"),
                Json.integer(rc, "status", "replicas"),
                Json.integer(rc, "status", "readyReplicas"),
                HumanDuration.since(Json.time(rc, "metadata", "creationTimestamp"), now),
                Containers.names(rc),
                Containers.images(rc),
                Selectors.formatLabels(Json.at(rc, "spec", "selector")));
    }
}

package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** StatefulSets: NAME READY AGE, wide CONTAINERS IMAGES (kube's {@code printStatefulSet}). */
final class StatefulSetPrinter implements Printer {

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("Ready", "Number of the pod with ready state"),
            Column.age(),
            Containers.NAMES_COLUMN,
            Containers.IMAGES_COLUMN);

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode sts, Instant now) {
        return List.of(
                Json.text(sts, "metadata", "name"),
                Json.integer(sts, "status", "readyReplicas") + "/" + Json.integer(sts, "spec", "replicas"),
                HumanDuration.since(Json.time(sts, "metadata", "creationTimestamp"), now),
                Containers.names(sts),
                Containers.images(sts));
    }
}

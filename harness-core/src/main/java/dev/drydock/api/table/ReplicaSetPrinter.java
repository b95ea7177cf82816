package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** ReplicaSets: NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR. */
final class ReplicaSetPrinter implements Printer {

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.integer("Desired", Descriptions.REPLICA_SET_DESIRED),
            Column.integer("Current", Descriptions.REPLICA_SET_CURRENT),
            Column.integer("Ready", Descriptions.REPLICA_SET_READY),
            Column.age(),
            Containers.NAMES_COLUMN,
            Containers.IMAGES_COLUMN,
            Column.wide("Selector", Descriptions.REPLICA_SET_SELECTOR));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode replicaSet, Instant now) {
        JsonNode status = Json.at(replicaSet, "status");
        return List.of(
                Json.text(replicaSet, "metadata", "name"),
                DeploymentPrinter.desiredReplicas(replicaSet),
                Json.integer(status, "replicas"),
                Json.integer(status, "readyReplicas"),
                HumanDuration.since(Json.time(replicaSet, "metadata", "creationTimestamp"), now),
                Containers.names(replicaSet),
                Containers.images(replicaSet),
                Selectors.formatLabelSelector(Json.at(replicaSet, "spec", "selector")));
    }
}

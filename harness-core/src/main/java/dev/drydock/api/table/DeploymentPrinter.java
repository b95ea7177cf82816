package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** Deployments: NAME READY UP-TO-DATE AVAILABLE AGE, wide CONTAINERS IMAGES SELECTOR. */
final class DeploymentPrinter implements Printer {

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("Ready", "Number of the pod with ready state"),
            Column.string("Up-to-date", Descriptions.DEPLOYMENT_UPDATED_REPLICAS),
            Column.string("Available", Descriptions.DEPLOYMENT_AVAILABLE_REPLICAS),
            Column.age(),
            Containers.NAMES_COLUMN,
            Containers.IMAGES_COLUMN,
            Column.wide("Selector", Descriptions.DEPLOYMENT_SELECTOR));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode deployment, Instant now) {
        JsonNode status = Json.at(deployment, "status");
        return List.of(
                Json.text(deployment, "metadata", "name"),
                Json.integer(status, "readyReplicas") + "/" + desiredReplicas(deployment),
                Json.integer(status, "updatedReplicas"),
                Json.integer(status, "availableReplicas"),
                HumanDuration.since(Json.time(deployment, "metadata", "creationTimestamp"), now),
                Containers.names(deployment),
                Containers.images(deployment),
                // Unlike ReplicaSets, kube prints an empty selector as nothing rather than <none>.
                Selectors.selectorString(Json.at(deployment, "spec", "selector")).orElse("<invalid>"));
    }

    /** {@code spec.replicas}, which the API server defaults to 1 when a client leaves it out. */
    static long desiredReplicas(JsonNode workload) {
        return Json.has(workload, "spec", "replicas") ? Json.integer(workload, "spec", "replicas") : 1;
    }
}

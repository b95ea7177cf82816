package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * DaemonSets: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE, wide CONTAINERS IMAGES SELECTOR
 * (kube's {@code printDaemonSet}).
 */
final class DaemonSetPrinter implements Printer {

    private static final String MORE_INFO = " More info: https://kubernetes.io/docs/concepts/workloads/controllers/"
            + "daemonset/";

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.integer("Desired", "The total number of nodes that should be running the daemon pod (including "
                    + "nodes correctly running the daemon pod)." + MORE_INFO),
            Column.integer("Current", "The number of nodes that are running at least 1 daemon pod and are supposed "
                    + "to run the daemon pod." + MORE_INFO),
            Column.integer("Ready", "numberReady is the number of nodes that should be running the daemon pod and "
                    + "have one or more of the daemon pod running with a Ready Condition."),
            Column.integer("Up-to-date", "The total number of nodes that are running updated daemon pod"),
            Column.integer("Available", "The number of nodes that should be running the daemon pod and have one or "
                    + "more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
            Column.string("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a "
                    + "node. Selector which must match a node's labels for the pod to be scheduled on that node. More "
                    + "info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
            Column.age(),
            Containers.NAMES_COLUMN,
            Containers.IMAGES_COLUMN,
            Column.wide("Selector", "A label query over pods that are managed by the daemon set. Must match in "
                    + "order to be controlled. It must match the pod template's labels. More info: "
                    + "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode ds, Instant now) {
        JsonNode status = Json.at(ds, "status");
        return List.of(
                Json.text(ds, "metadata", "name"),
                Json.integer(status, "desiredNumberScheduled"),
                Json.integer(status, "currentNumberScheduled"),
                Json.integer(status, "numberReady"),
                Json.integer(status, "updatedNumberScheduled"),
                Json.integer(status, "numberAvailable"),
                Selectors.formatLabels(Json.at(ds, "spec", "template", "spec", "nodeSelector")),
                HumanDuration.since(Json.time(ds, "metadata", "creationTimestamp"), now),
                Containers.names(ds),
                Containers.images(ds),
                Selectors.formatLabelSelector(Json.at(ds, "spec", "selector")));
    }
}

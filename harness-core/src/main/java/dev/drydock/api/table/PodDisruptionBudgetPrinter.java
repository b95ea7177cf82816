package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** PodDisruptionBudgets: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE (kube's printer). */
final class PodDisruptionBudgetPrinter implements Printer {

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("Min Available", "The minimum number of pods that must be available."),
            Column.string("Max Unavailable", "The maximum number of pods that may be unavailable."),
            Column.integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time."),
            Column.age());

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode pdb, Instant now) {
        return List.of(
                Json.text(pdb, "metadata", "name"),
                intOrString(pdb, "minAvailable"),
                intOrString(pdb, "maxUnavailable"),
                Json.integer(pdb, "status", "disruptionsAllowed"),
                HumanDuration.since(Json.time(pdb, "metadata", "creationTimestamp"), now));
    }

    /** {@code IntOrString.String()}, or {@code N/A} when unset. */
    private static String intOrString(JsonNode pdb, String field) {
        return Json.has(pdb, "spec", field) ? Json.at(pdb, "spec", field).asText() : "N/A";
    }
}

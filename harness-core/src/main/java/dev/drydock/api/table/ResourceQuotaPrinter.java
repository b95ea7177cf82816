package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * ResourceQuotas: NAME AGE REQUEST LIMIT, as kube 1.32 prints them: for each resource of {@code spec.hard}, sorted,
 * {@code name: used/hard} from the status ({@code 0} until the quota controller has counted), those named
 * {@code limits.*} in LIMIT and the others in REQUEST.
 */
final class ResourceQuotaPrinter implements Printer {

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.age(),
            Column.string("Request", CoreV1Descriptions.QUOTA_REQUEST),
            Column.string("Limit", CoreV1Descriptions.QUOTA_LIMIT));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode quota, Instant now) {
        TreeSet<String> resources = new TreeSet<>();
        Json.at(quota, "spec", "hard").fieldNames().forEachRemaining(resources::add);
        List<String> requests = new ArrayList<>();
        List<String> limits = new ArrayList<>();
        for (String resource : resources) {
            String cell = resource + ": " + StoragePrinters.quantity(quota, "status", "used", resource) + "/"
                    + StoragePrinters.quantity(quota, "status", "hard", resource);
            String[] pieces = resource.split("\\.");
            (pieces.length > 1 && pieces[0].equals("limits") ? limits : requests).add(cell);
        }
        return List.of(
                Json.text(quota, "metadata", "name"),
                StoragePrinters.age(quota, now),
                String.join(", ", requests),
                String.join(", ", limits));
    }
}

package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * ControllerRevisions: NAME CONTROLLER REVISION AGE, the controller as {@code kind.group/name} in lower case
 * ({@code statefulset.apps/web}), as kube's {@code printControllerRevision}.
 */
final class ControllerRevisionPrinter implements Printer {

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("Controller", "Controller of the object"),
            Column.string("Revision", "Revision indicates the revision of the state represented by Data."),
            Column.age());

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode revision, Instant now) {
        return List.of(
                Json.text(revision, "metadata", "name"),
                controller(revision),
                Json.integer(revision, "revision"),
                HumanDuration.since(Json.time(revision, "metadata", "creationTimestamp"), now));
    }

    private static String controller(JsonNode revision) {
        for (JsonNode ref : Json.elements(revision, "metadata", "ownerReferences")) {
            if (Json.bool(ref, "controller")) {
                String apiVersion = Json.text(ref, "apiVersion");
                String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                String kind = Json.text(ref, "kind");
                if (kind.isEmpty() && group.isEmpty()) {
                    return Json.text(ref, "name");
                }
                String groupKind = group.isEmpty() ? kind : kind + "." + group;
                return groupKind.toLowerCase(Locale.ROOT) + "/" + Json.text(ref, "name");
            }
        }
        return "<none>";
    }
}

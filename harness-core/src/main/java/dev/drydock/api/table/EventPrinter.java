package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Events: LAST SEEN TYPE REASON OBJECT MESSAGE, wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME (in kube's column
 * order, which interleaves them). Reads {@code v1} Events and {@code events.k8s.io/v1} ones, whose fields kube
 * converts to the same internal Event before printing.
 */
final class EventPrinter implements Printer {

    private static final List<Column> COLUMNS = List.of(
            Column.string("Last Seen", Descriptions.EVENT_LAST_TIMESTAMP),
            Column.string("Type", Descriptions.EVENT_TYPE),
            Column.string("Reason", Descriptions.EVENT_REASON),
            Column.string("Object", Descriptions.EVENT_INVOLVED_OBJECT),
            Column.wide("Subobject", Descriptions.EVENT_FIELD_PATH),
            Column.wide("Source", Descriptions.EVENT_SOURCE),
            Column.string("Message", Descriptions.EVENT_MESSAGE),
            Column.wide("First Seen", Descriptions.EVENT_FIRST_TIMESTAMP),
            Column.wide("Count", Descriptions.EVENT_COUNT),
            new Column("Name", "string", "name", Descriptions.OBJECT_NAME, 1));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode event, Instant now) {
        boolean eventsApi = Json.text(event, "apiVersion").startsWith("events.k8s.io/");
        JsonNode regarding = Json.at(event, eventsApi ? "regarding" : "involvedObject");
        JsonNode source = Json.at(event, eventsApi ? "deprecatedSource" : "source");

        Optional<Instant> first = Json.time(event, eventsApi ? "deprecatedFirstTimestamp" : "firstTimestamp")
                .or(() -> Json.time(event, "eventTime"));
        Optional<Instant> last = Json.time(event, eventsApi ? "deprecatedLastTimestamp" : "lastTimestamp");
        String firstSeen = HumanDuration.since(first, now);
        String lastSeen = last.isPresent() ? HumanDuration.since(last, now) : firstSeen;
        long count = Json.integer(event, eventsApi ? "deprecatedCount" : "count");
        if (Json.at(event, "series").isObject()) {
            lastSeen = HumanDuration.since(Json.time(event, "series", "lastObservedTime"), now);
            count = Json.integer(event, "series", "count");
        } else if (count == 0) {
            // Events written through the new API are singletons without a count.
            count = 1;
        }

        String kind = Json.text(regarding, "kind").toLowerCase(Locale.ROOT);
        String name = Json.text(regarding, "name");
        String component = Json.firstNonEmpty(Json.text(source, "component"),
                Json.text(event, eventsApi ? "reportingController" : "reportingComponent"));
        String host = Json.firstNonEmpty(Json.text(source, "host"), Json.text(event, "reportingInstance"));
        return List.of(
                lastSeen,
                Json.text(event, "type"),
                Json.text(event, "reason"),
                name.isEmpty() ? kind : kind + "/" + name,
                Json.text(regarding, "fieldPath"),
                host.isEmpty() ? component : component + ", " + host,
                Json.text(event, eventsApi ? "note" : "message").strip(),
                firstSeen,
                count,
                Json.text(event, "metadata", "name"));
    }
}

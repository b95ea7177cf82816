package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** kube's {@code rest.NewDefaultTableConvertor}, used for kinds without a printer: Name and Created At. */
final class DefaultPrinter implements Printer {

    /** Go's {@code time.RFC3339} of a UTC time: whole seconds and a {@code Z}. */
    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            new Column("Created At", "date", "", Descriptions.CREATION_TIMESTAMP, 0));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode item, Instant now) {
        // An unset timestamp prints as Go's zero time rather than being left out.
        String created = Json.time(item, "metadata", "creationTimestamp")
                .map(RFC3339::format)
                .orElse("0001-01-01T00:00:00Z");
        return List.of(Json.text(item, "metadata", "name"), created);
    }
}

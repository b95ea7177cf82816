package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of a custom resource from its CRD version's {@code additionalPrinterColumns}, as kube's
 * apiextensions table convertor: Name, then one column per definition (Age when there are none); each cell is the
 * first value the column's JSONPath reaches, typed as the column says, or null when it reaches none.
 */
final class CustomColumns implements Printer {

    /** One {@code additionalPrinterColumns} entry. */
    record Definition(String name, String type, String format, String description, int priority, JsonPath path) {
    }

    private final List<Definition> definitions;
    private final List<Column> columns = new ArrayList<>();

    CustomColumns(List<Definition> definitions) {
        this.definitions = definitions.isEmpty()
                ? List.of(new Definition("Age", "date", "", Descriptions.CREATION_TIMESTAMP, 0,
                JsonPath.parse(".metadata.creationTimestamp")))
                : List.copyOf(definitions);
        columns.add(Column.objectName());
        for (Definition d : this.definitions) {
            columns.add(new Column(d.name(), d.type(), d.format() == null ? "" : d.format(),
                    d.description() == null ? "" : d.description(), d.priority()));
        }
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public List<Object> cells(JsonNode item, Instant now) {
        List<Object> cells = new ArrayList<>();
        cells.add(item.path("metadata").path("name").asText(""));
        for (Definition d : definitions) {
            List<JsonNode> found = d.path().find(item);
            cells.add(found.isEmpty() || found.get(0).isNull() ? null : cell(d.type(), found.get(0), now));
        }
        return cells;
    }

    private static Object cell(String type, JsonNode v, Instant now) {
        switch (type) {
            case "integer":
                if (v.isIntegralNumber() || v.isNumber() && v.asDouble() == Math.rint(v.asDouble())) {
                    return v.asLong();
                }
                return v.isTextual() ? parseLong(v.asText()) : null;
            case "number":
                if (v.isNumber()) {
                    return v.asDouble();
                }
                return v.isTextual() ? parseDouble(v.asText()) : null;
            case "boolean":
                if (v.isBoolean()) {
                    return v.asBoolean();
                }
                return v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))
                        ? Boolean.valueOf(v.asText()) : null;
            case "date":
                if (!v.isTextual()) {
                    return null;
                }
                try {
                    return HumanDuration.since(java.util.Optional.of(Instant.parse(v.asText())), now);
                } catch (DateTimeParseException e) {
                    return "<unknown>";
                }
            default:
                return v.isValueNode() ? v.asText() : v.toString();
        }
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double parseDouble(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

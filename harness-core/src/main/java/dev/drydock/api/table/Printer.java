package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * The table form of one kind: its column definitions and, per object, one cell per column. Cells are
 * {@code String}, {@code Long} or {@code Boolean}, the Go types kube's printers put in {@code TableRow.Cells}.
 * As kube-apiserver always prints wide, every row has all columns, priority 1 included.
 */
interface Printer {

    List<Column> columns();

    List<Object> cells(JsonNode item, Instant now);

    /** {@code TableRow.conditions}; empty for almost every kind. */
    default List<ObjectNode> conditions(JsonNode item) {
        return List.of();
    }
}

package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Printers of kinds whose rows are the name, a field or two, and the age: Namespace, ConfigMap, Secret, Lease. */
final class SimplePrinters {

    private SimplePrinters() {
    }

    /** NAME STATUS AGE; the API server sets a namespace's phase to Active when it is created. */
    static Printer namespace() {
        return of(List.of(Column.string("Status", "The status of the namespace")),
                ns -> List.of(Json.firstNonEmpty(Json.text(ns, "status", "phase"), "Active")));
    }

    /** NAME DATA AGE, DATA counting both {@code data} and {@code binaryData} keys. */
    static Printer configMap() {
        return of(List.of(Column.string("Data", Descriptions.CONFIG_MAP_DATA)),
                cm -> List.of((long) (Json.size(cm, "data") + Json.size(cm, "binaryData"))));
    }

    /**
     * NAME TYPE DATA AGE. The API server defaults the type to Opaque and folds write-only {@code stringData} into
     * {@code data}, so keys only present in {@code stringData} count too.
     */
    static Printer secret() {
        return of(List.of(Column.string("Type", Descriptions.SECRET_TYPE),
                        Column.string("Data", Descriptions.SECRET_DATA)),
                secret -> {
                    Set<String> keys = new HashSet<>();
                    Json.at(secret, "data").fieldNames().forEachRemaining(keys::add);
                    Json.at(secret, "stringData").fieldNames().forEachRemaining(keys::add);
                    return List.of(Json.firstNonEmpty(Json.text(secret, "type"), "Opaque"), (long) keys.size());
                });
    }

    /** NAME HOLDER AGE. */
    static Printer lease() {
        return of(List.of(Column.string("Holder", Descriptions.LEASE_HOLDER_IDENTITY)),
                lease -> List.of(Json.text(lease, "spec", "holderIdentity")));
    }

    /** A printer with columns Name, {@code middle}..., Age. */
    private static Printer of(List<Column> middle, Function<JsonNode, List<Object>> middleCells) {
        List<Column> columns = new ArrayList<>();
        columns.add(Column.objectName());
        columns.addAll(middle);
        columns.add(Column.age());
        List<Column> immutableColumns = List.copyOf(columns);
        return new Printer() {
            @Override
            public List<Column> columns() {
                return immutableColumns;
            }

            @Override
            public List<Object> cells(JsonNode item, Instant now) {
                List<Object> cells = new ArrayList<>();
                cells.add(Json.text(item, "metadata", "name"));
                cells.addAll(middleCells.apply(item));
                cells.add(HumanDuration.since(Json.time(item, "metadata", "creationTimestamp"), now));
                return cells;
            }
        };
    }
}

package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** ServiceAccounts: NAME SECRETS AGE, SECRETS counting {@code secrets}. */
final class ServiceAccountPrinter implements Printer {

    private static final List<Column> COLUMNS = List.of(
            Column.objectName(),
            Column.string("Secrets", CoreV1Descriptions.SERVICE_ACCOUNT_SECRETS),
            Column.age());

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(JsonNode account, Instant now) {
        return List.of(
                Json.text(account, "metadata", "name"),
                (long) Json.size(account, "secrets"),
                HumanDuration.since(Json.time(account, "metadata", "creationTimestamp"), now));
    }
}

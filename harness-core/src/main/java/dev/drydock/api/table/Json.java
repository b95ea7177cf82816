package dev.drydock.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Null-safe reads of Kubernetes JSON that give Go's zero values for absent fields, so the printers can follow
 * kube's code, which works on structs where a missing field is simply empty.
 */
final class Json {

    /** Go's zero {@code time.Time}: a timestamp serialised from it counts as unset ({@code IsZero()}). */
    private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private Json() {
    }

    static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node == null ? MissingNode.getInstance() : node;
        for (String field : path) {
            current = current.path(field);
        }
        return current;
    }

    static boolean has(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return !value.isMissingNode() && !value.isNull();
    }

    static String text(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isValueNode() && !value.isNull() ? value.asText() : "";
    }

    static long integer(JsonNode node, String... path) {
        return at(node, path).asLong(0);
    }

    static boolean bool(JsonNode node, String... path) {
        return at(node, path).asBoolean(false);
    }

    /** Elements of an array field; an absent or non-array field reads as an empty list. */
    static List<JsonNode> elements(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        List<JsonNode> result = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(result::add);
        }
        return result;
    }

    /** Number of entries of a map field or elements of an array field. */
    static int size(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isContainerNode() ? value.size() : 0;
    }

    /**
     * A {@code metav1.Time} or {@code MicroTime} field; empty when absent, null, unparseable or Go's zero time, which
     * are all {@code IsZero()} to kube.
     */
    static Optional<Instant> time(JsonNode node, String... path) {
        String text = text(node, path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            Instant instant = OffsetDateTime.parse(text).toInstant();
            return instant.equals(GO_ZERO_TIME) ? Optional.empty() : Optional.of(instant);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static String firstNonEmpty(String... values) {
        for (String value : values) {
            if (!value.isEmpty()) {
                return value;
            }
        }
        return "";
    }
}

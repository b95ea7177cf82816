package dev.drydock.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.schema.GoFormat;
import dev.drydock.kube.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An object's {@code metadata.managedFields} as kube's field manager reads and writes them: one entry per manager,
 * operation ({@code Apply} or {@code Update}), and for updates API version, each with the set of fields it owns in
 * the {@code FieldsV1} format and the time of its last change, written sorted as kube sorts them (appliers first,
 * then by time, manager, version and subresource).
 */
final class ManagedFields {

    static final String APPLY = "Apply";
    static final String UPDATE = "Update";

    /**
     * Who owns fields: kube's manager identifier (an entry without its fields, time, and, for an applier, version).
     *
     * @param apiVersion empty for an applier: the same applier in any version is one manager
     * @param subresource empty for the object itself
     */
    record Manager(String manager, String operation, String apiVersion, String subresource) {

        static Manager apply(String manager, String subresource) {
            return new Manager(manager, APPLY, "", subresource == null ? "" : subresource);
        }

        static Manager update(String manager, String apiVersion, String subresource) {
            return new Manager(manager, UPDATE, apiVersion, subresource == null ? "" : subresource);
        }

        boolean isApply() {
            return operation.equals(APPLY);
        }

        /** kube's identifier: the entry's JSON without fields and time, e.g. {@code {"manager":"a","operation":"Apply"}}. */
        String id() {
            StringBuilder b = new StringBuilder("{");
            field(b, "manager", manager);
            field(b, "operation", operation);
            field(b, "apiVersion", apiVersion);
            field(b, "subresource", subresource);
            return b.append('}').toString();
        }

        private static void field(StringBuilder b, String name, String value) {
            if (value.isEmpty()) {
                return;
            }
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(name).append("\":");
            PathElement.writeString(b, value);
        }

        /** As kube's conflict messages name it: {@code "kubectl-edit" using apps/v1}, {@code "ctl"}. */
        String display() {
            String s = GoFormat.quote(manager);
            if (!subresource.isEmpty()) {
                s += " with subresource " + GoFormat.quote(subresource);
            }
            return operation.equals(UPDATE) ? s + " using " + apiVersion : s;
        }
    }

    /** One manager's fields: the version they were written in, the time of the last change, and the set. */
    static final class Entry {
        final Manager manager;
        final String apiVersion;
        final String time;
        final FieldSet fields;
        /** The JSON this entry was read from, written back while the entry is unchanged. */
        final ObjectNode json;

        Entry(Manager manager, String apiVersion, String time, FieldSet fields, ObjectNode json) {
            this.manager = manager;
            this.apiVersion = apiVersion;
            this.time = time;
            this.fields = fields;
            this.json = json;
        }

        Entry withFields(FieldSet f) {
            return f == fields ? this : new Entry(manager, apiVersion, time, f, null);
        }

        Entry withTime(String t) {
            return new Entry(manager, apiVersion, t, fields, null);
        }

        long seconds() {
            if (time == null) {
                return 0;
            }
            try {
                return Instant.parse(time).getEpochSecond();
            } catch (DateTimeParseException e) {
                return 0;
            }
        }

        ObjectNode toJson() {
            if (json != null) {
                return json;
            }
            ObjectNode e = Json.object();
            if (!manager.manager().isEmpty()) {
                e.put("manager", manager.manager());
            }
            e.put("operation", manager.operation());
            if (!apiVersion.isEmpty()) {
                e.put("apiVersion", apiVersion);
            }
            if (time != null) {
                e.put("time", time);
            }
            e.put("fieldsType", "FieldsV1");
            e.set("fieldsV1", fields.toFieldsV1());
            if (!manager.subresource().isEmpty()) {
                e.put("subresource", manager.subresource());
            }
            return e;
        }
    }

    private ManagedFields() {
    }

    /** The managers of {@code object} (empty when it has none). */
    static JsonNode of(JsonNode object) {
        return object == null ? null : object.path("metadata").get("managedFields");
    }

    /**
     * The entries of a {@code managedFields} list, by manager (a later entry of the same manager wins, as in kube).
     *
     * @param trusted whether drydock wrote them (their field sets are then read lazily, as they are); a client's are
     *                checked and written again in canonical form
     * @throws IllegalArgumentException with kube's words for an entry it would not decode
     */
    static Map<Manager, Entry> decode(JsonNode list, boolean trusted) {
        Map<Manager, Entry> out = new LinkedHashMap<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("managedFields must be a list");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            if (!e.isObject()) {
                throw new IllegalArgumentException("managed fields entry " + i + " is not an object");
            }
            String operation = e.path("operation").asText("");
            if (!operation.equals(APPLY) && !operation.equals(UPDATE)) {
                throw new IllegalArgumentException("operation must be `Apply` or `Update`");
            }
            String apiVersion = e.path("apiVersion").asText("");
            if (apiVersion.isEmpty()) {
                throw new IllegalArgumentException("apiVersion must not be empty");
            }
            String fieldsType = e.path("fieldsType").asText("");
            if (fieldsType.isEmpty()) {
                throw new IllegalArgumentException("missing fieldsType in managed fields entry " + i);
            }
            if (!fieldsType.equals("FieldsV1")) {
                throw new IllegalArgumentException("invalid fieldsType " + GoFormat.quote(fieldsType)
                        + " in managed fields entry " + i);
            }
            String manager = e.path("manager").asText("");
            String subresource = e.path("subresource").asText("");
            Manager m = operation.equals(APPLY) ? Manager.apply(manager, subresource)
                    : Manager.update(manager, apiVersion, subresource);
            JsonNode time = e.get("time");
            String t = time == null || time.isNull() ? null : time.asText();
            FieldSet fields = trusted ? FieldSet.fromFieldsV1(e.get("fieldsV1"))
                    : FieldSet.parseFieldsV1(e.get("fieldsV1"));
            out.put(m, new Entry(m, apiVersion, t, fields, trusted ? (ObjectNode) e : null));
        }
        return out;
    }

    /** Whether a client's {@code managedFields} ask to forget them all: an empty list, or one empty entry. */
    static boolean isReset(JsonNode list) {
        return list != null && list.isArray() && (list.isEmpty() || list.size() == 1 && list.get(0).isObject()
                && list.get(0).isEmpty());
    }

    /** The {@code managedFields} list of these entries, in kube's order; null when there are none. */
    static ArrayNode encode(Map<Manager, Entry> entries) {
        if (entries.isEmpty()) {
            return null;
        }
        List<Entry> sorted = new ArrayList<>(entries.values());
        sorted.sort(Comparator.comparing((Entry e) -> e.manager.operation())
                .thenComparingLong(Entry::seconds)
                .thenComparing(e -> e.manager.manager())
                .thenComparing(e -> e.apiVersion)
                .thenComparing(e -> e.manager.subresource()));
        ArrayNode out = Json.array();
        sorted.forEach(e -> out.add(e.toJson()));
        return out;
    }

    /** Sets (or removes, for none) {@code metadata.managedFields} of {@code object}. */
    static void set(ObjectNode object, ArrayNode list) {
        ObjectNode meta = Json.with(object, "metadata");
        if (list == null) {
            meta.remove("managedFields");
        } else {
            meta.set("managedFields", list);
        }
    }

    /**
     * Merges the oldest update managers into one {@code ancient-changes} manager per version until no more than
     * {@code max} update managers are left, as kube's {@code capManagersManager} does.
     */
    static void capUpdateManagers(Map<Manager, Entry> entries, int max) {
        List<Entry> updaters = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (!e.manager.isApply()) {
                updaters.add(e);
            }
        }
        if (updaters.size() <= max) {
            return;
        }
        updaters.sort(Comparator.comparingLong(Entry::seconds).thenComparing(e -> e.manager.id()));
        Map<String, Manager> firstOfVersion = new LinkedHashMap<>();
        int length = updaters.size();
        for (Iterator<Entry> it = updaters.iterator(); it.hasNext() && length > max; ) {
            Entry e = it.next();
            Manager bucket = Manager.update("ancient-changes", e.apiVersion, "");
            if (e.manager.equals(bucket)) {
                firstOfVersion.putIfAbsent(e.apiVersion, bucket); // the bucket of earlier caps takes the rest
                continue;
            }
            Manager first = firstOfVersion.get(e.apiVersion);
            if (first == null) {
                firstOfVersion.put(e.apiVersion, e.manager);
                continue;
            }
            if (!entries.containsKey(bucket)) {
                Entry f = entries.remove(first);
                entries.put(bucket, new Entry(bucket, f.apiVersion, f.time, f.fields, null));
            }
            Entry b = entries.get(bucket);
            entries.put(bucket, new Entry(bucket, e.apiVersion, e.time, e.fields.union(b.fields), null));
            entries.remove(e.manager);
            length--;
        }
    }
}

package dev.drydock.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entries of an object's {@code managedFields}, shared rather than copied while a write copies its object (an
 * update copies it several times; the entries are often half of a small object). Nothing in the API server changes
 * an entry in place: the field manager reads them and writes new ones. A JSON patch that reaches into an entry
 * gets its own copies first ({@link #unshare}).
 */
public final class SharedEntries {

    private SharedEntries() {
    }

    /** An entry whose deep copy is itself. */
    private static final class SharedEntry extends ObjectNode {
        private static final long serialVersionUID = 1L;

        SharedEntry(Map<String, JsonNode> fields) {
            super(JsonNodeFactory.instance, fields);
        }

        @Override
        public ObjectNode deepCopy() {
            return this;
        }
    }

    /** Makes the {@code managedFields} entries of {@code object} (one read for a write) shared by its copies. */
    public static void share(ObjectNode object) {
        JsonNode list = object.path("metadata").get("managedFields");
        if (!(list instanceof ArrayNode entries)) {
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i) instanceof ObjectNode e && !(e instanceof SharedEntry)) {
                Map<String, JsonNode> fields = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = e.properties().iterator(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    fields.put(f.getKey(), f.getValue());
                }
                entries.set(i, new SharedEntry(fields));
            }
        }
    }

    /** Gives {@code object} copies of its own of shared entries, before something changes them in place. */
    public static void unshare(JsonNode object) {
        JsonNode list = object.path("metadata").get("managedFields");
        if (!(list instanceof ArrayNode entries)) {
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i) instanceof SharedEntry e) {
                ObjectNode copy = JsonNodeFactory.instance.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it = e.properties().iterator(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    copy.set(f.getKey(), f.getValue().deepCopy());
                }
                entries.set(i, copy);
            }
        }
    }
}

package dev.drydock.api.table;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One {@code meta.k8s.io/v1 TableColumnDefinition}.
 *
 * @param priority 0 for columns always shown, 1 for columns kubectl shows only with {@code -o wide}
 */
record Column(String name, String type, String format, String description, int priority) {

    static Column string(String name, String description) {
        return new Column(name, "string", "", description, 0);
    }

    static Column integer(String name, String description) {
        return new Column(name, "integer", "", description, 0);
    }

    static Column wide(String name, String description) {
        return new Column(name, "string", "", description, 1);
    }

    /** The Name column every printer starts with. */
    static Column objectName() {
        return new Column("Name", "string", "name", Descriptions.OBJECT_NAME, 0);
    }

    static Column age() {
        return string("Age", Descriptions.CREATION_TIMESTAMP);
    }

    /** Serialised like Go does: none of these fields is {@code omitempty}, so empty format and priority 0 stay. */
    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("name", name);
        json.put("type", type);
        json.put("format", format);
        json.put("description", description);
        json.put("priority", priority);
        return json;
    }
}

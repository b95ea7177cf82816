package dev.drydock.api.protobuf;

/**
 * One row of drydock's protobuf table: a field number, the JSON name Kubernetes gives it, and how
 * Go's encoding/json renders the Go field it comes from (the flags mirror the Go type and tag).
 *
 * @param number      protobuf field number, from Kubernetes' generated.proto
 * @param jsonName    JSON property name (for inline fields, the proto field name, used in messages only)
 * @param type        value type; for maps, the type of the map's values
 * @param messageName the nested message's simple name when type is MESSAGE, else null
 * @param repeated    a Go slice: a JSON array
 * @param map         a Go map[string]V: a JSON object (proto2 encodes it as repeated key=1/value=2 entries)
 * @param pointer     a Go pointer: present on the wire exactly when the Go pointer is non-nil
 * @param always      the Go json tag has no omitempty: zero values and nil slices/maps/pointers are written
 * @param inline      the Go field is embedded with {@code json:",inline"}: its properties join the parent's
 * @param unsupported drydock does not decode this field; its presence is an error rather than silent data loss
 */
record FieldSpec(int number, String jsonName, ValueType type, String messageName, boolean repeated, boolean map,
                 boolean pointer, boolean always, boolean inline, boolean unsupported) {
}

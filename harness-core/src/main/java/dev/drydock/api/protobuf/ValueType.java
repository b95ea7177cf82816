package dev.drydock.api.protobuf;

/** The kinds of value a field of drydock's protobuf table can hold. */
enum ValueType {
    STRING, INT32, INT64, BOOL,
    /** Go {@code []byte}: base64 in JSON. */
    BYTES,
    /** A nested message described by the table. */
    MESSAGE,
    /** meta/v1 Time: RFC 3339 in whole seconds, or null when zero. */
    TIME,
    /** meta/v1 MicroTime: RFC 3339 with microseconds, or null when zero. */
    MICRO_TIME,
    /** util/intstr IntOrString: a JSON number or string. */
    INT_OR_STRING,
    /** api/resource Quantity: a string such as "500m". */
    QUANTITY,
    /** meta/v1 FieldsV1: raw JSON bytes embedded as-is. */
    FIELDS_V1,
    /** runtime RawExtension: raw JSON bytes embedded as-is. */
    RAW_EXTENSION;

    /** Whether the value arrives as a varint (and so may also arrive packed in a repeated field). */
    boolean isVarint() {
        return this == INT32 || this == INT64 || this == BOOL;
    }

    /** Types whose wire form is a nested message. */
    boolean isMessageLike() {
        return this == MESSAGE || this == TIME || this == MICRO_TIME || this == INT_OR_STRING
                || this == QUANTITY || this == FIELDS_V1 || this == RAW_EXTENSION;
    }
}

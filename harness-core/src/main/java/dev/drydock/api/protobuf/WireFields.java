package dev.drydock.api.protobuf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of one protobuf message, grouped by field number. Every occurrence is kept because
 * protobuf allows a field to repeat: repeated fields append, singular scalars take the last value
 * and singular messages merge (equivalent to decoding their concatenated bytes).
 */
final class WireFields {

    private final Map<Integer, List<WireValue>> byNumber = new LinkedHashMap<>();

    private WireFields() {
    }

    /** @param what names the message being parsed, for error messages */
    static WireFields parse(byte[] data, String what) throws UnsupportedProtobufException {
        return parse(data, 0, data.length, what);
    }

    /** Parses {@code length} bytes of {@code data} from {@code offset}. */
    static WireFields parse(byte[] data, int offset, int length, String what) throws UnsupportedProtobufException {
        WireFields fields = new WireFields();
        WireReader in = new WireReader(data, offset, length, what);
        while (in.hasMore()) {
            long tag = in.readVarint();
            long number = tag >>> 3;
            int wireType = (int) (tag & 7);
            if (number <= 0 || number > 536_870_911L) {
                throw new UnsupportedProtobufException("malformed protobuf in " + what + ": invalid field number " + number);
            }
            WireValue value = switch (wireType) {
                case WireReader.VARINT -> new WireValue(wireType, in.readVarint(), null);
                case WireReader.FIXED64 -> new WireValue(wireType, in.readFixed64(), null);
                case WireReader.LEN -> new WireValue(wireType, 0, in.readLengthDelimited());
                case WireReader.FIXED32 -> new WireValue(wireType, in.readFixed32(), null);
                // Groups are a deprecated proto2 feature that Kubernetes never uses.
                case WireReader.START_GROUP, WireReader.END_GROUP -> throw new UnsupportedProtobufException(
                        "protobuf groups (field " + number + " of " + what + ") are not supported by drydock; send JSON instead");
                default -> throw new UnsupportedProtobufException(
                        "malformed protobuf in " + what + ": invalid wire type " + wireType + " for field " + number);
            };
            fields.byNumber.computeIfAbsent((int) number, n -> new ArrayList<>()).add(value);
        }
        return fields;
    }

    Set<Integer> numbers() {
        return byNumber.keySet();
    }

    /** All occurrences of the field, in wire order; empty when absent. */
    List<WireValue> get(int number) {
        return byNumber.getOrDefault(number, Collections.emptyList());
    }

    boolean has(int number) {
        return byNumber.containsKey(number);
    }
}

package dev.drydock.api.protobuf;

/**
 * One occurrence of a field on the protobuf wire.
 *
 * @param wireType {@link WireReader#VARINT}, {@link WireReader#FIXED64}, {@link WireReader#LEN} or {@link WireReader#FIXED32}
 * @param number   the value of a varint or fixed-width field
 * @param bytes    the payload of a length-delimited field (string, bytes, message, packed list), else null
 */
record WireValue(int wireType, long number, byte[] bytes) {
}

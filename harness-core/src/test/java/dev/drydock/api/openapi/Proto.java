package dev.drydock.api.openapi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A protobuf message read field by field, enough to check what {@link V2Protobuf} writes. */
final class Proto {

    private record Field(int number, int wireType, long varint, byte[] bytes) {
    }

    private final List<Field> fields = new ArrayList<>();

    private Proto() {
    }

    static Proto of(byte[] b) {
        Proto p = new Proto();
        int[] at = {0};
        while (at[0] < b.length) {
            long key = varint(b, at);
            int wire = (int) (key & 7);
            int number = (int) (key >>> 3);
            switch (wire) {
                case 0 -> p.fields.add(new Field(number, wire, varint(b, at), null));
                case 1 -> {
                    p.fields.add(new Field(number, wire, 0, Arrays.copyOfRange(b, at[0], at[0] + 8)));
                    at[0] += 8;
                }
                case 2 -> {
                    int len = (int) varint(b, at);
                    p.fields.add(new Field(number, wire, 0, Arrays.copyOfRange(b, at[0], at[0] + len)));
                    at[0] += len;
                }
                default -> throw new IllegalArgumentException("wire type " + wire + " of field " + number);
            }
        }
        return p;
    }

    private static long varint(byte[] b, int[] at) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[at[0]++];
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
    }

    List<Proto> messages(int number) {
        return fields.stream().filter(f -> f.number() == number).map(f -> of(f.bytes())).toList();
    }

    Proto message(int number) {
        List<Proto> all = messages(number);
        if (all.size() != 1) {
            throw new AssertionError(all.size() + " messages in field " + number);
        }
        return all.get(0);
    }

    List<String> strings(int number) {
        return fields.stream().filter(f -> f.number() == number)
                .map(f -> new String(f.bytes(), StandardCharsets.UTF_8)).toList();
    }

    /** The string in field {@code number}, or "" (proto3's default) if absent. */
    String string(int number) {
        List<String> all = strings(number);
        return all.isEmpty() ? "" : all.get(all.size() - 1);
    }
}

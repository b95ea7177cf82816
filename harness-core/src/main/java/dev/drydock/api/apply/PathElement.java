package dev.drydock.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.schema.GoFormat;
import dev.drydock.kube.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One step of a field path, as structured-merge-diff's {@code fieldpath.PathElement}: a field of a map
 * ({@code f:name}), the element of an associative list with these key values ({@code k:{"name":"nginx"}}), the
 * element of a set with this value ({@code v:"a"}), or an index ({@code i:0}, never made by drydock: atomic lists are
 * owned whole). Its serialized form, the key of {@code FieldsV1}, is canonical (keys sorted, numbers as Go writes
 * them), so two elements are equal when their serialized forms are. They order as kube orders them: fields, then
 * keys, then values, then indexes.
 */
public final class PathElement implements Comparable<PathElement> {

    /** What an element selects. Declared in kube's order. */
    public enum Kind { FIELD, KEY, VALUE, INDEX }

    private final Kind kind;
    private final String serialized;
    private final String name;
    /** KEY: the key fields sorted by name; VALUE: one entry with a null name. */
    private final List<Map.Entry<String, JsonNode>> values;
    private final int index;

    private PathElement(Kind kind, String serialized, String name, List<Map.Entry<String, JsonNode>> values,
                        int index) {
        this.kind = kind;
        this.serialized = serialized;
        this.name = name;
        this.values = values;
        this.index = index;
    }

    /** Field elements already made: the fields of kube's types, met on every write (bounded). */
    private static final java.util.concurrent.ConcurrentHashMap<String, PathElement> FIELDS =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CACHED_FIELDS = 4096;

    /** The field {@code name} of a map. */
    public static PathElement field(String name) {
        PathElement pe = FIELDS.get(name);
        if (pe == null) {
            pe = new PathElement(Kind.FIELD, "f:" + name, name, null, 0);
            if (FIELDS.size() < MAX_CACHED_FIELDS) {
                FIELDS.putIfAbsent(name, pe);
            }
        }
        return pe;
    }

    /** The element of an associative list whose key fields have these values (sorted here). */
    public static PathElement key(List<Map.Entry<String, JsonNode>> fields) {
        List<Map.Entry<String, JsonNode>> sorted = new ArrayList<>(fields);
        sorted.sort(Map.Entry.comparingByKey());
        StringBuilder s = new StringBuilder("k:{");
        for (int i = 0; i < sorted.size(); i++) {
            if (i > 0) {
                s.append(',');
            }
            writeString(s, sorted.get(i).getKey());
            s.append(':');
            writeValue(s, sorted.get(i).getValue());
        }
        return new PathElement(Kind.KEY, s.append('}').toString(), null, List.copyOf(sorted), 0);
    }

    /** The element of a set (an associative list of scalars) with this value. */
    public static PathElement value(JsonNode value) {
        StringBuilder s = new StringBuilder("v:");
        writeValue(s, value);
        return new PathElement(Kind.VALUE, s.toString(), null, List.of(Map.entry("", value)), 0);
    }

    /** The element at {@code index} of a list. */
    public static PathElement index(int index) {
        return new PathElement(Kind.INDEX, "i:" + index, null, null, index);
    }

    /**
     * Parses a key of {@code FieldsV1}.
     *
     * @return the element, or null for a type of element kube does not know either (it drops those)
     * @throws IllegalArgumentException for a malformed key
     */
    public static PathElement parse(String key) {
        if (key.length() < 2 || key.charAt(1) != ':') {
            throw new IllegalArgumentException("key must be 2 characters long: " + key);
        }
        String body = key.substring(2);
        switch (key.charAt(0)) {
            case 'f':
                return field(body);
            case 'i':
                try {
                    return index(Integer.parseInt(body));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid index " + key, e);
                }
            case 'v':
                return value(readJson(body));
            case 'k': {
                JsonNode obj = readJson(body);
                if (!obj.isObject()) {
                    throw new IllegalArgumentException("key of a list element is not an object: " + key);
                }
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = obj.properties().iterator(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    fields.add(Map.entry(e.getKey(), e.getValue()));
                }
                return key(fields);
            }
            default:
                return null;
        }
    }

    private static JsonNode readJson(String text) {
        try {
            JsonNode n = Json.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (n == null || n.isMissingNode()) {
                throw new IllegalArgumentException("empty value in path element");
            }
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid value in path element: " + text, e);
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The field's name; null for other kinds. */
    public String fieldName() {
        return name;
    }

    /** The key fields (sorted by name) of a {@link Kind#KEY} element; null for other kinds. */
    public List<Map.Entry<String, JsonNode>> keyFields() {
        return kind == Kind.KEY ? values : null;
    }

    /** The value of a {@link Kind#VALUE} element; null for other kinds. */
    public JsonNode value() {
        return kind == Kind.VALUE ? values.get(0).getValue() : null;
    }

    /** The key of {@code FieldsV1}: {@code f:spec}, {@code k:{"port":80,"protocol":"TCP"}}, {@code v:"a"}. */
    public String serialized() {
        return serialized;
    }

    @Override
    public int compareTo(PathElement o) {
        if (kind != o.kind) {
            return kind.compareTo(o.kind);
        }
        return switch (kind) {
            case FIELD -> name.compareTo(o.name);
            case INDEX -> Integer.compare(index, o.index);
            case VALUE -> compareValues(value(), o.value());
            case KEY -> {
                for (int i = 0; ; i++) {
                    if (i >= values.size() || i >= o.values.size()) {
                        yield Integer.compare(values.size(), o.values.size());
                    }
                    int c = values.get(i).getKey().compareTo(o.values.get(i).getKey());
                    if (c == 0) {
                        c = compareValues(values.get(i).getValue(), o.values.get(i).getValue());
                    }
                    if (c != 0) {
                        yield c;
                    }
                }
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathElement p && serialized.equals(p.serialized);
    }

    @Override
    public int hashCode() {
        return serialized.hashCode();
    }

    /** As kube prints it in a path: {@code .spec}, {@code [name="nginx"]}, {@code [=a]}, {@code [0]}. */
    @Override
    public String toString() {
        return switch (kind) {
            case FIELD -> "." + name;
            case INDEX -> "[" + index + "]";
            case VALUE -> "[=" + display(value()) + "]";
            case KEY -> {
                StringBuilder b = new StringBuilder("[");
                for (int i = 0; i < values.size(); i++) {
                    b.append(i > 0 ? "," : "").append(values.get(i).getKey()).append('=')
                            .append(display(values.get(i).getValue()));
                }
                yield b.append(']').toString();
            }
        };
    }

    /** A path as kube prints it: {@code .spec.template.spec.containers[name="nginx"].image}. */
    public static String toString(List<PathElement> path) {
        StringBuilder b = new StringBuilder();
        path.forEach(b::append);
        return b.toString();
    }

    /** A value as structured-merge-diff's {@code value.ToString}: strings quoted, numbers and booleans bare. */
    static String display(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            return GoFormat.quote(v.asText());
        }
        if (v.isIntegralNumber() || v.isNumber() && isIntegral(v.decimalValue())) {
            return v.decimalValue().toBigInteger().toString();
        }
        if (v.isNumber()) {
            return GoFormat.float64(v.doubleValue());
        }
        if (v.isArray()) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < v.size(); i++) {
                b.append(i > 0 ? "," : "").append(display(v.get(i)));
            }
            return b.append(']').toString();
        }
        if (v.isObject()) {
            StringBuilder b = new StringBuilder();
            v.properties().forEach(e -> b.append(e.getKey()).append('=').append(display(e.getValue())));
            return b.toString();
        }
        return v.asText();
    }

    /**
     * structured-merge-diff's {@code value.Compare}, a total order over values of any type: numbers (by value)
     * before strings, booleans, lists, maps, then null.
     */
    static int compareValues(JsonNode a, JsonNode b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        switch (ra) {
            case 0:
                return a.decimalValue().compareTo(b.decimalValue());
            case 1:
                return a.asText().compareTo(b.asText());
            case 2:
                return Boolean.compare(a.asBoolean(), b.asBoolean());
            case 3: {
                for (int i = 0; ; i++) {
                    if (i >= a.size() || i >= b.size()) {
                        return Integer.compare(a.size(), b.size());
                    }
                    int c = compareValues(a.get(i), b.get(i));
                    if (c != 0) {
                        return c;
                    }
                }
            }
            case 4: {
                List<String> ka = new ArrayList<>();
                a.fieldNames().forEachRemaining(ka::add);
                List<String> kb = new ArrayList<>();
                b.fieldNames().forEachRemaining(kb::add);
                ka.sort(null);
                kb.sort(null);
                for (int i = 0; ; i++) {
                    if (i >= ka.size() || i >= kb.size()) {
                        return Integer.compare(ka.size(), kb.size());
                    }
                    int c = ka.get(i).compareTo(kb.get(i));
                    if (c == 0) {
                        c = compareValues(a.get(ka.get(i)), b.get(kb.get(i)));
                    }
                    if (c != 0) {
                        return c;
                    }
                }
            }
            default:
                return 0;
        }
    }

    private static int rank(JsonNode v) {
        if (v == null || v.isNull()) {
            return 5;
        }
        if (v.isNumber()) {
            return 0;
        }
        if (v.isTextual()) {
            return 1;
        }
        if (v.isBoolean()) {
            return 2;
        }
        if (v.isArray()) {
            return 3;
        }
        return 4;
    }

    private static boolean isIntegral(BigDecimal d) {
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    /** A value as Go's {@code encoding/json} writes it (HTML characters escaped, integral numbers bare). */
    static void writeValue(StringBuilder s, JsonNode v) {
        if (v == null || v.isNull()) {
            s.append("null");
        } else if (v.isTextual()) {
            writeString(s, v.asText());
        } else if (v.isBoolean()) {
            s.append(v.asBoolean());
        } else if (v.isNumber()) {
            BigDecimal d = v.decimalValue();
            if (isIntegral(d)) {
                s.append(d.toBigInteger());
            } else {
                s.append(GoFormat.float64(d.doubleValue()));
            }
        } else if (v.isArray()) {
            s.append('[');
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) {
                    s.append(',');
                }
                writeValue(s, v.get(i));
            }
            s.append(']');
        } else if (v.isObject()) {
            List<String> keys = new ArrayList<>();
            v.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            s.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    s.append(',');
                }
                writeString(s, keys.get(i));
                s.append(':');
                writeValue(s, ((ObjectNode) v).get(keys.get(i)));
            }
            s.append('}');
        } else {
            writeString(s, v.asText());
        }
    }

    static void writeString(StringBuilder s, String text) {
        s.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> s.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }
}

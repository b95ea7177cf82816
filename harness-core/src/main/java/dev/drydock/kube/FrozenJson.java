package dev.drydock.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Read-only JSON trees, compact enough for caches that hold many objects (informers): an object's fields are kept in
 * two arrays in their order rather than a {@code LinkedHashMap} of entries, an array's elements in an immutable list,
 * string values are interned (a thousand pods repeat the same images, policies and paths), and objects with the same
 * field names share one array of them. A frozen tree is an
 * ordinary {@link ObjectNode} to its readers (it reads, compares, serializes and {@link JsonNode#deepCopy() copies}
 * as the tree it was made from), but any change to it throws {@link UnsupportedOperationException}: it may be shared
 * by every reader of the same object version, as client-go's informers share theirs (which one must not change
 * either; copy first).
 */
public final class FrozenJson {

    /** Strings longer than this are not interned: they are rarely repeated (certificates, scripts, blobs). */
    private static final int INTERNED_LENGTH = 64;
    /** Objects with more fields than this get a hash index for their look-ups. */
    private static final int INDEXED_SIZE = 16;

    /** How many distinct sets of field names are shared at most (objects of a kind repeat a few sets). */
    private static final int KEY_SETS = 4096;
    /** Each set of field names seen, in order: objects with the same fields share one array of names. */
    private static final ConcurrentHashMap<KeySet, String[]> KEYS = new ConcurrentHashMap<>();
    private static final FrozenObject EMPTY_OBJECT = new FrozenObject(new Fields(new String[0], new JsonNode[0]));
    private static final FrozenArray EMPTY_ARRAY = new FrozenArray(List.of());

    private FrozenJson() {
    }

    /** A read-only copy of {@code obj} (itself if it is frozen already). */
    public static ObjectNode freeze(ObjectNode obj) {
        return (ObjectNode) freezeNode(obj);
    }

    /** Whether {@code node} is a frozen tree's object or array. */
    public static boolean isFrozen(JsonNode node) {
        return node instanceof FrozenObject || node instanceof FrozenArray;
    }

    private static JsonNode freezeNode(JsonNode node) {
        if (node instanceof FrozenObject || node instanceof FrozenArray) {
            return node;
        }
        if (node instanceof ObjectNode o) {
            int n = o.size();
            if (n == 0) {
                return EMPTY_OBJECT;
            }
            String[] keys = new String[n];
            JsonNode[] values = new JsonNode[n];
            int i = 0;
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                keys[i] = e.getKey();
                values[i++] = freezeNode(e.getValue());
            }
            return new FrozenObject(new Fields(shared(keys), values));
        }
        if (node instanceof ArrayNode a) {
            if (a.isEmpty()) {
                return EMPTY_ARRAY;
            }
            JsonNode[] elements = new JsonNode[a.size()];
            for (int i = 0; i < elements.length; i++) {
                elements[i] = freezeNode(a.get(i));
            }
            return new FrozenArray(List.of(elements));
        }
        if (node instanceof TextNode t && t.textValue().length() <= INTERNED_LENGTH) {
            String s = t.textValue();
            String interned = s.intern();
            return interned == s ? t : TextNode.valueOf(interned);
        }
        return node; // the other value nodes are immutable
    }

    /** The array of these field names that objects share, or {@code keys} once {@value #KEY_SETS} sets are known. */
    private static String[] shared(String[] keys) {
        KeySet set = new KeySet(keys);
        String[] known = KEYS.get(set);
        if (known == null && KEYS.size() < KEY_SETS) {
            known = KEYS.putIfAbsent(set, keys);
        }
        return known == null ? keys : known;
    }

    /** Field names in order, compared by value. */
    private record KeySet(String[] keys) {
        @Override
        public boolean equals(Object o) {
            return o instanceof KeySet other && Arrays.equals(keys, other.keys);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(keys);
        }
    }

    /** An object node over fields that cannot change. */
    private static final class FrozenObject extends ObjectNode {
        private static final long serialVersionUID = 1L;

        FrozenObject(Fields fields) {
            super(JsonNodeFactory.instance, fields);
        }
    }

    /** An array node over an immutable list. */
    private static final class FrozenArray extends ArrayNode {
        private static final long serialVersionUID = 1L;

        FrozenArray(List<JsonNode> elements) {
            super(JsonNodeFactory.instance, elements);
        }
    }

    /** An immutable map that keeps its keys' order in two arrays; a hash index only for large objects. */
    private static final class Fields extends AbstractMap<String, JsonNode> {
        private final String[] keys;
        private final JsonNode[] values;
        private final HashMap<String, Integer> index;

        Fields(String[] keys, JsonNode[] values) {
            this.keys = keys;
            this.values = values;
            if (keys.length > INDEXED_SIZE) {
                index = new HashMap<>(keys.length * 2);
                for (int i = 0; i < keys.length; i++) {
                    index.put(keys[i], i);
                }
            } else {
                index = null;
            }
        }

        private int indexOf(Object key) {
            if (index != null) {
                Integer i = index.get(key);
                return i == null ? -1 : i;
            }
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] == key) { // field names are usually the parser's interned ones
                    return i;
                }
            }
            for (int i = 0; i < keys.length; i++) {
                if (keys[i].equals(key)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public JsonNode get(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : values[i];
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        public int size() {
            return keys.length;
        }

        @Override
        public boolean isEmpty() {
            return keys.length == 0;
        }

        @Override
        public Set<Entry<String, JsonNode>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, JsonNode>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < keys.length;
                        }

                        @Override
                        public Entry<String, JsonNode> next() {
                            if (next >= keys.length) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new SimpleImmutableEntry<>(keys[i], values[i]);
                        }
                    };
                }

                @Override
                public int size() {
                    return keys.length;
                }
            };
        }
    }
}

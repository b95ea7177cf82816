package dev.drydock.api.cache;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;

/**
 * A reader's own copy of a tree that many readers share and none may change, copied a level at a time as it is read:
 * reading {@code metadata.name} of a watch event copies the metadata's own fields, not its {@code managedFields} nor
 * the spec. Each reader's copy is its own: what it changes is in no other copy and not in the shared tree. Written
 * out, compared or deep-copied before being read, a level is the shared tree's, with no copy.
 *
 * <p>The shared tree is held by every copy that has not copied all of it: it must never change.
 */
final class CopyOnRead {

    private CopyOnRead() {
    }

    /** A copy of {@code shared} of the reader's own, made as it is read. */
    static JsonNode of(JsonNode shared) {
        if (shared instanceof ObjectNode o) {
            return new Obj(new Fields(o, null, null));
        }
        if (shared instanceof ArrayNode a) {
            return new Arr(new Items(a));
        }
        return shared == null ? null : shared.deepCopy(); // a value node is its own copy
    }

    /** {@link #of} an object with one field set (or added, last) in the copy: a watch event's resourceVersion. */
    static ObjectNode with(ObjectNode shared, String key, JsonNode value) {
        return new Obj(new Fields(shared, key, value));
    }

    /** An object whose fields are copied from a shared one as they are read. */
    static final class Obj extends ObjectNode {
        private static final long serialVersionUID = 1L;
        private final transient Fields fields;

        Obj(Fields fields) {
            super(JsonNodeFactory.instance, fields);
            this.fields = fields;
        }

        @Override
        public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
            ObjectNode untouched = fields.untouched();
            if (untouched != null) {
                untouched.serialize(g, provider);
            } else {
                super.serialize(g, provider);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public ObjectNode deepCopy() {
            ObjectNode untouched = fields.untouched();
            return untouched != null ? untouched.deepCopy() : super.deepCopy();
        }

        @Override
        public boolean equals(Object o) {
            ObjectNode untouched = fields.untouched();
            return untouched != null ? untouched.equals(o) : super.equals(o);
        }

        @Override
        public int hashCode() {
            ObjectNode untouched = fields.untouched();
            return untouched != null ? untouched.hashCode() : super.hashCode();
        }
    }

    /** An array whose items are copied from a shared one as they are read. */
    static final class Arr extends ArrayNode {
        private static final long serialVersionUID = 1L;
        private final transient Items items;

        Arr(Items items) {
            super(JsonNodeFactory.instance, items);
            this.items = items;
        }

        @Override
        public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
            ArrayNode untouched = items.untouched();
            if (untouched != null) {
                untouched.serialize(g, provider);
            } else {
                super.serialize(g, provider);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public ArrayNode deepCopy() {
            ArrayNode untouched = items.untouched();
            return untouched != null ? untouched.deepCopy() : super.deepCopy();
        }

        @Override
        public boolean equals(Object o) {
            ArrayNode untouched = items.untouched();
            return untouched != null ? untouched.equals(o) : super.equals(o);
        }

        @Override
        public int hashCode() {
            ArrayNode untouched = items.untouched();
            return untouched != null ? untouched.hashCode() : super.hashCode();
        }
    }

    /**
     * The fields of a copied object: a field read alone ({@link #get}) is copied alone; anything else copies every
     * field (each a copy made as it is read, in turn).
     */
    static final class Fields extends CopiedOneByOne {
        private final ObjectNode source;
        /** A field the copy has in place of (or after) the source's, or null. */
        private final String extraKey;
        private final JsonNode extraValue;
        /** The fields once all were copied; before that, those read one at a time (guarded by this). */
        private volatile LinkedHashMap<String, JsonNode> own;

        Fields(ObjectNode source, String extraKey, JsonNode extraValue) {
            this.source = source;
            this.extraKey = extraKey;
            this.extraValue = extraValue;
        }

        /** The source, while nothing of it has been read and it is the copy as it is; else null. */
        synchronized ObjectNode untouched() {
            return own == null && !anyCopied() && extraKey == null ? source : null;
        }

        private JsonNode sourceValue(String key) {
            return key.equals(extraKey) ? extraValue : source.get(key);
        }

        @Override
        public JsonNode get(Object key) {
            LinkedHashMap<String, JsonNode> m = own;
            if (m != null) {
                return m.get(key);
            }
            if (!(key instanceof String k)) {
                return null;
            }
            synchronized (this) {
                if (own != null) {
                    return own.get(k);
                }
                if (isCopied(k)) {
                    return copied(k);
                }
                JsonNode copy = of(sourceValue(k));
                keepCopy(k, copy);
                return copy;
            }
        }

        private Map<String, JsonNode> m() {
            LinkedHashMap<String, JsonNode> m = own;
            if (m != null) {
                return m;
            }
            synchronized (this) {
                if (own == null) {
                    LinkedHashMap<String, JsonNode> all = new LinkedHashMap<>();
                    for (Map.Entry<String, JsonNode> e : source.properties()) {
                        all.put(e.getKey(), copy(e.getKey()));
                    }
                    if (extraKey != null && !all.containsKey(extraKey)) {
                        all.put(extraKey, copy(extraKey));
                    }
                    forgetCopies();
                    own = all;
                }
                return own;
            }
        }

        private JsonNode copy(String key) {
            return isCopied(key) ? copied(key) : of(sourceValue(key));
        }

        @Override
        public Set<Entry<String, JsonNode>> entrySet() {
            return m().entrySet();
        }

        @Override
        public int size() {
            Map<String, JsonNode> m = own;
            if (m != null) {
                return m.size();
            }
            return source.size() + (extraKey != null && !source.has(extraKey) ? 1 : 0);
        }

        @Override
        public boolean containsKey(Object key) {
            Map<String, JsonNode> m = own;
            if (m != null) {
                return m.containsKey(key);
            }
            return key instanceof String k && (k.equals(extraKey) || source.has(k));
        }

        @Override
        public JsonNode put(String key, JsonNode value) {
            return m().put(key, value);
        }

        @Override
        public JsonNode remove(Object key) {
            return m().remove(key);
        }

        @Override
        public void clear() {
            m().clear();
        }
    }

    /** The items of a copied array: an item read ({@link #get}) is copied alone; a change copies them all. */
    static final class Items extends AbstractList<JsonNode> implements RandomAccess {
        private final ArrayNode source;
        private volatile ArrayList<JsonNode> own;
        /** Items copied one at a time before all were; kept, as they may have changed. */
        private JsonNode[] copied;

        Items(ArrayNode source) {
            this.source = source;
        }

        synchronized ArrayNode untouched() {
            return own == null && copied == null ? source : null;
        }

        @Override
        public JsonNode get(int index) {
            List<JsonNode> m = own;
            if (m != null) {
                return m.get(index);
            }
            synchronized (this) {
                if (own != null) {
                    return own.get(index);
                }
                Objects.checkIndex(index, source.size());
                if (copied == null) {
                    copied = new JsonNode[source.size()];
                }
                if (copied[index] == null) {
                    copied[index] = of(source.get(index));
                }
                return copied[index];
            }
        }

        @Override
        public int size() {
            List<JsonNode> m = own;
            return m != null ? m.size() : source.size();
        }

        private List<JsonNode> m() {
            List<JsonNode> m = own;
            if (m != null) {
                return m;
            }
            synchronized (this) {
                if (own == null) {
                    ArrayList<JsonNode> all = new ArrayList<>(source.size());
                    for (int i = 0; i < source.size(); i++) {
                        all.add(copied != null && copied[i] != null ? copied[i] : of(source.get(i)));
                    }
                    copied = null;
                    own = all;
                }
                return own;
            }
        }

        @Override
        public JsonNode set(int index, JsonNode element) {
            return m().set(index, element);
        }

        @Override
        public void add(int index, JsonNode element) {
            modCount++;
            m().add(index, element);
        }

        @Override
        public JsonNode remove(int index) {
            modCount++;
            return m().remove(index);
        }
    }
}

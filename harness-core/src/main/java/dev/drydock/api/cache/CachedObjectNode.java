package dev.drydock.api.cache;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.json.JsonGeneratorImpl;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.drydock.kube.Json;
import dev.drydock.kube.SharedObject;
import dev.drydock.store.KeyValue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A cached object handed out by a list or a watch event: an ordinary {@link ObjectNode} to whoever reads it, whose
 * tree is only built (parsed from the cached bytes, with its resourceVersion set) when it is first read. Serialized
 * before that, as it is for an HTTP client, it writes the cached bytes with the resourceVersion spliced into
 * {@code metadata}: no parse and no encode per object served, as kube's cacher serves cached encodings.
 *
 * <p>Each node is its reader's own: changing it changes no other node and not the cache.
 */
public final class CachedObjectNode extends ObjectNode implements SharedObject {

    private static final long serialVersionUID = 1L;

    private final transient LazyChildren lazy;

    /**
     * @param resourceVersion the resourceVersion the object carries (its mod revision, or for a DELETED event the
     *                        revision of the change that removed it)
     * @param conversion      applied to the parsed tree (the served form of a stored object), or null
     */
    public CachedObjectNode(CachedObject obj, long resourceVersion, UnaryOperator<ObjectNode> conversion) {
        this(new LazyChildren(obj, resourceVersion, conversion));
    }

    /**
     * A stored object as a node of its reader's own, parsed only when read: what a write or a read of one object
     * answers, so that an answer sent over HTTP as it is costs no parse and no encode.
     *
     * @param conversion applied to the parsed tree (the served form of a stored object), or null
     */
    public static CachedObjectNode ofStored(KeyValue kv, UnaryOperator<ObjectNode> conversion) {
        return new CachedObjectNode(CachedObject.stored(kv, conversion == null), kv.modRevision(), conversion);
    }

    private CachedObjectNode(LazyChildren lazy) {
        super(JsonNodeFactory.instance, lazy);
        this.lazy = lazy;
    }

    @Override
    public ObjectNode sharedWithoutManagedFields() {
        // a DELETED event's object carries the revision of the delete: the last state, which no cache keeps
        return lazy.resourceVersion == lazy.obj.modRevision
                ? lazy.obj.sharedWithoutManagedFields(lazy.conversion) : null;
    }

    @Override
    public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
        CachedObject obj = lazy.obj;
        if (lazy.read() || obj.metadataStart < 0 || !writesJsonAsIs(g, provider)) {
            // A tree already read (perhaps changed), or output the bytes would not be: the generic way.
            super.serialize(g, provider);
            return;
        }
        int split = obj.metadataStart + 1;
        byte[] rv = versionField(obj, lazy.resourceVersion);
        g.writeRawValue(new RawUtf8(obj.bytes, 0, split));
        g.writeRaw(new RawUtf8(rv, 0, rv.length));
        g.writeRaw(new RawUtf8(obj.bytes, split, obj.bytes.length));
    }

    /**
     * This node as the object of a watch event, one line of kube's JSON watch stream
     * ({@code {"type":"ADDED","object":{...}}} and a newline), the bytes {@link #serialize} would write: made once
     * for all the watchers of one event (the last line made is kept), which must not change them.
     *
     * @return the line, or null if the node is to be serialized the generic way (it has been read, or its bytes are
     *         not its served form)
     */
    public byte[] watchEventLine(String type) {
        CachedObject obj = lazy.obj;
        if (obj.metadataStart < 0 || lazy.read()) {
            return null;
        }
        EventLine last = lastLine;
        if (last != null && last.object == obj && last.resourceVersion == lazy.resourceVersion
                && last.type.equals(type)) {
            return last.bytes;
        }
        int split = obj.metadataStart + 1;
        byte[] rv = versionField(obj, lazy.resourceVersion);
        byte[] head = ("{\"type\":\"" + type + "\",\"object\":").getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[head.length + obj.bytes.length + rv.length + 2];
        System.arraycopy(head, 0, line, 0, head.length);
        System.arraycopy(obj.bytes, 0, line, head.length, split);
        System.arraycopy(rv, 0, line, head.length + split, rv.length);
        System.arraycopy(obj.bytes, split, line, head.length + split + rv.length, obj.bytes.length - split);
        line[line.length - 2] = '}';
        line[line.length - 1] = '\n';
        lastLine = new EventLine(obj, lazy.resourceVersion, type, line);
        return line;
    }

    /**
     * The resourceVersion field spliced into {@code obj}'s bytes just after the {@code {} that opens its metadata
     * (with a comma when other fields follow).
     */
    private static byte[] versionField(CachedObject obj, long resourceVersion) {
        Version v = version(resourceVersion);
        return obj.bytes[obj.metadataStart + 1] == '}' ? v.onlyField : v.firstField;
    }

    /** A watch event's line as {@link #watchEventLine} made it last. */
    private record EventLine(CachedObject object, long resourceVersion, String type, byte[] bytes) {
    }

    /** The last event line made: the one the next watchers of the same event send. */
    private static volatile EventLine lastLine;

    /**
     * A resourceVersion as the nodes of every watcher of an event put it in: the text node (immutable) and the JSON
     * field spliced into served bytes, made once for the thousand watchers of one event rather than by each.
     */
    private record Version(long revision, TextNode node, byte[] firstField, byte[] onlyField) {

        static Version of(long revision) {
            String field = "\"resourceVersion\":\"" + revision + "\"";
            return new Version(revision, TextNode.valueOf(Long.toString(revision)),
                    (field + ",").getBytes(StandardCharsets.US_ASCII), field.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** The last resourceVersion made: the one that events fanned out to many watchers carry, one after another. */
    private static volatile Version lastVersion = Version.of(0);

    private static Version version(long revision) {
        Version v = lastVersion;
        if (v.revision != revision) {
            v = Version.of(revision);
            lastVersion = v;
        }
        return v;
    }

    /**
     * Whether the stored bytes are what {@code g} would write: plain compact JSON (not YAML, CBOR or a token buffer
     * that a conversion reads back), nothing left out, nothing escaped or indented that the bytes have as is.
     */
    private static boolean writesJsonAsIs(JsonGenerator g, SerializerProvider provider) {
        return g instanceof JsonGeneratorImpl && g.getPrettyPrinter() == null && g.getCharacterEscapes() == null
                && !g.isEnabled(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature())
                && (provider == null || provider.isEnabled(SerializationFeature.WRITE_EMPTY_JSON_ARRAYS)
                        && provider.isEnabled(JsonNodeFeature.WRITE_NULL_PROPERTIES));
    }

    /**
     * The children of the node, copied from the object's shared tree (or parsed) on first use: one child alone for a
     * {@link #get} (a watcher that reads the name of each event copies the metadata, not the whole object), all of
     * them for anything else.
     */
    private static final class LazyChildren extends CopiedOneByOne {
        final CachedObject obj;
        final long resourceVersion;
        final UnaryOperator<ObjectNode> conversion;
        /** The children once all were copied (or parsed); before that, those read one at a time (guarded by this). */
        volatile LinkedHashMap<String, JsonNode> tree;

        LazyChildren(CachedObject obj, long resourceVersion, UnaryOperator<ObjectNode> conversion) {
            this.obj = obj;
            this.resourceVersion = resourceVersion;
            this.conversion = conversion;
        }

        /** Whether a reader has had any of the children (and may have changed them). */
        boolean read() {
            if (tree != null) {
                return true;
            }
            synchronized (this) {
                return anyCopied();
            }
        }

        private Map<String, JsonNode> m() {
            LinkedHashMap<String, JsonNode> t = tree;
            if (t == null) {
                synchronized (this) {
                    t = tree;
                    if (t == null) {
                        t = new LinkedHashMap<>();
                        if (obj.isPrivate()) {
                            ObjectNode parsed = obj.tree(conversion);
                            withVersion(Json.with(parsed, "metadata"));
                            for (Map.Entry<String, JsonNode> e : parsed.properties()) {
                                t.put(e.getKey(), e.getValue());
                            }
                        } else {
                            // Shared with other readers: each child copied as it is read.
                            for (Map.Entry<String, JsonNode> e : obj.shared(conversion).properties()) {
                                String k = e.getKey();
                                t.put(k, isCopied(k) ? copied(k) : own(k, e.getValue()));
                            }
                            if (!t.containsKey("metadata")) {
                                t.put("metadata", isCopied("metadata") ? copied("metadata") : own("metadata", null));
                            }
                            forgetCopies();
                        }
                        tree = t;
                    }
                }
            }
            return t;
        }

        /**
         * The reader's copy of a child of the shared tree, made as it is read: the metadata with the resourceVersion
         * (made if there is none).
         */
        private JsonNode own(String key, JsonNode shared) {
            if (!key.equals("metadata")) {
                return CopyOnRead.of(shared);
            }
            TextNode version = version(resourceVersion).node;
            return shared instanceof ObjectNode m ? CopyOnRead.with(m, "resourceVersion", version)
                    : JsonNodeFactory.instance.objectNode().set("resourceVersion", version);
        }

        private ObjectNode withVersion(ObjectNode meta) {
            return meta.put("resourceVersion", Long.toString(resourceVersion));
        }

        /** One child, copied alone from the shared tree while the others are not needed. */
        private JsonNode child(String key) {
            synchronized (this) {
                if (tree != null) {
                    return tree.get(key);
                }
                if (isCopied(key)) {
                    return copied(key);
                }
                JsonNode copy = own(key, obj.shared(conversion).get(key));
                keepCopy(key, copy);
                return copy;
            }
        }

        @Override
        public Set<Entry<String, JsonNode>> entrySet() {
            return m().entrySet();
        }

        @Override
        public Set<String> keySet() {
            return m().keySet();
        }

        @Override
        public Collection<JsonNode> values() {
            return m().values();
        }

        @Override
        public int size() {
            return m().size();
        }

        @Override
        public boolean isEmpty() {
            return m().isEmpty();
        }

        @Override
        public boolean containsKey(Object key) {
            return m().containsKey(key);
        }

        @Override
        public boolean containsValue(Object value) {
            return m().containsValue(value);
        }

        @Override
        public JsonNode get(Object key) {
            LinkedHashMap<String, JsonNode> t = tree;
            if (t != null) {
                return t.get(key);
            }
            return key instanceof String k && !obj.isPrivate() ? child(k) : m().get(key);
        }

        @Override
        public JsonNode getOrDefault(Object key, JsonNode defaultValue) {
            return m().getOrDefault(key, defaultValue);
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
        public void putAll(Map<? extends String, ? extends JsonNode> other) {
            m().putAll(other);
        }

        @Override
        public void clear() {
            m().clear();
        }

        @Override
        public JsonNode putIfAbsent(String key, JsonNode value) {
            return m().putIfAbsent(key, value);
        }

        @Override
        public boolean remove(Object key, Object value) {
            return m().remove(key, value);
        }

        @Override
        public boolean replace(String key, JsonNode oldValue, JsonNode newValue) {
            return m().replace(key, oldValue, newValue);
        }

        @Override
        public JsonNode replace(String key, JsonNode value) {
            return m().replace(key, value);
        }

        @Override
        public JsonNode computeIfAbsent(String key, Function<? super String, ? extends JsonNode> f) {
            return m().computeIfAbsent(key, f);
        }

        @Override
        public JsonNode computeIfPresent(String key,
                                         BiFunction<? super String, ? super JsonNode, ? extends JsonNode> f) {
            return m().computeIfPresent(key, f);
        }

        @Override
        public JsonNode compute(String key, BiFunction<? super String, ? super JsonNode, ? extends JsonNode> f) {
            return m().compute(key, f);
        }

        @Override
        public JsonNode merge(String key, JsonNode value,
                              BiFunction<? super JsonNode, ? super JsonNode, ? extends JsonNode> f) {
            return m().merge(key, value, f);
        }

        @Override
        public void forEach(BiConsumer<? super String, ? super JsonNode> action) {
            m().forEach(action);
        }

        @Override
        public void replaceAll(BiFunction<? super String, ? super JsonNode, ? extends JsonNode> f) {
            m().replaceAll(f);
        }

        @Override
        public boolean equals(Object o) {
            return m().equals(o);
        }

        @Override
        public int hashCode() {
            return m().hashCode();
        }

        @Override
        public String toString() {
            return m().toString();
        }
    }

    /** A slice of UTF-8 JSON written as it is. */
    private record RawUtf8(byte[] bytes, int from, int to) implements SerializableString {

        @Override
        public String getValue() {
            return new String(bytes, from, to - from, StandardCharsets.UTF_8);
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public char[] asQuotedChars() {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return Arrays.copyOfRange(bytes, from, to);
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            int length = to - from;
            if (offset + length > buffer.length) {
                return -1;
            }
            System.arraycopy(bytes, from, buffer, offset, length);
            return length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            String s = getValue();
            if (offset + s.length() > buffer.length) {
                return -1;
            }
            s.getChars(0, s.length(), buffer, offset);
            return s.length();
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(bytes, from, to - from);
            return to - from;
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            int length = to - from;
            if (length > buffer.remaining()) {
                return -1;
            }
            buffer.put(bytes, from, length);
            return length;
        }
    }
}

package dev.drydock.api.cache;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.FrozenJson;
import dev.drydock.kube.Json;
import dev.drydock.kube.LabelSelector;
import dev.drydock.store.KeyValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One object as the watch cache holds it (kube's {@code storeElement}): the store's serialized bytes, shared with the
 * store and never copied, and what selectors look at, read out once when the object was stored: its labels, its
 * selectable fields and its namespace. A list or watch event serves the bytes as they are (with the resourceVersion
 * put in), so the cache holds no decoded tree per object.
 */
public final class CachedObject {

    private static final String[] NO_LABELS = new String[0];
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    final String key;
    final byte[] bytes;
    final long modRevision;
    /** Interned; empty for a cluster-scoped object. */
    final String namespace;
    /** Label keys and values, alternating; values interned. */
    private final String[] labels;
    /** The values of the cache's selectable fields, in {@link CacheConfig#fieldNames()} order; interned. */
    private final String[] fields;
    /** The offset of the {@code {} that opens {@code metadata} in {@link #bytes}, or -1 to serve from a tree. */
    final int metadataStart;
    /** Whether the object is one reader's alone (see {@link #stored}), not shared through a cache. */
    private final boolean own;
    /**
     * The parsed (and converted) tree, while some reader still holds a copy of it (copies made as they are read,
     * {@link CopyOnRead}, hold the parts they have not copied): a change fanned out to many in-process watchers is
     * parsed once, and each copies what it reads, rather than each parsing the bytes. Weakly held, so the cache
     * itself keeps only bytes.
     */
    private volatile WeakReference<ObjectNode> parsed;
    /**
     * The frozen tree without managedFields that in-process informers share ({@link #sharedWithoutManagedFields}),
     * weakly held: kept alive by the informers that cache it, not by the cache.
     */
    private volatile WeakReference<ObjectNode> frozen;

    private CachedObject(String key, byte[] bytes, long modRevision, String namespace, String[] labels,
                         String[] fields, int metadataStart, boolean own) {
        this.key = key;
        this.bytes = bytes;
        this.modRevision = modRevision;
        this.namespace = namespace;
        this.labels = labels;
        this.fields = fields;
        this.metadataStart = metadataStart;
        this.own = own;
    }

    /** Reads what the cache needs out of a stored object: it is parsed once here, then dropped. */
    static CachedObject decode(KeyValue kv, CacheConfig config) {
        return decode(kv, config, null);
    }

    /**
     * @param written the tree the bytes were encoded from, read only from now on (see {@link WrittenTrees}), or null
     *                to parse them
     */
    static CachedObject decode(KeyValue kv, CacheConfig config, ObjectNode written) {
        ObjectNode obj = written != null ? written : Json.parseTrusted(kv.value());
        if (config.conversion() != null) {
            obj = config.conversion().apply(obj);
        }
        JsonNode meta = obj.path("metadata");
        List<String> labels = new ArrayList<>();
        for (Map.Entry<String, JsonNode> l : meta.path("labels").properties()) {
            if (!l.getValue().isNull()) {
                labels.add(l.getKey().intern());
                labels.add(l.getValue().asText().intern());
            }
        }
        String[] fields = new String[config.fields().size()];
        int i = 0;
        for (Function<JsonNode, String> f : config.fields().values()) {
            fields[i++] = f.apply(obj).intern();
        }
        String namespace = config.namespaceAndName(kv.key())[0].intern();
        // Bytes can be served as they are when they are the served form and lack a resourceVersion of their own.
        int metadataStart = config.conversion() == null && meta.isObject() && !meta.has("resourceVersion")
                ? metadataStart(kv.value()) : -1;
        CachedObject cached = new CachedObject(kv.key(), kv.value(), kv.modRevision(), namespace,
                labels.isEmpty() ? NO_LABELS : labels.toArray(NO_LABELS), fields, metadataStart, false);
        // The tree just parsed (and converted, as every reader of the cache converts) is the one in-process readers
        // copy while they read the event, rather than its first reader parsing the bytes again.
        cached.parsed = new WeakReference<>(obj);
        return cached;
    }

    /**
     * One stored object on its own, outside any cache (an object a write just stored, or a read just got): nothing
     * is read out of it for selectors, and its bytes are served as they are. The API server stores no resourceVersion
     * (it is the store's mod revision), so only the top level is scanned, for where {@code metadata} starts.
     *
     * @param servable whether the bytes are the served form (no conversion applies)
     */
    static CachedObject stored(KeyValue kv, boolean servable) {
        return new CachedObject(kv.key(), kv.value(), kv.modRevision(), "", NO_LABELS, NO_LABELS,
                servable ? metadataStart(kv.value()) : -1, true);
    }

    /** Whether this object is a reader's alone ({@link #stored}), so that its tree needs no copy. */
    boolean isPrivate() {
        return own;
    }

    /** The byte offset of the object that is the top-level {@code metadata} field, or -1. */
    private static int metadataStart(byte[] json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return -1;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("metadata")) {
                    return value == JsonToken.START_OBJECT ? (int) p.currentTokenLocation().getByteOffset() : -1;
                }
                p.skipChildren();
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tree of a {@linkplain #isPrivate private} object, the caller's own: parsed (and converted) from the bytes. */
    ObjectNode tree(UnaryOperator<ObjectNode> conversion) {
        ObjectNode own = Json.parseTrusted(bytes);
        return conversion == null ? own : conversion.apply(own);
    }

    /**
     * The tree every reader of this cached object copies from (parsed and converted now if no reader holds it):
     * never to be changed or handed out, only copied.
     */
    ObjectNode shared(UnaryOperator<ObjectNode> conversion) {
        WeakReference<ObjectNode> ref = parsed;
        ObjectNode shared = ref == null ? null : ref.get();
        if (shared == null) {
            shared = Json.parseTrusted(bytes);
            if (conversion != null) {
                shared = conversion.apply(shared);
            }
            parsed = new WeakReference<>(shared);
        }
        return shared;
    }

    /**
     * This version as one read-only tree, with its resourceVersion and without managedFields, the same instance for
     * every reader while one holds it (see {@link dev.drydock.kube.SharedObject}).
     */
    ObjectNode sharedWithoutManagedFields(UnaryOperator<ObjectNode> conversion) {
        if (isPrivate()) {
            return frozenWithoutManagedFields(tree(conversion));
        }
        WeakReference<ObjectNode> ref = frozen;
        ObjectNode tree = ref == null ? null : ref.get();
        if (tree == null) {
            synchronized (this) {
                ref = frozen;
                tree = ref == null ? null : ref.get();
                if (tree == null) {
                    tree = frozenWithoutManagedFields(shared(conversion));
                    frozen = new WeakReference<>(tree);
                }
            }
        }
        return tree;
    }

    /** A frozen copy of {@code tree} without managedFields, with the resourceVersion; {@code tree} is not changed. */
    private ObjectNode frozenWithoutManagedFields(ObjectNode tree) {
        ObjectNode root = Json.object().setAll(tree); // its children are copied by the freeze, not changed
        ObjectNode meta = Json.object();
        if (tree.get("metadata") instanceof ObjectNode m) {
            meta.setAll(m);
        }
        meta.remove("managedFields");
        meta.put("resourceVersion", Long.toString(modRevision));
        root.set("metadata", meta);
        return FrozenJson.freeze(root);
    }

    /** Whether the object's labels match {@code selector}. */
    boolean matches(LabelSelector selector) {
        return selector.matchesInterned(labels);
    }

    /** The value of the selectable field at {@code index} of {@link CacheConfig#fieldNames()}. */
    String field(int index) {
        return fields[index];
    }

    /** The object's name, from its key. */
    String name(CacheConfig config) {
        return config.namespaceAndName(key)[1];
    }

    /** The store key of the object. */
    public String key() {
        return key;
    }

    /** The store revision of the object's last change: its resourceVersion. */
    public long modRevision() {
        return modRevision;
    }
}

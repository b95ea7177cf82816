package dev.drydock.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Removes what a structural schema does not declare, as kube's pruning does, and says what it removed: fields not in
 * the schema (unless {@code x-kubernetes-preserve-unknown-fields}), and fields of ObjectMeta kube does not know, in
 * the resource's metadata and in embedded resources' metadata. The paths read {@code spec.foo},
 * {@code spec.list[0].bar}, {@code metadata.foo}.
 */
final class Pruning {

    private static final Set<String> META_FIELDS = Set.of("apiVersion", "kind", "metadata");

    /** The fields of kube's ObjectMeta, by JSON name. */
    static final Set<String> OBJECT_META = Set.of("name", "generateName", "namespace", "selfLink", "uid",
            "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
            "labels", "annotations", "ownerReferences", "finalizers", "managedFields");
    private static final Set<String> OWNER_REFERENCE = Set.of("apiVersion", "kind", "name", "uid", "controller",
            "blockOwnerDeletion");
    private static final Set<String> MANAGED_FIELDS_ENTRY = Set.of("manager", "operation", "apiVersion", "time",
            "fieldsType", "fieldsV1", "subresource");

    private final List<String> unknown = new ArrayList<>();

    private Pruning() {
    }

    /**
     * Prunes a custom resource in place (kube's {@code PruneWithOptions} with the resource root treated as embedded,
     * then the coercion of ObjectMeta).
     *
     * @return the pruned paths, sorted
     */
    static List<String> prune(ObjectNode obj, Schema s) {
        Pruning p = new Pruning();
        p.objectMeta("", obj);
        p.prune(obj, s, true, "");
        p.coerceEmbedded(obj, s, "");
        Collections.sort(p.unknown);
        return p.unknown;
    }

    /** Prunes a value (e.g. a default) against its schema, without tracking; {@code embedded} as at a resource root. */
    static void pruneValue(JsonNode value, Schema s, boolean embedded) {
        new Pruning().prune(value, s, embedded, "");
    }

    private void prune(JsonNode x, Schema s, boolean embedded, String path) {
        if (s != null && s.preserveUnknownFields()) {
            skipPrune(x, s, embedded, path);
            return;
        }
        if (x instanceof ObjectNode o) {
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if (s == null) {
                    unknown.add(Paths.child(path, k));
                    o.remove(k);
                    continue;
                }
                if ((embedded || s.embeddedResource) && META_FIELDS.contains(k)) {
                    continue;
                }
                Schema prop = s.property(k);
                if (prop != null) {
                    prune(o.get(k), prop, false, Paths.child(path, k));
                } else if (s.additionalPropertiesAllows != null) {
                    prune(o.get(k), s.additionalProperties, false, Paths.child(path, k));
                } else {
                    if (!META_FIELDS.contains(k) || !path.isEmpty()) {
                        unknown.add(Paths.child(path, k));
                    }
                    o.remove(k);
                }
            }
        } else if (x instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                prune(a.get(i), s == null ? null : s.items, false, path + "[" + i + "]");
            }
        }
    }

    private void skipPrune(JsonNode x, Schema s, boolean embedded, String path) {
        if (s == null) {
            return;
        }
        if (x instanceof ObjectNode o) {
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if ((embedded || s.embeddedResource) && META_FIELDS.contains(k)) {
                    continue;
                }
                Schema prop = s.property(k);
                if (prop != null) {
                    prune(o.get(k), prop, false, Paths.child(path, k));
                } else if (s.additionalPropertiesAllows != null) {
                    prune(o.get(k), s.additionalProperties, false, Paths.child(path, k));
                }
            }
        } else if (x instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                skipPrune(a.get(i), s.items, false, path + "[" + i + "]");
            }
        }
    }

    /** Embedded resources' metadata below the root, pruned to ObjectMeta. */
    private void coerceEmbedded(JsonNode x, Schema s, String path) {
        if (s == null) {
            return;
        }
        if (x instanceof ObjectNode o) {
            if (s.embeddedResource && !path.isEmpty()) {
                objectMeta(path, o);
            }
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                Schema prop = s.property(k);
                if (prop != null) {
                    coerceEmbedded(o.get(k), prop, Paths.child(path, k));
                } else if (s.additionalProperties != null) {
                    coerceEmbedded(o.get(k), s.additionalProperties, Paths.child(path, k));
                }
            }
        } else if (x instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                coerceEmbedded(a.get(i), s.items, path + "[" + i + "]");
            }
        }
    }

    /** Drops the fields of {@code obj.metadata} that ObjectMeta does not have (kube round-trips it through the type). */
    private void objectMeta(String path, ObjectNode obj) {
        if (!(obj.get("metadata") instanceof ObjectNode meta)) {
            return;
        }
        String prefix = Paths.child(path, "metadata");
        dropUnknown(meta, OBJECT_META, prefix);
        if (meta.get("ownerReferences") instanceof ArrayNode refs) {
            for (int i = 0; i < refs.size(); i++) {
                if (refs.get(i) instanceof ObjectNode ref) {
                    dropUnknown(ref, OWNER_REFERENCE, prefix + ".ownerReferences[" + i + "]");
                }
            }
        }
        if (meta.get("managedFields") instanceof ArrayNode entries) {
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i) instanceof ObjectNode entry) {
                    dropUnknown(entry, MANAGED_FIELDS_ENTRY, prefix + ".managedFields[" + i + "]");
                }
            }
        }
        if (!path.isEmpty() && meta.has("creationTimestamp") && meta.get("creationTimestamp").isNull()) {
            meta.remove("creationTimestamp");
        }
    }

    private void dropUnknown(ObjectNode o, Set<String> known, String prefix) {
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            if (!known.contains(k)) {
                unknown.add(prefix + "." + k);
                o.remove(k);
            }
        }
    }
}

package dev.drydock.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fields a create gives its manager, walked straight from the new object into {@code FieldsV1}: exactly what
 * {@link Typed#compare} from an empty object gives as changed, less the metadata no manager owns, encoded as
 * {@link FieldSet#toFieldsV1} encodes it, but without a comparison, a trie and a set built on the way (a create is
 * the API server's commonest write). Zero structs, empty maps and lists, atomic ones, associative lists and their
 * duplicate items are treated as the general comparison treats them; for the rare shapes it does not mirror (items
 * of a list whose keys order as equal but are written differently, a root that is not a granular map), it answers
 * null and the caller takes the general path. {@code FieldManagerTest} checks it against the general path.
 */
final class CreatedFields {

    /** The top-level fields no manager owns, and below {@code metadata}, kube's {@code stripMetaManager}'s. */
    private static final List<String> STRIPPED_TOP = List.of("apiVersion", "kind", "metadata");
    private static final List<String> STRIPPED_META = List.of("name", "namespace", "creationTimestamp", "selfLink",
            "uid", "clusterName", "generation", "managedFields", "resourceVersion");

    private CreatedFields() {
    }

    /** Raised for a shape left to the general comparison (no stack: it is a signal, not an error). */
    private static final class Unusual extends RuntimeException {
        static final Unusual INSTANCE = new Unusual();

        private Unusual() {
            super(null, null, false, false);
        }
    }

    /**
     * The {@code FieldsV1} of the fields a create of {@code obj} (which has no {@code managedFields}) gives its
     * manager in the top-level fields {@code scope} names ({@code {}} for none), or null when the general path must
     * be taken.
     */
    static ObjectNode of(Type t, ObjectNode obj, Typed.Scope scope) {
        if (t.map == null || t.map.atomic()) {
            return null;
        }
        try {
            ObjectNode root = Json.object();
            for (String k : sortedNames(obj)) {
                if (scope.includes(k)) {
                    ObjectNode child = field(t.map, k, obj.get(k));
                    if (child != null) {
                        root.set(PathElement.field(k).serialized(), child);
                    }
                }
            }
            strip(root, STRIPPED_TOP);
            if (root.get("f:metadata") instanceof ObjectNode meta) {
                strip(meta, STRIPPED_META);
                if (meta.isEmpty()) {
                    root.remove("f:metadata");
                }
            }
            return root;
        } catch (Unusual u) {
            return null;
        }
    }

    /** {@code FieldSet.difference} of member paths: each named child stops being a member, and goes if it is empty. */
    private static void strip(ObjectNode node, List<String> names) {
        for (String name : names) {
            String key = "f:" + name;
            JsonNode child = node.get(key);
            if (child instanceof ObjectNode c) {
                c.remove(".");
                if (c.isEmpty()) {
                    node.remove(key);
                }
            }
        }
    }

    /** A field of a map, as {@code Typed.compareField} compares it from absent. */
    private static ObjectNode field(Type.MapType m, String key, JsonNode value) {
        Type t = Typed.typeOf(m.field(key));
        if (!m.zeroStructs().contains(key)) {
            return added(t, value);
        }
        // A struct Go always holds: compared from {}, so it is changed, not added, and only its fields count.
        if (value.isObject() && value.isEmpty()) {
            return null;
        }
        if (value.isObject() && t.map != null && !t.map.atomic()) {
            return children(t.map, (ObjectNode) value, false);
        }
        return Json.object();
    }

    /** A value that is new (there was none before): always a member, with what it holds. */
    private static ObjectNode added(Type t, JsonNode v) {
        switch (Typed.part(t, v)) {
            case MAP -> {
                if (t.map.atomic() || Typed.emptyOrAbsent(v)) {
                    return Json.object();
                }
                return children(t.map, (ObjectNode) v, true);
            }
            case LIST -> {
                if (t.list.atomic() || Typed.emptyOrAbsent(v)) {
                    return Json.object();
                }
                return items(t.list, v);
            }
            default -> {
                return Json.object();
            }
        }
    }

    /** A map's node: its fields in kube's order, {@code "."} first when it is a member with fields. */
    private static ObjectNode children(Type.MapType m, ObjectNode v, boolean member) {
        ObjectNode out = Json.object();
        for (String k : sortedNames(v)) {
            ObjectNode child = field(m, k, v.get(k));
            if (child != null) {
                if (member && out.isEmpty()) {
                    out.putObject(".");
                }
                out.set(PathElement.field(k).serialized(), child);
            }
        }
        return out.isEmpty() && !member ? null : out;
    }

    /** An associative list's node: its items by path element, an item given twice owned whole. */
    private static ObjectNode items(Type.ListType t, JsonNode list) {
        Type element = t.element().get();
        Map<PathElement, JsonNode> first = new LinkedHashMap<>();
        Map<PathElement, Boolean> repeated = new java.util.HashMap<>();
        for (JsonNode item : list) {
            PathElement pe;
            try {
                pe = Typed.itemElement(t, element, item);
            } catch (IllegalArgumentException e) {
                continue; // not keyed: the comparison leaves it out
            }
            if (first.putIfAbsent(pe, item) != null) {
                repeated.put(pe, true);
            }
        }
        TreeMap<PathElement, ObjectNode> sorted = new TreeMap<>();
        for (Map.Entry<PathElement, JsonNode> e : first.entrySet()) {
            ObjectNode child = repeated.containsKey(e.getKey()) ? Json.object() : added(element, e.getValue());
            if (sorted.put(e.getKey(), child) != null) {
                throw Unusual.INSTANCE; // two elements written differently that order as one: the trie merges them
            }
        }
        ObjectNode out = Json.object();
        if (!sorted.isEmpty()) {
            out.putObject(".");
            sorted.forEach((pe, child) -> out.set(pe.serialized(), child));
        }
        return out;
    }

    private static String[] sortedNames(JsonNode obj) {
        String[] names = new String[obj.size()];
        int i = 0;
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            names[i++] = it.next();
        }
        Arrays.sort(names);
        return names;
    }
}

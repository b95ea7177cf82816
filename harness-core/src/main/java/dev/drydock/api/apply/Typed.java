package dev.drydock.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Objects walked by their {@link Type}, as structured-merge-diff's {@code typed} package walks them: the set of
 * fields an object sets (checking it against its schema, for an applied configuration), what changed between two
 * objects, an applied configuration merged into an object, and items removed from an object.
 *
 * <p>Values are JSON trees; a Java {@code null} is an absent value, a {@code NullNode} a present {@code null}.
 */
final class Typed {

    private Typed() {
    }

    /** The part of a type a value takes: its map for an object, its list for an array, else its scalar. */
    enum Part { MAP, LIST, SCALAR, NONE }

    static Part part(Type t, JsonNode v) {
        if (v == null || v.isNull()) {
            return t.map != null ? Part.MAP : t.scalar ? Part.SCALAR : t.list != null ? Part.LIST : Part.NONE;
        }
        if (v.isObject()) {
            return t.map != null ? Part.MAP : Part.NONE;
        }
        if (v.isArray()) {
            return t.list != null ? Part.LIST : Part.NONE;
        }
        return t.scalar ? Part.SCALAR : Part.NONE;
    }

    static boolean emptyOrAbsent(JsonNode v) {
        return v == null || v.isNull() || (v.isContainerNode() && v.isEmpty());
    }

    private static List<PathElement> append(List<PathElement> path, PathElement pe) {
        List<PathElement> p = new ArrayList<>(path.size() + 1);
        p.addAll(path);
        p.add(pe);
        return p;
    }

    static Type typeOf(Type.Ref ref) {
        return ref == null ? Type.DEDUCED : ref.get();
    }

    // ---- the field set of an object, and the checks of an applied configuration

    /** Errors found in an applied configuration, each with its path, worded as structured-merge-diff words them. */
    static final class Errors {
        private final List<String> messages = new ArrayList<>();

        void add(List<PathElement> path, String message) {
            String at = PathElement.toString(path);
            messages.add(at.isEmpty() ? message : at + ": " + message);
        }

        boolean any() {
            return !messages.isEmpty();
        }

        /** structured-merge-diff's {@code ValidationErrors.Error()}. */
        @Override
        public String toString() {
            if (messages.size() == 1) {
                return messages.get(0);
            }
            StringBuilder b = new StringBuilder("errors:");
            messages.forEach(m -> b.append("\n  ").append(m));
            return b.toString();
        }
    }

    /** The fields {@code v} sets, as kube's {@code ToFieldSet}; values that do not fit the type are owned whole. */
    static FieldSet toFieldSet(Type t, JsonNode v) {
        FieldSet.Builder b = new FieldSet.Builder();
        fieldSet(t, v, List.of(), b, null);
        return b.build();
    }

    /**
     * The fields an applied configuration sets, checked against its type as kube's typed conversion of an apply patch
     * checks it (fields not declared, list elements without their keys, duplicate keys...): errors go to
     * {@code errors} and the set is then of no use.
     */
    static FieldSet toFieldSetChecked(Type t, JsonNode v, Errors errors) {
        FieldSet.Builder b = new FieldSet.Builder();
        fieldSet(t, v, List.of(), b, errors);
        return b.build();
    }

    private static void fieldSet(Type t, JsonNode v, List<PathElement> path, FieldSet.Builder b, Errors errors) {
        switch (part(t, v)) {
            case MAP -> mapFieldSet(t.map, v, path, b, errors);
            case LIST -> listFieldSet(t.list, v, path, b, errors);
            case SCALAR -> insert(b, path);
            case NONE -> {
                if (errors != null) {
                    errors.add(path, "expected " + expected(t) + ", got " + PathElement.display(v));
                } else {
                    insert(b, path);
                }
            }
        }
    }

    private static String expected(Type t) {
        return t.map != null ? "map" : t.list != null ? "list" : "scalar";
    }

    private static void insert(FieldSet.Builder b, List<PathElement> path) {
        if (!path.isEmpty()) {
            b.insert(path);
        }
    }

    private static void mapFieldSet(Type.MapType t, JsonNode v, List<PathElement> path, FieldSet.Builder b,
                                    Errors errors) {
        if (t.atomic()) {
            insert(b, path);
            if (errors != null && v != null && v.isObject()) {
                v.properties().forEach(e -> {
                    Type.Ref ref = t.field(e.getKey());
                    if (ref != null) {
                        fieldSet(ref.get(), e.getValue(), append(path, PathElement.field(e.getKey())),
                                new FieldSet.Builder(), errors);
                    }
                });
            }
            return;
        }
        if (v == null || !v.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            PathElement pe = PathElement.field(e.getKey());
            List<PathElement> at = append(path, pe);
            Type.Ref ref = t.field(e.getKey());
            if (ref == null && errors != null) {
                errors.add(at, "field not declared in schema");
                return; // kube stops at the first undeclared field of a map
            }
            JsonNode val = e.getValue();
            fieldSet(typeOf(ref), val, at, b, errors);
            if (val.isNull() || val.isObject() && val.isEmpty() || !t.fields().containsKey(e.getKey())) {
                b.insert(at);
            }
        }
    }

    private static void listFieldSet(Type.ListType t, JsonNode v, List<PathElement> path, FieldSet.Builder b,
                                     Errors errors) {
        if (t.atomic()) {
            insert(b, path);
            if (errors != null && v != null && v.isArray()) {
                for (int i = 0; i < v.size(); i++) {
                    fieldSet(t.element().get(), v.get(i), append(path, PathElement.index(i)), new FieldSet.Builder(),
                            errors);
                }
            }
            return;
        }
        if (v == null || !v.isArray()) {
            return;
        }
        Type element = t.element().get();
        List<PathElement> pes = new ArrayList<>(v.size());
        Set<PathElement> seen = new HashSet<>();
        Set<PathElement> duplicates = new HashSet<>();
        for (int i = 0; i < v.size(); i++) {
            PathElement pe;
            try {
                pe = itemElement(t, element, v.get(i));
            } catch (IllegalArgumentException e) {
                if (errors != null) {
                    errors.add(path, "element " + i + ": " + e.getMessage());
                    return;
                }
                pe = PathElement.index(i); // not owned by key: kept as it is
            }
            if (!seen.add(pe)) {
                if (errors != null) {
                    errors.add(path, "duplicate entries for key " + pe);
                } else if (duplicates.add(pe)) {
                    b.insert(path, pe);
                }
            }
            pes.add(pe);
        }
        for (int i = 0; i < v.size(); i++) {
            PathElement pe = pes.get(i);
            if (duplicates.contains(pe)) {
                continue;
            }
            List<PathElement> at = append(path, pe);
            fieldSet(element, v.get(i), at, b, errors);
            b.insert(at);
        }
    }

    /**
     * The path element of an item of an associative list: its key fields (absent ones taking their defaults) or,
     * in a set, its value.
     *
     * @throws IllegalArgumentException with structured-merge-diff's words when the item cannot have one
     */
    static PathElement itemElement(Type.ListType t, Type element, JsonNode item) {
        if (!t.keys().isEmpty()) {
            if (item == null || item.isNull()) {
                throw new IllegalArgumentException("associative list with keys may not have a null element");
            }
            if (!item.isObject()) {
                throw new IllegalArgumentException("associative list with keys may not have non-map elements");
            }
            List<Map.Entry<String, JsonNode>> key = new ArrayList<>(t.keys().size());
            for (String field : t.keys()) {
                JsonNode val = item.get(field);
                if (val == null && element.map != null) {
                    val = element.map.defaults().get(field);
                }
                if (val == null) {
                    throw new IllegalArgumentException("associative list with keys has an element that omits key "
                            + "field " + dev.drydock.api.schema.GoFormat.quote(field)
                            + " (and doesn't have default value)");
                }
                key.add(Map.entry(field, val));
            }
            return PathElement.key(key);
        }
        if (item == null || item.isNull()) {
            throw new IllegalArgumentException("associative list without keys has an element that's an explicit "
                    + "null");
        }
        if (item.isObject()) {
            throw new IllegalArgumentException("associative list without keys has an element that's a map type");
        }
        if (item.isArray()) {
            throw new IllegalArgumentException("not supported: associative list with lists as elements");
        }
        return PathElement.value(item);
    }

    // ---- comparison

    /** What changed from one object to another, as structured-merge-diff's {@code Comparison}. */
    record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {

        boolean isEmpty() {
            return added.isEmpty() && modified.isEmpty() && removed.isEmpty();
        }

        /** The fields added or changed. */
        FieldSet changed() {
            return added.union(modified);
        }

        /** Every field added, changed or removed. */
        FieldSet all() {
            return added.union(modified).union(removed);
        }
    }

    /** Which top-level fields a comparison looks at. */
    interface Scope {
        boolean includes(String topLevelField);
    }

    static final Scope EVERYTHING = f -> true;

    private static final int ADDED = 0;
    private static final int MODIFIED = 1;
    private static final int REMOVED = 2;

    private static final class Compare {
        final FieldSet.Builder[] sets = {new FieldSet.Builder(), new FieldSet.Builder(), new FieldSet.Builder()};
        boolean any;

        void add(int which, Cursor at) {
            if (at.parent != null) {
                at.node(which, this).member = true;
                any = true;
            }
        }
    }

    /**
     * Where a comparison is: a path kept as a chain of its elements, whose nodes in the result sets are made only
     * when something is recorded below it (so recording is not a walk from the root each time).
     */
    private static final class Cursor {
        final Cursor parent;
        final PathElement element;
        private final FieldSet.Builder.Node[] nodes = new FieldSet.Builder.Node[3];

        Cursor(Cursor parent, PathElement element) {
            this.parent = parent;
            this.element = element;
        }

        FieldSet.Builder.Node node(int which, Compare c) {
            FieldSet.Builder.Node n = nodes[which];
            if (n == null) {
                n = parent == null ? c.sets[which].root() : parent.node(which, c).child(element);
                nodes[which] = n;
            }
            return n;
        }
    }

    /**
     * What changed from {@code lhs} to {@code rhs}, both objects of type {@code t}, in the top-level fields
     * {@code scope} names; {@code metadata.managedFields} are not looked at.
     */
    static Comparison compare(Type t, ObjectNode lhs, ObjectNode rhs, Scope scope) {
        Compare c = new Compare();
        Cursor root = new Cursor(null, null);
        if (t.map != null && !t.map.atomic()) {
            for (Iterator<String> it = lhs.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                compareTopLevel(t, k, lhs.get(k), rhs.get(k), scope, root, c);
            }
            for (Iterator<String> it = rhs.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!lhs.has(k)) {
                    compareTopLevel(t, k, null, rhs.get(k), scope, root, c);
                }
            }
        } else {
            compare(t, lhs, rhs, root, c);
        }
        if (!c.any) {
            FieldSet none = FieldSet.empty();
            return new Comparison(none, none, none);
        }
        return new Comparison(c.sets[ADDED].build(), c.sets[MODIFIED].build(), c.sets[REMOVED].build());
    }

    private static void compareTopLevel(Type t, String k, JsonNode l, JsonNode r, Scope scope, Cursor root,
                                        Compare c) {
        if (!scope.includes(k)) {
            return;
        }
        if (k.equals("metadata") && (l != null && l.has("managedFields") || r != null && r.has("managedFields"))) {
            compareMetadata(t.map, l, r, root, c);
        } else {
            compareField(t.map, k, l, r, root, c);
        }
    }

    /** The comparison of the metadata, its {@code managedFields} left out (without copying either object). */
    private static void compareMetadata(Type.MapType root, JsonNode l, JsonNode r, Cursor at, Compare c) {
        if (l == null || r == null || !l.isObject() || !r.isObject()) {
            compareField(root, "metadata", l == null ? null : withoutManagedFields(l),
                    r == null ? null : withoutManagedFields(r), at, c);
            return;
        }
        Type meta = typeOf(root.field("metadata"));
        if (meta.map == null || meta.map.atomic()) {
            compareField(root, "metadata", withoutManagedFields(l), withoutManagedFields(r), at, c);
            return;
        }
        Cursor path = new Cursor(at, PathElement.field("metadata"));
        for (Iterator<String> it = l.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("managedFields")) {
                compareField(meta.map, k, l.get(k), r.get(k), path, c);
            }
        }
        for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("managedFields") && !l.has(k)) {
                compareField(meta.map, k, null, r.get(k), path, c);
            }
        }
    }

    private static JsonNode withoutManagedFields(JsonNode meta) {
        if (!meta.isObject() || !meta.has("managedFields")) {
            return meta;
        }
        ObjectNode copy = ((ObjectNode) meta).deepCopy();
        copy.remove("managedFields");
        return copy;
    }

    private static void compareField(Type.MapType t, String key, JsonNode l, JsonNode r, Cursor at, Compare c) {
        if (t.zeroStructs().contains(key)) {
            // A struct Go always holds: absent reads as {}, as kube's typed objects have it.
            if (l == null) {
                l = Json.object();
            }
            if (r == null) {
                r = Json.object();
            }
        }
        compare(typeOf(t.field(key)), l, r, new Cursor(at, PathElement.field(key)), c);
    }

    private static void compare(Type t, JsonNode l, JsonNode r, Cursor at, Compare c) {
        if (l != null && r != null && l.equals(r)) {
            return; // the same JSON: nothing changed below (the common case, and cheaper than the typed walk)
        }
        if (l != null && r != null && l.isContainerNode() != r.isContainerNode()
                || l != null && r != null && l.isContainerNode() && l.isObject() != r.isObject()) {
            leaf(l, r, at, c); // a value that changed its shape changed whole
            return;
        }
        JsonNode v = r != null ? r : l;
        switch (part(t, v)) {
            case MAP -> {
                if (t.map.atomic() || emptyOrAbsent(l) && emptyOrAbsent(r)) {
                    leaf(l, r, at, c);
                    return;
                }
                if (l != null && l.isObject()) {
                    for (Iterator<String> it = l.fieldNames(); it.hasNext(); ) {
                        String k = it.next();
                        compareField(t.map, k, l.get(k), r == null ? null : r.get(k), at, c);
                    }
                }
                if (r != null && r.isObject()) {
                    for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
                        String k = it.next();
                        if (l == null || !l.has(k)) {
                            compareField(t.map, k, null, r.get(k), at, c);
                        }
                    }
                }
            }
            case LIST -> {
                if (t.list.atomic() || emptyOrAbsent(l) && emptyOrAbsent(r)) {
                    leaf(l, r, at, c);
                    return;
                }
                compareItems(t.list, l, r, at, c);
            }
            default -> {
                leaf(l, r, at, c);
                return;
            }
        }
        if (l == null) {
            c.add(ADDED, at);
        } else if (r == null) {
            c.add(REMOVED, at);
        }
    }

    private static void leaf(JsonNode l, JsonNode r, Cursor at, Compare c) {
        if (l == null) {
            c.add(ADDED, at);
        } else if (r == null) {
            c.add(REMOVED, at);
        } else if (!valueEquals(l, r)) {
            c.add(MODIFIED, at);
        }
    }

    private static void compareItems(Type.ListType t, JsonNode l, JsonNode r, Cursor at, Compare c) {
        Type element = t.element().get();
        Map<PathElement, List<JsonNode>> left = index(t, element, l);
        Map<PathElement, List<JsonNode>> right = index(t, element, r);
        Set<PathElement> all = new java.util.LinkedHashSet<>(left.keySet());
        all.addAll(right.keySet());
        for (PathElement pe : all) {
            List<JsonNode> ls = left.getOrDefault(pe, List.of());
            List<JsonNode> rs = right.getOrDefault(pe, List.of());
            Cursor item = new Cursor(at, pe);
            if (ls.size() <= 1 && rs.size() <= 1) {
                compare(element, ls.isEmpty() ? null : ls.get(0), rs.isEmpty() ? null : rs.get(0), item, c);
            } else if (ls.size() >= 2 && rs.size() >= 2) {
                boolean same = ls.size() == rs.size();
                for (int i = 0; same && i < ls.size(); i++) {
                    same = valueEquals(ls.get(i), rs.get(i));
                }
                if (!same) {
                    c.add(MODIFIED, item);
                }
            } else if (ls.size() >= 2) {
                if (!rs.isEmpty()) {
                    compare(element, null, rs.get(0), item, c);
                }
                c.add(REMOVED, item);
            } else {
                if (!ls.isEmpty()) {
                    compare(element, ls.get(0), null, item, c);
                }
                c.add(ADDED, item);
            }
        }
    }

    /** The items of an associative list by path element (duplicates together); items without one are left out. */
    private static Map<PathElement, List<JsonNode>> index(Type.ListType t, Type element, JsonNode list) {
        Map<PathElement, List<JsonNode>> out = new LinkedHashMap<>();
        if (list == null || !list.isArray()) {
            return out;
        }
        for (JsonNode item : list) {
            try {
                out.computeIfAbsent(itemElement(t, element, item), k -> new ArrayList<>(1)).add(item);
            } catch (IllegalArgumentException e) {
                // an item kube could not key: not compared (kube's walk reports it and goes on)
            }
        }
        return out;
    }

    /** Values equal as structured-merge-diff's {@code value.Equals} sees them: numbers by value. */
    static boolean valueEquals(JsonNode a, JsonNode b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!valueEquals(e.getValue(), b.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!valueEquals(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    // ---- merge of an applied configuration

    /**
     * {@code rhs} (an applied configuration) merged into {@code lhs} (the live object) as structured-merge-diff
     * merges: granular maps field by field, associative lists item by item (in the live order, new items where the
     * configuration puts them), anything else replaced. A {@code null} the configuration sets leaves the field unset.
     * Returns null when the result is absent.
     */
    static JsonNode merge(Type t, JsonNode lhs, JsonNode rhs) {
        if (rhs == null) {
            return lhs;
        }
        if (lhs != null && (lhs.isContainerNode() != rhs.isContainerNode()
                || lhs.isContainerNode() && lhs.isObject() != rhs.isObject())) {
            lhs = null; // a new shape replaces the old one
        }
        switch (part(t, rhs)) {
            case MAP -> {
                if (t.map.atomic() || emptyOrAbsent(lhs) && emptyOrAbsent(rhs)) {
                    return rhs.isNull() ? null : rhs;
                }
                ObjectNode out = Json.object();
                if (lhs != null && lhs.isObject()) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = lhs.properties().iterator(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        JsonNode m = merge(typeOf(t.map.field(e.getKey())), e.getValue(),
                                rhs.isObject() ? rhs.get(e.getKey()) : null);
                        if (m != null) {
                            out.set(e.getKey(), m);
                        }
                    }
                }
                if (rhs.isObject()) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = rhs.properties().iterator(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        if (lhs == null || !lhs.has(e.getKey())) {
                            JsonNode m = merge(typeOf(t.map.field(e.getKey())), null, e.getValue());
                            if (m != null) {
                                out.set(e.getKey(), m);
                            }
                        }
                    }
                }
                return out.isEmpty() ? null : out;
            }
            case LIST -> {
                if (t.list.atomic() || emptyOrAbsent(lhs) && emptyOrAbsent(rhs)) {
                    return rhs.isNull() ? null : rhs;
                }
                ArrayNode out = mergeItems(t.list, lhs, rhs);
                return out.isEmpty() ? null : out;
            }
            default -> {
                return rhs.isNull() ? null : rhs;
            }
        }
    }

    /** structured-merge-diff's {@code visitListItems} of a merge: the order of items it keeps. */
    private static ArrayNode mergeItems(Type.ListType t, JsonNode lhs, JsonNode rhs) {
        Type element = t.element().get();
        List<PathElement> rPes = new ArrayList<>();
        Map<PathElement, JsonNode> rObserved = new HashMap<>();
        if (rhs != null && rhs.isArray()) {
            for (JsonNode item : rhs) {
                PathElement pe = itemElement(t, element, item); // checked before: it has one
                if (rObserved.putIfAbsent(pe, item) == null) {
                    rPes.add(pe);
                }
            }
        }
        List<PathElement> lPes = new ArrayList<>();
        List<JsonNode> lItems = new ArrayList<>();
        Map<PathElement, JsonNode> lObserved = new HashMap<>();
        if (lhs != null && lhs.isArray()) {
            for (JsonNode item : lhs) {
                PathElement pe;
                try {
                    pe = itemElement(t, element, item);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (lObserved.containsKey(pe)) {
                    lObserved.put(pe, com.fasterxml.jackson.databind.node.NullNode.instance); // duplicates: not merged
                } else {
                    lObserved.put(pe, item);
                }
                lPes.add(pe);
                lItems.add(item);
            }
        }
        List<PathElement> sharedOrder = new ArrayList<>();
        for (PathElement pe : rPes) {
            if (lObserved.containsKey(pe)) {
                sharedOrder.add(pe);
            }
        }
        int shared = 0;
        PathElement nextShared = shared < sharedOrder.size() ? sharedOrder.get(shared++) : null;
        Set<PathElement> mergedRhs = new HashSet<>();
        ArrayNode out = Json.array();
        int li = 0;
        int ri = 0;
        while (li < lPes.size() || ri < rPes.size()) {
            if (li < lPes.size() && ri < rPes.size()) {
                PathElement pe = lPes.get(li);
                if (pe.equals(rPes.get(ri))) {
                    mergedRhs.add(pe);
                    add(out, merge(element, lObserved.get(pe), rObserved.get(pe)));
                    li++;
                    ri++;
                    nextShared = shared < sharedOrder.size() ? sharedOrder.get(shared++) : null;
                    continue;
                }
                if (rObserved.containsKey(pe) && nextShared != null && !nextShared.equals(pe)) {
                    li++; // shared with the configuration, which places it later
                    continue;
                }
            }
            if (li < lPes.size()) {
                PathElement pe = lPes.get(li);
                if (!rObserved.containsKey(pe)) {
                    add(out, merge(element, lItems.get(li), null));
                    li++;
                    continue;
                } else if (mergedRhs.contains(pe)) {
                    li++;
                }
            }
            if (ri < rPes.size()) {
                PathElement pe = rPes.get(ri);
                mergedRhs.add(pe);
                add(out, merge(element, lObserved.get(pe), rObserved.get(pe)));
                ri++;
                if (nextShared != null && nextShared.equals(pe)) {
                    nextShared = shared < sharedOrder.size() ? sharedOrder.get(shared++) : null;
                }
            }
        }
        return out;
    }

    private static void add(ArrayNode out, JsonNode item) {
        if (item != null) {
            out.add(item);
        }
    }

    // ---- removal

    /**
     * {@code v} without the items of {@code toRemove} (structured-merge-diff's {@code RemoveItems}): a path of the set
     * goes with all below it. A map or list left empty goes too; returns null when nothing is left.
     */
    static JsonNode removeItems(Type t, JsonNode v, FieldSet toRemove) {
        if (v == null || toRemove.isEmpty()) {
            return v;
        }
        switch (part(t, v)) {
            case MAP -> {
                if (!v.isObject() || v.isEmpty() || t.map.atomic()) {
                    return null;
                }
                ObjectNode out = Json.object();
                for (Iterator<Map.Entry<String, JsonNode>> it = v.properties().iterator(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    PathElement pe = PathElement.field(e.getKey());
                    if (toRemove.hasMember(pe)) {
                        continue;
                    }
                    JsonNode val = removeItems(typeOf(t.map.field(e.getKey())), e.getValue(), toRemove.withPrefix(pe));
                    if (val != null) {
                        out.set(e.getKey(), val);
                    }
                }
                return out.isEmpty() ? null : out;
            }
            case LIST -> {
                if (!v.isArray() || v.isEmpty() || t.list.atomic()) {
                    return null;
                }
                Type element = t.list.element().get();
                ArrayNode out = Json.array();
                for (JsonNode item : v) {
                    PathElement pe;
                    try {
                        pe = itemElement(t.list, element, item);
                    } catch (IllegalArgumentException e) {
                        out.add(item);
                        continue;
                    }
                    if (toRemove.hasMember(pe)) {
                        continue;
                    }
                    JsonNode val = removeItems(element, item, toRemove.withPrefix(pe));
                    if (val != null) {
                        out.add(val);
                    }
                }
                return out.isEmpty() ? null : out;
            }
            default -> {
                return v;
            }
        }
    }

    /**
     * The set with every declared field that has children in it also a member of it (structured-merge-diff's
     * {@code EnsureNamedFieldsAreMembers}), which is how pruning removes a struct its applier no longer sets.
     */
    static FieldSet ensureNamedFieldsAreMembers(Type t, FieldSet s) {
        Map<String, FieldSet> children = new LinkedHashMap<>();
        boolean changed = false;
        for (String key : s.childKeys()) {
            FieldSet child = s.childNode(key);
            PathElement pe = PathElement.parse(key);
            Type childType = Type.DEDUCED;
            boolean declared = false;
            if (pe != null && pe.kind() == PathElement.Kind.FIELD && t.map != null) {
                childType = typeOf(t.map.field(pe.fieldName()));
                declared = t.map.fields().containsKey(pe.fieldName());
            } else if (pe != null && pe.kind() != PathElement.Kind.FIELD && t.list != null) {
                childType = t.list.element().get();
            }
            boolean hasChildren = child.childKeys().iterator().hasNext();
            FieldSet inner = hasChildren ? ensureNamedFieldsAreMembers(childType, child) : child;
            boolean member = child.isMember() || declared && hasChildren;
            FieldSet next = inner.isMember() == member && inner == child ? child
                    : FieldSet.node(member, copyChildren(inner));
            changed |= next != child;
            children.put(key, next);
        }
        return changed ? FieldSet.node(s.isMember(), children) : s;
    }

    private static Map<String, FieldSet> copyChildren(FieldSet s) {
        Map<String, FieldSet> c = new LinkedHashMap<>();
        for (String key : s.childKeys()) {
            c.put(key, s.childNode(key));
        }
        return c;
    }
}

package dev.drydock.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A set of field paths, as structured-merge-diff's {@code fieldpath.Set}: a trie whose nodes are path elements, each
 * node saying whether its own path is in the set. It reads and writes kube's {@code FieldsV1} format, whose keys are
 * serialized {@link PathElement}s and where {@code "."} marks a path that is in the set and also has children in it:
 *
 * <pre>{@code {"f:spec": {"f:replicas": {}, "f:template": {"f:spec": {"f:containers":
 *     {"k:{\"name\":\"nginx\"}": {".": {}, "f:image": {}}}}}}}}</pre>
 *
 * <p>Sets are immutable. One read from stored {@code FieldsV1} decodes a level only when an operation looks into
 * it, and a subtree that an operation leaves as it was is written back as the very JSON it was read from: the cost of
 * an operation follows the paths it changes, not the size of the sets.
 */
public final class FieldSet {

    private static final FieldSet EMPTY = new FieldSet(false, Map.of(), null);
    /** A member with no children: {@code {}} in {@code FieldsV1}. */
    private static final FieldSet LEAF = new FieldSet(true, Map.of(), null);

    /** Whether this node's own path is in the set (never for a root). */
    private final boolean member;
    /** Children by serialized path element, in kube's order; null until decoded from {@link #raw}. */
    private volatile Map<String, FieldSet> children;
    /** The {@code FieldsV1} node this node was read from, written back as long as nothing below it changed. */
    private final ObjectNode raw;

    private FieldSet(boolean member, Map<String, FieldSet> children, ObjectNode raw) {
        this.member = member;
        this.children = children;
        this.raw = raw;
    }

    /** The empty set. */
    public static FieldSet empty() {
        return EMPTY;
    }

    /** A node from its parts: {@code children} in kube's order, none of them empty non-members. */
    static FieldSet node(boolean member, Map<String, FieldSet> children) {
        if (children.isEmpty()) {
            return member ? LEAF : EMPTY;
        }
        return new FieldSet(member, Collections.unmodifiableMap(children), null);
    }

    /** The set of the paths below the root's field {@code name} only (e.g. what a status write may own). */
    FieldSet onlyField(String name) {
        FieldSet c = children().get("f:" + name);
        if (c == null) {
            return EMPTY;
        }
        return children().size() == 1 ? this : node(false, new LinkedHashMap<>(Map.of("f:" + name, c)));
    }

    /** This set without the root's field {@code name} and all that lies below it. */
    FieldSet withoutField(String name) {
        if (!children().containsKey("f:" + name)) {
            return this;
        }
        Map<String, FieldSet> c = new LinkedHashMap<>(children());
        c.remove("f:" + name);
        return node(false, c);
    }

    /**
     * A set read from stored {@code FieldsV1} (written by drydock, so canonical and sorted), decoded lazily; the node
     * is not copied and must not change afterwards.
     */
    public static FieldSet fromFieldsV1(JsonNode fieldsV1) {
        if (fieldsV1 == null || !fieldsV1.isObject() || fieldsV1.isEmpty()) {
            return EMPTY;
        }
        return new FieldSet(false, null, (ObjectNode) fieldsV1);
    }

    /**
     * A set read from {@code FieldsV1} a client sent: every key parsed and written again in canonical form, in kube's
     * order; keys of an unknown type are dropped, as kube drops them.
     *
     * @throws IllegalArgumentException for a malformed key or a value that is not an object
     */
    public static FieldSet parseFieldsV1(JsonNode fieldsV1) {
        if (fieldsV1 == null || fieldsV1.isNull()) {
            return EMPTY;
        }
        if (!fieldsV1.isObject()) {
            throw new IllegalArgumentException("FieldsV1 must be an object");
        }
        Builder b = new Builder();
        parseInto(b.root, (ObjectNode) fieldsV1);
        return b.build();
    }

    private static void parseInto(Builder.Node node, ObjectNode json) {
        for (Iterator<Map.Entry<String, JsonNode>> it = json.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(".")) {
                continue;
            }
            PathElement pe = PathElement.parse(e.getKey());
            if (pe == null) {
                continue;
            }
            if (!e.getValue().isObject()) {
                throw new IllegalArgumentException("the value of " + e.getKey() + " must be an object");
            }
            ObjectNode childJson = (ObjectNode) e.getValue();
            Builder.Node child = node.child(pe);
            if (childJson.isEmpty() || childJson.has(".")) {
                child.member = true;
            }
            parseInto(child, childJson);
        }
    }

    /** The {@code FieldsV1} form of this set ({@code {}} when empty). Callers must not change it. */
    public ObjectNode toFieldsV1() {
        if (raw != null) {
            return raw; // a node read from JSON never changes: it still is that JSON
        }
        ObjectNode out = Json.object();
        writeChildren(out);
        return out;
    }

    private ObjectNode writeNode() {
        if (raw != null) {
            return raw;
        }
        ObjectNode out = Json.object();
        Map<String, FieldSet> c = children();
        if (member && !c.isEmpty()) {
            out.putObject(".");
        }
        writeChildren(out);
        return out;
    }

    private void writeChildren(ObjectNode out) {
        for (Map.Entry<String, FieldSet> e : children().entrySet()) {
            out.set(e.getKey(), e.getValue().writeNode());
        }
    }

    private Map<String, FieldSet> children() {
        Map<String, FieldSet> c = children;
        if (c == null) {
            c = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = raw.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals(".") || !e.getValue().isObject()) {
                    continue;
                }
                ObjectNode v = (ObjectNode) e.getValue();
                c.put(e.getKey(), v.isEmpty() ? LEAF : new FieldSet(v.has("."), null, v));
            }
            c = Collections.unmodifiableMap(c);
            children = c;
        }
        return c;
    }

    /** Whether no path is in the set. */
    public boolean isEmpty() {
        return !member && (children != null ? children.isEmpty() : raw == null || raw.isEmpty());
    }

    /** Whether {@code path} is in the set. */
    public boolean has(List<PathElement> path) {
        FieldSet s = this;
        for (PathElement pe : path) {
            s = s.children().get(pe.serialized());
            if (s == null) {
                return false;
            }
        }
        return !path.isEmpty() && s.member;
    }

    /** The paths of the set that start with {@code pe}, without it (structured-merge-diff's {@code WithPrefix}). */
    public FieldSet withPrefix(PathElement pe) {
        FieldSet c = children().get(pe.serialized());
        return c == null ? EMPTY : c.asRoot();
    }

    private FieldSet asRoot() {
        if (!member) {
            return this;
        }
        return new FieldSet(false, children(), null);
    }

    /** Whether the node at {@code pe} is itself a member (structured-merge-diff's {@code Members.Has}). */
    boolean hasMember(PathElement pe) {
        FieldSet c = children().get(pe.serialized());
        return c != null && c.member;
    }

    /** The serialized elements of the children of this node (members or not), in kube's order. */
    Iterable<String> childKeys() {
        return children().keySet();
    }

    FieldSet childNode(String key) {
        return children().get(key);
    }

    boolean isMember() {
        return member;
    }

    /** The paths in either set. */
    public FieldSet union(FieldSet other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other.member == member ? other : new FieldSet(member, other.children(), null);
        }
        return merge(this, other, member || other.member);
    }

    private static FieldSet merge(FieldSet a, FieldSet b, boolean member) {
        Map<String, FieldSet> ca = a.children();
        Map<String, FieldSet> cb = b.children();
        Map<String, FieldSet> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, FieldSet>> ia = ca.entrySet().iterator();
        Iterator<Map.Entry<String, FieldSet>> ib = cb.entrySet().iterator();
        Map.Entry<String, FieldSet> ea = ia.hasNext() ? ia.next() : null;
        Map.Entry<String, FieldSet> eb = ib.hasNext() ? ib.next() : null;
        while (ea != null || eb != null) {
            int c = ea == null ? 1 : eb == null ? -1 : compareKeys(ea.getKey(), eb.getKey());
            if (c < 0) {
                out.put(ea.getKey(), ea.getValue());
                ea = ia.hasNext() ? ia.next() : null;
            } else if (c > 0) {
                out.put(eb.getKey(), eb.getValue());
                eb = ib.hasNext() ? ib.next() : null;
            } else {
                FieldSet x = ea.getValue();
                FieldSet y = eb.getValue();
                out.put(ea.getKey(), y.isEmpty() && !y.member ? x : x.isEmpty() && !x.member ? y
                        : merge(x, y, x.member || y.member));
                ea = ia.hasNext() ? ia.next() : null;
                eb = ib.hasNext() ? ib.next() : null;
            }
        }
        return new FieldSet(member, Collections.unmodifiableMap(out), null);
    }

    /** The paths in both sets. */
    public FieldSet intersection(FieldSet other) {
        FieldSet r = intersect(this, other, false);
        return r == null ? EMPTY : r;
    }

    private static FieldSet intersect(FieldSet a, FieldSet b, boolean member) {
        Map<String, FieldSet> ca = a.children();
        Map<String, FieldSet> cb = b.children();
        Map<String, FieldSet> small = ca.size() <= cb.size() ? ca : cb;
        Map<String, FieldSet> large = small == ca ? cb : ca;
        Map<String, FieldSet> out = null;
        for (Map.Entry<String, FieldSet> e : small.entrySet()) {
            FieldSet other = large.get(e.getKey());
            if (other == null) {
                continue;
            }
            FieldSet x = small == ca ? e.getValue() : other;
            FieldSet y = small == ca ? other : e.getValue();
            FieldSet r = intersect(x, y, x.member && y.member);
            if (r != null) {
                if (out == null) {
                    out = new LinkedHashMap<>(); // filled in the order of `small`, which is kube's
                }
                out.put(e.getKey(), r);
            }
        }
        if (out == null) {
            return member ? LEAF : null;
        }
        return new FieldSet(member, Collections.unmodifiableMap(out), null);
    }

    /**
     * The paths of this set that are not in {@code other} (structured-merge-diff's {@code Difference}: the paths
     * themselves, not what lies below them). Returns this very set when nothing is taken out.
     */
    public FieldSet difference(FieldSet other) {
        FieldSet r = subtract(this, other, false);
        return r == null ? EMPTY : r;
    }

    /** {@code a} without {@code b}'s paths, as a node that is a member when {@code member}; null if nothing is left. */
    private static FieldSet subtract(FieldSet a, FieldSet b, boolean member) {
        Map<String, FieldSet> ca = a.children();
        Map<String, FieldSet> cb = b.children();
        Map<String, FieldSet> out = null;
        if (!cb.isEmpty() && !ca.isEmpty()) {
            Map<String, FieldSet> small = cb.size() <= ca.size() ? cb : ca;
            for (String key : small.keySet()) {
                FieldSet x = ca.get(key);
                FieldSet y = cb.get(key);
                if (x == null || y == null) {
                    continue;
                }
                FieldSet r = subtract(x, y, x.member && !y.member);
                if (r != x) {
                    if (out == null) {
                        out = new LinkedHashMap<>(ca);
                    }
                    if (r == null) {
                        out.remove(key);
                    } else {
                        out.put(key, r);
                    }
                }
            }
        }
        if (out == null) {
            if (member == a.member) {
                return a.member || !ca.isEmpty() ? a : null;
            }
            return member || !ca.isEmpty() ? new FieldSet(member, ca, null) : null;
        }
        if (!member && out.isEmpty()) {
            return null;
        }
        return new FieldSet(member, Collections.unmodifiableMap(out), null);
    }

    /** Calls {@code f} with every path of the set, in structured-merge-diff's order (a node's members first). */
    public void forEachPath(Consumer<List<PathElement>> f) {
        forEachPath(new ArrayList<>(), f);
    }

    private void forEachPath(List<PathElement> prefix, Consumer<List<PathElement>> f) {
        Map<String, FieldSet> c = children();
        for (Map.Entry<String, FieldSet> e : c.entrySet()) {
            if (e.getValue().member) {
                prefix.add(PathElement.parse(e.getKey()));
                f.accept(List.copyOf(prefix));
                prefix.remove(prefix.size() - 1);
            }
        }
        for (Map.Entry<String, FieldSet> e : c.entrySet()) {
            if (!e.getValue().children().isEmpty()) {
                prefix.add(PathElement.parse(e.getKey()));
                e.getValue().forEachPath(prefix, f);
                prefix.remove(prefix.size() - 1);
            }
        }
    }

    /** Every path, as kube prints them, one a line (for messages and tests). */
    public List<String> paths() {
        List<String> out = new ArrayList<>();
        forEachPath(p -> out.add(PathElement.toString(p)));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet s && toFieldsV1().equals(s.toFieldsV1());
    }

    @Override
    public int hashCode() {
        return toFieldsV1().hashCode();
    }

    @Override
    public String toString() {
        return Json.string(toFieldsV1());
    }

    /** The order of serialized path elements: kube's order of the elements they stand for. */
    static int compareKeys(String a, String b) {
        char ka = a.charAt(0);
        char kb = b.charAt(0);
        if (ka == 'f' && kb == 'f') {
            return a.compareTo(b);
        }
        if (ka != kb) {
            return Integer.compare(rank(ka), rank(kb));
        }
        if (a.equals(b)) {
            return 0;
        }
        return PathElement.parse(a).compareTo(PathElement.parse(b));
    }

    private static int rank(char kind) {
        return switch (kind) {
            case 'f' -> 0;
            case 'k' -> 1;
            case 'v' -> 2;
            case 'i' -> 3;
            default -> 4;
        };
    }

    /** Builds a set path by path (the walkers over objects do). */
    public static final class Builder {

        private final Node root = new Node();

        /** Adds {@code path} (not empty) to the set. */
        public Builder insert(List<PathElement> path) {
            Node n = root;
            for (PathElement pe : path) {
                n = n.child(pe);
            }
            if (n != root) {
                n.member = true;
            }
            return this;
        }

        /** Adds the path {@code prefix} followed by {@code last}. */
        public Builder insert(List<PathElement> prefix, PathElement last) {
            Node n = root;
            for (PathElement pe : prefix) {
                n = n.child(pe);
            }
            n.child(last).member = true;
            return this;
        }

        public FieldSet build() {
            return root.build(false);
        }

        /** The root's node, for walkers that keep their place in the trie. */
        Node root() {
            return root;
        }

        /** A node of the set being built: {@link #member} says its path is in it. */
        static final class Node {
            boolean member;
            private TreeMap<PathElement, Node> children;

            Node child(PathElement pe) {
                if (children == null) {
                    children = new TreeMap<>();
                }
                return children.computeIfAbsent(pe, k -> new Node());
            }

            FieldSet build(boolean isMember) {
                if (children == null || children.isEmpty()) {
                    return isMember ? LEAF : EMPTY;
                }
                Map<String, FieldSet> out = new LinkedHashMap<>();
                children.forEach((pe, n) -> {
                    FieldSet c = n.build(n.member);
                    if (n.member || !c.isEmpty()) {
                        out.put(pe.serialized(), c);
                    }
                });
                return new FieldSet(isMember, Collections.unmodifiableMap(out), null);
            }
        }
    }
}

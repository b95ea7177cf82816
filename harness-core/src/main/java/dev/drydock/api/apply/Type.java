package dev.drydock.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What structured-merge-diff's schema says of one value ({@code schema.Atom}): whether it may be a scalar, a list
 * (atomic, or associative: a set, or a map-list with key fields) and a map (atomic, or granular: each field owned on
 * its own), and the types of what it holds. A value takes the part its own shape calls for.
 */
final class Type {

    /** A reference to a type, resolved when first followed (named types may refer to themselves). */
    interface Ref extends Supplier<Type> {

        static Ref of(Type t) {
            return () -> t;
        }

        static Ref lazy(Supplier<Type> s) {
            return new Ref() {
                private volatile Type type;

                @Override
                public Type get() {
                    Type t = type;
                    if (t == null) {
                        t = s.get();
                        type = t;
                    }
                    return t;
                }
            };
        }
    }

    /**
     * A list.
     *
     * @param atomic  owned whole (no other kind of list has elements of its own)
     * @param keys    the key fields of a map-list; empty for a set (of scalars)
     * @param element the type of its elements
     */
    record ListType(boolean atomic, List<String> keys, Ref element) {
    }

    /**
     * A map, or a struct (a map whose fields are declared).
     *
     * @param atomic      owned whole
     * @param fields      the declared fields
     * @param elements    the type of any other field, or null when others are not allowed
     * @param defaults    the scalar defaults of declared fields (what a list's missing key field counts as)
     * @param zeroStructs declared fields that are structs Go always holds (an absent one compares as {@code {}})
     */
    record MapType(boolean atomic, Map<String, Ref> fields, Ref elements, Map<String, JsonNode> defaults,
                   Set<String> zeroStructs) {

        /** The type of field {@code name}, or null if the map takes no such field. */
        Ref field(String name) {
            Ref r = fields.get(name);
            return r != null ? r : elements;
        }

        MapType withAtomic(boolean atomic) {
            return new MapType(atomic, fields, elements, defaults, zeroStructs);
        }
    }

    /** A scalar of any kind, a list or map owned whole: kube's {@code __untyped_atomic_}. */
    static final Type UNTYPED;
    /** A value whose type is deduced from itself: maps granular, lists atomic ({@code __untyped_deduced_}). */
    static final Type DEDUCED;

    static {
        Type[] untyped = new Type[1];
        Ref untypedRef = () -> untyped[0];
        untyped[0] = new Type(true, new ListType(true, List.of(), untypedRef),
                new MapType(true, Map.of(), untypedRef, Map.of(), Set.of()));
        UNTYPED = untyped[0];
        Type[] deduced = new Type[1];
        Ref deducedRef = () -> deduced[0];
        deduced[0] = new Type(true, new ListType(true, List.of(), untypedRef),
                new MapType(false, Map.of(), deducedRef, Map.of(), Set.of()));
        DEDUCED = deduced[0];
    }

    static final Type SCALAR = new Type(true, null, null);

    final boolean scalar;
    final ListType list;
    final MapType map;

    Type(boolean scalar, ListType list, MapType map) {
        this.scalar = scalar;
        this.list = list;
        this.map = map;
    }

    /** This type with its map part atomic or granular (a field's {@code x-kubernetes-map-type} overrides its type's). */
    Type withMapAtomic(boolean atomic) {
        return map == null || map.atomic() == atomic ? this : new Type(scalar, list, map.withAtomic(atomic));
    }
}

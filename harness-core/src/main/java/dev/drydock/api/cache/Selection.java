package dev.drydock.api.cache;

import dev.drydock.kube.LabelSelector;
import java.util.List;

/**
 * What a list or a watch selects (kube's {@code SelectionPredicate}): a namespace (or all), a label selector and the
 * terms of a field selector, matched against what each {@link CachedObject} keeps, without reading its bytes.
 */
public final class Selection {

    private static final int NAME = -1;
    private static final int NAMESPACE = -2;

    private final String namespace;
    private final LabelSelector labels;
    private final List<FieldTerm> terms;
    private final int[] fieldIndexes;
    private final CacheConfig config;

    private Selection(String namespace, LabelSelector labels, List<FieldTerm> terms, CacheConfig config) {
        this.namespace = namespace == null || namespace.isEmpty() ? null : namespace.intern();
        this.labels = labels;
        this.terms = List.copyOf(terms);
        this.config = config;
        List<String> names = config.fieldNames();
        fieldIndexes = new int[this.terms.size()];
        for (int i = 0; i < fieldIndexes.length; i++) {
            String field = this.terms.get(i).field();
            fieldIndexes[i] = switch (field) {
                case "metadata.name" -> NAME;
                case "metadata.namespace" -> NAMESPACE;
                default -> {
                    int index = names.indexOf(field);
                    if (index < 0) {
                        throw new IllegalArgumentException("field label not supported: " + field);
                    }
                    yield index;
                }
            };
        }
    }

    /** Everything of the resource in {@code namespace} (null: all namespaces) that the selectors match. */
    public static Selection of(String namespace, LabelSelector labels, List<FieldTerm> fields, CacheConfig config) {
        return new Selection(namespace, labels, fields, config);
    }

    boolean matches(CachedObject obj) {
        if (namespace != null && namespace != obj.namespace) { // both interned
            return false;
        }
        for (int i = 0; i < fieldIndexes.length; i++) {
            FieldTerm t = terms.get(i);
            String value = switch (fieldIndexes[i]) {
                case NAME -> obj.name(config);
                case NAMESPACE -> obj.namespace;
                default -> obj.field(fieldIndexes[i]);
            };
            if (t.equals() != value.equals(t.value())) {
                return false;
            }
        }
        return obj.matches(labels);
    }

    /** The namespace it is limited to: the request's, or one an exact {@code metadata.namespace} term names; or null. */
    String namespaceScope() {
        return namespace != null ? namespace : exactValue("metadata.namespace");
    }

    /** The value an {@code =} term requires of {@code field}, or null if none does. */
    String exactValue(String field) {
        if (field == null) {
            return null;
        }
        for (FieldTerm t : terms) {
            if (t.equals() && t.field().equals(field)) {
                return t.value();
            }
        }
        return null;
    }

    /** The namespace of the request, or null. */
    String namespace() {
        return namespace;
    }

    @Override
    public String toString() {
        return "namespace=" + (namespace == null ? "" : namespace) + " fields=" + terms;
    }
}

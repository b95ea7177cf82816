package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.table.TableConvertor;
import dev.drydock.api.table.Tables;
import dev.drydock.kube.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything kind-specific that the API server needs to serve one resource, in one place, as kube-apiserver's
 * generic registry {@code Store} with its strategies: the resource's names for paths and discovery (plural,
 * singular, short names, categories), its strategy hooks (defaulting, validation, update rules), the fields it can
 * be selected by, its table columns, its OpenAPI schema (custom resources) and its subresources as handlers.
 *
 * <p>The generic handler serves every descriptor alike; adding a kind is adding a descriptor to the
 * {@link KindRegistry}, which may happen at runtime (a CustomResourceDefinition adds one).
 */
public final class KindDescriptor {

    /** The category of {@code kubectl get all}. */
    public static final List<String> ALL = List.of("all");

    private final Resource resource;
    private final String singular;
    private final List<String> shortNames;
    private final List<String> categories;
    private final KindStrategy strategy;
    private final Map<String, Function<JsonNode, String>> fields;
    private final Map<String, Subresource> subresources;
    private final boolean hasStatus;
    private final TableConvertor table;
    private final JsonNode schema;
    private final List<String> verbs;
    private final Resource storedAs;
    private final Conversion conversion;
    private final List<Admission> admission;
    private final CreateOnly createOnly;
    private final ComputedReads computed;
    /** Server-side apply and managedFields for this kind, made on first use (its schema is converted then). */
    private volatile dev.drydock.api.apply.FieldManager fieldManager;
    /** The kind as the OpenAPI documents and unknown-field pruning see it, made on first use. */
    private volatile dev.drydock.api.openapi.ServedKind served;

    /**
     * How objects of a kind served in several versions (or groups) over one storage are converted: a custom
     * resource's versions with {@code None} conversion, or {@code events.k8s.io/v1} Events stored as core Events.
     */
    public interface Conversion {

        /** The stored object (in the storage version) as this kind's version serves it. */
        ObjectNode fromStorage(ObjectNode stored);

        /** An object of this kind's version as it is stored. */
        ObjectNode toStorage(ObjectNode obj);
    }

    /** The conversion of a kind stored as it is served. */
    public static final Conversion NONE = new Conversion() {
        @Override
        public ObjectNode fromStorage(ObjectNode stored) {
            return stored;
        }

        @Override
        public ObjectNode toStorage(ObjectNode obj) {
            return obj;
        }
    };

    private KindDescriptor(Builder b) {
        this.resource = b.resource;
        this.singular = b.singular != null ? b.singular : b.resource.kind().toLowerCase();
        this.shortNames = List.copyOf(b.shortNames);
        this.categories = List.copyOf(b.categories);
        this.strategy = b.strategy;
        this.fields = Map.copyOf(b.fields);
        this.subresources = Map.copyOf(b.subresources);
        this.hasStatus = b.status;
        this.table = b.table != null ? b.table : Tables.forKind(b.resource.kind());
        this.schema = b.schema;
        this.verbs = List.copyOf(b.verbs);
        this.storedAs = b.storedAs != null ? b.storedAs : b.resource;
        this.conversion = b.conversion;
        this.admission = List.copyOf(b.admission);
        this.createOnly = b.createOnly;
        this.computed = b.computed;
    }

    /** A descriptor to build for this resource, with a plain strategy and no subresources. */
    public static Builder of(Resource resource) {
        return new Builder(resource);
    }

    public Resource resource() {
        return resource;
    }

    public String singular() {
        return singular;
    }

    public List<String> shortNames() {
        return shortNames;
    }

    /** The groups of resources discovery puts it in, as kube's: {@code all} for the workloads, pods and services. */
    public List<String> categories() {
        return categories;
    }

    public KindStrategy strategy() {
        return strategy;
    }

    /** Whether the kind has a {@code status} subresource, whose writes change only the status. */
    public boolean hasStatus() {
        return hasStatus;
    }

    /** The subresource of this name other than {@code status}, or null. */
    public Subresource subresource(String name) {
        return subresources.get(name);
    }

    /** The names of all its subresources, {@code status} included. */
    public List<String> subresourceNames() {
        List<String> names = new java.util.ArrayList<>(subresources.keySet());
        if (hasStatus) {
            names.add("status");
        }
        names.sort(null);
        return names;
    }

    /**
     * The value of a field a field selector may name ({@code metadata.name} and, for namespaced kinds,
     * {@code metadata.namespace} on every kind), or null if the kind cannot be selected by it.
     */
    public Function<JsonNode, String> field(String name) {
        if (name.equals("metadata.name")) {
            return obj -> text(obj.path("metadata").path("name"));
        }
        if (name.equals("metadata.namespace") && resource.namespaced()) {
            return obj -> text(obj.path("metadata").path("namespace"));
        }
        return fields.get(name);
    }

    /**
     * The fields a selector may name besides {@code metadata.name} and {@code metadata.namespace}, each with how
     * kube's field set reads it ({@code GetAttrs}).
     */
    public Map<String, Function<JsonNode, String>> selectableFields() {
        return fields;
    }

    /** How {@code kubectl get} shows the kind. */
    public TableConvertor table() {
        return table;
    }

    /** The OpenAPI v3 schema of a custom resource version, or null for a built-in kind (kube publishes those). */
    public JsonNode schema() {
        return schema;
    }

    /** The verbs discovery lists for the resource. */
    public List<String> verbs() {
        return verbs;
    }

    /**
     * The resource whose storage holds the objects (its group and plural make the keys): the kind's own, or
     * another's for a kind served in several versions or groups over one storage.
     */
    public Resource storedAs() {
        return storedAs;
    }

    public Conversion conversion() {
        return conversion;
    }

    /** The admission plugins of this kind's writes, run after the API server's own (e.g. a Service's allocator). */
    public List<Admission> admission() {
        return admission;
    }

    /**
     * For a kind whose objects are answered rather than stored (kube's review kinds: SubjectAccessReview,
     * TokenReview...), what answers a create; null for a stored kind.
     */
    public CreateOnly createOnly() {
        return createOnly;
    }

    /** What computes this kind's objects on {@code get} and {@code list}; null for a kind that is stored. */
    public ComputedReads computed() {
        return computed;
    }

    public String listKind() {
        return resource.kind() + "List";
    }

    /**
     * What merges server-side applies of this kind and keeps its objects' {@code managedFields}: by its schema (a
     * custom resource's, or Kubernetes' own for a built-in kind), its status owned through its {@code status}
     * subresource when it has one.
     */
    public dev.drydock.api.apply.FieldManager fieldManager() {
        dev.drydock.api.apply.FieldManager f = fieldManager;
        if (f == null) {
            f = dev.drydock.api.apply.FieldManager.of(resource, schema, hasStatus);
            fieldManager = f;
        }
        return f;
    }

    /** The kind as the OpenAPI documents and the decode stage's unknown-field pruning see it. */
    dev.drydock.api.openapi.ServedKind served() {
        dev.drydock.api.openapi.ServedKind k = served;
        if (k == null) {
            k = OpenApiKinds.served(this);
            served = k;
        }
        return k;
    }

    @Override
    public String toString() {
        return resource.toString();
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "" : n.asText();
    }

    /** Builds a {@link KindDescriptor}. */
    public static final class Builder {

        private final Resource resource;
        private String singular;
        private List<String> shortNames = List.of();
        private List<String> categories = List.of();
        private KindStrategy strategy = KindStrategy.PLAIN;
        private final Map<String, Function<JsonNode, String>> fields = new LinkedHashMap<>();
        private final Map<String, Subresource> subresources = new LinkedHashMap<>();
        private boolean status;
        private TableConvertor table;
        private JsonNode schema;
        private Resource storedAs;
        private Conversion conversion = NONE;
        private final List<Admission> admission = new java.util.ArrayList<>();
        private CreateOnly createOnly;
        private ComputedReads computed;
        private List<String> verbs = List.of("create", "delete", "deletecollection", "get", "list", "patch",
                "update", "watch");

        private Builder(Resource resource) {
            this.resource = Objects.requireNonNull(resource);
        }

        public Builder singular(String singular) {
            this.singular = singular;
            return this;
        }

        public Builder shortNames(String... names) {
            this.shortNames = List.of(names);
            return this;
        }

        public Builder categories(List<String> categories) {
            this.categories = categories;
            return this;
        }

        public Builder strategy(KindStrategy strategy) {
            this.strategy = strategy;
            return this;
        }

        /** A {@code status} subresource: the main resource's writes keep the stored status, its own keep the rest. */
        public Builder status() {
            this.status = true;
            return this;
        }

        public Builder subresource(String name, Subresource handler) {
            subresources.put(name, handler);
            return this;
        }

        /** A field selectors may name, with the string value kube's field set gives it (absent: empty). */
        public Builder field(String name, Function<JsonNode, String> value) {
            fields.put(name, value);
            return this;
        }

        /** Fields selectable at their JSON path ({@code spec.nodeName}), absent ones as the empty string. */
        public Builder fields(String... paths) {
            for (String p : paths) {
                String[] parts = p.split("\\.");
                fields.put(p, obj -> {
                    JsonNode n = obj;
                    for (String part : parts) {
                        n = n.path(part);
                    }
                    return text(n);
                });
            }
            return this;
        }

        public Builder table(TableConvertor table) {
            this.table = table;
            return this;
        }

        public Builder schema(JsonNode schema) {
            this.schema = schema;
            return this;
        }

        /** The verbs the resource allows (default: all eight); e.g. only {@code create} for a review kind. */
        public Builder verbs(String... verbs) {
            this.verbs = List.of(verbs);
            return this;
        }

        /** Objects are kept in {@code storage}'s keys, converted to and from it by {@code conversion}. */
        public Builder storedAs(Resource storage, Conversion conversion) {
            this.storedAs = storage;
            this.conversion = conversion;
            return this;
        }

        /** An admission plugin for this kind's writes only, run after the API server's own plugins. */
        public Builder admission(Admission plugin) {
            admission.add(plugin);
            return this;
        }

        /**
         * A kind that is only created and never stored, as kube's review kinds: a create answers
         * {@code answer}'s object (201) and writes nothing; the only verb is {@code create}.
         */
        public Builder createOnly(CreateOnly answer) {
            this.createOnly = Objects.requireNonNull(answer);
            this.verbs = List.of("create");
            return this;
        }

        /**
         * A kind whose objects are computed when read, never stored (metrics.k8s.io's): {@code get} and {@code list}
         * are answered by {@code reads}, and they are its only verbs.
         */
        public Builder computed(ComputedReads reads) {
            this.computed = Objects.requireNonNull(reads);
            this.verbs = List.of("get", "list");
            return this;
        }

        public KindDescriptor build() {
            return new KindDescriptor(this);
        }
    }
}

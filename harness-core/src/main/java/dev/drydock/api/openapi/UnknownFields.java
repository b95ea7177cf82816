package dev.drydock.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.openapi.KubeSchemas.Gvk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fields of an object that its kind's schema does not know, named as kube-apiserver names them in its
 * {@code fieldValidation} answers ({@code spec.replicass}, {@code spec.template.spec.containers[0].imagee}), in the
 * order they appear. With {@code fieldValidation=Strict} kube refuses such an object with 400 BadRequest and
 * {@link #strictDecodingError}; with {@code Warn} (the default) it keeps the object and sends each as a
 * {@code Warning} header. Fields under {@code x-kubernetes-preserve-unknown-fields} or a map are all known.
 */
public final class UnknownFields {

    private UnknownFields() {
    }

    /** The unknown fields of {@code object}, a whole object of {@code kind}; empty if all are known. */
    public static List<String> of(ServedKind kind, JsonNode object) {
        return find(kind, object, false);
    }

    /**
     * Removes the unknown fields of {@code object}, as kube's decoding into its Go types drops them, and returns
     * their paths.
     */
    public static List<String> prune(ServedKind kind, JsonNode object) {
        return find(kind, object, true);
    }

    private static List<String> find(ServedKind kind, JsonNode object, boolean remove) {
        Declared root;
        boolean typed = false;
        if (kind.isCustom()) {
            root = Declared.of(CustomSchemas.kind(kind));
        } else {
            root = BUILT_IN.computeIfAbsent(new Gvk(kind.group(), kind.version(), kind.kind()), gvk -> {
                String name = FieldSchemas.get().nameOf(gvk);
                return name == null ? NO_SCHEMA : Declared.of(FieldSchemas.get().schema(name));
            });
            if (root == NO_SCHEMA) {
                return List.of(); // no schema to judge by
            }
            typed = true; // a built-in kind decodes into Go types: a value of the wrong JSON type does not decode
        }
        Walk walk = new Walk(remove, typed);
        walk.walk(root, object, null, null, kind.kind());
        if (walk.typeError != null) {
            throw new TypeMismatch(walk.typeError);
        }
        return walk.unknown;
    }

    /** Each built-in kind's schema, compiled on first use ({@link #NO_SCHEMA} for a kind kube has none for). */
    private static final Map<Gvk, Declared> BUILT_IN = new ConcurrentHashMap<>();
    private static final Declared NO_SCHEMA = new Declared(null, null);
    /** The named schemas ({@code $ref} targets) of Kubernetes' published ones, compiled on first use. */
    private static final Map<String, Shape> NAMED = new ConcurrentHashMap<>();

    /**
     * A schema as a property declares it: the name it refers to (null if inline) and what that resolves to. A walk
     * reads these instead of looking up {@code $ref}s and reading JSON at every field of every object.
     */
    private record Declared(String ref, Shape shape) {

        static Declared of(JsonNode declared) {
            String ref = refName(declared);
            JsonNode schema = resolve(declared);
            if (schema == null) {
                return new Declared(ref, null);
            }
            // a named schema is shared (and may contain itself); an inline one belongs to its property
            String named = namedTarget(declared);
            Shape shape = named != null && FieldSchemas.get().schema(named) == schema
                    ? NAMED.computeIfAbsent(named, n -> new Shape(schema)) : new Shape(schema);
            return new Declared(ref, shape);
        }
    }

    /** A resolved schema, its children compiled on first use (a recursive schema must not be unrolled). */
    private static final class Shape {
        final JsonNode schema;
        final boolean preserveUnknown;
        final String type;
        final String format;
        private volatile Map<String, Declared> properties;
        private volatile Declared additional;
        private volatile Declared items;

        Shape(JsonNode schema) {
            this.schema = schema;
            this.preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
            this.type = schema.path("type").asText("");
            this.format = schema.path("format").asText("");
        }

        /** The declared properties, or null if the schema has none. */
        Map<String, Declared> properties() {
            Map<String, Declared> p = properties;
            if (p == null && schema.has("properties")) {
                Map<String, Declared> compiled = new HashMap<>();
                schema.get("properties").properties().forEach(e -> compiled.put(e.getKey(), Declared.of(e.getValue())));
                p = compiled;
                properties = p;
            }
            return p;
        }

        /** {@code additionalProperties} when it is a schema (a map's values), else null. */
        Declared additional() {
            Declared a = additional;
            if (a == null) {
                JsonNode raw = schema.get("additionalProperties");
                if (raw != null && raw.isObject()) {
                    a = Declared.of(raw);
                    additional = a;
                }
            }
            return a;
        }

        /** Whether a field it does not declare is unknown: it declares properties and takes no others. */
        boolean refusesUndeclared() {
            JsonNode raw = schema.get("additionalProperties");
            return schema.has("properties") && (raw == null || !raw.asBoolean(true));
        }

        /** The schema of its items, or null if it declares none. */
        Declared items() {
            Declared i = items;
            if (i == null && schema.has("items")) {
                i = Declared.of(schema.get("items"));
                items = i;
            }
            return i;
        }
    }

    /**
     * A value of a built-in kind's object whose JSON type its Go field cannot take, with the message Go's decoder
     * gives, e.g. {@code json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type
     * int32}. kube answers it with 400 BadRequest on create and update, 422 Invalid ({@code patch}) on a patch.
     */
    public static final class TypeMismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TypeMismatch(String goMessage) {
            super(goMessage, null, false, false);
        }

        /** kube's message for a create or update body: {@code <Kind> in version "v1" cannot be handled as ...}. */
        public String decodingError(ServedKind kind) {
            return kind.kind() + " in version \"" + kind.version() + "\" cannot be handled as a " + kind.kind() + ": "
                    + getMessage();
        }
    }

    /**
     * kube's message for a refused object, e.g. {@code Deployment in version "v1" cannot be handled as a Deployment:
     * strict decoding error: unknown field "spec.replicass"}.
     */
    public static String strictDecodingError(ServedKind kind, List<String> unknown) {
        StringBuilder b = new StringBuilder(kind.kind()).append(" in version \"").append(kind.version())
                .append("\" cannot be handled as a ").append(kind.kind()).append(": strict decoding error: ");
        for (int i = 0; i < unknown.size(); i++) {
            b.append(i == 0 ? "" : ", ").append("unknown field \"").append(unknown.get(i)).append('"');
        }
        return b.toString();
    }

    /**
     * A field's path, spelled only when it is named in an answer: a field, a list index or a map key below its
     * parent (null at the top).
     */
    private record Path(Path parent, String field, int index) {

        static Path field(Path parent, String name) {
            return new Path(parent, name, -1);
        }

        static Path index(Path parent, int index) {
            return new Path(parent, null, index);
        }

        /** The path as fieldValidation names it: {@code spec.containers[0].image}. */
        static String spelled(Path p) {
            if (p == null) {
                return "";
            }
            String parent = spelled(p.parent);
            if (p.field == null) {
                return parent + "[" + p.index + "]";
            }
            return parent.isEmpty() ? p.field : parent + "." + p.field;
        }
    }

    /** One walk over an object: its unknown fields, and the first value of the wrong type. */
    private static final class Walk {
        final List<String> unknown = new ArrayList<>();
        final boolean remove;
        final boolean typed;
        String typeError;

        Walk(boolean remove, boolean typed) {
            this.remove = remove;
            this.typed = typed;
        }

        /**
         * @param path      the field's path as fieldValidation names it, with list indexes
         * @param goPath    the path as Go's decoder names it: field names only, no indexes or map keys
         * @param goStruct  the Go struct that holds the field (the kind at the top), or its schema's name
         */
        void walk(Declared declared, JsonNode value, Path path, Path goPath, String goStruct) {
            String ref = declared.ref();
            Shape schema = declared.shape();
            if (schema == null || schema.preserveUnknown) {
                return;
            }
            if (typed && typeError == null && goPath != null && !value.isNull()) {
                String got = jsonType(value, schema.type, schema.format);
                String expected = got == null ? null : goType(schema.schema, ref); // named only when it is refused
                if (expected != null) {
                    typeError = "json: cannot unmarshal " + got + " into Go struct field "
                            + goStruct.substring(goStruct.lastIndexOf('.') + 1) + "."
                            + Path.spelled(goPath) + " of type " + expected;
                    return;
                }
            }
            if (value.isObject()) {
                String struct = ref == null ? goStruct : ref; // spelled as Go names it only in an error
                Map<String, Declared> properties = schema.properties();
                Declared additional = schema.additional();
                List<String> drop = null;
                for (Map.Entry<String, JsonNode> field : value.properties()) {
                    Declared property = properties == null ? null : properties.get(field.getKey());
                    if (property != null) {
                        walk(property, field.getValue(), Path.field(path, field.getKey()),
                                Path.field(goPath, field.getKey()), struct);
                    } else if (additional != null) {
                        // a map's value: its field's name
                        walk(additional, field.getValue(), Path.field(path, field.getKey()), goPath, goStruct);
                    } else if (schema.refusesUndeclared()) {
                        unknown.add(Path.spelled(Path.field(path, field.getKey())));
                        if (drop == null) {
                            drop = new ArrayList<>();
                        }
                        drop.add(field.getKey());
                    }
                    // neither properties nor additionalProperties: a free-form object (e.g. RawExtension)
                }
                if (remove && drop != null) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) value).remove(drop);
                }
            } else if (value.isArray()) {
                Declared items = schema.items();
                if (items != null) {
                    for (int i = 0; i < value.size(); i++) {
                        walk(items, value.get(i), Path.index(path, i), goPath, goStruct);
                    }
                }
            }
        }
    }

    /**
     * The Go type a schema decodes into, as Go's decoder names it in an error ({@code int32}, {@code []v1.Container},
     * {@code map[string]string}, {@code v1.PodSpec}), or null when the type decodes itself and accepts several JSON
     * types (Quantity, IntOrString, Time, RawExtension...): those are left to it.
     */
    private static String goType(JsonNode schema, String ref) {
        String type = schema.path("type").asText("");
        String format = schema.path("format").asText("");
        if (!format.isEmpty() && !List.of("int32", "int64", "double", "byte").contains(format)) {
            return null; // date-time, int-or-string...: a type of its own with its own decoding
        }
        return switch (type) {
            case "string" -> format.equals("byte") ? "[]uint8" : ref != null ? null : "string";
            case "integer" -> format.isEmpty() ? "int64" : format;
            case "number" -> "float64";
            case "boolean" -> "bool";
            case "array" -> {
                JsonNode items = schema.get("items");
                String elem = items == null ? null : goType(resolve(items), refName(items));
                yield elem == null ? null : "[]" + elem;
            }
            case "object" -> {
                if (ref != null && schema.has("properties")) {
                    yield goStructType(ref);
                }
                JsonNode additional = schema.get("additionalProperties");
                if (ref == null && additional != null && additional.isObject()) {
                    String elem = goType(resolve(additional), refName(additional));
                    yield elem == null ? null : "map[string]" + elem;
                }
                yield null;
            }
            default -> null;
        };
    }

    /** {@code io.k8s.api.core.v1.PodSpec} is {@code v1.PodSpec} to Go. */
    private static String goStructType(String schemaName) {
        int last = schemaName.lastIndexOf('.');
        int pkg = schemaName.lastIndexOf('.', last - 1);
        return schemaName.substring(pkg + 1);
    }

    /**
     * How Go's decoder names a JSON value its field cannot take ({@code string}, {@code number}, {@code number 1.5},
     * {@code bool}, {@code object}, {@code array}), or null if the field takes it.
     */
    private static String jsonType(JsonNode value, String type, String format) {
        return switch (type) {
            case "string" -> value.isTextual() ? null : goJsonType(value);
            case "integer" -> {
                if (!value.isNumber()) {
                    yield goJsonType(value);
                }
                boolean fits = value.canConvertToExactIntegral() && (format.equals("int32") ? value.canConvertToInt()
                        : value.canConvertToLong());
                yield fits ? null : "number " + value.asText();
            }
            case "number" -> value.isNumber() ? null : goJsonType(value);
            case "boolean" -> value.isBoolean() ? null : goJsonType(value);
            case "array" -> value.isArray() ? null : goJsonType(value);
            case "object" -> value.isObject() ? null : goJsonType(value);
            default -> null;
        };
    }

    private static String goJsonType(JsonNode value) {
        if (value.isTextual()) {
            return "string";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isBoolean()) {
            return "bool";
        }
        return value.isArray() ? "array" : "object";
    }

    /** The name of the schema a property refers to ({@code $ref}, or a lone {@code allOf} reference), or null. */
    private static String refName(JsonNode schema) {
        JsonNode ref = schema.get("$ref");
        JsonNode allOf = schema.get("allOf");
        if (ref == null && allOf != null && allOf.size() == 1) {
            ref = allOf.get(0).get("$ref");
        }
        return ref != null && ref.asText().startsWith(Documents.V3_REF)
                ? ref.asText().substring(Documents.V3_REF.length()) : null;
    }

    /**
     * The name of the last schema {@code declared}'s references lead to (null if it has none), so that every
     * property referring to one named schema shares its compiled form.
     */
    private static String namedTarget(JsonNode declared) {
        String name = null;
        JsonNode schema = declared;
        for (int hops = 0; schema != null && hops < 8; hops++) {
            String ref = refName(schema);
            if (ref == null) {
                return name;
            }
            name = ref;
            schema = FieldSchemas.get().schema(ref);
        }
        return name;
    }

    /** Follows {@code $ref} and a lone {@code allOf} reference to the schema meant. */
    private static JsonNode resolve(JsonNode schema) {
        for (int hops = 0; schema != null && hops < 8; hops++) {
            JsonNode allOf = schema.get("allOf");
            JsonNode ref = schema.get("$ref");
            if (ref == null && allOf != null && allOf.size() == 1) {
                ref = allOf.get(0).get("$ref");
            }
            if (ref == null || !ref.asText().startsWith(Documents.V3_REF)) {
                return schema;
            }
            schema = FieldSchemas.get().schema(ref.asText().substring(Documents.V3_REF.length()));
        }
        return schema;
    }
}

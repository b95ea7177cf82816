package dev.drydock.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.openapi.KubeSchemas.Gvk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        JsonNode schema;
        boolean typed = false;
        if (kind.isCustom()) {
            schema = CustomSchemas.kind(kind);
        } else {
            String name = FieldSchemas.get().nameOf(new Gvk(kind.group(), kind.version(), kind.kind()));
            if (name == null) {
                return List.of(); // no schema to judge by
            }
            schema = FieldSchemas.get().schema(name);
            typed = true; // a built-in kind decodes into Go types: a value of the wrong JSON type does not decode
        }
        Walk walk = new Walk(remove, typed);
        walk.walk(schema, object, null, null, kind.kind());
        if (walk.typeError != null) {
            throw new TypeMismatch(walk.typeError);
        }
        return walk.unknown;
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
        void walk(JsonNode declared, JsonNode value, Path path, Path goPath, String goStruct) {
            String ref = refName(declared);
            JsonNode schema = resolve(declared);
            if (schema == null || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                return;
            }
            if (typed && typeError == null && goPath != null && !value.isNull()) {
                String got = jsonType(value, schema);
                String expected = got == null ? null : goType(schema, ref); // named only when it is refused
                if (expected != null) {
                    typeError = "json: cannot unmarshal " + got + " into Go struct field "
                            + goStruct.substring(goStruct.lastIndexOf('.') + 1) + "."
                            + Path.spelled(goPath) + " of type " + expected;
                    return;
                }
            }
            if (value.isObject()) {
                String struct = ref == null ? goStruct : ref; // spelled as Go names it only in an error
                JsonNode properties = schema.get("properties");
                JsonNode additional = schema.get("additionalProperties");
                List<String> drop = null;
                for (Map.Entry<String, JsonNode> field : value.properties()) {
                    Path at = Path.field(path, field.getKey());
                    JsonNode property = properties == null ? null : properties.get(field.getKey());
                    if (property != null) {
                        walk(property, field.getValue(), at, Path.field(goPath, field.getKey()), struct);
                    } else if (additional != null && additional.isObject()) {
                        walk(additional, field.getValue(), at, goPath, goStruct); // a map's value: its field's name
                    } else if (properties != null && (additional == null || !additional.asBoolean(true))) {
                        unknown.add(Path.spelled(at));
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
            } else if (value.isArray() && schema.has("items")) {
                JsonNode items = schema.get("items");
                for (int i = 0; i < value.size(); i++) {
                    walk(items, value.get(i), Path.index(path, i), goPath, goStruct);
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
    private static String jsonType(JsonNode value, JsonNode schema) {
        String type = schema.path("type").asText("");
        String format = schema.path("format").asText("");
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

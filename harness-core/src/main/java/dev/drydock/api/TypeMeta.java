package dev.drydock.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.List;
import java.util.Map;

/**
 * The {@code kind} and {@code apiVersion} a request body stands for (kube's {@code TypeMeta}), and the decode step
 * that reads them as kube-apiserver does. What a body leaves out is taken from the URL, as kube's serializers fill
 * a missing kind or apiVersion from the kind the path serves ({@code gvkWithDefaults}); so the official clients,
 * which send {@code new V1Pod().metadata(...)} without either, work. Only a body that names another kind or
 * version is refused, with kube's words: a 400 on create and update, a 422 for a patch whose result changed them.
 *
 * @param group   the API group, {@code ""} for the core group
 * @param version the version within the group, e.g. {@code v1}
 * @param kind    e.g. {@code Pod}
 */
record TypeMeta(String group, String version, String kind) {

    /** The body of {@code .../scale}, as kube serves it for Deployments and ReplicaSets. */
    static final TypeMeta SCALE = new TypeMeta("autoscaling", "v1", "Scale");
    /** The body of {@code pods/<name>/binding}. */
    static final TypeMeta BINDING = new TypeMeta("", "v1", "Binding");

    /**
     * Kinds drydock knows besides the registry's, for kube's wording of a kind it cannot take: it converts none of
     * them into another, so they are refused as "unknown conversion" rather than as not registered at all.
     */
    private static final List<TypeMeta> OTHER_KINDS = List.of(SCALE, BINDING, new TypeMeta("", "v1", "List"),
            new TypeMeta("", "v1", "Status"));

    /** The Go package of kube's internal types for an API group, as its conversion errors name them. */
    private static final Map<String, String> INTERNAL_PACKAGES = Map.of("", "core", "events.k8s.io", "core");

    /** What a body sent to {@code kind}'s path (with {@code subresource}, or {@code null}) stands for. */
    static TypeMeta of(KindDescriptor kind, String subresource) {
        Resource r = kind.resource();
        Subresource sub = subresource == null ? null : kind.subresource(subresource);
        if (sub != null && sub.kind() != null) {
            String[] gv = (sub.groupVersion() != null ? sub.groupVersion() : r.apiVersion()).split("/");
            return new TypeMeta(gv.length == 2 ? gv[0] : "", gv[gv.length - 1], sub.kind());
        }
        return new TypeMeta(r.group(), r.version(), r.kind());
    }

    /** {@code group/version}, or only the version in the core group. */
    String apiVersion() {
        return apiVersion(group, version);
    }

    /**
     * The body with this kind and apiVersion, first as in kube's JSON; a copy, the body is not changed.
     *
     * @throws ApiException 400 BadRequest, worded as kube-apiserver's create and update handlers word it, when the
     *                      body names another kind or version, or names them in a form that cannot be read
     */
    ObjectNode decode(ObjectNode body, KindRegistry registry) {
        String[] read;
        try {
            read = read(body);
        } catch (IllegalArgumentException e) {
            throw badRequest(unrecognized(body, e.getMessage()));
        }
        TypeMeta actual = withDefaults(read);
        if (actual.version.isEmpty()) {
            throw badRequest(cannotBeHandled(actual, "Object 'apiVersion' is missing in '" + body + "'"));
        }
        if (!actual.kind.equals(kind) || !actual.group.equals(group)) {
            throw badRequest(cannotBeHandled(actual, conversionError(actual, registry)));
        }
        if (!actual.version.equals(version)) {
            // kube decodes another version of the group that it knows (apps/v1beta1), then refuses it for not being
            // the path's. (A version it does not know at all, apps/v9, it calls not registered; drydock cannot tell.)
            throw badRequest("the API version in the data (" + actual.apiVersion() + ") does not match the "
                    + "expected API version (" + apiVersion() + ")");
        }
        return stamped(body);
    }

    /**
     * The result of a patch with this kind and apiVersion. A patch may leave them out (kube then decodes the result
     * as the path's kind); a strategic merge patch cannot change them (kube reads its result into the path's type);
     * a JSON or merge patch that changes them makes a result kube cannot decode: 422 Invalid, on the field
     * {@code patch}.
     */
    ObjectNode patched(ObjectNode result, boolean strategic, KindRegistry registry) {
        if (!strategic) {
            String[] read;
            try {
                read = read(result);
            } catch (IllegalArgumentException e) {
                throw invalidPatch(result, e.getMessage());
            }
            TypeMeta actual = withDefaults(read);
            if (!actual.equals(this)) {
                throw invalidPatch(result, conversionError(actual, registry));
            }
        }
        return stamped(result);
    }

    // ---- kube's reading of kind and apiVersion (serializer/json's Interpret, schema.ParseGroupVersion)

    /**
     * The body's {group, version, kind}, empty where it has none.
     *
     * @throws IllegalArgumentException worded as kube's, if they cannot be read
     */
    private static String[] read(ObjectNode body) {
        for (String field : List.of("apiVersion", "kind")) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull() && !v.isTextual()) {
                throw new IllegalArgumentException("couldn't get version/kind; json parse error: json: cannot "
                        + "unmarshal " + goType(v) + " into Go struct field ." + field + " of type string");
            }
        }
        String apiVersion = body.path("apiVersion").asText("");
        String k = body.path("kind").asText("");
        if (apiVersion.isEmpty() || apiVersion.equals("/")) {
            return new String[] {"", "", k};
        }
        int slash = apiVersion.indexOf('/');
        if (slash < 0) {
            return new String[] {"", apiVersion, k};
        }
        if (apiVersion.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("unexpected GroupVersion string: " + apiVersion);
        }
        return new String[] {apiVersion.substring(0, slash), apiVersion.substring(slash + 1), k};
    }

    /** kube's {@code gvkWithDefaults}: the path's kind, and its group and version, where the body has none. */
    private TypeMeta withDefaults(String[] read) {
        String g = read[0];
        String v = read[1];
        String k = read[2].isEmpty() ? kind : read[2];
        if (v.isEmpty() && g.isEmpty()) {
            g = group;
            v = version;
        }
        if (v.isEmpty() && g.equals(group)) {
            v = version;
        }
        return new TypeMeta(g, v, k);
    }

    /** A copy with this kind and apiVersion first, then the body's other fields in their order. */
    private ObjectNode stamped(ObjectNode body) {
        ObjectNode out = Json.object();
        out.put("kind", kind);
        out.put("apiVersion", apiVersion());
        body.properties().forEach(f -> {
            if (!f.getKey().equals("kind") && !f.getKey().equals("apiVersion")) {
                out.set(f.getKey(), f.getValue().deepCopy());
            }
        });
        return out;
    }

    // ---- kube's words

    /** As kube's {@code transformDecodeError} when the data named a kind. */
    private String cannotBeHandled(TypeMeta actual, String why) {
        return actual.kind + " in version \"" + actual.version + "\" cannot be handled as a " + kind + ": " + why;
    }

    /**
     * Why {@code actual} cannot be decoded into this kind: kube converts no kind into another ("unknown
     * conversion"), and a kind it does not know at all is not registered. drydock knows fewer kinds than kube, so
     * a kind it does not serve (a Service, say) is reported as not registered here.
     */
    private String conversionError(TypeMeta actual, KindRegistry registry) {
        if (!knows(actual, registry)) {
            return "no kind \"" + actual.kind + "\" is registered for version \"" + actual.apiVersion()
                    + "\" in scheme \"drydock\"";
        }
        return "converting (" + actual.version + "." + actual.kind + ") to ("
                + INTERNAL_PACKAGES.getOrDefault(group, group.split("\\.")[0]) + "." + kind + "): unknown conversion";
    }

    private static boolean knows(TypeMeta t, KindRegistry registry) {
        for (KindDescriptor k : registry.all()) {
            Resource r = k.resource();
            if (r.group().equals(t.group) && r.version().equals(t.version)
                    && (r.kind().equals(t.kind) || k.listKind().equals(t.kind))) {
                return true;
            }
        }
        return OTHER_KINDS.contains(t);
    }

    /** As kube's {@code transformDecodeError} when the data named no kind it could read. */
    private String unrecognized(JsonNode body, String why) {
        String data = body.toString();
        return "the object provided is unrecognized (must be of type " + kind + "): " + why + " ("
                + (data.length() > 30 ? data.substring(0, 30) + " ..." : data) + ")";
    }

    private static String goType(JsonNode v) {
        return v.isNumber() ? "number" : v.isBoolean() ? "bool" : v.isArray() ? "array" : "object";
    }

    private static ApiException badRequest(String message) {
        return ApiException.of(400, "BadRequest", message);
    }

    /** As kube's patch handler when it cannot decode the patched object: {@code NewInvalid(GroupKind{}, "", ...)}. */
    private static ApiException invalidPatch(ObjectNode result, String why) {
        FieldError error = FieldError.invalid("patch", result.toString(), why);
        ObjectNode details = Json.object();
        details.putArray("causes").add(error.cause());
        return new ApiException(ApiException.status(422, "Invalid", " \"\" is invalid: " + error, details));
    }

    private static String apiVersion(String group, String version) {
        return group.isEmpty() ? version : group + "/" + version;
    }
}

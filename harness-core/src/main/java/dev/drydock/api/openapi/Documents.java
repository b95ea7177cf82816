package dev.drydock.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.openapi.KubeSchemas.Gvk;
import dev.drydock.api.openapi.Paths.Op;
import dev.drydock.api.openapi.Paths.Param;
import dev.drydock.api.openapi.Paths.PathItem;
import dev.drydock.kube.Json;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the OpenAPI documents kube-apiserver serves from the kinds served: one v3 document per group version
 * ({@code /openapi/v3/apis/<group>/<version>}) and the v2 document of everything ({@code /openapi/v2}). Each holds the
 * paths of the served kinds only and the schemas those paths reach. Pure: no I/O, no state.
 */
final class Documents {

    static final String V3_REF = "#/components/schemas/";
    static final String V2_REF = "#/definitions/";

    private static final List<String> SHARED = List.of(Paths.STATUS, Paths.DELETE_OPTIONS, Paths.PATCH,
            Paths.WATCH_EVENT);

    private Documents() {
    }

    /** The kinds of one document: their paths and the schemas they reach, custom ones built as kube builds them. */
    private static final class Model {
        final Map<String, JsonNode> custom = new LinkedHashMap<>();
        final Map<String, PathItem> paths = new TreeMap<>();
        final TreeSet<String> roots = new TreeSet<>(SHARED);

        Model(List<ServedKind> kinds) {
            KubeSchemas kube = KubeSchemas.get();
            for (ServedKind k : kinds) {
                String kind;
                String list;
                if (k.isCustom()) {
                    kind = CustomSchemas.name(k.group(), k.version(), k.kind());
                    list = CustomSchemas.name(k.group(), k.version(), k.listKind());
                    custom.put(kind, CustomSchemas.kind(k));
                    custom.put(list, CustomSchemas.list(k, kind));
                } else {
                    kind = kube.nameOf(new Gvk(k.group(), k.version(), k.kind()));
                    list = kube.nameOf(new Gvk(k.group(), k.version(), k.listKind()));
                    if (kind == null || list == null) {
                        continue; // a kind Kubernetes 1.32 does not have: no schema to publish
                    }
                }
                for (PathItem p : Paths.of(k, kind, list)) {
                    paths.put(p.path(), p);
                    for (Op op : p.ops()) {
                        roots.add(op.response());
                        if (op.body() != null) {
                            roots.add(op.body());
                        }
                    }
                }
            }
        }

        JsonNode schema(String name) {
            JsonNode s = custom.get(name);
            return s != null ? s : KubeSchemas.get().schema(name);
        }

        /** The roots and every schema they reference, by name, sorted as kube sorts them. */
        Map<String, JsonNode> closure() {
            Map<String, JsonNode> out = new TreeMap<>();
            Deque<String> todo = new ArrayDeque<>(roots);
            while (!todo.isEmpty()) {
                String name = todo.pop();
                if (out.containsKey(name)) {
                    continue;
                }
                JsonNode s = schema(name);
                if (s == null) {
                    throw new IllegalStateException("no schema " + name);
                }
                out.put(name, s);
                collectRefs(s, todo);
            }
            return out;
        }
    }

    private static void collectRefs(JsonNode node, Deque<String> todo) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith(V3_REF)) {
                todo.add(ref.asText().substring(V3_REF.length()));
            }
            for (JsonNode child : node) {
                collectRefs(child, todo);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                collectRefs(child, todo);
            }
        }
    }

    /** The v3 document of the kinds of one group version. */
    static ObjectNode v3(List<ServedKind> kinds) {
        Model m = new Model(kinds);
        ObjectNode doc = Json.object();
        ObjectNode components = doc.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        m.closure().forEach(schemas::set);
        components.putObject("securitySchemes").set("BearerToken", bearer());
        doc.putObject("info").put("title", "Kubernetes").put("version", KubeSchemas.KUBE_VERSION);
        doc.put("openapi", "3.0.0");
        ObjectNode paths = doc.putObject("paths");
        for (PathItem p : m.paths.values()) {
            ObjectNode item = paths.putObject(p.path());
            for (Op op : p.ops()) {
                item.set(op.method(), v3Op(op, Paths.tagOf(p.path()), p.custom()));
            }
            ArrayNode params = item.putArray("parameters");
            p.params().forEach(x -> params.add(v3Param(x)));
        }
        doc.putArray("security").addObject().putArray("BearerToken");
        return doc;
    }

    private static ObjectNode v3Op(Op op, String tag, boolean custom) {
        ObjectNode o = Json.object();
        o.put("description", op.description());
        o.put("operationId", op.operationId());
        ArrayNode params = o.putArray("parameters");
        op.params().forEach(p -> params.add(v3Param(p)));
        if (op.body() != null) {
            ObjectNode body = o.putObject("requestBody");
            ObjectNode content = body.putObject("content");
            if (op.patches() != null) {
                op.patches().forEach(t -> content.putObject(t).set("schema", ref(V3_REF, op.body())));
            } else {
                content.putObject("*/*").set("schema", ref(V3_REF, op.body()));
            }
            if (!op.method().equals("delete")) {
                body.put("required", true);
            }
        }
        ObjectNode responses = o.putObject("responses");
        for (String code : op.codes()) {
            ObjectNode r = responses.putObject(code);
            ObjectNode content = r.putObject("content");
            for (String type : produces(op, custom)) {
                content.putObject(type).set("schema", ref(V3_REF, op.response()));
            }
            r.put("description", describe(code));
        }
        responses.putObject("401").put("description", "Unauthorized");
        o.putArray("tags").add(tag);
        o.put("x-kubernetes-action", op.action());
        o.set(KubeSchemas.GVK, op.gvk().json());
        return o;
    }

    private static ObjectNode v3Param(Param p) {
        ObjectNode n = Json.object();
        n.put("description", p.description());
        n.put("in", p.in());
        n.put("name", p.name());
        if (p.required()) {
            n.put("required", true);
        }
        n.putObject("schema").put("type", p.type()).put("uniqueItems", true);
        return n;
    }

    /** The v2 (Swagger 2.0) document of every served kind. */
    static ObjectNode v2(List<ServedKind> kinds) {
        Model m = new Model(kinds);
        ObjectNode doc = Json.object();
        ObjectNode definitions = doc.putObject("definitions");
        m.closure().forEach((name, schema) -> definitions.set(name, V2Schemas.convert(schema)));
        doc.putObject("info").put("title", "Kubernetes").put("version", KubeSchemas.KUBE_VERSION);
        ObjectNode paths = doc.putObject("paths");
        for (PathItem p : m.paths.values()) {
            ObjectNode item = paths.putObject(p.path());
            for (Op op : p.ops()) {
                item.set(op.method(), v2Op(op, Paths.tagOf(p.path()), p.custom()));
            }
            ArrayNode params = item.putArray("parameters");
            p.params().forEach(x -> params.add(v2Param(x)));
        }
        doc.putArray("security").addObject().putArray("BearerToken");
        doc.putObject("securityDefinitions").set("BearerToken", bearer());
        doc.put("swagger", "2.0");
        return doc;
    }

    private static ObjectNode v2Op(Op op, String tag, boolean custom) {
        ObjectNode o = Json.object();
        ArrayNode consumes = o.putArray("consumes");
        if (op.patches() != null) {
            op.patches().forEach(consumes::add);
        } else {
            consumes.add("*/*");
        }
        o.put("description", op.description());
        o.put("operationId", op.operationId());
        ArrayNode params = o.putArray("parameters");
        if (op.body() != null) {
            ObjectNode body = params.addObject();
            body.put("in", "body");
            body.put("name", "body");
            if (!op.method().equals("delete")) {
                body.put("required", true);
            }
            body.set("schema", ref(V2_REF, op.body()));
        }
        op.params().forEach(p -> params.add(v2Param(p)));
        ArrayNode produces = o.putArray("produces");
        produces(op, custom).forEach(produces::add);
        ObjectNode responses = o.putObject("responses");
        for (String code : op.codes()) {
            responses.putObject(code).put("description", describe(code)).set("schema", ref(V2_REF, op.response()));
        }
        responses.putObject("401").put("description", "Unauthorized");
        o.putArray("schemes").add("https");
        o.putArray("tags").add(tag);
        o.put("x-kubernetes-action", op.action());
        o.set(KubeSchemas.GVK, op.gvk().json());
        return o;
    }

    private static ObjectNode v2Param(Param p) {
        ObjectNode n = Json.object();
        n.put("description", p.description());
        n.put("in", p.in());
        n.put("name", p.name());
        if (p.required()) {
            n.put("required", true);
        }
        n.put("type", p.type());
        n.put("uniqueItems", true);
        return n;
    }

    private static List<String> produces(Op op, boolean custom) {
        if (custom) {
            return op.watch() ? List.of("application/json", "application/json;stream=watch")
                    : List.of("application/json", "application/yaml");
        }
        return op.watch()
                ? List.of("application/json", "application/json;stream=watch", "application/vnd.kubernetes.protobuf",
                        "application/vnd.kubernetes.protobuf;stream=watch", "application/yaml")
                : List.of("application/json", "application/vnd.kubernetes.protobuf", "application/yaml");
    }

    private static String describe(String code) {
        return switch (code) {
            case "200" -> "OK";
            case "201" -> "Created";
            case "202" -> "Accepted";
            default -> code;
        };
    }

    static ObjectNode ref(String prefix, String name) {
        return Json.object().put("$ref", prefix + name);
    }

    private static ObjectNode bearer() {
        return Json.object().put("description", "Bearer Token authentication").put("in", "header")
                .put("name", "authorization").put("type", "apiKey");
    }
}

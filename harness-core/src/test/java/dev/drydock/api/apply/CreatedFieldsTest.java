package dev.drydock.api.apply;

import static dev.drydock.api.apply.TypedTest.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.openapi.FieldSchemas;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The walk that records a create ({@link CreatedFields}) gives byte for byte the {@code managedFields} the general
 * comparison gives, over kubectl's fixtures, objects of every built-in kind drawn from their schemas, a custom
 * resource, and odd shapes (zero structs set to {@code {}}, null or a scalar, empty and atomic lists and maps,
 * duplicate and unkeyed items, keys that order as equal).
 */
class CreatedFieldsTest {

    static final Instant NOW = Instant.parse("2026-12-01T20:00:00.5Z");
    static final String[] FIXTURES = {"configmap-c", "configmap-files", "cronjob-cj", "deployment-multi",
        "deployment-web", "deployment-web2", "job-from-cronjob", "job-j", "namespace-x", "pod-debug-copy",
        "secret-docker", "secret-s", "secret-typed", "service-externalname", "service-headless", "service-lb",
        "service-nodeport", "service-svc", "serviceaccount-sa"};

    int fast;

    /** Records the create of {@code object} both ways and checks they agree. */
    void assertSame(FieldManager fm, Type type, ObjectNode object, boolean hasStatus) {
        ObjectNode a = object.deepCopy();
        ObjectNode b = object.deepCopy();
        fm.update(null, a, "creator", null, NOW);
        fm.withoutFastCreate().update(null, b, "creator", null, NOW);
        assertThat(Json.string(a)).as("managedFields of %s", Json.string(object)).isEqualTo(Json.string(b));
        if (CreatedFields.of(type, object, hasStatus ? f -> !f.equals("status") : Typed.EVERYTHING) != null) {
            fast++;
        }
    }

    void assertSameBothWays(String group, String version, String kind, ObjectNode object) {
        Resource r = new Resource(group, version, kind.toLowerCase() + "s", kind, true);
        Type type = Schemas.builtIn(group, version, kind);
        assertSame(FieldManager.of(r, null, true), type, object, true);
        assertSame(FieldManager.of(r, null, false), type, object, false);
    }

    static ObjectNode fixture(String name) throws IOException {
        try (InputStream in = CreatedFieldsTest.class.getResourceAsStream("/protobuf/" + name + ".json")) {
            return (ObjectNode) Json.parse(in.readAllBytes());
        }
    }

    static void assertSameForObject(CreatedFieldsTest t, ObjectNode o) {
        String apiVersion = o.path("apiVersion").asText();
        int slash = apiVersion.indexOf('/');
        t.assertSameBothWays(slash < 0 ? "" : apiVersion.substring(0, slash), apiVersion.substring(slash + 1),
                o.path("kind").asText(), o);
    }

    @Test
    void kubectlsFixturesAndTheirMutationsAreRecordedAsTheGeneralPathRecordsThem() throws IOException {
        SplittableRandom random = new SplittableRandom(13);
        for (String name : FIXTURES) {
            ObjectNode o = fixture(name);
            assertSameForObject(this, o);
            for (int i = 0; i < 150; i++) {
                ObjectNode m = o.deepCopy();
                for (int j = 1 + random.nextInt(3); j > 0; j--) {
                    mutate(m, random);
                }
                assertSameForObject(this, m);
            }
        }
        assertThat(fast).as("creates recorded by the walk").isGreaterThan(FIXTURES.length * 2 * 140);
    }

    @Test
    void objectsOfEveryBuiltInKindDrawnFromTheirSchemasAreRecordedAsTheGeneralPathRecordsThem() throws IOException {
        JsonNode schemas;
        try (InputStream in = new GZIPInputStream(FieldSchemas.class.getResourceAsStream("kube-schemas.json.gz"))) {
            schemas = Json.parse(in.readAllBytes());
        }
        SplittableRandom random = new SplittableRandom(7);
        int kinds = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = schemas.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode gvks = e.getValue().path("x-kubernetes-group-version-kind");
            if (gvks.size() != 1 || !e.getValue().path("properties").has("metadata")) {
                continue;
            }
            JsonNode gvk = gvks.get(0);
            String group = gvk.path("group").asText();
            String version = gvk.path("version").asText();
            String kind = gvk.path("kind").asText();
            kinds++;
            for (int i = 0; i < 12; i++) {
                ObjectNode o = (ObjectNode) draw(schemas, e.getValue(), random, 0);
                o.put("apiVersion", group.isEmpty() ? version : group + "/" + version);
                o.put("kind", kind);
                if (i % 3 == 2) {
                    mutate(o, random);
                }
                assertSameBothWays(group, version, kind, o);
            }
        }
        assertThat(kinds).as("built-in kinds with a schema").isGreaterThan(50);
    }

    @Test
    void aCustomResourceIsRecordedAsTheGeneralPathRecordsIt() {
        JsonNode schema = obj("{'type':'object','properties':{'spec':{'type':'object','properties':{"
                + "'replicas':{'type':'integer'},"
                + "'ports':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['port',"
                + "'protocol'],'items':{'type':'object','properties':{'port':{'type':'integer'},'protocol':{"
                + "'type':'string','default':'TCP'},'name':{'type':'string'}}}},"
                + "'tags':{'type':'array','x-kubernetes-list-type':'set','items':{'type':'string'}},"
                + "'args':{'type':'array','items':{'type':'string'}},"
                + "'selector':{'type':'object','x-kubernetes-map-type':'atomic','additionalProperties':{"
                + "'type':'string'}},"
                + "'free':{'type':'object','x-kubernetes-preserve-unknown-fields':true},"
                + "'embedded':{'type':'object','x-kubernetes-embedded-resource':true,"
                + "'x-kubernetes-preserve-unknown-fields':true},"
                + "'port':{'x-kubernetes-int-or-string':true}}},"
                + "'status':{'type':'object','properties':{'ready':{'type':'boolean'}}}}}");
        Resource r = new Resource("example.com", "v1", "widgets", "Widget", true);
        Type type = Schemas.custom(schema);
        List<ObjectNode> objects = List.of(
                obj("{'apiVersion':'example.com/v1','kind':'Widget','metadata':{'name':'w','namespace':'ns',"
                        + "'labels':{'a':'b'},'finalizers':['x','y']},'spec':{'replicas':2,'ports':[{'port':80},"
                        + "{'port':80,'protocol':'UDP'},{'port':443,'name':'https'}],'tags':['b','a','b'],"
                        + "'args':['x'],'selector':{'k':'v'},'free':{'a':{'b':[1,{'c':{}}]},'e':{}},"
                        + "'embedded':{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'}},'port':'http'},"
                        + "'status':{'ready':true}}"),
                obj("{'apiVersion':'example.com/v1','kind':'Widget','metadata':{'name':'w'},'spec':{"
                        + "'ports':[{'port':80},{'port':80},{'name':'nokey'},{'port':80.0}],'tags':[1,1.0,'1'],"
                        + "'free':null,'selector':{},'args':[]},'other':{'x':1}}"),
                obj("{'apiVersion':'example.com/v1','kind':'Widget','metadata':{'name':'w','labels':{}},"
                        + "'spec':{}}"),
                obj("{'apiVersion':'example.com/v1','kind':'Widget'}"),
                obj("{'metadata':{'name':'w','namespace':'ns','uid':'u','generation':3}}"));
        for (ObjectNode o : objects) {
            assertSame(FieldManager.of(r, schema, true), type, o, true);
            assertSame(FieldManager.of(r, schema, false), type, o, false);
        }
    }

    @Test
    void oddShapesOfPodsAndDeploymentsAreRecordedAsTheGeneralPathRecordsThem() {
        List<String> pods = List.of(
                "'spec':{'securityContext':{},'containers':[{'name':'a','ports':[{'containerPort':80},"
                        + "{'containerPort':80,'protocol':'TCP'},{'containerPort':80.0}]}]}",
                "'spec':{'securityContext':null,'containers':[{'name':'a'},{'name':'a','image':'x'},{'image':'y'}]}",
                "'spec':{'securityContext':'x','containers':{}}",
                "'spec':{'securityContext':{'runAsUser':1},'containers':[],'tolerations':[{'key':'a'},{'key':'a'}]}",
                "'spec':{'securityContext':[1],'containers':null,'volumes':[{'name':'v','emptyDir':{}}]}",
                "'spec':[],'status':{'conditions':[{'type':'Ready'},{'type':'Ready','status':'True'}]}",
                "'spec':null,'metadata':{'name':'p','labels':null,'annotations':{},'ownerReferences':[{'uid':'1'},"
                        + "{'uid':'1'}],'finalizers':['a','a',null,{}]}",
                "'metadata':{'name':{'x':1},'namespace':null,'uid':{},'creationTimestamp':null}",
                "'metadata':'x'",
                "'metadata':{}",
                "'unknownTop':{'a':{}},'spec':{'unknown':{'b':[{}]}}");
        for (String p : pods) {
            assertSameBothWays("", "v1", "Pod", obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p',"
                    + "'namespace':'ns'}," + p + "}"));
        }
        List<String> deployments = List.of(
                "'spec':{'template':{}}", "'spec':{'template':null}", "'spec':{'template':{'metadata':{},'spec':{}}}",
                "'spec':{'template':{'spec':{'containers':[{'name':'c','resources':{}}]}},'strategy':{}}",
                "'spec':{'selector':{'matchLabels':{}},'template':'x'}", "'spec':{}", "'spec':{'replicas':null}");
        for (String d : deployments) {
            assertSameBothWays("apps", "v1", "Deployment", obj("{'apiVersion':'apps/v1','kind':'Deployment',"
                    + "'metadata':{'name':'d'}," + d + "}"));
        }
    }

    // ---- drawing objects

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** A value of {@code schema}: each property present or not, some values empty or null. */
    static JsonNode draw(JsonNode schemas, JsonNode schema, SplittableRandom random, int depth) {
        JsonNode s = resolve(schemas, schema);
        if (depth > 7) {
            return random.nextBoolean() ? F.objectNode() : F.textNode("deep");
        }
        String type = s.path("type").asText("");
        if (s.has("properties") || type.equals("object")) {
            ObjectNode out = F.objectNode();
            if (random.nextInt(12) == 0) {
                return out;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").properties().iterator();
                 it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                if (random.nextInt(3) == 0 || depth == 0 && !p.getKey().equals("status")) {
                    out.set(p.getKey(), draw(schemas, p.getValue(), random, depth + 1));
                }
            }
            if (s.has("additionalProperties")) {
                for (int i = random.nextInt(3); i > 0; i--) {
                    out.set("k" + random.nextInt(4), draw(schemas, s.get("additionalProperties"), random, depth + 1));
                }
            }
            return out;
        }
        if (type.equals("array")) {
            ArrayNode out = F.arrayNode();
            int n = random.nextInt(4);
            for (int i = 0; i < n; i++) {
                if (i > 0 && random.nextInt(5) == 0) {
                    out.add(out.get(random.nextInt(i)).deepCopy()); // a duplicate
                } else {
                    out.add(draw(schemas, s.get("items"), random, depth + 1));
                }
            }
            return out;
        }
        return switch (type) {
            case "integer" -> F.numberNode(random.nextInt(3));
            case "number" -> F.numberNode(random.nextInt(3) / 2.0);
            case "boolean" -> F.booleanNode(random.nextBoolean());
            default -> random.nextInt(10) == 0 ? F.nullNode() : F.textNode("v" + random.nextInt(3));
        };
    }

    static JsonNode resolve(JsonNode schemas, JsonNode schema) {
        JsonNode s = schema;
        while (true) {
            if (s.has("$ref")) {
                s = schemas.path(s.get("$ref").asText().substring(s.get("$ref").asText().lastIndexOf('/') + 1));
            } else if (s.has("allOf") && s.get("allOf").size() == 1) {
                s = s.get("allOf").get(0);
            } else {
                return s;
            }
        }
    }

    /** Replaces a random value somewhere in {@code o} with an odd one, or duplicates or unkeys a list item. */
    static void mutate(ObjectNode o, SplittableRandom random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(o, containers);
        JsonNode c = containers.get(random.nextInt(containers.size()));
        JsonNode[] odd = {F.objectNode(), F.nullNode(), F.arrayNode(), F.textNode("x"), F.numberNode(1),
            F.numberNode(1.0), obj("{'a':{}}"), obj("{'name':'dup'}")};
        JsonNode pick = odd[random.nextInt(odd.length)];
        if (c instanceof ObjectNode on) {
            List<String> names = new ArrayList<>();
            on.fieldNames().forEachRemaining(names::add);
            if (names.isEmpty() || random.nextInt(4) == 0) {
                on.set("odd" + random.nextInt(2), pick);
            } else {
                String name = names.get(random.nextInt(names.size()));
                if (random.nextInt(5) == 0) {
                    on.remove(name);
                } else {
                    on.set(name, pick);
                }
            }
        } else if (c instanceof ArrayNode an) {
            if (!an.isEmpty() && random.nextBoolean()) {
                an.add(an.get(random.nextInt(an.size())).deepCopy());
            } else {
                an.add(pick);
            }
        }
    }

    private static void collect(JsonNode v, List<JsonNode> out) {
        if (v.isContainerNode()) {
            out.add(v);
            v.forEach(child -> collect(child, out));
        }
    }
}

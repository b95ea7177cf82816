package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.crd.CustomResourceDefinitions;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomResourceDefinitionTest extends ApiServerTestSupport {

    static final Resource CRDS = CustomResourceDefinitions.RESOURCE;
    static final Resource WIDGETS = new Resource("example.com", "v1", "widgets", "Widget", true);
    static final Resource WIDGETS_BETA = new Resource("example.com", "v1beta1", "widgets", "Widget", true);

    static JsonNode parse(String json) {
        return Json.parseTrusted(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static ObjectNode widgetCrd() {
        return (ObjectNode) parse("""
                {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                 "metadata": {"name": "widgets.example.com"},
                 "spec": {"group": "example.com", "scope": "Namespaced",
                   "names": {"plural": "widgets", "kind": "Widget", "shortNames": ["wd"], "categories": ["all"]},
                   "versions": [
                     {"name": "v1", "served": true, "storage": true,
                      "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                        "spec": {"type": "object", "properties": {"replicas": {"type": "integer"},
                                                                   "size": {"type": "string"}}},
                        "status": {"type": "object", "properties": {"replicas": {"type": "integer"},
                                                                     "selector": {"type": "string"},
                                                                     "phase": {"type": "string"}}}}}},
                      "subresources": {"status": {}, "scale": {"specReplicasPath": ".spec.replicas",
                         "statusReplicasPath": ".status.replicas", "labelSelectorPath": ".status.selector"}},
                      "additionalPrinterColumns": [
                        {"name": "Size", "type": "string", "jsonPath": ".spec.size"},
                        {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"}]},
                     {"name": "v1beta1", "served": true, "storage": false,
                      "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}
                   ]}}
                """);
    }

    static ObjectNode widget(String name, String apiVersion) {
        return (ObjectNode) parse("{\"apiVersion\": \"" + apiVersion + "\", \"kind\": \"Widget\", "
                + "\"metadata\": {\"name\": \"" + name + "\"}, \"spec\": {\"replicas\": 2, \"size\": \"big\"}}");
    }

    @Test
    void aCreatedCrdIsEstablishedAndItsResourceIsServedAtOnce() {
        ObjectNode crd = client.create(CRDS, null, widgetCrd());

        assertThat(crd.path("status").path("conditions").findValuesAsText("type"))
                .contains("NamesAccepted", "Established");
        assertThat(crd.at("/status/acceptedNames/kind").asText()).isEqualTo("Widget");
        assertThat(crd.at("/status/storedVersions/0").asText()).isEqualTo("v1");
        assertThat(crd.at("/spec/names/singular").asText()).isEqualTo("widget");
        assertThat(crd.at("/spec/names/listKind").asText()).isEqualTo("WidgetList");

        ObjectNode created = client.create(WIDGETS, NS, widget("w1", "example.com/v1"));
        assertThat(created.at("/metadata/generation").asLong()).isEqualTo(1);
        assertThat(client.get(WIDGETS, NS, "w1").at("/spec/size").asText()).isEqualTo("big");
        KindDescriptor served = api.registry().find(WIDGETS);
        assertThat(served.shortNames()).containsExactly("wd");
        assertThat(served.categories()).containsExactly("all");
        assertThat(served.subresourceNames()).containsExactly("scale", "status");
    }

    @Test
    void versionsShareOneStorageWithNoneConversion() {
        client.create(CRDS, null, widgetCrd());
        client.create(WIDGETS_BETA, NS, widget("w1", "example.com/v1beta1"));

        assertThat(client.get(WIDGETS, NS, "w1").path("apiVersion").asText()).isEqualTo("example.com/v1");
        assertThat(client.get(WIDGETS_BETA, NS, "w1").path("apiVersion").asText()).isEqualTo("example.com/v1beta1");
        assertThat(names(list(WIDGETS, NS, Map.of()))).containsExactly("w1");
    }

    @Test
    void theStatusSubresourceSplitsSpecFromStatusAndTheGenerationFollowsTheSpec() {
        client.create(CRDS, null, widgetCrd());
        ObjectNode w = widget("w1", "example.com/v1");
        w.putObject("status").put("phase", "Set at create");
        ObjectNode created = client.create(WIDGETS, NS, w);
        assertThat(created.has("status")).as("a create may not set a status with its own subresource").isFalse();

        ObjectNode status = created.deepCopy();
        status.putObject("status").put("phase", "Ready");
        status.withObjectProperty("spec").put("size", "ignored by status writes");
        ObjectNode afterStatus = client.updateStatus(WIDGETS, status);
        assertThat(afterStatus.at("/status/phase").asText()).isEqualTo("Ready");
        assertThat(afterStatus.at("/spec/size").asText()).isEqualTo("big");
        assertThat(afterStatus.at("/metadata/generation").asLong()).isEqualTo(1);

        ObjectNode spec = afterStatus.deepCopy();
        spec.withObjectProperty("spec").put("size", "small");
        spec.withObjectProperty("status").put("phase", "ignored by main writes");
        ObjectNode afterSpec = client.update(WIDGETS, spec);
        assertThat(afterSpec.at("/metadata/generation").asLong()).isEqualTo(2);
        assertThat(afterSpec.at("/status/phase").asText()).isEqualTo("Ready");
    }

    @Test
    void theScaleSubresourceReadsAndWritesTheNamedPaths() {
        client.create(CRDS, null, widgetCrd());
        ObjectNode created = client.create(WIDGETS, NS, widget("w1", "example.com/v1"));
        ObjectNode status = created.deepCopy();
        status.putObject("status").put("replicas", 1).put("selector", "app=w1");
        client.updateStatus(WIDGETS, status);

        ApiResponse scale = call(ApiRequest.Verb.GET, WIDGETS, NS, "w1", "scale", Map.of(), null, null);
        assertThat(scale.code()).isEqualTo(200);
        assertThat(scale.body().at("/spec/replicas").asLong()).isEqualTo(2);
        assertThat(scale.body().at("/status/replicas").asLong()).isEqualTo(1);
        assertThat(scale.body().at("/status/selector").asText()).isEqualTo("app=w1");

        ApiResponse patched = call(ApiRequest.Verb.PATCH, WIDGETS, NS, "w1", "scale", Map.of(),
                parse("{\"spec\": {\"replicas\": 5}}"), "application/merge-patch+json");
        assertThat(patched.code()).isEqualTo(200);
        assertThat(client.get(WIDGETS, NS, "w1").at("/spec/replicas").asLong()).isEqualTo(5);
    }

    @Test
    void aStrategicMergePatchOfACustomResourceIsUnsupportedMediaTypeAsInKube() {
        client.create(CRDS, null, widgetCrd());
        ObjectNode created = client.create(WIDGETS, NS, widget("w1", "example.com/v1"));

        ApiResponse strategic = call(ApiRequest.Verb.PATCH, WIDGETS, NS, "w1", null, Map.of(),
                parse("{\"spec\": {\"size\": \"small\"}}"), "application/strategic-merge-patch+json");
        assertThat(strategic.code()).isEqualTo(415);
        assertThat(strategic.body().path("reason").asText()).isEqualTo("UnsupportedMediaType");
        assertThat(client.get(WIDGETS, NS, "w1")).isEqualTo(created);

        ApiResponse merge = call(ApiRequest.Verb.PATCH, WIDGETS, NS, "w1", null, Map.of(),
                parse("{\"spec\": {\"size\": \"small\"}}"), "application/merge-patch+json");
        assertThat(merge.code()).isEqualTo(200);
    }

    @Test
    void printerColumnsMakeTheTable() {
        client.create(CRDS, null, widgetCrd());
        ObjectNode w = client.create(WIDGETS, NS, widget("w1", "example.com/v1"));

        ObjectNode table = api.registry().find(WIDGETS).table().table(List.of(w), Json.object(), null,
                Instant.now());
        assertThat(table.path("columnDefinitions").findValuesAsText("name"))
                .containsExactly("Name", "Size", "Replicas");
        JsonNode cells = table.at("/rows/0/cells");
        assertThat(cells.get(0).asText()).isEqualTo("w1");
        assertThat(cells.get(1).asText()).isEqualTo("big");
        assertThat(cells.get(2).isIntegralNumber()).isTrue();
        assertThat(cells.get(2).asLong()).isEqualTo(2);
    }

    @Test
    void aCrdWithoutColumnsGetsAge() {
        ObjectNode crd = widgetCrd();
        ((ObjectNode) crd.at("/spec/versions/0")).remove("additionalPrinterColumns");
        client.create(CRDS, null, crd);
        ObjectNode w = client.create(WIDGETS, NS, widget("w1", "example.com/v1"));
        ObjectNode table = api.registry().find(WIDGETS).table().table(List.of(w), Json.object(), null,
                Instant.now());
        assertThat(table.path("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Age");
    }

    @Test
    void deletingACrdDeletesItsResourcesHonouringTheirFinalizers() {
        client.create(CRDS, null, widgetCrd());
        client.create(WIDGETS, NS, widget("plain", "example.com/v1"));
        ObjectNode held = widget("held", "example.com/v1");
        held.withObjectProperty("metadata").putArray("finalizers").add("example.com/cleanup");
        client.create(WIDGETS, NS, held);

        client.delete(CRDS, null, "widgets.example.com");

        eventually().untilAsserted(() -> assertThat(names(list(WIDGETS, NS, Map.of()))).containsExactly("held"));
        ObjectNode crd = client.get(CRDS, null, "widgets.example.com");
        assertThat(Json.isDeleting(crd)).isTrue();
        assertThat(crd.path("status").path("conditions").findValuesAsText("type")).contains("Terminating");
        ApiException refused = failure(() -> client.create(WIDGETS, NS, widget("late", "example.com/v1")));
        assertThat(refused.code()).isEqualTo(405);

        client.modify(WIDGETS, NS, "held", obj -> obj.withObjectProperty("metadata").remove("finalizers"));

        eventually().untilAsserted(() -> assertThat(client.find(CRDS, null, "widgets.example.com")).isNull());
        // The registrar hears of the removal through its watch, a moment later, as kube's CRD handler does.
        eventually().untilAsserted(() -> {
            assertThat(api.registry().find(WIDGETS)).isNull();
            assertThat(api.registry().find(WIDGETS_BETA)).isNull();
        });
    }

    @Test
    void anInvalidCrdIsRefusedWithCauses() {
        ObjectNode crd = widgetCrd();
        crd.withObjectProperty("metadata").put("name", "wrong.example.com");
        ((ObjectNode) crd.at("/spec/versions/1")).put("storage", true);

        ApiException e = failure(() -> client.create(CRDS, null, crd));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).contains("metadata.name").contains("must have exactly one version marked as "
                + "storage version");
    }

    static ObjectNode validatedCrd() {
        return (ObjectNode) parse("""
                {"metadata": {"name": "gadgets.example.com"},
                 "spec": {"group": "example.com", "scope": "Namespaced",
                   "names": {"plural": "gadgets", "kind": "Gadget"},
                   "versions": [{"name": "v1", "served": true, "storage": true,
                     "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                       "spec": {"type": "object", "required": ["size"],
                         "x-kubernetes-validations": [{"rule": "self.min <= self.max",
                                                       "message": "min must not exceed max"}],
                         "properties": {
                           "size": {"type": "string", "enum": ["small", "large"]},
                           "replicas": {"type": "integer", "minimum": 1, "default": 1},
                           "min": {"type": "integer", "default": 0},
                           "max": {"type": "integer", "default": 10}}}}}}}]}}
                """);
    }

    static final Resource GADGETS = new Resource("example.com", "v1", "gadgets", "Gadget", true);

    @Test
    void theSchemaValidatesWithCausesDefaultsAndPrunes() {
        client.create(CRDS, null, validatedCrd());

        ApiResponse bad = call(ApiRequest.Verb.CREATE, GADGETS, NS, null, null, Map.of(), parse("""
                {"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"},
                 "spec": {"size": "huge", "replicas": 0}}
                """), null);
        assertThat(bad.code()).isEqualTo(422);
        assertThat(bad.body().path("reason").asText()).isEqualTo("Invalid");
        assertThat(bad.body().at("/details/causes").findValuesAsText("field"))
                .contains("spec.size", "spec.replicas");
        assertThat(bad.body().path("message").asText()).contains("Unsupported value: \"huge\"");

        ApiResponse rule = call(ApiRequest.Verb.CREATE, GADGETS, NS, null, null, Map.of(), parse("""
                {"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"},
                 "spec": {"size": "small", "min": 5, "max": 2}}
                """), null);
        assertThat(rule.code()).isEqualTo(422);
        assertThat(rule.body().path("message").asText()).contains("min must not exceed max");

        ApiResponse ok = call(ApiRequest.Verb.CREATE, GADGETS, NS, null, null, Map.of(), parse("""
                {"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"},
                 "spec": {"size": "small", "colour": "red"}}
                """), null);
        assertThat(ok.code()).isEqualTo(201);
        assertThat(ok.warnings()).containsExactly("unknown field \"spec.colour\"");
        ObjectNode stored = client.get(GADGETS, NS, "g");
        assertThat(stored.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(stored.at("/spec/max").asInt()).isEqualTo(10);
        assertThat(stored.path("spec").has("colour")).isFalse();
    }

    @Test
    void aCrdWhoseSchemaIsNotStructuralIsRefused() {
        ObjectNode crd = validatedCrd();
        ((ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec")).remove("type");

        ApiException e = failure(() -> client.create(CRDS, null, crd));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).contains("must not be empty for specified object fields");
    }

    @Test
    void anUnservedVersionIsNotServed() {
        ObjectNode crd = widgetCrd();
        ((ObjectNode) crd.at("/spec/versions/1")).put("served", false);
        client.create(CRDS, null, crd);
        assertThat(api.registry().find(WIDGETS)).isNotNull();
        assertThat(api.registry().find(WIDGETS_BETA)).isNull();
    }
}

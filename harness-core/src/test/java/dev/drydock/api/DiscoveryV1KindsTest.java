package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.kinds.DiscoveryV1Kinds;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** discovery.k8s.io/v1 EndpointSlices. */
class DiscoveryV1KindsTest extends KindTestSupport {

    static final Resource SLICES = DiscoveryV1Kinds.ENDPOINTSLICES;

    static ObjectNode slice(String name, String addressType, String endpoints) {
        return json("{'apiVersion':'discovery.k8s.io/v1','kind':'EndpointSlice','metadata':{'name':'" + name
                + "','labels':{'kubernetes.io/service-name':'web'}},'addressType':'" + addressType + "',"
                + "'endpoints':" + endpoints + ",'ports':[{'name':'http','port':80},{'port':8080}]}");
    }

    @Test
    void aSliceGetsKubesPortDefaultsAndAGeneration() {
        ObjectNode created = client.create(SLICES, NS, slice("web-abc", "IPv4",
                "[{'addresses':['10.244.1.5'],'conditions':{'ready':true}}]"));

        assertThat(created.path("ports")).isEqualTo(tree("[{'name':'http','port':80,'protocol':'TCP'},"
                + "{'port':8080,'name':'','protocol':'TCP'}]"));
        assertThat(created.path("metadata").path("generation").asLong()).isEqualTo(1);
        assertThat(client.get(SLICES, NS, "web-abc")).isEqualTo(created);
    }

    @Test
    void aSliceIsListedBySelectorUpdatedPatchedAndDeleted() {
        client.create(SLICES, NS, slice("web-abc", "IPv4", "[{'addresses':['10.244.1.5']}]"));
        client.create(SLICES, NS, slice("web-def", "IPv4", "[]"));
        assertThat(names(list(SLICES, NS, Map.of("labelSelector", "kubernetes.io/service-name=web"))))
                .containsExactly("web-abc", "web-def");

        ObjectNode patched = mergePatch(SLICES, "web-abc", "{'endpoints':[{'addresses':['10.244.1.6']}]}");
        assertThat(patched.path("endpoints").get(0).path("addresses").get(0).asText()).isEqualTo("10.244.1.6");
        assertThat(patched.path("metadata").path("generation").asLong()).as("anything but metadata counts")
                .isEqualTo(2);
        ObjectNode relabelled = mergePatch(SLICES, "web-abc", "{'metadata':{'labels':{'x':'y'}}}");
        assertThat(relabelled.path("metadata").path("generation").asLong()).isEqualTo(2);
        ObjectNode updated = client.modify(SLICES, NS, "web-def", s -> s.putArray("endpoints").addObject()
                .putArray("addresses").add("10.244.2.1"));
        assertThat(updated.path("endpoints")).hasSize(1);

        client.delete(SLICES, NS, "web-def");
        assertThat(names(list(SLICES, NS, Map.of()))).containsExactly("web-abc");
    }

    @Test
    void theAddressTypeIsRequiredSupportedAndImmutable() {
        ObjectNode none = slice("web", "IPv4", "[]");
        none.remove("addressType");
        assertThat(failure(() -> client.create(SLICES, NS, none)).getMessage())
                .isEqualTo("EndpointSlice.discovery.k8s.io \"web\" is invalid: addressType: Required value");
        assertThat(failure(() -> client.create(SLICES, NS, slice("web", "IP", "[]"))).getMessage())
                .endsWith("addressType: Unsupported value: \"IP\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"");

        client.create(SLICES, NS, slice("web", "IPv4", "[]"));
        ApiException e = failure(() -> mergePatch(SLICES, "web", "{'addressType':'IPv6'}"));
        assertThat(e.getMessage()).isEqualTo("EndpointSlice.discovery.k8s.io \"web\" is invalid: addressType: "
                + "Invalid value: \"IPv6\": field is immutable");
    }

    @Test
    void endpointsAndPortsAreValidatedAsKube() {
        ApiException addresses = failure(() -> client.create(SLICES, NS, slice("web", "IPv4",
                "[{'addresses':[]},{'addresses':['fd00::1','127.0.0.1']}]")));
        assertThat(addresses.getMessage()).isEqualTo("EndpointSlice.discovery.k8s.io \"web\" is invalid: ["
                + "endpoints[0].addresses: Required value: must contain at least 1 address, "
                + "endpoints[1].addresses[0]: Invalid value: \"fd00::1\": must be a valid IPv4 address, "
                + "endpoints[1].addresses[1]: Invalid value: \"127.0.0.1\": may not be in the loopback range "
                + "(127.0.0.0/8, ::1/128)]");
        assertThat(client.create(SLICES, NS, slice("v6", "IPv6", "[{'addresses':['fd00::1']}]"))
                .path("addressType").asText()).isEqualTo("IPv6");
        assertThat(causeFields(failure(() -> client.create(SLICES, NS, slice("fq", "FQDN",
                "[{'addresses':['localhost']}]"))))).containsExactly("endpoints[0].addresses[0]");

        ObjectNode ports = slice("web", "IPv4", "[]");
        ports.set("ports", tree("[{'name':'http','port':80},{'name':'http','port':81,'protocol':'ICMP'}]"));
        ApiException e = failure(() -> client.create(SLICES, NS, ports));
        assertThat(e.getMessage()).isEqualTo("EndpointSlice.discovery.k8s.io \"web\" is invalid: [ports[1].name: "
                + "Duplicate value: \"http\", ports[1].protocol: Unsupported value: \"ICMP\": supported values: "
                + "\"SCTP\", \"TCP\", \"UDP\"]");
        assertThat(e.status().path("details").path("causes").get(0).path("reason").asText())
                .isEqualTo("FieldValueDuplicate");
    }

    @Test
    void discoveryListsEndpointSlicesWithoutShortNamesOrCategories() {
        JsonNode slices = discovered("endpointslices", SLICES);
        assertThat(slices.has("shortNames")).isFalse();
        assertThat(slices.has("categories")).isFalse();
        assertThat(texts(slices.path("verbs"))).contains("create", "list", "watch");
        assertThat(Json.text(slices, "kind")).isEqualTo("EndpointSlice");
    }
}

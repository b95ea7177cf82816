package dev.drydock.api;

import static dev.drydock.api.CoreV1Objects.json;
import static dev.drydock.api.CoreV1Objects.service;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.kinds.CoreV1Kinds;
import dev.drydock.base.Clock;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.store.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Services as kube-apiserver serves them: defaults, cluster IPs from {@code 10.96.0.0/12}, node ports from
 * {@code 30000-32767}, kube's errors for values that are taken or out of range, immutable cluster IPs, and
 * allocations that are released on delete, survive a restart of the API server and never go to two Services.
 */
class ApiServerServiceTest extends ApiServerTestSupport {

    private static final Resource SERVICES = CoreV1Kinds.SERVICES;

    // ---- create, defaults and the rest of CRUD

    @Test
    void createDefaultsAServiceAndGivesItAClusterIPAsKubeDoes() {
        ObjectNode svc = client.create(SERVICES, NS, service("web"));

        JsonNode spec = svc.path("spec");
        assertThat(spec.path("type").asText()).isEqualTo("ClusterIP");
        assertThat(spec.path("sessionAffinity").asText()).isEqualTo("None");
        assertThat(spec.path("internalTrafficPolicy").asText()).isEqualTo("Cluster");
        assertThat(spec.path("ipFamilyPolicy").asText()).isEqualTo("SingleStack");
        assertThat(spec.path("ipFamilies")).containsExactly(Json.object().textNode("IPv4"));
        assertThat(spec.path("ports").get(0).path("protocol").asText()).isEqualTo("TCP");
        assertThat(spec.path("ports").get(0).path("targetPort").asInt()).isEqualTo(80);
        assertThat(spec.has("externalTrafficPolicy")).isFalse();
        String ip = spec.path("clusterIP").asText();
        assertThat(spec.path("clusterIPs")).containsExactly(Json.object().textNode(ip));
        assertThat(ip).matches("10\\.(9[6-9]|10[0-9]|11[01])\\.\\d+\\.\\d+");
        // Chosen from the upper band: the first 256 addresses stay for requests (and 10.96.0.1 for kubernetes).
        assertThat(ip).doesNotStartWith("10.96.0.").isNotEqualTo("10.96.1.0");
        assertThat(svc.path("status")).isEqualTo(json("{'loadBalancer': {}}"));
        assertThat(client.get(SERVICES, NS, "web")).isEqualTo(svc);
    }

    @Test
    void theSameServiceNameGetsTheSameAddressInEveryRun() {
        String first = clusterIP(client.create(SERVICES, NS, service("web")));
        client.delete(SERVICES, NS, "web");

        assertThat(clusterIP(client.create(SERVICES, NS, service("web")))).isEqualTo(first);
    }

    @Test
    void listUpdatePatchAndDelete() {
        client.create(SERVICES, NS, service("a"));
        client.create(SERVICES, NS, service("b"));
        assertThat(names(list(SERVICES, NS, Map.of()))).containsExactly("a", "b");

        ObjectNode a = client.get(SERVICES, NS, "a");
        Json.with(a, "metadata", "labels").put("tier", "front");
        assertThat(client.update(SERVICES, a).path("metadata").path("labels").path("tier").asText())
                .isEqualTo("front");
        ObjectNode patched = client.mergePatch(SERVICES, NS, "a", null,
                json("{'spec': {'sessionAffinity': 'ClientIP'}}"));
        assertThat(patched.path("spec").path("sessionAffinityConfig").path("clientIP").path("timeoutSeconds")
                .asInt()).isEqualTo(10800);
        assertThat(clusterIP(patched)).isEqualTo(clusterIP(a));

        ApiResponse deleted = call(ApiRequest.Verb.DELETE, SERVICES, NS, "a", null, Map.of(), null, null);
        assertThat(deleted.code()).isEqualTo(200);
        // kube's service storage returns the deleted object (ReturnDeletedObject), as clients' typed APIs expect.
        assertThat(deleted.body().path("kind").asText()).isEqualTo("Service");
        assertThat(deleted.body().path("metadata").path("name").asText()).isEqualTo("a");
        assertThat(names(list(SERVICES, NS, Map.of()))).containsExactly("b");
    }

    @Test
    void aReplaceWithoutTheAllocatedValuesKeepsThem() {
        ObjectNode created = client.create(SERVICES, NS, service("np", "'type': 'NodePort'"));
        ObjectNode replace = service("np", "'type': 'NodePort'");
        Json.with(replace, "metadata").put("namespace", NS).put("resourceVersion", Json.resourceVersion(created));

        ObjectNode replaced = client.update(SERVICES, replace);

        assertThat(clusterIP(replaced)).isEqualTo(clusterIP(created));
        assertThat(nodePort(replaced, 0)).isEqualTo(nodePort(created, 0));
    }

    @Test
    void namesAreRfc1035LabelsWithKubesMessage() {
        ApiException e = failure(() -> client.create(SERVICES, NS, service("1web")));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).isEqualTo("Service \"1web\" is invalid: metadata.name: Invalid value: \"1web\": "
                + "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
                + "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
    }

    @Test
    void validationErrorsAreWordedAsKubeWordsThem() {
        assertInvalid(json("{'metadata': {'name': 'noports'}, 'spec': {}}"), "spec.ports: Required value");
        assertInvalid(service("proto", "'sessionAffinity': 'Sticky'"), "spec.sessionAffinity: Unsupported value: "
                + "\"Sticky\": supported values: \"ClientIP\", \"None\"");
        assertInvalid(json("{'metadata': {'name': 'p'}, 'spec': {'ports': [{'port': 80, 'protocol': 'HTTP'}]}}"),
                "spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
        assertInvalid(json("{'metadata': {'name': 'p'}, 'spec': {'ports': [{'port': 80}, {'port': 81}]}}"),
                "[spec.ports[0].name: Required value, spec.ports[1].name: Required value]");
        assertInvalid(json("{'metadata': {'name': 'p'}, 'spec': {'ports': [{'port': 70000}]}}"),
                "[spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive, "
                        + "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive]");
        assertInvalid(service("t", "'type': 'Fancy'"), "spec.type: Unsupported value: \"Fancy\": supported values: "
                + "\"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"");
        assertInvalid(service("c", "'ports': [{'port': 80, 'nodePort': 30001}]"),
                "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
    }

    // ---- cluster IPs

    @Test
    void aRequestedClusterIPInTheRangeIsHonouredAndATakenOneRefused() {
        ObjectNode a = client.create(SERVICES, NS, service("a", "'clusterIP': '10.96.0.10'"));
        assertThat(clusterIP(a)).isEqualTo("10.96.0.10");
        assertThat(a.path("spec").path("clusterIPs")).containsExactly(Json.object().textNode("10.96.0.10"));

        assertInvalid(service("b", "'clusterIP': '10.96.0.10'"), "spec.clusterIPs: Invalid value: "
                + "[]string{\"10.96.0.10\"}: failed to allocate IP 10.96.0.10: provided IP is already allocated");
    }

    @Test
    void aClusterIPOutsideTheRangeIsRefused() {
        assertInvalid(service("out", "'clusterIP': '10.0.0.5'"), "spec.clusterIPs: Invalid value: "
                + "[]string{\"10.0.0.5\"}: failed to allocate IP 10.0.0.5: provided IP is not in the valid range. "
                + "The range of valid IPs is 10.96.0.0/12");
        assertInvalid(service("net", "'clusterIP': '10.96.0.0'"), "spec.clusterIPs: Invalid value: "
                + "[]string{\"10.96.0.0\"}: failed to allocate IP 10.96.0.0: provided IP is not in the valid range. "
                + "The range of valid IPs is 10.96.0.0/12");
        assertInvalid(service("bad", "'clusterIP': 'ten'"), "spec.clusterIPs[0]: Invalid value: \"ten\": must be a "
                + "valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        assertInvalid(service("v6", "'clusterIP': 'fd00::10'"), "spec.clusterIPs[0]: Invalid value: "
                + "[]string{\"fd00::10\"}: IPv6 is not configured on this cluster");
        assertInvalid(service("dual", "'ipFamilyPolicy': 'RequireDualStack'"), "spec.ipFamilyPolicy: Invalid "
                + "value: \"RequireDualStack\": this cluster is not configured for dual-stack services");
    }

    @Test
    void theClusterIPCannotChange() {
        ObjectNode svc = client.create(SERVICES, NS, service("web", "'clusterIP': '10.96.0.20'"));

        ApiException e = failure(() -> client.mergePatch(SERVICES, NS, "web", null,
                json("{'spec': {'clusterIP': '10.96.0.21'}}")));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).isEqualTo("Service \"web\" is invalid: spec.clusterIPs[0]: Invalid value: "
                + "[]string{\"10.96.0.21\"}: may not change once set");
        assertThat(clusterIP(client.get(SERVICES, NS, "web"))).isEqualTo(clusterIP(svc));
    }

    @Test
    void headlessServicesGetNoAddressAndKubesFamilies() {
        ObjectNode withSelector = client.create(SERVICES, NS, json("{'metadata': {'name': 'h'}, 'spec': "
                + "{'clusterIP': 'None', 'selector': {'app': 'h'}, 'ports': [{'port': 80}]}}"));
        ObjectNode selectorless = client.create(SERVICES, NS, json("{'metadata': {'name': 'h2'}, 'spec': "
                + "{'clusterIP': 'None'}}"));

        assertThat(withSelector.path("spec").path("clusterIPs")).containsExactly(Json.object().textNode("None"));
        assertThat(withSelector.path("spec").path("ipFamilyPolicy").asText()).isEqualTo("SingleStack");
        assertThat(withSelector.path("spec").path("ipFamilies")).hasSize(1);
        assertThat(selectorless.path("spec").path("ipFamilyPolicy").asText()).isEqualTo("RequireDualStack");
        assertThat(selectorless.path("spec").path("ipFamilies").toString()).isEqualTo("[\"IPv4\",\"IPv6\"]");
        assertThat(claims()).isEmpty();
        assertInvalid(service("hnp", "'clusterIP': 'None', 'type': 'NodePort'"), "spec.clusterIPs[0]: Invalid value: "
                + "\"None\": may not be set to 'None' for NodePort services");
    }

    @Test
    void externalNameServicesGetNoAddress() {
        ObjectNode ext = client.create(SERVICES, NS, json("{'metadata': {'name': 'ext'}, 'spec': "
                + "{'type': 'ExternalName', 'externalName': 'example.com'}}"));

        assertThat(ext.path("spec").has("clusterIP")).isFalse();
        assertThat(ext.path("spec").has("ipFamilies")).isFalse();
        assertThat(ext.path("spec").has("internalTrafficPolicy")).isFalse();
        assertInvalid(json("{'metadata': {'name': 'ext2'}, 'spec': {'type': 'ExternalName'}}"),
                "spec.externalName: Required value");
    }

    @Test
    void aDeleteReleasesTheAddress() {
        client.create(SERVICES, NS, service("a", "'clusterIP': '10.96.0.30'"));
        client.delete(SERVICES, NS, "a");

        assertThat(clusterIP(client.create(SERVICES, NS, service("b", "'clusterIP': '10.96.0.30'"))))
                .isEqualTo("10.96.0.30");
    }

    @Test
    void aDryRunShowsTheAddressWithoutHoldingIt() {
        ApiResponse r = call(ApiRequest.Verb.CREATE, SERVICES, NS, null, null, Map.of("dryRun", "All"),
                service("dry", "'clusterIP': '10.96.0.40'"), null);

        assertThat(r.code()).isEqualTo(201);
        assertThat(clusterIP(r.body())).isEqualTo("10.96.0.40");
        assertThat(claims()).isEmpty();
        assertThat(clusterIP(client.create(SERVICES, NS, service("real", "'clusterIP': '10.96.0.40'"))))
                .isEqualTo("10.96.0.40");
    }

    @Test
    void allocationsSurviveARestartOfTheApiServer() {
        String taken = clusterIP(client.create(SERVICES, NS, service("web")));
        long port = nodePort(client.create(SERVICES, NS, service("np", "'type': 'NodePort'")), 0);

        ApiServer restarted = new ApiServer(store, KindRegistry.builtIn(), Clock.SYSTEM, timer, 7L, watchLanes);
        KubeClient again = new KubeClient(restarted);
        ApiException ip = failure(() -> again.create(SERVICES, NS, service("b", "'clusterIP': '" + taken + "'")));
        ApiException np = failure(() -> again.create(SERVICES, NS, service("np2",
                "'type': 'NodePort', 'ports': [{'port': 80, 'nodePort': " + port + "}]")));

        assertThat(ip.getMessage()).endsWith("provided IP is already allocated");
        assertThat(np.getMessage()).endsWith("spec.ports[0].nodePort: Invalid value: " + port
                + ": provided port is already allocated");
    }

    // ---- node ports

    @Test
    void nodePortServicesGetANodePortAndTheExternalTrafficPolicy() {
        ObjectNode np = client.create(SERVICES, NS, service("np", "'type': 'NodePort'"));

        assertThat(nodePort(np, 0)).isBetween(30086L, 32767L); // the upper band: 30000-30085 stay for requests
        assertThat(np.path("spec").path("externalTrafficPolicy").asText()).isEqualTo("Cluster");
    }

    @Test
    void aRequestedNodePortIsHonouredIfFreeAndRefusedAsKubeRefusesIt() {
        ObjectNode np = client.create(SERVICES, NS, service("np", "'type': 'NodePort', "
                + "'ports': [{'port': 80, 'nodePort': 30080}]"));
        assertThat(nodePort(np, 0)).isEqualTo(30080);

        assertInvalid(service("np2", "'type': 'NodePort', 'ports': [{'port': 80, 'nodePort': 30080}]"),
                "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");
        assertInvalid(service("np3", "'type': 'NodePort', 'ports': [{'port': 80, 'nodePort': 8080}]"),
                "spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range "
                        + "of valid ports is 30000-32767");
    }

    @Test
    void portsOfOneNumberShareTheirNodePortAcrossProtocols() {
        ObjectNode dns = client.create(SERVICES, NS, json("{'metadata': {'name': 'dns'}, 'spec': {'type': "
                + "'NodePort', 'ports': [{'name': 'udp', 'port': 53, 'protocol': 'UDP'}, {'name': 'tcp', "
                + "'port': 53}]}}"));

        assertThat(nodePort(dns, 0)).isEqualTo(nodePort(dns, 1));
        assertThat(claims()).hasSize(2); // the cluster IP and one node port
    }

    @Test
    void loadBalancersGetNodePortsUnlessTheyOptOut() {
        ObjectNode lb = client.create(SERVICES, NS, service("lb", "'type': 'LoadBalancer'"));
        ObjectNode bare = client.create(SERVICES, NS, service("bare", "'type': 'LoadBalancer', "
                + "'allocateLoadBalancerNodePorts': false"));

        assertThat(lb.path("spec").path("allocateLoadBalancerNodePorts").asBoolean()).isTrue();
        assertThat(nodePort(lb, 0)).isPositive();
        assertThat(bare.path("spec").path("ports").get(0).has("nodePort")).isFalse();
    }

    @Test
    void localLoadBalancersGetAHealthCheckNodePort() {
        ObjectNode lb = client.create(SERVICES, NS, service("lb", "'type': 'LoadBalancer', "
                + "'externalTrafficPolicy': 'Local'"));

        long healthCheck = lb.path("spec").path("healthCheckNodePort").asLong();
        assertThat(healthCheck).isBetween(30000L, 32767L).isNotEqualTo(nodePort(lb, 0));
        assertThat(claims()).contains("servicenodeports/" + healthCheck);
    }

    @Test
    void changingTypeGivesOutAndReleasesNodePorts() {
        client.create(SERVICES, NS, service("web"));
        ObjectNode np = client.mergePatch(SERVICES, NS, "web", null, json("{'spec': {'type': 'NodePort', "
                + "'ports': [{'port': 80, 'nodePort': 30090}]}}"));
        assertThat(nodePort(np, 0)).isEqualTo(30090);

        ObjectNode back = client.mergePatch(SERVICES, NS, "web", null, json("{'spec': {'type': 'ClusterIP'}}"));

        assertThat(back.path("spec").path("ports").get(0).has("nodePort")).isFalse();
        assertThat(back.path("spec").has("externalTrafficPolicy")).isFalse();
        assertThat(nodePort(client.create(SERVICES, NS, service("other", "'type': 'NodePort', "
                + "'ports': [{'port': 80, 'nodePort': 30090}]")), 0)).isEqualTo(30090);
    }

    @Test
    void changingToExternalNameReleasesTheAddressAndBackGivesANewOne() {
        client.create(SERVICES, NS, service("web", "'clusterIP': '10.96.0.50'"));

        ObjectNode ext = client.mergePatch(SERVICES, NS, "web", null,
                json("{'spec': {'type': 'ExternalName', 'externalName': 'example.com'}}"));
        assertThat(ext.path("spec").has("clusterIP")).isFalse();
        assertThat(ext.path("spec").has("ipFamilies")).isFalse();
        assertThat(claims()).isEmpty();

        ObjectNode back = client.mergePatch(SERVICES, NS, "web", null,
                json("{'spec': {'type': 'ClusterIP', 'externalName': null}}"));
        assertThat(clusterIP(back)).isNotEmpty();
        assertThat(claims()).containsExactly("serviceips/" + clusterIP(back));
    }

    // ---- what is held is what the stored Services say, also under concurrency

    @Test
    void concurrentCreatesNeverShareAnAddressOrAPort() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<ObjectNode>> creates = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                String name = "s" + i;
                creates.add(() -> client.create(SERVICES, NS, service(name, "'type': 'NodePort'")));
            }
            Set<String> ips = new HashSet<>();
            Set<Long> ports = new HashSet<>();
            for (Future<ObjectNode> f : pool.invokeAll(creates)) {
                ips.add(clusterIP(f.get()));
                ports.add(nodePort(f.get(), 0));
            }
            assertThat(ips).hasSize(80);
            assertThat(ports).hasSize(80);
            assertThat(claims()).isEqualTo(claimsOfStoredServices());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ofConcurrentRequestsForOneAddressExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 10; round++) {
                String ip = "10.96.0." + (100 + round);
                List<Callable<Boolean>> creates = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String name = "r" + round + "-" + i;
                    creates.add(() -> {
                        try {
                            client.create(SERVICES, NS, service(name, "'clusterIP': '" + ip + "'"));
                            return true;
                        } catch (ApiException e) {
                            assertThat(e.getMessage()).endsWith("provided IP is already allocated");
                            return false;
                        }
                    });
                }
                int won = 0;
                for (Future<Boolean> f : pool.invokeAll(creates)) {
                    won += f.get() ? 1 : 0;
                }
                assertThat(won).as("creates that got %s", ip).isEqualTo(1);
            }
            assertThat(claims()).isEqualTo(claimsOfStoredServices());
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- field selectors

    @Test
    void servicesAreSelectedByTypeAndClusterIP() {
        client.create(SERVICES, NS, service("a"));
        client.create(SERVICES, NS, service("b", "'type': 'NodePort'"));
        client.create(SERVICES, NS, service("c", "'clusterIP': 'None'"));

        assertThat(names(list(SERVICES, NS, Map.of("fieldSelector", "spec.type=NodePort")))).containsExactly("b");
        assertThat(names(list(SERVICES, NS, Map.of("fieldSelector", "spec.clusterIP!=None"))))
                .containsExactly("a", "b");
    }

    // ---- helpers

    private void assertInvalid(ObjectNode svc, String causes) {
        ApiException e = failure(() -> client.create(SERVICES, NS, svc));
        assertThat(e.code()).as("%s", e.getMessage()).isEqualTo(422);
        assertThat(e.getMessage()).isEqualTo("Service \"" + Json.name(svc) + "\" is invalid: " + causes);
    }

    private static String clusterIP(JsonNode svc) {
        return svc.path("spec").path("clusterIP").asText();
    }

    private static long nodePort(JsonNode svc, int port) {
        return svc.path("spec").path("ports").get(port).path("nodePort").asLong();
    }

    /** The claims the store holds, as {@code serviceips/10.96.0.10}. */
    private Set<String> claims() {
        Set<String> claims = new TreeSet<>();
        for (KeyValue kv : store.range("/registry/ranges/", null, 0, 0).kvs()) {
            claims.add(kv.key().substring("/registry/ranges/".length()));
            assertThat(new String(kv.value(), StandardCharsets.UTF_8)).startsWith("/registry/core/services/");
        }
        return claims;
    }

    private Set<String> claimsOfStoredServices() {
        Set<String> claims = new TreeSet<>();
        for (JsonNode svc : list(SERVICES, null, Map.of()).path("items")) {
            if (!svc.path("spec").path("clusterIP").asText().equals("None")) {
                claims.add("serviceips/" + clusterIP(svc));
            }
            svc.path("spec").path("ports").forEach(p -> {
                if (p.path("nodePort").asLong() > 0) {
                    claims.add("servicenodeports/" + p.path("nodePort").asLong());
                }
            });
        }
        return claims;
    }
}

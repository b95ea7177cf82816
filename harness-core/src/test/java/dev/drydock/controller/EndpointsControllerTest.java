package dev.drydock.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Endpoints controller's rules, on its pure core: which pods, which list, which port. */
class EndpointsControllerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ObjectNode service(String spec) {
        return json("{'apiVersion':'v1','kind':'Service','metadata':{'name':'web','namespace':'default','uid':'s-1',"
                + "'labels':{'tier':'front'}},'spec':" + spec + "}");
    }

    /** A pod of app=web at {@code ip}, ready or not, serving {@code http} on 8080. */
    static ObjectNode pod(String name, String ip, boolean ready) {
        return json("{'metadata':{'name':'" + name + "','namespace':'default','uid':'" + name + "-uid',"
                + "'labels':{'app':'web'}},'spec':{'nodeName':'node-1','containers':[{'name':'main','ports':"
                + "[{'name':'http','containerPort':8080}]}]},'status':{'phase':'Running','podIP':'" + ip + "',"
                + "'conditions':[{'type':'Ready','status':'" + (ready ? "True" : "False") + "'}]}}");
    }

    private static final ObjectNode WEB = service("{'selector':{'app':'web'},'clusterIP':'10.96.0.10',"
            + "'ports':[{'name':'http','port':80,'targetPort':'http','protocol':'TCP'}]}");

    @Test
    void readyPodsAreAddressesAndTheOthersNotReadyAddressesSortedByIp() {
        ArrayNode subsets = EndpointsController.subsets(WEB, List.of(pod("b", "10.244.0.10", true),
                pod("a", "10.244.0.9", true), pod("c", "10.244.0.5", false)));

        assertThat(subsets).hasSize(1);
        JsonNode s = subsets.get(0);
        assertThat(s.path("addresses").findValuesAsText("ip")).containsExactly("10.244.0.9", "10.244.0.10");
        assertThat(s.path("notReadyAddresses").findValuesAsText("ip")).containsExactly("10.244.0.5");
        assertThat(s.path("ports").toString()).isEqualTo("[{\"name\":\"http\",\"port\":8080,\"protocol\":\"TCP\"}]");
        assertThat(s.path("addresses").get(0).path("targetRef").toString()).isEqualTo(
                "{\"kind\":\"Pod\",\"namespace\":\"default\",\"name\":\"a\",\"uid\":\"a-uid\"}");
        assertThat(s.path("addresses").get(0).path("nodeName").asText()).isEqualTo("node-1");
    }

    @Test
    void publishNotReadyAddressesPutsEveryPodInAddressesTerminatingOnesToo() {
        ObjectNode svc = WEB.deepCopy();
        ((ObjectNode) svc.path("spec")).put("publishNotReadyAddresses", true);
        ObjectNode terminating = pod("t", "10.244.0.7", true);
        ((ObjectNode) terminating.path("metadata")).put("deletionTimestamp", "2025-06-01T12:00:00Z");

        ArrayNode subsets = EndpointsController.subsets(svc, List.of(pod("c", "10.244.0.5", false), terminating));
        ArrayNode plain = EndpointsController.subsets(WEB, List.of(pod("c", "10.244.0.5", false), terminating));

        assertThat(subsets.get(0).path("addresses").findValuesAsText("ip")).containsExactly("10.244.0.5",
                "10.244.0.7");
        assertThat(subsets.get(0).has("notReadyAddresses")).isFalse();
        assertThat(plain.get(0).path("notReadyAddresses").findValuesAsText("ip")).containsExactly("10.244.0.5");
        assertThat(plain.get(0).has("addresses")).as("a terminating pod leaves").isFalse();
    }

    @Test
    void aNamedTargetPortResolvesPerPodAndPodsWithoutTheNameAreLeftOutForThatPort() {
        ObjectNode other = pod("o", "10.244.0.20", true);
        ((ObjectNode) other.path("spec").path("containers").get(0).path("ports").get(0)).put("containerPort", 9090);
        ObjectNode nameless = pod("n", "10.244.0.30", true);
        ((ObjectNode) nameless.path("spec").path("containers").get(0).path("ports").get(0)).put("name", "metrics");

        ArrayNode subsets = EndpointsController.subsets(WEB, List.of(pod("a", "10.244.0.9", true), other, nameless));

        assertThat(subsets).hasSize(2);
        assertThat(subsets.findValuesAsText("ip")).doesNotContain("10.244.0.30");
        assertThat(subsets.get(0).path("ports").get(0).path("port").asInt()).isEqualTo(8080);
        assertThat(subsets.get(0).path("addresses").findValuesAsText("ip")).containsExactly("10.244.0.9");
        assertThat(subsets.get(1).path("ports").get(0).path("port").asInt()).isEqualTo(9090);
    }

    @Test
    void podsWithoutAnIpOrFinishedAreLeftOut() {
        ObjectNode pending = pod("p", "", false);
        ObjectNode done = pod("d", "10.244.0.3", false);
        ((ObjectNode) done.path("status")).put("phase", "Succeeded");

        assertThat(EndpointsController.subsets(WEB, List.of(pending, done))).isEmpty();
    }

    @Test
    void aHeadlessServiceWithoutPortsListsAddressesWithHostnamesOfItsSubdomain() {
        ObjectNode headless = service("{'selector':{'app':'web'},'clusterIP':'None'}");
        ObjectNode named = pod("web-0", "10.244.0.9", true);
        ((ObjectNode) named.path("spec")).put("hostname", "web-0").put("subdomain", "web");
        ObjectNode elsewhere = pod("web-1", "10.244.0.8", true);
        ((ObjectNode) elsewhere.path("spec")).put("hostname", "web-1").put("subdomain", "other");

        ArrayNode subsets = EndpointsController.subsets(headless, List.of(named, elsewhere));

        assertThat(subsets).hasSize(1);
        assertThat(subsets.get(0).has("ports")).isFalse();
        assertThat(subsets.get(0).path("addresses").get(1).path("hostname").asText()).isEqualTo("web-0");
        assertThat(subsets.get(0).path("addresses").get(0).has("hostname")).isFalse();
        assertThat(EndpointsController.labels(headless).toString())
                .isEqualTo("{\"tier\":\"front\",\"service.kubernetes.io/headless\":\"\"}");
    }

    @Test
    void aServiceWithoutSelectorHasNone() {
        assertThat(EndpointRules.selector(service("{'ports':[{'port':80}]}"))).isNull();
        assertThat(EndpointRules.selector(WEB)).isNotNull();
    }

    @Test
    void aWriteRefusedInATerminatingNamespaceIsNoFailure() {
        assertThat(EndpointRules.namespaceTerminating(dev.drydock.kube.ApiException.of(403, "Forbidden",
                "endpoints \"web\" is forbidden: unable to create new content in namespace shop because it is being "
                        + "terminated"))).isTrue();
        assertThat(EndpointRules.namespaceTerminating(dev.drydock.kube.ApiException.of(403, "Forbidden",
                "nope"))).isFalse();
    }

    @Test
    void anUpdateThatChangesNothingTheEndpointsReadConcernsNoService() {
        ObjectNode a = pod("a", "10.244.0.9", true);
        ObjectNode b = a.deepCopy();
        ((ObjectNode) b.path("status")).put("startTime", "2025-06-01T12:00:00Z");
        ObjectNode c = pod("a", "10.244.0.9", false);

        assertThat(PodServices.endpointsChanged(a, b)).isFalse();
        assertThat(PodServices.endpointsChanged(a, c)).isTrue();
    }
}

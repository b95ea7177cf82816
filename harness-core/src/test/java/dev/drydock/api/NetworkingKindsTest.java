package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** networking.k8s.io/v1: Ingress, IngressClass and NetworkPolicy as kube-apiserver serves them. */
class NetworkingKindsTest extends KindTestSupport {

    static final Resource INGRESSES = new Resource("networking.k8s.io", "v1", "ingresses", "Ingress", true);
    static final Resource INGRESS_CLASSES = new Resource("networking.k8s.io", "v1", "ingressclasses", "IngressClass",
            false);
    static final Resource NETWORK_POLICIES = new Resource("networking.k8s.io", "v1", "networkpolicies",
            "NetworkPolicy", true);

    static ObjectNode ingress(String name, String spec) {
        return json("{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'" + name
                + "'},'spec':" + spec + "}");
    }

    static final String WEB = "{'ingressClassName':'nginx','rules':[{'host':'web.example.com','http':{'paths':[{"
            + "'path':'/','pathType':'Prefix','backend':{'service':{'name':'web','port':{'number':80}}}}]}}]}";

    @Test
    void anIngressIsCreatedWithAnEmptyStatusAndGenerationOneThenReadUpdatedPatchedAndDeleted() {
        ObjectNode created = client.create(INGRESSES, NS, ingress("web", WEB));

        assertThat(created.path("status").toString()).isEqualTo("{\"loadBalancer\":{}}");
        assertThat(created.path("metadata").path("generation").asLong()).isEqualTo(1);
        assertThat(client.get(INGRESSES, NS, "web")).isEqualTo(created);
        assertThat(names(client.list(INGRESSES, NS, Map.of()))).containsExactly("web");

        ObjectNode update = created.deepCopy();
        ((ObjectNode) update.path("spec").path("rules").get(0)).put("host", "www.example.com");
        assertThat(client.update(INGRESSES, update).path("metadata").path("generation").asLong()).isEqualTo(2);
        ObjectNode patched = client.mergePatch(INGRESSES, NS, "web", null, json("{'metadata':{'labels':{'a':'b'}}}"));
        assertThat(patched.path("metadata").path("generation").asLong()).isEqualTo(2);

        client.delete(INGRESSES, NS, "web");
        assertThat(client.find(INGRESSES, NS, "web")).isNull();
    }

    @Test
    void theStatusIsWrittenOnlyThroughTheStatusSubresource() {
        ObjectNode created = client.create(INGRESSES, NS, ingress("web", WEB));
        ObjectNode withStatus = created.deepCopy();
        ((ObjectNode) withStatus.path("status").path("loadBalancer")).putArray("ingress").addObject()
                .put("ip", "10.0.0.5");

        assertThat(client.update(INGRESSES, withStatus).path("status").path("loadBalancer").has("ingress")).isFalse();
        ObjectNode written = client.updateStatus(INGRESSES, withStatus);

        assertThat(written.path("status").path("loadBalancer").path("ingress").get(0).path("ip").asText())
                .isEqualTo("10.0.0.5");
    }

    @Test
    void everyPathNeedsAPathTypeOfKubesEnumAndABackend() {
        ApiException e = failure(() -> client.create(INGRESSES, NS, ingress("bad", "{'rules':[{'http':{'paths':["
                + "{'path':'/a','backend':{'service':{'name':'web','port':{'number':80}}}},"
                + "{'path':'/b','pathType':'Regex','backend':{'service':{'name':'web','port':{'number':80}}}},"
                + "{'path':'c','pathType':'Exact','backend':{}},"
                + "{'path':'/d','pathType':'ImplementationSpecific','backend':{'service':{'name':'Web',"
                + "'port':{'number':70000}}}}]}}]}")));

        assertThat(causes(e)).containsExactly(
                "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
                "spec.rules[0].http.paths[1].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", "
                        + "\"ImplementationSpecific\", \"Prefix\"",
                "spec.rules[0].http.paths[2].path: Invalid value: \"c\": must be an absolute path",
                "spec.rules[0].http.paths[2].backend: Invalid value: \"\": resource or service backend is required",
                "spec.rules[0].http.paths[3].backend.service.name: Invalid value: \"Web\": a DNS-1035 label must "
                        + "consist of lower case alphanumeric characters or '-', start with an alphabetic character, "
                        + "and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
                        + "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
                "spec.rules[0].http.paths[3].backend.service.port.number: Invalid value: 70000: must be between 1 "
                        + "and 65535, inclusive");
        assertThat(e.getMessage()).startsWith("Ingress.networking.k8s.io \"bad\" is invalid: [");
    }

    @Test
    void anIngressNeedsRulesOrADefaultBackendAndHostsAreDnsNames() {
        ApiException none = failure(() -> client.create(INGRESSES, NS, ingress("empty", "{}")));
        assertThat(causes(none)).containsExactly("spec: Invalid value: []networking.IngressRule(nil): either "
                + "`defaultBackend` or `rules` must be specified");

        ApiException hosts = failure(() -> client.create(INGRESSES, NS, ingress("hosts", "{'defaultBackend':{"
                + "'resource':{'kind':'Bucket','name':'static','apiGroup':'example.com'}},'rules':[{'host':"
                + "'10.0.0.1'},{'host':'*.example.com'},{'host':'a.*.com'}]}")));
        assertThat(causes(hosts)).hasSize(2).first().asString()
                .isEqualTo("spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address");
        assertThat(causes(hosts).get(1)).startsWith("spec.rules[2].host: Invalid value: \"a.*.com\": a wildcard "
                + "DNS-1123 subdomain must start with '*.'");
    }

    @Test
    void anIngressClassIsClusterScopedItsControllerImmutableAndItsParametersScopeDefaulted() {
        ObjectNode created = client.create(INGRESS_CLASSES, null, json("{'apiVersion':'networking.k8s.io/v1',"
                + "'kind':'IngressClass','metadata':{'name':'nginx'},'spec':{'controller':'k8s.io/ingress-nginx',"
                + "'parameters':{'apiGroup':'k8s.example.com','kind':'IngressParameters','name':'external-lb'}}}"));

        assertThat(Json.namespace(created)).isNull();
        assertThat(created.path("spec").path("parameters").path("scope").asText()).isEqualTo("Cluster");
        ObjectNode update = created.deepCopy();
        ((ObjectNode) update.path("spec")).put("controller", "example.com/other");
        assertThat(causes(failure(() -> client.update(INGRESS_CLASSES, update)))).containsExactly(
                "spec.controller: Invalid value: \"example.com/other\": field is immutable");
        ApiException bad = failure(() -> client.create(INGRESS_CLASSES, null, json("{'metadata':{'name':'x'},"
                + "'spec':{'controller':'nginx'}}")));
        assertThat(causes(bad)).containsExactly("spec.controller: Invalid value: \"nginx\": must be a domain-prefixed "
                + "path (such as \"acme.io/foo\")");
        assertThat(namesSelectedBy(INGRESS_CLASSES, null, "metadata.name=nginx")).containsExactly("nginx");
    }

    @Test
    void aNetworkPolicysPolicyTypesDefaultAsKubesAndItsPortsToTcp() {
        ObjectNode ingressOnly = client.create(NETWORK_POLICIES, NS, json("{'apiVersion':'networking.k8s.io/v1',"
                + "'kind':'NetworkPolicy','metadata':{'name':'deny-all'},'spec':{'podSelector':{}}}"));
        ObjectNode both = client.create(NETWORK_POLICIES, NS, json("{'metadata':{'name':'egress'},'spec':{"
                + "'podSelector':{'matchLabels':{'app':'web'}},'egress':[{'ports':[{'port':53}],'to':[{'ipBlock':"
                + "{'cidr':'10.0.0.0/8','except':['10.1.0.0/16']}}]}]}}"));

        assertThat(texts(ingressOnly.path("spec").path("policyTypes"))).containsExactly("Ingress");
        assertThat(texts(both.path("spec").path("policyTypes"))).containsExactly("Ingress", "Egress");
        assertThat(both.path("spec").path("egress").get(0).path("ports").get(0).path("protocol").asText())
                .isEqualTo("TCP");
        assertThat(both.path("metadata").path("generation").asLong()).isEqualTo(1);
        assertThat(names(client.list(NETWORK_POLICIES, NS, Map.of()))).containsExactly("deny-all", "egress");
    }

    @Test
    void aNetworkPolicysPeersPortsAndTypesAreValidated() {
        ApiException e = failure(() -> client.create(NETWORK_POLICIES, NS, json("{'metadata':{'name':'bad'},"
                + "'spec':{'podSelector':{},'ingress':[{'from':[{},{'ipBlock':{'cidr':'10.0.0.0/8','except':"
                + "['192.168.0.0/16']},'podSelector':{}}],'ports':[{'protocol':'ICMP'},{'port':'Http'}]}],"
                + "'policyTypes':['Ingress','Sideways']}}")));

        assertThat(causes(e)).containsExactly(
                "spec.ingress[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", "
                        + "\"SCTP\"",
                "spec.ingress[0].ports[1].port: Invalid value: \"Http\": must contain only alpha-numeric characters "
                        + "(a-z, 0-9), and hyphens (-)",
                "spec.ingress[0].from[0]: Required value: must specify a peer",
                "spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: \"192.168.0.0/16\": must be a strict "
                        + "subset of `cidr`",
                "spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer",
                "spec.policyTypes[1]: Unsupported value: \"Sideways\": supported values: \"Ingress\", \"Egress\"");
    }

    @Test
    void discoveryHasKubesShortNamesAndTheIngressStatus() {
        assertThat(texts(discovered("networking.k8s.io", "ingresses").path("shortNames"))).containsExactly("ing");
        assertThat(texts(discovered("networking.k8s.io", "networkpolicies").path("shortNames")))
                .containsExactly("netpol");
        assertThat(discovered("networking.k8s.io", "ingressclasses").path("namespaced").asBoolean()).isFalse();
        discovered("networking.k8s.io", "ingresses/status");
    }
}

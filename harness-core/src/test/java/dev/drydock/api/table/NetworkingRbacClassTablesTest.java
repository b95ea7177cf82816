package dev.drydock.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tables of Ingress, IngressClass, NetworkPolicy, RoleBinding, ClusterRoleBinding, PriorityClass, StorageClass
 * and CertificateSigningRequest: kube's columns and cells, every row wide as kube-apiserver prints them.
 */
class NetworkingRbacClassTablesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An object created five minutes before NOW, with the given top-level fields. */
    private static ObjectNode object(String name, String fields) {
        ObjectNode item = json("{'metadata':{'name':'" + name + "','creationTimestamp':'2025-06-01T11:55:00Z'}}");
        ObjectNode extra = json(fields);
        if (extra.has("metadata")) {
            ((ObjectNode) item.get("metadata")).setAll((ObjectNode) extra.remove("metadata"));
        }
        item.setAll(extra);
        return item;
    }

    private static ObjectNode table(String kind, ObjectNode item) {
        return Tables.table(kind, List.of(item), json("{'resourceVersion':'7'}"), "None", NOW);
    }

    private static List<String> columns(ObjectNode table) {
        List<String> names = new ArrayList<>();
        table.get("columnDefinitions").forEach(c -> names.add(c.get("name").asText()
                + (c.get("priority").asInt() == 1 ? "*" : "")));
        return names;
    }

    private static List<JsonNode> cells(ObjectNode table) {
        List<JsonNode> cells = new ArrayList<>();
        table.get("rows").get(0).get("cells").forEach(cells::add);
        return cells;
    }

    private static List<String> texts(ObjectNode table) {
        return cells(table).stream().map(JsonNode::asText).toList();
    }

    @Test
    void ingressShowsClassHostsAddressAndPorts() {
        ObjectNode table = table("Ingress", object("web", "{'spec':{'ingressClassName':'nginx','tls':[{}],'rules':["
                + "{'host':'a.example.com'},{'host':'b.example.com'},{},{'host':'c.example.com'},"
                + "{'host':'d.example.com'}]},'status':{'loadBalancer':{'ingress':[{'ip':'10.0.0.9'},"
                + "{'hostname':'lb.example.com'},{'ip':'10.0.0.2'}]}}}"));

        assertThat(columns(table)).containsExactly("Name", "Class", "Hosts", "Address", "Ports", "Age");
        assertThat(texts(table)).containsExactly("web", "nginx", "a.example.com,b.example.com,c.example.com + 2 more...",
                "10.0.0.2,10.0.0.9,lb.example.com", "80, 443", "5m");
        assertThat(texts(table("Ingress", object("bare", "{'spec':{'defaultBackend':{}}}"))))
                .containsExactly("bare", "<none>", "*", "", "80", "5m");
    }

    @Test
    void ingressClassShowsControllerAndParameters() {
        ObjectNode table = table("IngressClass", object("nginx", "{'spec':{'controller':'k8s.io/ingress-nginx',"
                + "'parameters':{'apiGroup':'k8s.example.com','kind':'IngressParameters','name':'lb'}}}"));

        assertThat(columns(table)).containsExactly("Name", "Controller", "Parameters", "Age");
        assertThat(texts(table)).containsExactly("nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/lb",
                "5m");
    }

    @Test
    void networkPolicyShowsItsPodSelector() {
        assertThat(texts(table("NetworkPolicy", object("web", "{'spec':{'podSelector':{'matchLabels':{'app':'web'}}}}"))))
                .containsExactly("web", "app=web", "5m");
        assertThat(texts(table("NetworkPolicy", object("all", "{'spec':{'podSelector':{}}}"))))
                .containsExactly("all", "<none>", "5m");
    }

    @Test
    void bindingsShowTheirRoleAndWideTheirSubjects() {
        ObjectNode table = table("RoleBinding", object("rb", "{'roleRef':{'kind':'ClusterRole','name':'edit'},"
                + "'subjects':[{'kind':'User','name':'alice'},{'kind':'User','name':'bob'},{'kind':'Group',"
                + "'name':'devs'},{'kind':'ServiceAccount','name':'builder','namespace':'ci'}]}"));

        assertThat(columns(table)).containsExactly("Name", "Role", "Age", "Users*", "Groups*", "ServiceAccounts*");
        assertThat(texts(table)).containsExactly("rb", "ClusterRole/edit", "5m", "alice, bob", "devs", "ci/builder");
        assertThat(columns(table("ClusterRoleBinding", object("crb", "{'roleRef':{'kind':'ClusterRole',"
                + "'name':'view'}}")))).containsExactly("Name", "Role", "Age", "Users*", "Groups*", "ServiceAccounts*");
        assertThat(columns(table("Role", object("r", "{}")))).containsExactly("Name", "Created At");
    }

    @Test
    void priorityClassShowsValueAndGlobalDefaultAsTypedCells() {
        ObjectNode table = table("PriorityClass", object("high", "{'value':1000,'globalDefault':true,"
                + "'preemptionPolicy':'Never'}"));

        assertThat(columns(table)).containsExactly("Name", "Value", "Global-Default", "Age", "PreemptionPolicy");
        List<JsonNode> cells = cells(table);
        assertThat(cells.get(1).isIntegralNumber()).isTrue();
        assertThat(cells.get(1).asLong()).isEqualTo(1000);
        assertThat(cells.get(2).isBoolean()).isTrue();
        assertThat(texts(table)).containsExactly("high", "1000", "true", "5m", "Never");
    }

    @Test
    void storageClassMarksTheDefaultClass() {
        ObjectNode table = table("StorageClass", object("standard", "{'metadata':{'annotations':{"
                + "'storageclass.kubernetes.io/is-default-class':'true'}},'provisioner':'rancher.io/local-path',"
                + "'volumeBindingMode':'WaitForFirstConsumer'}"));

        assertThat(columns(table)).containsExactly("Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode",
                "AllowVolumeExpansion", "Age");
        assertThat(texts(table)).containsExactly("standard (default)", "rancher.io/local-path", "Delete",
                "WaitForFirstConsumer", "false", "5m");
    }

    @Test
    void certificateSigningRequestShowsRequestorDurationAndCondition() {
        ObjectNode table = table("CertificateSigningRequest", object("alice", "{'spec':{'signerName':"
                + "'example.com/signer','username':'kubernetes-admin','expirationSeconds':86400},'status':{"
                + "'conditions':[{'type':'Approved','status':'True'}],'certificate':'LS0t'}}"));

        assertThat(columns(table)).containsExactly("Name", "Age", "SignerName", "Requestor", "RequestedDuration",
                "Condition");
        assertThat(texts(table)).containsExactly("alice", "5m", "example.com/signer", "kubernetes-admin", "24h",
                "Approved,Issued");
        assertThat(texts(table("CertificateSigningRequest", object("bob", "{'spec':{}}"))))
                .containsExactly("bob", "5m", "<none>", "", "<none>", "Pending");
    }
}

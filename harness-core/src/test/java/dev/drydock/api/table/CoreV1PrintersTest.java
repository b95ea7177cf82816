package dev.drydock.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tables of Endpoints, ServiceAccounts, PersistentVolumes, PersistentVolumeClaims, ResourceQuotas,
 * LimitRanges and ReplicationControllers: kube's columns (wide ones at priority 1) and cells.
 */
class CoreV1PrintersTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void endpointsShowTheirFirstThreeAddressesAndHowManyMore() {
        ObjectNode ep = object("Endpoints", "web", "{'subsets':[{'addresses':[{'ip':'10.0.0.1'},{'ip':'10.0.0.2'}],"
                + "'ports':[{'port':80},{'port':443}]},{'addresses':[{'ip':'fd00::1'}],'ports':[{'port':8080}]}]}");
        ObjectNode headless = object("Endpoints", "h", "{'subsets':[{'addresses':[{'ip':'10.0.0.9'}]}]}");

        assertThat(columns("Endpoints")).containsExactly("Name", "Endpoints", "Age");
        assertThat(cells("Endpoints", ep)).containsExactly("web", "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...",
                "5m");
        assertThat(cells("Endpoints", headless).get(1)).isEqualTo("10.0.0.9");
        assertThat(cells("Endpoints", object("Endpoints", "none", "{}")).get(1)).isEqualTo("<none>");
        assertThat(cells("Endpoints", object("Endpoints", "v6",
                "{'subsets':[{'addresses':[{'ip':'fd00::1'}],'ports':[{'port':80}]}]}")).get(1))
                .isEqualTo("[fd00::1]:80");
    }

    @Test
    void serviceAccountsCountTheirSecrets() {
        assertThat(columns("ServiceAccount")).containsExactly("Name", "Secrets", "Age");
        assertThat(cells("ServiceAccount", object("ServiceAccount", "sa", "{'secrets':[{'name':'a'},{'name':'b'}]}")))
                .containsExactly("sa", "2", "5m");
        assertThat(table("ServiceAccount", object("ServiceAccount", "sa", "{}")).get("rows").get(0).get("cells").get(1)
                .isNumber()).isTrue();
    }

    @Test
    void persistentVolumes() {
        ObjectNode pv = object("PersistentVolume", "pv1", "{'spec':{'capacity':{'storage':'5Gi'},'accessModes':"
                + "['ReadWriteMany','ReadWriteOnce','ReadWriteOnce'],'persistentVolumeReclaimPolicy':'Retain',"
                + "'claimRef':{'namespace':'default','name':'data'},'storageClassName':'fast','volumeMode':'Block'},"
                + "'status':{'phase':'Bound'}}");
        ObjectNode table = table("PersistentVolume", pv);

        assertThat(columns("PersistentVolume")).containsExactly("Name", "Capacity", "Access Modes", "Reclaim Policy",
                "Status", "Claim", "StorageClass", "VolumeAttributesClass", "Reason", "Age", "VolumeMode");
        assertThat(table.get("columnDefinitions").get(10).get("priority").asInt()).isEqualTo(1);
        assertThat(cells("PersistentVolume", pv)).containsExactly("pv1", "5Gi", "RWO,RWX", "Retain", "Bound",
                "default/data", "fast", "<unset>", "", "5m", "Block");
        ObjectNode deleting = object("PersistentVolume", "pv2", "{'spec':{}}");
        ((ObjectNode) deleting.get("metadata")).put("deletionTimestamp", NOW.toString())
                .putObject("annotations").put("volume.beta.kubernetes.io/storage-class", "old");
        assertThat(cells("PersistentVolume", deleting)).containsExactly("pv2", "0", "", "", "Terminating", "", "old",
                "<unset>", "", "5m", "<unset>");
    }

    @Test
    void persistentVolumeClaimsShowCapacityOnlyOnceBound() {
        ObjectNode pending = object("PersistentVolumeClaim", "data", "{'spec':{'accessModes':['ReadWriteOnce'],"
                + "'resources':{'requests':{'storage':'1Gi'}},'volumeMode':'Filesystem'},'status':{'phase':'Pending'}}");
        ObjectNode bound = object("PersistentVolumeClaim", "data", "{'spec':{'volumeName':'pv1','storageClassName':"
                + "'fast','volumeAttributesClassName':'gold'},'status':{'phase':'Bound','capacity':{'storage':'5Gi'},"
                + "'accessModes':['ReadWriteOncePod']}}");

        assertThat(columns("PersistentVolumeClaim")).containsExactly("Name", "Status", "Volume", "Capacity",
                "Access Modes", "StorageClass", "VolumeAttributesClass", "Age", "VolumeMode");
        assertThat(cells("PersistentVolumeClaim", pending)).containsExactly("data", "Pending", "", "", "", "",
                "<unset>", "5m", "Filesystem");
        assertThat(cells("PersistentVolumeClaim", bound)).containsExactly("data", "Bound", "pv1", "5Gi", "RWOP",
                "fast", "gold", "5m", "<unset>");
    }

    @Test
    void resourceQuotasShowUsedOverHardPerResourceAsKube132Does() {
        ObjectNode quota = object("ResourceQuota", "q", "{'spec':{'hard':{'pods':'10','limits.cpu':'4',"
                + "'requests.memory':'1Gi','limits.memory':'2Gi'}},'status':{'hard':{'pods':'10','limits.cpu':'4'},"
                + "'used':{'pods':'3'}}}");

        assertThat(columns("ResourceQuota")).containsExactly("Name", "Age", "Request", "Limit");
        assertThat(cells("ResourceQuota", quota)).containsExactly("q", "5m", "pods: 3/10, requests.memory: 0/0",
                "limits.cpu: 0/4, limits.memory: 0/0");
    }

    @Test
    void limitRangesHaveKubesDefaultTable() {
        assertThat(columns("LimitRange")).containsExactly("Name", "Created At");
        assertThat(cells("LimitRange", object("LimitRange", "lr", "{}")))
                .containsExactly("lr", NOW.minus(Duration.ofMinutes(5)).toString());
    }

    @Test
    void replicationControllers() {
        ObjectNode rc = object("ReplicationController", "web", "{'spec':{'replicas':3,'selector':{'tier':'front',"
                + "'app':'web'},'template':{'spec':{'containers':[{'name':'web','image':'nginx'}]}}},"
                + "'status':{'replicas':2,'readyReplicas':1}}");

        assertThat(columns("ReplicationController")).containsExactly("Name", "Desired", "Current", "Ready", "Age",
                "Containers", "Images", "Selector");
        assertThat(cells("ReplicationController", rc)).containsExactly("web", "3", "2", "1", "5m", "web", "nginx",
                "app=web,tier=front");
    }

    private static ObjectNode object(String kind, String name, String fields) {
        ObjectNode item = json("{'apiVersion':'v1','kind':'" + kind + "','metadata':{'name':'" + name
                + "','namespace':'default','creationTimestamp':'" + NOW.minus(Duration.ofMinutes(5)) + "'}}");
        item.setAll(json(fields));
        return item;
    }

    private static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ObjectNode table(String kind, ObjectNode... items) {
        return Tables.table(kind, List.of(items), json("{}"), null, NOW);
    }

    private static List<String> columns(String kind) {
        List<String> names = new ArrayList<>();
        table(kind).get("columnDefinitions").forEach(c -> names.add(c.get("name").asText()));
        return names;
    }

    private static List<String> cells(String kind, ObjectNode item) {
        List<String> cells = new ArrayList<>();
        table(kind, item).get("rows").get(0).get("cells").forEach(c -> cells.add(c.asText()));
        return cells;
    }
}

package dev.drydock.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tables of StatefulSets, DaemonSets, ControllerRevisions, Jobs, CronJobs, HorizontalPodAutoscalers,
 * PodDisruptionBudgets and EndpointSlices: kube's columns and cells ({@code pkg/printers/internalversion}).
 */
class WorkloadPrintersTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ObjectNode object(String kind, String name, Duration age, String fields) {
        ObjectNode item = json("{'kind':'" + kind + "','metadata':{'name':'" + name + "','namespace':'default',"
                + "'creationTimestamp':'" + NOW.minus(age) + "'}}");
        item.setAll(json(fields));
        return item;
    }

    private static ObjectNode table(String kind, ObjectNode item) {
        return Tables.table(kind, List.of(item), json("{'resourceVersion':'7'}"), null, NOW);
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

    private static final String TEMPLATE = "'template':{'spec':{'containers':[{'name':'a','image':'a:1'},"
            + "{'name':'b','image':'b:2'}]}}";

    @Test
    void statefulSetsShowReadyOverDesired() {
        ObjectNode table = table("StatefulSet", object("StatefulSet", "db", Duration.ofMinutes(3),
                "{'spec':{'replicas':3," + TEMPLATE + "},'status':{'readyReplicas':2}}"));

        assertThat(columns(table)).containsExactly("Name", "Ready", "Age", "Containers*", "Images*");
        assertThat(texts(table)).containsExactly("db", "2/3", "3m", "a,b", "a:1,b:2");
    }

    @Test
    void daemonSetsShowTheirCountsNodeSelectorAndSelector() {
        ObjectNode table = table("DaemonSet", object("DaemonSet", "logs", Duration.ofHours(2),
                "{'spec':{'selector':{'matchLabels':{'app':'logs'}},'template':{'spec':{'nodeSelector':"
                        + "{'disk':'ssd','zone':'a'},'containers':[{'name':'a','image':'a:1'}]}}},'status':{"
                        + "'desiredNumberScheduled':3,'currentNumberScheduled':3,'numberReady':2,"
                        + "'updatedNumberScheduled':3,'numberAvailable':1}}"));

        assertThat(columns(table)).containsExactly("Name", "Desired", "Current", "Ready", "Up-to-date", "Available",
                "Node Selector", "Age", "Containers*", "Images*", "Selector*");
        assertThat(texts(table)).containsExactly("logs", "3", "3", "2", "3", "1", "disk=ssd,zone=a", "120m", "a",
                "a:1", "app=logs");
        assertThat(cells(table).get(1).isIntegralNumber()).isTrue();
        ObjectNode empty = table("DaemonSet", object("DaemonSet", "x", Duration.ofSeconds(5), "{'spec':{}}"));
        assertThat(texts(empty).get(6)).isEqualTo("<none>");
    }

    @Test
    void controllerRevisionsNameTheirControllerByGroupKind() {
        ObjectNode table = table("ControllerRevision", object("ControllerRevision", "db-7d9", Duration.ofDays(2),
                "{'metadata':{'name':'db-7d9','creationTimestamp':'" + NOW.minus(Duration.ofDays(2)) + "',"
                        + "'ownerReferences':[{'apiVersion':'apps/v1','kind':'StatefulSet','name':'db','uid':'u',"
                        + "'controller':true}]},'revision':4}"));

        assertThat(columns(table)).containsExactly("Name", "Controller", "Revision", "Age");
        assertThat(texts(table)).containsExactly("db-7d9", "statefulset.apps/db", "4", "2d");
        ObjectNode orphan = table("ControllerRevision", object("ControllerRevision", "x", Duration.ZERO,
                "{'revision':1}"));
        assertThat(texts(orphan).get(1)).isEqualTo("<none>");
    }

    @Test
    void jobsShowStatusCompletionsAndDuration() {
        ObjectNode done = table("Job", object("Job", "pi", Duration.ofMinutes(10), "{'spec':{'completions':1,"
                + "'selector':{'matchLabels':{'batch.kubernetes.io/controller-uid':'u1'}}," + TEMPLATE + "},"
                + "'status':{'succeeded':1,'startTime':'" + NOW.minus(Duration.ofMinutes(9)) + "','completionTime':'"
                + NOW.minus(Duration.ofMinutes(8)).minusSeconds(30) + "','conditions':[{'type':'Complete',"
                + "'status':'True'}]}}"));

        assertThat(columns(done)).containsExactly("Name", "Status", "Completions", "Duration", "Age", "Containers*",
                "Images*", "Selector*");
        assertThat(texts(done)).containsExactly("pi", "Complete", "1/1", "30s", "10m", "a,b", "a:1,b:2",
                "batch.kubernetes.io/controller-uid=u1");
        ObjectNode running = table("Job", object("Job", "work", Duration.ofMinutes(1), "{'spec':{'parallelism':3},"
                + "'status':{'startTime':'" + NOW.minusSeconds(20) + "'}}"));
        assertThat(texts(running).subList(1, 4)).containsExactly("Running", "0/1 of 3", "20s");
        ObjectNode suspended = table("Job", object("Job", "s", Duration.ofMinutes(1), "{'spec':{'completions':2},"
                + "'status':{'conditions':[{'type':'Suspended','status':'True'}]}}"));
        assertThat(texts(suspended).subList(1, 4)).containsExactly("Suspended", "0/2", "");
    }

    @Test
    void cronJobsShowScheduleTimeZoneSuspendActiveAndLastSchedule() {
        ObjectNode table = table("CronJob", object("CronJob", "hello", Duration.ofHours(1), "{'spec':{'schedule':"
                + "'*/5 * * * *','suspend':false,'jobTemplate':{'spec':{" + TEMPLATE + "}}},'status':{'active':"
                + "[{'name':'hello-1'}],'lastScheduleTime':'" + NOW.minusSeconds(90) + "'}}"));

        assertThat(columns(table)).containsExactly("Name", "Schedule", "Timezone", "Suspend", "Active",
                "Last Schedule", "Age", "Containers*", "Images*", "Selector*");
        assertThat(texts(table)).containsExactly("hello", "*/5 * * * *", "<none>", "False", "1", "90s", "60m", "a,b",
                "a:1,b:2", "<none>");
        ObjectNode zoned = table("CronJob", object("CronJob", "z", Duration.ofHours(1), "{'spec':{'schedule':"
                + "'@daily','timeZone':'Europe/Paris'}}"));
        assertThat(texts(zoned).subList(2, 6)).containsExactly("Europe/Paris", "<unset>", "0", "<none>");
    }

    @Test
    void hpasShowTheirTargetsAsKubeFormatsThem() {
        ObjectNode table = table("HorizontalPodAutoscaler", object("HorizontalPodAutoscaler", "web",
                Duration.ofMinutes(5), "{'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},'minReplicas':1,"
                        + "'maxReplicas':10,'metrics':[{'type':'Resource','resource':{'name':'cpu','target':{'type':"
                        + "'Utilization','averageUtilization':80}}},{'type':'Resource','resource':{'name':'memory',"
                        + "'target':{'type':'AverageValue','averageValue':'500Mi'}}},{'type':'Pods','pods':{'metric':"
                        + "{'name':'qps'},'target':{'type':'AverageValue','averageValue':'10'}}}]},'status':{"
                        + "'currentReplicas':3,'currentMetrics':[{'type':'Resource','resource':{'name':'cpu',"
                        + "'current':{'averageUtilization':45}}}]}}"));

        assertThat(columns(table)).containsExactly("Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas",
                "Age");
        assertThat(texts(table)).containsExactly("web", "Deployment/web",
                "cpu: 45%/80%, memory: <unknown>/500Mi + 1 more...", "1", "10", "3", "5m");
        ObjectNode none = table("HorizontalPodAutoscaler", object("HorizontalPodAutoscaler", "x", Duration.ZERO,
                "{'spec':{'scaleTargetRef':{'kind':'StatefulSet','name':'db'},'maxReplicas':2}}"));
        assertThat(texts(none).subList(1, 4)).containsExactly("StatefulSet/db", "<none>", "<unset>");
    }

    @Test
    void budgetsShowMinAvailableMaxUnavailableAndAllowedDisruptions() {
        ObjectNode table = table("PodDisruptionBudget", object("PodDisruptionBudget", "web", Duration.ofSeconds(42),
                "{'spec':{'minAvailable':'50%'},'status':{'disruptionsAllowed':2}}"));

        assertThat(columns(table)).containsExactly("Name", "Min Available", "Max Unavailable", "Allowed Disruptions",
                "Age");
        assertThat(texts(table)).containsExactly("web", "50%", "N/A", "2", "42s");
        assertThat(cells(table).get(3).isIntegralNumber()).isTrue();
    }

    @Test
    void endpointSlicesShowAtMostThreePortsAndAddresses() {
        ObjectNode table = table("EndpointSlice", object("EndpointSlice", "web-x", Duration.ofMinutes(2),
                "{'addressType':'IPv4','ports':[{'name':'http','port':80},{'name':'any'}],'endpoints':["
                        + "{'addresses':['10.0.0.1','10.0.0.2']},{'addresses':['10.0.0.3']},{'addresses':"
                        + "['10.0.0.4','10.0.0.5']}]}"));

        assertThat(columns(table)).containsExactly("Name", "AddressType", "Ports", "Endpoints", "Age");
        assertThat(texts(table)).containsExactly("web-x", "IPv4", "80,any", "10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...",
                "2m");
        ObjectNode empty = table("EndpointSlice", object("EndpointSlice", "e", Duration.ZERO,
                "{'addressType':'IPv6'}"));
        assertThat(texts(empty).subList(2, 4)).containsExactly("<unset>", "<unset>");
    }
}

package dev.drydock.api.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TablesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final String KUBECTL_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,"
            + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    /** JSON with single quotes, to keep fixtures readable. */
    private static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String ago(Duration duration) {
        return NOW.minus(duration).toString();
    }

    /** An object of this kind created {@code age} ago, with the given extra top-level fields. */
    private static ObjectNode object(String kind, String name, Duration age, String fields) {
        ObjectNode item = json("{'apiVersion':'v1','kind':'" + kind + "','metadata':{'name':'" + name
                + "','namespace':'default','uid':'u-1','creationTimestamp':'" + ago(age) + "'}}");
        item.setAll(json(fields));
        return item;
    }

    private static ObjectNode table(String kind, ObjectNode... items) {
        return Tables.table(kind, List.of(items), json("{'resourceVersion':'7'}"), null, NOW);
    }

    private static List<String> columnNames(ObjectNode table) {
        List<String> names = new ArrayList<>();
        table.get("columnDefinitions").forEach(c -> names.add(c.get("name").asText()));
        return names;
    }

    /** Cells of the only row, as kubectl would print them. */
    private static List<String> cells(ObjectNode table) {
        assertThat(table.get("rows")).hasSize(1);
        List<String> cells = new ArrayList<>();
        table.get("rows").get(0).get("cells").forEach(c -> cells.add(c.asText()));
        return cells;
    }

    private static List<String> cells(String kind, ObjectNode item) {
        return cells(table(kind, item));
    }

    private static JsonNode column(ObjectNode table, String name) {
        for (JsonNode column : table.get("columnDefinitions")) {
            if (column.get("name").asText().equals(name)) {
                return column;
            }
        }
        throw new AssertionError("no column " + name);
    }

    @Nested
    class WantsTable {

        @Test
        void kubectlGetHeaderAsksForATable() {
            assertThat(Tables.wantsTable(KUBECTL_ACCEPT)).isTrue();
        }

        @Test
        void plainJsonAndWildcardsDoNot() {
            assertThat(Tables.wantsTable("application/json")).isFalse();
            assertThat(Tables.wantsTable("application/json, */*")).isFalse();
            assertThat(Tables.wantsTable("*/*")).isFalse();
            assertThat(Tables.wantsTable(null)).isFalse();
            assertThat(Tables.wantsTable("")).isFalse();
        }

        @Test
        void theClientsFirstChoiceWins() {
            assertThat(Tables.wantsTable("application/json,application/json;as=Table;v=v1;g=meta.k8s.io")).isFalse();
            assertThat(Tables.wantsTable("application/json;q=0.5, application/json;as=Table;v=v1;g=meta.k8s.io"))
                    .isTrue();
            assertThat(Tables.wantsTable("application/json;as=Table;v=v1;g=meta.k8s.io;q=0,application/json"))
                    .isFalse();
        }

        @Test
        void parameterOrderAndSpacingDoNotMatter() {
            assertThat(Tables.wantsTable("application/json; g=meta.k8s.io; v=v1; as=Table")).isTrue();
        }

        @Test
        void tablesWeCannotProduceAreSkipped() {
            assertThat(Tables.wantsTable("application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"))
                    .isFalse();
            assertThat(Tables.wantsTable("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,"
                    + "application/json")).isFalse();
            assertThat(Tables.wantsTable("application/yaml;as=Table;v=v1;g=meta.k8s.io")).isFalse();
            assertThat(Tables.wantsTable("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,"
                    + "application/json;as=Table;v=v1;g=meta.k8s.io")).isTrue();
        }
    }

    @Nested
    class TableEnvelope {

        @Test
        void isAMetaV1TableWithTheListsPagingState() {
            ObjectNode table = Tables.table("ConfigMap", List.of(),
                    json("{'resourceVersion':'42','continue':'abc','remainingItemCount':3,'selfLink':'/x'}"),
                    null, NOW);

            assertThat(table.get("kind").asText()).isEqualTo("Table");
            assertThat(table.get("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
            assertThat(table.get("metadata"))
                    .isEqualTo(json("{'resourceVersion':'42','continue':'abc','remainingItemCount':3}"));
            assertThat(table.get("rows")).isEmpty();
        }

        @Test
        void emptyPagingFieldsAreLeftOutLikeGoOmitempty() {
            ObjectNode table = Tables.table("Pod", List.of(), json("{'resourceVersion':'9','continue':''}"), null,
                    NOW);

            assertThat(table.get("metadata")).isEqualTo(json("{'resourceVersion':'9'}"));
            assertThat(Tables.table("Pod", List.of(), null, null, NOW).get("metadata").isEmpty()).isTrue();
        }

        @Test
        void columnDefinitionsCarryEveryFieldEvenWhenEmpty() {
            JsonNode ready = column(table("Pod"), "Ready");

            assertThat(ready).isEqualTo(json("{'name':'Ready','type':'string','format':'',"
                    + "'description':'The aggregate readiness state of this pod for accepting traffic.',"
                    + "'priority':0}"));
        }
    }

    @Nested
    class IncludeObject {

        private final ObjectNode pod = object("Pod", "web", Duration.ofMinutes(1),
                "{'metadata':{'name':'web','namespace':'shop','labels':{'app':'web'}},'spec':{'containers':[]}}");

        private JsonNode rowObject(String includeObject) {
            ObjectNode table = Tables.table("Pod", List.of(pod), json("{}"), includeObject, NOW);
            return table.get("rows").get(0).get("object");
        }

        @Test
        void metadataIsTheDefault() {
            JsonNode expected = json("{'kind':'PartialObjectMetadata','apiVersion':'meta.k8s.io/v1',"
                    + "'metadata':{'name':'web','namespace':'shop','labels':{'app':'web'}}}");

            assertThat(rowObject(null)).isEqualTo(expected);
            assertThat(rowObject("")).isEqualTo(expected);
            assertThat(rowObject("Metadata")).isEqualTo(expected);
        }

        @Test
        void objectEmbedsTheWholeItemAsACopy() {
            JsonNode embedded = rowObject("Object");

            assertThat(embedded).isEqualTo(pod).isNotSameAs(pod);
        }

        @Test
        void noneLeavesTheObjectOut() {
            assertThat(rowObject("None")).isNull();
        }

        @Test
        void anythingElseIsRejected() {
            assertThatThrownBy(() -> rowObject("Everything"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Everything");
        }
    }

    @Nested
    class Ages {

        @ParameterizedTest(name = "{0}s -> {1}")
        @CsvSource({
                "-3, <invalid>", "-2, <invalid>", "-1, 0s", "0, 0s", "5, 5s", "119, 119s",
                "120, 2m", "123, 2m3s", "599, 9m59s", "600, 10m", "10799, 179m",
                "10800, 3h", "11040, 3h4m", "28799, 7h59m", "28800, 8h", "172799, 47h",
                "172800, 2d", "190800, 2d5h", "691199, 7d23h", "691200, 8d", "63071999, 729d",
                "63072000, 2y", "63158400, 2y1d", "252287999, 7y364d", "252288000, 8y"})
        void humanDurationMatchesKube(long seconds, String expected) {
            assertThat(HumanDuration.format(Duration.ofSeconds(seconds))).isEqualTo(expected);
        }

        @Test
        void fractionsOfASecondTruncateTowardZero() {
            assertThat(HumanDuration.format(Duration.ofMillis(-1999))).isEqualTo("0s");
            assertThat(HumanDuration.format(Duration.ofMillis(119_999))).isEqualTo("119s");
        }

        @Test
        void ageCellsAreUnknownWithoutATimestamp() {
            ObjectNode namespace = json("{'kind':'Namespace','metadata':{'name':'ns'}}");
            ObjectNode zeroTime = json("{'kind':'Namespace','metadata':{'name':'ns',"
                    + "'creationTimestamp':'0001-01-01T00:00:00Z'}}");

            assertThat(cells("Namespace", namespace)).containsExactly("ns", "Active", "<unknown>");
            assertThat(cells("Namespace", zeroTime)).containsExactly("ns", "Active", "<unknown>");
        }
    }

    @Nested
    class Pods {

        private ObjectNode pod(String spec, String status) {
            return object("Pod", "p", Duration.ofMinutes(5), "{'spec':" + spec + ",'status':" + status + "}");
        }

        private String statusOf(String spec, String status) {
            return cells("Pod", pod(spec, status)).get(2);
        }

        private static final String ONE_CONTAINER = "{'containers':[{'name':'app','image':'nginx'}]}";

        @Test
        void columnsMatchKube() {
            ObjectNode table = table("Pod");

            assertThat(columnNames(table)).containsExactly("Name", "Ready", "Status", "Restarts", "Age", "IP",
                    "Node", "Nominated Node", "Readiness Gates");
            assertThat(table.get("columnDefinitions")).extracting(c -> c.get("priority").asInt())
                    .containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1);
            assertThat(column(table, "Name").get("format").asText()).isEqualTo("name");
            assertThat(column(table, "Restarts").get("type").asText()).isEqualTo("string");
            assertThat(column(table, "Age").get("description").asText())
                    .startsWith("CreationTimestamp is a timestamp representing the server time");
            assertThat(column(table, "IP").get("description").asText()).isEqualTo(
                    "podIP address allocated to the pod. Routable at least within the cluster. "
                            + "Empty if not yet allocated.");
        }

        @Test
        void runningPodWithWideCells() {
            ObjectNode pod = pod("{'nodeName':'node-1','containers':[{'name':'a'},{'name':'b'}],"
                            + "'readinessGates':[{'conditionType':'lb'},{'conditionType':'dns'}]}",
                    "{'phase':'Running','podIP':'10.0.0.9','podIPs':[{'ip':'10.0.0.9'},{'ip':'fd00::9'}],"
                            + "'conditions':[{'type':'Ready','status':'True'},{'type':'lb','status':'True'},"
                            + "{'type':'dns','status':'False'}],"
                            + "'containerStatuses':[{'name':'a','ready':true,'restartCount':0,'state':{'running':{}}},"
                            + "{'name':'b','ready':false,'restartCount':0,'state':{'running':{}}}]}");

            assertThat(cells("Pod", pod))
                    .containsExactly("p", "1/2", "Running", "0", "5m", "10.0.0.9", "node-1", "<none>", "1/2");
        }

        @Test
        void unscheduledPodShowsNoneInWideCells() {
            ObjectNode pod = pod(ONE_CONTAINER, "{'phase':'Pending','nominatedNodeName':'node-2'}");

            assertThat(cells("Pod", pod))
                    .containsExactly("p", "0/1", "Pending", "0", "5m", "<none>", "<none>", "node-2", "<none>");
        }

        @Test
        void podIpFallsBackToTheSingularField() {
            ObjectNode pod = pod(ONE_CONTAINER, "{'phase':'Running','podIP':'10.1.2.3'}");

            assertThat(cells("Pod", pod).get(5)).isEqualTo("10.1.2.3");
        }

        @Test
        void waitingReasonReplacesThePhaseAndRestartsShowWhenLastRestarted() {
            ObjectNode pod = pod(ONE_CONTAINER, "{'phase':'Running','containerStatuses':[{'name':'app',"
                    + "'ready':false,'restartCount':4,'state':{'waiting':{'reason':'CrashLoopBackOff'}},"
                    + "'lastState':{'terminated':{'exitCode':1,'reason':'Error','finishedAt':'"
                    + ago(Duration.ofSeconds(150)) + "'}}}]}");

            assertThat(cells("Pod", pod)).startsWith("p", "0/1", "CrashLoopBackOff", "4 (2m30s ago)");
        }

        @Test
        void restartsWithoutATerminationTimeAreJustANumber() {
            ObjectNode pod = pod(ONE_CONTAINER, "{'phase':'Running','containerStatuses':[{'name':'app',"
                    + "'ready':true,'restartCount':2,'state':{'running':{}}}]}");

            assertThat(cells("Pod", pod).get(3)).isEqualTo("2");
        }

        @Test
        void containerCreating() {
            assertThat(statusOf(ONE_CONTAINER, "{'phase':'Pending','containerStatuses':[{'name':'app',"
                    + "'state':{'waiting':{'reason':'ContainerCreating'}}}]}")).isEqualTo("ContainerCreating");
        }

        @Test
        void terminatedContainers() {
            assertThat(statusOf(ONE_CONTAINER, "{'phase':'Succeeded','containerStatuses':[{'name':'app',"
                    + "'state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]}")).isEqualTo("Completed");
            assertThat(statusOf(ONE_CONTAINER, "{'phase':'Failed','containerStatuses':[{'name':'app',"
                    + "'state':{'terminated':{'exitCode':137,'reason':'OOMKilled'}}}]}")).isEqualTo("OOMKilled");
            assertThat(statusOf(ONE_CONTAINER, "{'phase':'Failed','containerStatuses':[{'name':'app',"
                    + "'state':{'terminated':{'exitCode':3}}}]}")).isEqualTo("ExitCode:3");
            assertThat(statusOf(ONE_CONTAINER, "{'phase':'Failed','containerStatuses':[{'name':'app',"
                    + "'state':{'terminated':{'exitCode':137,'signal':9}}}]}")).isEqualTo("Signal:9");
        }

        @Test
        void firstContainersReasonWins() {
            assertThat(statusOf("{'containers':[{'name':'a'},{'name':'b'}]}", "{'phase':'Pending',"
                    + "'containerStatuses':[{'name':'a','state':{'waiting':{'reason':'ImagePullBackOff'}}},"
                    + "{'name':'b','state':{'waiting':{'reason':'ContainerCreating'}}}]}"))
                    .isEqualTo("ImagePullBackOff");
        }

        @Test
        void completedNextToARunningContainerIsRunningOrNotReady() {
            String statuses = "'containerStatuses':[{'name':'a','state':{'terminated':{'exitCode':0,"
                    + "'reason':'Completed'}}},{'name':'b','ready':true,'state':{'running':{}}}]";
            String spec = "{'containers':[{'name':'a'},{'name':'b'}]}";

            assertThat(statusOf(spec, "{'phase':'Running','conditions':[{'type':'Ready','status':'True'}],"
                    + statuses + "}")).isEqualTo("Running");
            assertThat(statusOf(spec, "{'phase':'Running'," + statuses + "}")).isEqualTo("NotReady");
        }

        @Test
        void podReasonOverridesThePhase() {
            assertThat(statusOf(ONE_CONTAINER, "{'phase':'Failed','reason':'Evicted'}")).isEqualTo("Evicted");
        }

        @Test
        void schedulingGatedPods() {
            assertThat(statusOf(ONE_CONTAINER, "{'phase':'Pending','conditions':[{'type':'PodScheduled',"
                    + "'status':'False','reason':'SchedulingGated'}]}")).isEqualTo("SchedulingGated");
        }

        @Test
        void initContainersInProgress() {
            String spec = "{'initContainers':[{'name':'i1'},{'name':'i2'}],'containers':[{'name':'app'}]}";
            String appWaiting = "'containerStatuses':[{'name':'app','state':{'waiting':{'reason':'PodInitializing'}}}]";

            assertThat(statusOf(spec, "{'phase':'Pending','initContainerStatuses':[{'name':'i1',"
                    + "'state':{'running':{}}},{'name':'i2','state':{'waiting':{'reason':'PodInitializing'}}}],"
                    + appWaiting + "}")).isEqualTo("Init:0/2");
            assertThat(statusOf(spec, "{'phase':'Pending','initContainerStatuses':[{'name':'i1',"
                    + "'state':{'terminated':{'exitCode':0,'reason':'Completed'}}},{'name':'i2',"
                    + "'state':{'running':{}}}]," + appWaiting + "}")).isEqualTo("Init:1/2");
        }

        @Test
        void failingInitContainers() {
            String spec = "{'initContainers':[{'name':'i1'}],'containers':[{'name':'app'}]}";

            assertThat(statusOf(spec, "{'phase':'Pending','initContainerStatuses':[{'name':'i1','restartCount':3,"
                    + "'state':{'waiting':{'reason':'CrashLoopBackOff'}}}]}")).isEqualTo("Init:CrashLoopBackOff");
            assertThat(statusOf(spec, "{'phase':'Pending','initContainerStatuses':[{'name':'i1',"
                    + "'state':{'terminated':{'exitCode':1,'reason':'Error'}}}]}")).isEqualTo("Init:Error");
            assertThat(statusOf(spec, "{'phase':'Pending','initContainerStatuses':[{'name':'i1',"
                    + "'state':{'terminated':{'exitCode':2}}}]}")).isEqualTo("Init:ExitCode:2");
            assertThat(statusOf(spec, "{'phase':'Pending','initContainerStatuses':[{'name':'i1',"
                    + "'state':{'terminated':{'exitCode':2,'signal':15}}}]}")).isEqualTo("Init:Signal:15");
        }

        @Test
        void initContainerRestartsCountOnlyWhileInitializing() {
            String spec = "{'initContainers':[{'name':'i1'}],'containers':[{'name':'app'}]}";
            ObjectNode initializing = pod(spec, "{'phase':'Pending','initContainerStatuses':[{'name':'i1',"
                    + "'restartCount':3,'state':{'waiting':{'reason':'CrashLoopBackOff'}}}]}");
            ObjectNode done = pod(spec, "{'phase':'Running','initContainerStatuses':[{'name':'i1','restartCount':3,"
                    + "'state':{'terminated':{'exitCode':0,'reason':'Completed'}}}],'containerStatuses':[{'name':'app',"
                    + "'ready':true,'restartCount':1,'state':{'running':{}}}]}");

            assertThat(cells("Pod", initializing).get(3)).isEqualTo("3");
            assertThat(cells("Pod", done)).startsWith("p", "1/1", "Running", "1");
        }

        @Test
        void startedSidecarsCountAsContainers() {
            String spec = "{'initContainers':[{'name':'proxy','restartPolicy':'Always'}],"
                    + "'containers':[{'name':'app'}]}";
            ObjectNode pod = pod(spec, "{'phase':'Running','conditions':[{'type':'Initialized','status':'True'}],"
                    + "'initContainerStatuses':[{'name':'proxy','started':true,'ready':true,'restartCount':2,"
                    + "'state':{'running':{}}}],'containerStatuses':[{'name':'app','ready':true,'restartCount':1,"
                    + "'state':{'running':{}}}]}");

            assertThat(cells("Pod", pod)).startsWith("p", "2/2", "Running", "3");
        }

        @Test
        void deletionTimestampMeansTerminatingUnlessFinished() {
            ObjectNode running = pod(ONE_CONTAINER, "{'phase':'Running','containerStatuses':[{'name':'app',"
                    + "'ready':true,'state':{'running':{}}}]}");
            ((ObjectNode) running.get("metadata")).put("deletionTimestamp", ago(Duration.ofSeconds(2)));
            ObjectNode succeeded = pod(ONE_CONTAINER, "{'phase':'Succeeded'}");
            ((ObjectNode) succeeded.get("metadata")).put("deletionTimestamp", ago(Duration.ofSeconds(2)));
            ObjectNode lost = pod(ONE_CONTAINER, "{'phase':'Running','reason':'NodeLost'}");
            ((ObjectNode) lost.get("metadata")).put("deletionTimestamp", ago(Duration.ofSeconds(2)));

            assertThat(cells("Pod", running).get(2)).isEqualTo("Terminating");
            assertThat(cells("Pod", succeeded).get(2)).isEqualTo("Succeeded");
            assertThat(cells("Pod", lost).get(2)).isEqualTo("Unknown");
        }

        @Test
        void finishedPodsCarryACompletedRowCondition() {
            ObjectNode table = table("Pod", pod(ONE_CONTAINER, "{'phase':'Failed'}"));

            assertThat(table.get("rows").get(0).get("conditions")).isEqualTo(MAPPER.createArrayNode().add(
                    json("{'type':'Completed','status':'True','reason':'Failed','message':'The pod failed.'}")));
            assertThat(table("Pod", pod(ONE_CONTAINER, "{'phase':'Running'}")).get("rows").get(0)
                    .has("conditions")).isFalse();
        }
    }

    @Nested
    class Nodes {

        private ObjectNode node(String labels, String spec, String conditions) {
            return object("Node", "n1", Duration.ofDays(3), "{'metadata':{'name':'n1','creationTimestamp':'"
                    + ago(Duration.ofDays(3)) + "','labels':" + labels + "},'spec':" + spec + ",'status':{"
                    + "'conditions':" + conditions + ",'nodeInfo':{'kubeletVersion':'v1.32.0',"
                    + "'osImage':'Ubuntu 24.04','kernelVersion':'6.8.0',"
                    + "'containerRuntimeVersion':'containerd://2.0.0'},"
                    + "'addresses':[{'type':'Hostname','address':'n1'},{'type':'InternalIP','address':'10.0.0.1'},"
                    + "{'type':'InternalIP','address':'10.0.0.2'}]}}");
        }

        private String statusOf(String spec, String conditions) {
            return cells("Node", node("{}", spec, conditions)).get(1);
        }

        @Test
        void columnsMatchKube() {
            ObjectNode table = table("Node");

            assertThat(columnNames(table)).containsExactly("Name", "Status", "Roles", "Age", "Version",
                    "Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime");
            assertThat(table.get("columnDefinitions")).extracting(c -> c.get("priority").asInt())
                    .containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1, 1);
            assertThat(column(table, "Version").get("description").asText())
                    .isEqualTo("Kubelet Version reported by the node.");
        }

        @Test
        void readyNodeWithRolesAndWideCells() {
            ObjectNode node = node("{'node-role.kubernetes.io/worker':'','node-role.kubernetes.io/control-plane':'',"
                    + "'kubernetes.io/role':'edge','node-role.kubernetes.io/':'x'}", "{}",
                    "[{'type':'MemoryPressure','status':'False'},{'type':'Ready','status':'True'}]");

            assertThat(cells("Node", node)).containsExactly("n1", "Ready", "control-plane,edge,worker", "3d",
                    "v1.32.0", "10.0.0.1", "<none>", "Ubuntu 24.04", "6.8.0", "containerd://2.0.0");
        }

        @Test
        void statusFollowsTheReadyCondition() {
            assertThat(statusOf("{}", "[{'type':'Ready','status':'False'}]")).isEqualTo("NotReady");
            assertThat(statusOf("{}", "[{'type':'Ready','status':'Unknown'}]")).isEqualTo("NotReady");
            assertThat(statusOf("{}", "[{'type':'DiskPressure','status':'False'}]")).isEqualTo("Unknown");
            assertThat(statusOf("{}", "[]")).isEqualTo("Unknown");
        }

        @Test
        void cordonedNodesAreSchedulingDisabled() {
            assertThat(statusOf("{'unschedulable':true}", "[{'type':'Ready','status':'True'}]"))
                    .isEqualTo("Ready,SchedulingDisabled");
            assertThat(statusOf("{'unschedulable':true}", "[{'type':'Ready','status':'False'}]"))
                    .isEqualTo("NotReady,SchedulingDisabled");
        }

        @Test
        void missingNodeInfoIsUnknownAndNoRolesIsNone() {
            ObjectNode bare = object("Node", "n2", Duration.ofSeconds(30), "{}");

            assertThat(cells("Node", bare)).containsExactly("n2", "Unknown", "<none>", "30s", "", "<none>",
                    "<none>", "<unknown>", "<unknown>", "<unknown>");
        }
    }

    @Nested
    class Workloads {

        @Test
        void deployment() {
            ObjectNode deployment = object("Deployment", "web", Duration.ofHours(3).plusMinutes(4), "{'spec':{"
                    + "'replicas':3,'selector':{'matchLabels':{'tier':'front','app':'web'},"
                    + "'matchExpressions':[{'key':'env','operator':'In','values':['prod','dev']},"
                    + "{'key':'canary','operator':'DoesNotExist'}]},'template':{'spec':{'containers':["
                    + "{'name':'web','image':'nginx:1.27'},{'name':'proxy','image':'envoy'}]}}},"
                    + "'status':{'replicas':3,'readyReplicas':2,'updatedReplicas':3,'availableReplicas':2}}");
            ObjectNode table = table("Deployment", deployment);

            assertThat(columnNames(table)).containsExactly("Name", "Ready", "Up-to-date", "Available", "Age",
                    "Containers", "Images", "Selector");
            assertThat(cells(table)).containsExactly("web", "2/3", "3", "2", "3h4m", "web,proxy", "nginx:1.27,envoy",
                    "app=web,!canary,env in (dev,prod),tier=front");
            assertThat(table.get("rows").get(0).get("cells").get(2).isNumber()).isTrue();
        }

        @Test
        void deploymentDefaultsAndEmptySelector() {
            ObjectNode deployment = object("Deployment", "d", Duration.ofSeconds(10), "{'spec':{}}");

            assertThat(cells("Deployment", deployment)).containsExactly("d", "0/1", "0", "0", "10s", "", "", "");
        }

        @Test
        void replicaSet() {
            ObjectNode replicaSet = object("ReplicaSet", "web-7d4b9", Duration.ofMinutes(10), "{'spec':{"
                    + "'replicas':2,'selector':{'matchLabels':{'app':'web','pod-template-hash':'7d4b9'}},"
                    + "'template':{'spec':{'containers':[{'name':'web','image':'nginx'}]}}},"
                    + "'status':{'replicas':2,'readyReplicas':1}}");
            ObjectNode table = table("ReplicaSet", replicaSet);

            assertThat(columnNames(table)).containsExactly("Name", "Desired", "Current", "Ready", "Age",
                    "Containers", "Images", "Selector");
            assertThat(column(table, "Desired").get("type").asText()).isEqualTo("integer");
            assertThat(cells(table)).containsExactly("web-7d4b9", "2", "2", "1", "10m", "web", "nginx",
                    "app=web,pod-template-hash=7d4b9");
        }

        @Test
        void replicaSetSelectorEdgeCases() {
            ObjectNode empty = object("ReplicaSet", "rs", Duration.ofSeconds(1), "{'spec':{'selector':{}}}");
            ObjectNode invalid = object("ReplicaSet", "rs", Duration.ofSeconds(1),
                    "{'spec':{'selector':{'matchExpressions':[{'key':'a','operator':'Matches'}]}}}");

            assertThat(cells("ReplicaSet", empty).get(7)).isEqualTo("<none>");
            assertThat(cells("ReplicaSet", invalid).get(7)).isEqualTo("<error>");
        }
    }

    @Nested
    class Events {

        @Test
        void coreEvent() {
            ObjectNode event = object("Event", "web.17f", Duration.ofHours(1), "{'type':'Warning','reason':'BackOff',"
                    + "'message':' Back-off restarting failed container \\n','count':12,"
                    + "'firstTimestamp':'" + ago(Duration.ofMinutes(50)) + "',"
                    + "'lastTimestamp':'" + ago(Duration.ofSeconds(30)) + "',"
                    + "'involvedObject':{'kind':'Pod','name':'web','fieldPath':'spec.containers{web}'},"
                    + "'source':{'component':'kubelet','host':'node-1'}}");
            ObjectNode table = table("Event", event);

            assertThat(columnNames(table)).containsExactly("Last Seen", "Type", "Reason", "Object", "Subobject",
                    "Source", "Message", "First Seen", "Count", "Name");
            assertThat(table.get("columnDefinitions")).extracting(c -> c.get("priority").asInt())
                    .containsExactly(0, 0, 0, 0, 1, 1, 0, 1, 1, 1);
            assertThat(cells(table)).containsExactly("30s", "Warning", "BackOff", "pod/web", "spec.containers{web}",
                    "kubelet, node-1", "Back-off restarting failed container", "50m", "12", "web.17f");
        }

        @Test
        void singletonEventFromTheNewApiFallsBackToEventTime() {
            // eventTime is a MicroTime: 2m59.877s ago, which truncates to 2m59s.
            ObjectNode event = object("Event", "e", Duration.ofMinutes(3), "{'type':'Normal','reason':'Scheduled',"
                    + "'message':'ok','eventTime':'2025-06-01T11:57:00.123456Z','reportingComponent':'scheduler',"
                    + "'involvedObject':{'kind':'Node'}}");

            assertThat(cells("Event", event))
                    .containsExactly("2m59s", "Normal", "Scheduled", "node", "", "scheduler", "ok", "2m59s", "1", "e");
        }

        @Test
        void seriesGivesLastSeenAndCount() {
            ObjectNode event = object("Event", "e", Duration.ofMinutes(3), "{'type':'Normal','reason':'Pulled',"
                    + "'eventTime':'" + ago(Duration.ofMinutes(20)) + "','series':{'count':5,'lastObservedTime':'"
                    + ago(Duration.ofSeconds(5)) + "'},'involvedObject':{'kind':'Pod','name':'p'}}");

            assertThat(cells("Event", event)).containsExactly("5s", "Normal", "Pulled", "pod/p", "", "", "", "20m",
                    "5", "e");
        }

        @Test
        void eventsApiGroupEvent() {
            ObjectNode event = json("{'apiVersion':'events.k8s.io/v1','kind':'Event','metadata':{'name':'e2'},"
                    + "'type':'Normal','reason':'Started','note':'Started container','reportingController':'kubelet',"
                    + "'reportingInstance':'node-1','eventTime':'" + ago(Duration.ofMinutes(7)) + "',"
                    + "'regarding':{'kind':'Pod','name':'web'}}");

            assertThat(cells("Event", event)).containsExactly("7m", "Normal", "Started", "pod/web", "",
                    "kubelet, node-1", "Started container", "7m", "1", "e2");
        }
    }

    @Nested
    class Services {

        private List<String> serviceCells(String spec, String status) {
            return cells("Service", object("Service", "svc", Duration.ofMinutes(30),
                    "{'spec':" + spec + ",'status':" + status + "}"));
        }

        @Test
        void columnsMatchKube() {
            assertThat(columnNames(table("Service"))).containsExactly("Name", "Type", "Cluster-IP", "External-IP",
                    "Port(s)", "Age", "Selector");
        }

        @Test
        void clusterIpService() {
            assertThat(serviceCells("{'type':'ClusterIP','clusterIP':'10.96.0.10','clusterIPs':['10.96.0.10'],"
                    + "'ports':[{'port':53,'protocol':'UDP'},{'port':53,'protocol':'TCP'}],"
                    + "'selector':{'k8s-app':'kube-dns'}}", "{}"))
                    .containsExactly("svc", "ClusterIP", "10.96.0.10", "<none>", "53/UDP,53/TCP", "30m",
                            "k8s-app=kube-dns");
        }

        @Test
        void headlessNodePortAndDefaults() {
            assertThat(serviceCells("{'clusterIP':'None','ports':[{'port':80,'nodePort':30080}]}", "{}"))
                    .containsExactly("svc", "ClusterIP", "None", "<none>", "80:30080/TCP", "30m", "<none>");
            assertThat(serviceCells("{'type':'NodePort','externalIPs':['1.2.3.4','5.6.7.8']}", "{}"))
                    .containsExactly("svc", "NodePort", "<none>", "1.2.3.4,5.6.7.8", "<none>", "30m", "<none>");
        }

        @Test
        void loadBalancers() {
            assertThat(serviceCells("{'type':'LoadBalancer','clusterIP':'10.0.0.1'}", "{}").get(3))
                    .isEqualTo("<pending>");
            assertThat(serviceCells("{'type':'LoadBalancer','externalIPs':['9.9.9.9']}", "{'loadBalancer':{"
                    + "'ingress':[{'ip':'203.0.113.20'},{'hostname':'lb.example.com'},{'ip':'203.0.113.10'}]}}")
                    .get(3)).isEqualTo("203.0.113.10,203.0.113.20,lb.example.com,9.9.9.9");
        }

        @Test
        void externalName() {
            assertThat(serviceCells("{'type':'ExternalName','externalName':'db.example.com'}", "{}"))
                    .startsWith("svc", "ExternalName", "<none>", "db.example.com");
        }
    }

    @Nested
    class SmallKinds {

        @Test
        void namespace() {
            ObjectNode namespace = object("Namespace", "shop", Duration.ofDays(10),
                    "{'status':{'phase':'Terminating'}}");
            ObjectNode table = table("Namespace", namespace);

            assertThat(columnNames(table)).containsExactly("Name", "Status", "Age");
            assertThat(cells(table)).containsExactly("shop", "Terminating", "10d");
        }

        @Test
        void configMapCountsDataAndBinaryData() {
            ObjectNode configMap = object("ConfigMap", "cfg", Duration.ofSeconds(59),
                    "{'data':{'a':'1','b':'2'},'binaryData':{'c':'AA=='}}");
            ObjectNode table = table("ConfigMap", configMap);

            assertThat(columnNames(table)).containsExactly("Name", "Data", "Age");
            assertThat(cells(table)).containsExactly("cfg", "3", "59s");
            assertThat(table.get("rows").get(0).get("cells").get(1).isNumber()).isTrue();
        }

        @Test
        void secret() {
            ObjectNode tls = object("Secret", "tls", Duration.ofHours(50),
                    "{'type':'kubernetes.io/tls','data':{'tls.crt':'x','tls.key':'y'}}");
            ObjectNode opaque = object("Secret", "s", Duration.ofHours(50),
                    "{'data':{'a':'x'},'stringData':{'a':'y','b':'z'}}");

            assertThat(columnNames(table("Secret"))).containsExactly("Name", "Type", "Data", "Age");
            assertThat(cells("Secret", tls)).containsExactly("tls", "kubernetes.io/tls", "2", "2d2h");
            assertThat(cells("Secret", opaque)).containsExactly("s", "Opaque", "2", "2d2h");
        }

        @Test
        void lease() {
            ObjectNode held = object("Lease", "kube-scheduler", Duration.ofMinutes(4),
                    "{'spec':{'holderIdentity':'scheduler-1_abc','leaseDurationSeconds':15}}");
            ObjectNode free = object("Lease", "free", Duration.ofMinutes(4), "{'spec':{}}");

            assertThat(columnNames(table("Lease"))).containsExactly("Name", "Holder", "Age");
            assertThat(cells("Lease", held)).containsExactly("kube-scheduler", "scheduler-1_abc", "4m");
            assertThat(cells("Lease", free)).containsExactly("free", "", "4m");
        }

        @Test
        void kindsWithoutAPrinterGetNameAndCreatedAt() {
            ObjectNode widget = object("Widget", "w1", Duration.ofMinutes(90), "{}");
            ObjectNode table = table("Widget", widget);

            assertThat(table.get("columnDefinitions").get(1)).isEqualTo(json("{'name':'Created At','type':'date',"
                    + "'format':'','description':'" + Descriptions.CREATION_TIMESTAMP.replace("\n", "\\n") + "',"
                    + "'priority':0}"));
            assertThat(columnNames(table)).containsExactly("Name", "Created At");
            assertThat(cells(table)).containsExactly("w1", "2025-06-01T10:30:00Z");
        }
    }
}

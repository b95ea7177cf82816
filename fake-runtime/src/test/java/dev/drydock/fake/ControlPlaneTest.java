package dev.drydock.fake;

import static dev.drydock.fake.Objects.condition;
import static dev.drydock.fake.Objects.conditionObject;
import static dev.drydock.fake.Objects.deployment;
import static dev.drydock.fake.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scheduler, controllers and kubelets together, as Kubernetes' documented behaviour has them. */
class ControlPlaneTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private DrydockCluster cluster;

    private KubeClient start(ClusterSpec spec) {
        cluster = DrydockCluster.start(spec);
        return cluster.client();
    }

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aPodThatFitsNowhereStaysPendingWithUnschedulableAndAnEvent() {
        KubeClient k = start(ClusterSpec.create().nodes(2).nodeCapacity("1", "1Gi"));

        k.create(Resource.PODS, "default", pod("big", "2"));

        await().atMost(WAIT).untilAsserted(() -> {
            ObjectNode p = k.get(Resource.PODS, "default", "big");
            JsonNode scheduled = conditionObject(p, "PodScheduled");
            assertThat(scheduled).isNotNull();
            assertThat(scheduled.path("status").asText()).isEqualTo("False");
            assertThat(scheduled.path("reason").asText()).isEqualTo("Unschedulable");
            assertThat(scheduled.path("message").asText()).startsWith("0/2 nodes are available: 2 Insufficient cpu.");
            assertThat(Json.text(p, "spec", "nodeName")).isNull();
            assertThat(Json.text(p, "status", "phase")).isEqualTo("Pending");
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(k.items(Resource.EVENTS, "default", null))
                .anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("FailedScheduling")));
    }

    @Test
    void aRunningPodIsDeletedGracefullyAndGoesOnceItsKubeletHasStoppedIt() {
        KubeClient k = start(ClusterSpec.create().nodes(1));
        k.create(Resource.PODS, "default", pod("p", "100m"));
        await().atMost(WAIT).until(() -> "Running".equals(Json.text(k.get(Resource.PODS, "default", "p"), "status",
                "phase")));
        var watched = new java.util.concurrent.CopyOnWriteArrayList<ObjectNode>();
        var watch = k.watch(Resource.PODS, "default", Json.resourceVersion(k.get(Resource.PODS, "default", "p")),
                null, new dev.drydock.kube.WatchHandler() {
                    @Override
                    public void onEvent(String type, ObjectNode object) {
                        watched.add(object.put("type", type));
                    }

                    @Override
                    public void onClose(dev.drydock.kube.ApiException error) {
                    }
                });

        k.delete(Resource.PODS, "default", "p");

        await().atMost(WAIT).until(() -> k.find(Resource.PODS, "default", "p") == null);
        watch.close();
        // The delete marked the pod (its spec's 30 s grace period ahead); the kubelet then deleted it with none.
        assertThat(watched).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("MODIFIED");
            assertThat(e.at("/metadata/deletionGracePeriodSeconds").asLong()).isEqualTo(30);
            assertThat(e.at("/metadata/deletionTimestamp").isTextual()).isTrue();
        });
        assertThat(watched.get(watched.size() - 1).path("type").asText()).isEqualTo("DELETED");
    }

    @Test
    void aPodThatWasNeverScheduledIsDeletedAtOnce() {
        KubeClient k = start(ClusterSpec.create().nodes(1).nodeCapacity("1", "1Gi"));
        k.create(Resource.PODS, "default", pod("big", "2"));

        k.delete(Resource.PODS, "default", "big");

        assertThat(k.find(Resource.PODS, "default", "big")).isNull();
    }

    @Test
    void podsAreSpreadByFreeResourcesAndNeverOverCommitANode() {
        KubeClient k = start(ClusterSpec.create().nodes(3).nodeCapacity("1", "4Gi"));
        for (int i = 0; i < 4; i++) {
            k.create(Resource.PODS, "default", pod("p" + i, "400m"));
        }

        await().atMost(WAIT).untilAsserted(() -> {
            List<ObjectNode> pods = k.items(Resource.PODS, "default", null);
            assertThat(pods.stream().filter(p -> Json.text(p, "spec", "nodeName") != null)).hasSize(4);
            // 1 cpu per node, 400m per pod: at most 2 pods per node, and LeastAllocated spreads them.
            assertThat(pods.stream().collect(Collectors.groupingBy(p -> Json.text(p, "spec", "nodeName"),
                    Collectors.counting())).values()).allMatch(n -> n <= 2).hasSize(3);
        });
    }

    @Test
    void aDeploymentRunsItsReplicasAndReportsThem() {
        KubeClient k = start(ClusterSpec.create().nodes(3));

        k.create(Resource.DEPLOYMENTS, "default", deployment("web", 3, "busybox:1.36"));

        await().atMost(WAIT).untilAsserted(() -> {
            ObjectNode d = k.get(Resource.DEPLOYMENTS, "default", "web");
            assertThat(d.path("status").path("readyReplicas").asInt()).isEqualTo(3);
            assertThat(d.path("status").path("availableReplicas").asInt()).isEqualTo(3);
            assertThat(d.path("status").path("updatedReplicas").asInt()).isEqualTo(3);
            assertThat(d.path("status").path("observedGeneration").asInt()).isEqualTo(1);
            assertThat(condition(d, "Available")).isEqualTo("True");
            assertThat(conditionObject(d, "Progressing").path("reason").asText()).isEqualTo("NewReplicaSetAvailable");
        });
        List<ObjectNode> sets = k.items(Resource.REPLICASETS, "default", "app=web");
        assertThat(sets).hasSize(1);
        ObjectNode rs = sets.get(0);
        assertThat(Json.name(rs)).startsWith("web-");
        assertThat(Json.controllerOf(rs).path("kind").asText()).isEqualTo("Deployment");
        assertThat(Json.text(rs, "metadata", "labels", "pod-template-hash")).isNotBlank();
        List<ObjectNode> pods = k.items(Resource.PODS, "default", "app=web");
        assertThat(pods).hasSize(3).allSatisfy(p -> {
            assertThat(Json.controllerOf(p).path("uid").asText()).isEqualTo(Json.uid(rs));
            assertThat(Json.text(p, "status", "phase")).isEqualTo("Running");
            assertThat(Json.text(p, "status", "podIP")).startsWith("10.244.");
            assertThat(condition(p, "Ready")).isEqualTo("True");
        });
    }

    @Test
    void aTemplateChangeRollsToANewReplicaSet() {
        KubeClient k = start(ClusterSpec.create().nodes(3));
        k.create(Resource.DEPLOYMENTS, "default", deployment("web", 4, "busybox:1.36"));
        await().atMost(WAIT).until(() -> k.get(Resource.DEPLOYMENTS, "default", "web").path("status")
                .path("availableReplicas").asInt() == 4);
        String firstRs = Json.name(k.items(Resource.REPLICASETS, "default", "app=web").get(0));

        k.modify(Resource.DEPLOYMENTS, "default", "web", d ->
                ((ObjectNode) d.path("spec").path("template").path("spec").path("containers").get(0))
                        .put("image", "busybox:1.37"));

        await().atMost(WAIT).untilAsserted(() -> {
            ObjectNode now = k.get(Resource.DEPLOYMENTS, "default", "web");
            assertThat(now.path("metadata").path("generation").asInt()).isEqualTo(2);
            assertThat(now.path("status").path("observedGeneration").asInt()).isEqualTo(2);
            assertThat(now.path("status").path("updatedReplicas").asInt()).isEqualTo(4);
            assertThat(now.path("status").path("availableReplicas").asInt()).isEqualTo(4);
            assertThat(now.path("status").path("replicas").asInt()).isEqualTo(4);
            assertThat(Json.text(now, "metadata", "annotations", "deployment.kubernetes.io/revision")).isEqualTo("2");
            List<ObjectNode> sets = k.items(Resource.REPLICASETS, "default", "app=web");
            assertThat(sets).hasSize(2);
            assertThat(sets).filteredOn(rs -> Json.name(rs).equals(firstRs))
                    .singleElement().satisfies(rs -> assertThat(rs.path("spec").path("replicas").asInt()).isZero());
            assertThat(k.items(Resource.PODS, "default", "app=web")).hasSize(4).allSatisfy(p ->
                    assertThat(p.path("spec").path("containers").get(0).path("image").asText())
                            .isEqualTo("busybox:1.37"));
        });
    }

    @Test
    void aReplicaSetReplacesADeletedPod() {
        KubeClient k = start(ClusterSpec.create().nodes(2));
        k.create(Resource.DEPLOYMENTS, "default", deployment("web", 2, "busybox"));
        await().atMost(WAIT).until(() -> runningNames(k, "app=web").size() == 2);
        String victim = runningNames(k, "app=web").iterator().next();

        k.delete(Resource.PODS, "default", victim);

        await().atMost(WAIT).untilAsserted(() -> assertThat(runningNames(k, "app=web"))
                .hasSize(2).doesNotContain(victim));
    }

    @Test
    void scalingDownDeletesFromTheNodeThatHoldsMoreReplicasFirst() {
        KubeClient k = start(ClusterSpec.create().nodes(3));
        cluster.node("node-3").cordon();
        ObjectNode rs = Json.object().put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
        Json.with(rs, "metadata").put("name", "spread");
        ObjectNode spec = Json.with(rs, "spec").put("replicas", 3);
        Json.with(spec, "selector", "matchLabels").put("app", "spread");
        Json.with(spec, "template", "metadata", "labels").put("app", "spread");
        Json.withArray(Json.with(spec, "template", "spec"), "containers").addObject().put("name", "main")
                .put("image", "busybox");
        k.create(Resource.REPLICASETS, "default", rs);
        await().atMost(WAIT).until(() -> runningNames(k, "app=spread").size() == 3); // two on one node
        cluster.node("node-3").uncordon();
        // The scheduler sees the uncordon through its informer, after the API answered: a pod only node-3 can take
        // is scheduled once it has, so the next replica is scored with node-3 schedulable (a CI run once scaled
        // up first, and the fourth replica went to node-1). Gone again before, so that node-3 holds none.
        ObjectNode probe = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(probe, "metadata").put("name", "on-node-3");
        Json.with(probe, "spec", "nodeSelector").put("kubernetes.io/hostname", "node-3");
        Json.withArray(Json.with(probe, "spec"), "containers").addObject().put("name", "main")
                .put("image", "busybox");
        k.create(Resource.PODS, "default", probe);
        await().atMost(WAIT).until(() -> Json.text(k.get(Resource.PODS, "default", "on-node-3"), "spec", "nodeName")
                != null);
        k.delete(Resource.PODS, "default", "on-node-3");
        await().atMost(WAIT).until(() -> k.find(Resource.PODS, "default", "on-node-3") == null);
        k.modify(Resource.REPLICASETS, "default", "spread", r -> Json.with(r, "spec").put("replicas", 4));
        await().atMost(WAIT).until(() -> runningNodes(k, "app=spread").contains("node-3")); // the newest pod

        k.modify(Resource.REPLICASETS, "default", "spread", r -> Json.with(r, "spec").put("replicas", 3));

        // kube's ActivePodsWithRanks: a pod on a node with more replicas goes before the newest pod
        await().atMost(WAIT).untilAsserted(() -> assertThat(runningNodes(k, "app=spread"))
                .containsExactlyInAnyOrder("node-1", "node-2", "node-3"));
    }

    /** The nodes of the Running pods of {@code selector} that are not being deleted, one entry per pod. */
    private static List<String> runningNodes(KubeClient k, String selector) {
        return k.items(Resource.PODS, "default", selector).stream()
                .filter(p -> "Running".equals(Json.text(p, "status", "phase")) && !Json.isDeleting(p))
                .map(p -> Json.text(p, "spec", "nodeName")).toList();
    }

    @Test
    void aReplicaSetGoesOnScalingDownWhileAPodItDeletedStaysTerminating() {
        KubeClient k = start(ClusterSpec.create().nodes(2));
        // a finalizer holds a deleted pod Terminating, as a crashed node's kubelet does
        ObjectNode rs = Json.object().put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
        Json.with(rs, "metadata").put("name", "held");
        ObjectNode spec = Json.with(rs, "spec").put("replicas", 2);
        Json.with(spec, "selector", "matchLabels").put("app", "held");
        Json.with(spec, "template", "metadata", "labels").put("app", "held");
        Json.withArray(Json.with(spec, "template", "metadata"), "finalizers").add("example.com/hold");
        Json.withArray(Json.with(spec, "template", "spec"), "containers").addObject().put("name", "main")
                .put("image", "busybox");
        k.create(Resource.REPLICASETS, "default", rs);
        await().atMost(WAIT).until(() -> runningNames(k, "app=held").size() == 2);

        k.modify(Resource.REPLICASETS, "default", "held", r -> Json.with(r, "spec").put("replicas", 1));
        await().atMost(WAIT).until(() -> k.items(Resource.PODS, "default", "app=held").stream()
                .filter(Json::isDeleting).count() == 1);
        k.modify(Resource.REPLICASETS, "default", "held", r -> Json.with(r, "spec").put("replicas", 0));

        // kube sees a pod deleted when its deletionTimestamp appears: the second deletion does not wait for the
        // first pod to go, nor for its expectation to expire (5 s)
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(
                k.items(Resource.PODS, "default", "app=held")).hasSize(2).allSatisfy(p ->
                assertThat(Json.isDeleting(p)).as(Json.name(p) + " is being deleted").isTrue()));
        for (ObjectNode p : k.items(Resource.PODS, "default", "app=held")) {
            k.modify(Resource.PODS, "default", Json.name(p), pod -> Json.with(pod, "metadata").remove("finalizers"));
        }
    }

    @Test
    void aCrashedNodeGoesUnknownIsTaintedAndItsPodsMoveThenItComesBack() {
        KubeClient k = start(ClusterSpec.create().nodes(2));
        k.create(Resource.DEPLOYMENTS, "default", deployment("web", 4, "busybox"));
        await().atMost(WAIT).until(() -> runningNames(k, "app=web").size() == 4);

        cluster.node("node-1").crash();

        await().atMost(WAIT).untilAsserted(() -> {
            ObjectNode node = k.get(Resource.NODES, null, "node-1");
            assertThat(condition(node, "Ready")).isEqualTo("Unknown");
            assertThat(conditionObject(node, "Ready").path("reason").asText()).isEqualTo("NodeStatusUnknown");
            assertThat(node.path("spec").path("taints").toString()).contains("node.kubernetes.io/unreachable");
        });
        // As on kube, the evicted pods stay Terminating while their kubelet cannot confirm that they stopped;
        // their replacements run on the node that is left.
        await().atMost(WAIT).untilAsserted(() -> {
            List<ObjectNode> pods = k.items(Resource.PODS, "default", "app=web");
            assertThat(pods.stream().filter(p -> !Json.isDeleting(p))).hasSize(4)
                    .allSatisfy(p -> assertThat(Json.text(p, "spec", "nodeName")).isEqualTo("node-2"));
            assertThat(pods.stream().filter(Json::isDeleting))
                    .allSatisfy(p -> assertThat(Json.text(p, "spec", "nodeName")).isEqualTo("node-1"));
        });

        cluster.node("node-1").restart();

        await().atMost(WAIT).untilAsserted(() -> {
            ObjectNode node = k.get(Resource.NODES, null, "node-1");
            assertThat(condition(node, "Ready")).isEqualTo("True");
            assertThat(node.path("spec").path("taints").toString()).doesNotContain("unreachable");
        });
        // Back, the kubelet confirms what was deleted while it was away.
        await().atMost(WAIT).untilAsserted(() -> assertThat(k.items(Resource.PODS, "default", "app=web"))
                .hasSize(4).allSatisfy(p -> assertThat(Json.text(p, "spec", "nodeName")).isEqualTo("node-2")));
        assertThat(cluster.timeline().toString()).contains("node-1  crash").contains("node-1  restart");
    }

    @Test
    void deletingADeploymentDeletesItsReplicaSetsAndPods() {
        KubeClient k = start(ClusterSpec.create().nodes(2));
        k.create(Resource.DEPLOYMENTS, "default", deployment("web", 2, "busybox"));
        await().atMost(WAIT).until(() -> runningNames(k, "app=web").size() == 2);

        k.delete(Resource.DEPLOYMENTS, "default", "web");

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(k.items(Resource.REPLICASETS, "default", null)).isEmpty();
            assertThat(k.items(Resource.PODS, "default", null)).isEmpty();
        });
    }

    @Test
    void deletingANamespaceDeletesItsContentThenItself() {
        KubeClient k = start(ClusterSpec.create().nodes(1));
        ObjectNode ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
        Json.with(ns, "metadata").put("name", "team");
        k.create(Resource.NAMESPACES, null, ns);
        k.create(Resource.DEPLOYMENTS, "team", deployment("web", 1, "busybox"));
        await().atMost(WAIT).until(() -> k.items(Resource.PODS, "team", null).size() == 1);

        k.delete(Resource.NAMESPACES, null, "team");

        assertThat(Json.text(k.find(Resource.NAMESPACES, null, "team"), "status", "phase"))
                .isIn("Terminating", null);
        await().atMost(WAIT).untilAsserted(() -> assertThat(k.find(Resource.NAMESPACES, null, "team")).isNull());
        assertThat(k.items(Resource.PODS, "team", null)).isEmpty();
        assertThat(k.items(Resource.DEPLOYMENTS, "team", null)).isEmpty();
    }

    private static Set<String> runningNames(KubeClient k, String selector) {
        return k.items(Resource.PODS, "default", selector).stream()
                .filter(p -> "Running".equals(Json.text(p, "status", "phase")) && !Json.isDeleting(p))
                .map(Json::name).collect(Collectors.toSet());
    }
}

package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.chaos.Timeline;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster's own changes on its timeline: pods, nodes, leaders and rollouts, as lanes can be drawn from them. */
class TimelineRecorderTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void podsNodesLeadersAndRolloutsAreRecordedAsStateChangesAndAConvergedClusterAddsNone() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().name("recorder").runtime("stub")
                .nodes(2).storeReplicas(1))) {
            Timeline timeline = cluster.timeline();
            KubeClient k = cluster.client();
            assertThat(timeline.entries()).filteredOn(e -> e.kind().equals(Timeline.LEADER))
                    .extracting(Timeline.Entry::subject, Timeline.Entry::state).contains(
                            org.assertj.core.groups.Tuple.tuple("store", "etcd-0"));
            await().atMost(PATIENCE).until(() -> states(timeline, "node/node-1").contains("Ready")
                    && states(timeline, "node/node-2").contains("Ready"));

            k.create(Resource.DEPLOYMENTS, "default", deployment("web", 2));
            await().atMost(PATIENCE).until(() -> states(timeline, "deployment/default/web").contains("Complete"));
            List<Timeline.Entry> pods = timeline.entries().stream().filter(e -> e.kind().equals(Timeline.POD))
                    .toList();
            assertThat(pods).extracting(Timeline.Entry::state).contains("Pending", "Running/Ready");
            assertThat(pods).allSatisfy(e -> assertThat(e.subject()).startsWith("pod/default/web-"));
            assertThat(states(timeline, "deployment/default/web")).first().isEqualTo("Progressing");
            assertThat(timeline.entries()).filteredOn(e -> e.kind().equals(Timeline.ROLLOUT)).first()
                    .satisfies(e -> assertThat(e.detail()).startsWith("rollout of revision 1 started"));

            // Converged: heartbeats (node leases, node status) go on, and the timeline records none of them.
            cluster.awaitQuiet(Duration.ofMillis(300), PATIENCE);
            int before = timeline.entries().size();
            cluster.awaitQuiet(Duration.ofSeconds(1), PATIENCE);
            assertThat(timeline.entries().subList(before, timeline.entries().size())).isEmpty();

            ObjectNode lease = Json.object().put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
            Json.with(lease, "metadata").put("name", "my-operator");
            Json.with(lease, "spec").put("holderIdentity", "pod-a");
            k.create(Resource.LEASES, "default", lease);
            ObjectNode held = k.get(Resource.LEASES, "default", "my-operator");
            Json.with(held, "spec").put("holderIdentity", "pod-b");
            k.update(Resource.LEASES, held);
            await().atMost(PATIENCE).until(() -> states(timeline, "lease/default/my-operator")
                    .equals(List.of("pod-a", "pod-b")));

            cluster.node("node-2").crash();
            await().atMost(PATIENCE).until(() -> states(timeline, "node/node-2").contains("Unknown"));
            assertThat(timeline.entries()).filteredOn(e -> e.subject().equals("node/node-2")).last()
                    .satisfies(e -> assertThat(e.detail()).startsWith("Ready -> Unknown (NodeStatusUnknown"));
            assertThat(states(timeline, "node/node-1")).containsExactly("Ready");
            assertThat(timeline.entries()).noneMatch(e -> e.subject().startsWith("lease/kube-node-lease/"));
        }
    }

    private static List<String> states(Timeline timeline, String subject) {
        return timeline.entries().stream().filter(e -> e.subject().equals(subject)).map(Timeline.Entry::state)
                .toList();
    }

    static ObjectNode deployment(String name, int replicas) {
        ObjectNode d = Json.object().put("apiVersion", "apps/v1").put("kind", "Deployment");
        Json.with(d, "metadata").put("name", name);
        ObjectNode spec = Json.with(d, "spec").put("replicas", replicas);
        Json.with(spec, "selector", "matchLabels").put("app", name);
        Json.with(spec, "template", "metadata", "labels").put("app", name);
        Json.withArray(Json.with(spec, "template", "spec"), "containers").addObject()
                .put("name", "app").put("image", "nginx");
        return d;
    }
}

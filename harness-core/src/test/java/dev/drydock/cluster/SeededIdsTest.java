package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Uids and generated names come from the cluster's seed, keyed by what they are for: two clusters started with the
 * same seed give the same objects the same uids and names (while their nodes, scheduler and controllers create
 * objects of their own at their own pace), another seed gives others, and a recreated object gets a new uid.
 */
class SeededIdsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Resource CONFIG_MAPS = new Resource("", "v1", "configmaps", "ConfigMap", true);

    @Test
    void theSameSeedGivesTheSameUidsAndNamesAndAnotherSeedOthers() {
        Ids first = run(7);
        Ids again = run(7);
        Ids other = run(8);

        assertThat(first.uids()).hasSize(6).doesNotHaveDuplicates();
        assertThat(first.uids().get(1)).as("the uid of a recreated object").isNotEqualTo(first.uids().get(0));
        assertThat(first.names()).hasSize(3).allMatch(n -> n.matches("gen-[bcdfghjklmnpqrstvwxz2456789]{5}"))
                .doesNotHaveDuplicates();
        assertThat(first.pods()).hasSize(3);
        assertThat(first.bootIds()).hasSize(2).doesNotHaveDuplicates(); // a restart boots anew
        assertThat(again).as("seed 7 again").isEqualTo(first);
        assertThat(other.uids()).as("seed 8").doesNotContainAnyElementsOf(first.uids());
        assertThat(other.names()).as("seed 8").isNotEqualTo(first.names());
        assertThat(other.pods()).as("seed 8").isNotEqualTo(first.pods());
        assertThat(other.bootIds()).as("seed 8").doesNotContainAnyElementsOf(first.bootIds());
    }

    /**
     * What the test's creates got: uids in order, generated names in order, the Deployment's pods' names; and node-1's
     * bootID before and after a restart.
     */
    private record Ids(List<String> uids, List<String> names, TreeSet<String> pods, List<String> bootIds) {
    }

    private static Ids run(long seed) {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().name("ids-" + seed).runtime("stub")
                .nodes(2).seed(seed))) {
            KubeClient k = cluster.client();
            List<String> uids = new ArrayList<>();
            List<String> names = new ArrayList<>();
            uids.add(Json.uid(k.create(CONFIG_MAPS, "default", configMap("a", null))));
            k.delete(CONFIG_MAPS, "default", "a");
            uids.add(Json.uid(k.create(CONFIG_MAPS, "default", configMap("a", null))));
            for (int i = 0; i < 3; i++) {
                ObjectNode made = k.create(CONFIG_MAPS, "default", configMap(null, "gen-"));
                names.add(Json.name(made));
                uids.add(Json.uid(made));
            }
            uids.add(Json.uid(k.create(Resource.DEPLOYMENTS, "default", deployment())));
            TreeSet<String> pods = new TreeSet<>();
            await().atMost(PATIENCE).untilAsserted(() -> {
                pods.clear();
                k.items(Resource.PODS, "default", "app=web").forEach(p -> pods.add(Json.name(p)));
                assertThat(pods).hasSize(3);
            });
            List<String> bootIds = new ArrayList<>();
            bootIds.add(bootId(k));
            cluster.node("node-1").restart();
            await().atMost(PATIENCE).until(() -> !bootId(k).equals(bootIds.get(0)));
            bootIds.add(bootId(k));
            return new Ids(uids, names, pods, bootIds);
        }
    }

    private static String bootId(KubeClient k) {
        return k.get(Resource.NODES, null, "node-1").path("status").path("nodeInfo").path("bootID").asText();
    }

    private static ObjectNode configMap(String name, String generateName) {
        ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
        ObjectNode meta = Json.with(cm, "metadata");
        if (name != null) {
            meta.put("name", name);
        } else {
            meta.put("generateName", generateName);
        }
        return cm;
    }

    private static ObjectNode deployment() {
        ObjectNode d = Json.object().put("apiVersion", "apps/v1").put("kind", "Deployment");
        Json.with(d, "metadata").put("name", "web");
        ObjectNode spec = Json.with(d, "spec").put("replicas", 3);
        Json.with(spec, "selector", "matchLabels").put("app", "web");
        Json.with(spec, "template", "metadata", "labels").put("app", "web");
        Json.withArray(Json.with(spec, "template", "spec"), "containers").addObject().put("name", "main")
                .put("image", "busybox");
        return d;
    }
}

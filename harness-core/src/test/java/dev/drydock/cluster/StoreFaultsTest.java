package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.Timings;
import dev.drydock.chaos.NetworkFault;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.store.KeyValue;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The store's faults on {@link DrydockCluster#store()}, as the API server's clients see them. */
class StoreFaultsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Resource CONFIGMAPS = new Resource("", "v1", "configmaps", "ConfigMap", true);

    @Test
    void theApiGoesOnAcrossALeaderIsolationAndTheTimelineRecordsIt() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().apiServerOnly())) {
            KubeClient client = cluster.client();
            StoreHandle store = cluster.store();
            assertThat(store.replicas()).isEqualTo(3);
            client.create(CONFIGMAPS, "default", configMap("before"));

            int old = store.isolateLeader();
            await().atMost(PATIENCE).until(() -> store.leader() >= 0 && store.leader() != old);
            client.create(CONFIGMAPS, "default", configMap("during"));
            store.heal();

            int leader = store.leader();
            await().atMost(PATIENCE).until(() -> store.revision(old) == store.revision(leader));
            assertThat(client.items(CONFIGMAPS, "default", null)).extracting(Json::name)
                    .contains("before", "during");
            assertThat(cluster.timeline().entries()).extracting(e -> e.kind() + " " + e.detail())
                    .contains("fault isolate etcd-" + old, "fault heal");
        }
    }

    @Test
    void withoutQuorumAWriteFailsWithATimeoutStatusThenSucceedsAfterTheHealAndNothingAcknowledgedIsLost() {
        Timings t = Timings.compressed();
        Timings shortWait = t.with("storeRequestTimeout", Duration.ofSeconds(1));
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().apiServerOnly().timings(shortWait))) {
            KubeClient client = cluster.client();
            client.create(CONFIGMAPS, "default", configMap("acknowledged"));

            cluster.store().loseQuorum();

            assertThatThrownBy(() -> client.create(CONFIGMAPS, "default", configMap("refused")))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(504));
            cluster.store().heal();
            client.create(CONFIGMAPS, "default", configMap("after"));
            assertThat(client.get(CONFIGMAPS, "default", "acknowledged")).isNotNull();
            assertThat(client.get(CONFIGMAPS, "default", "after")).isNotNull();
        }
    }

    @Test
    void aStoppedReplicaRestartedEmptyCatchesUp() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().apiServerOnly().storeReplicas(5))) {
            StoreHandle store = cluster.store();
            int follower = (store.leader() + 1) % store.replicas();
            store.stop(follower);
            cluster.client().create(CONFIGMAPS, "default", configMap("while-down"));

            store.restart(follower);

            await().atMost(PATIENCE).until(() -> store.leader() >= 0
                    && store.revision(follower) == store.revision(store.leader()));
            assertThat(store.isRunning(follower)).isTrue();
            assertThat(cluster.timeline().entries()).extracting(e -> e.kind() + " " + e.detail())
                    .contains("fault stop etcd-" + follower, "fault restart etcd-" + follower + " empty");
        }
    }

    @Test
    void aSlowFollowerDoesNotHoldUpWritesAndCatchesUpOnceHealed() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().apiServerOnly())) {
            KubeClient client = cluster.client();
            StoreHandle store = cluster.store();
            int leader = store.leader();
            int follower = (leader + 1) % store.replicas();
            client.create(CONFIGMAPS, "default", configMap("before"));
            await().atMost(PATIENCE).until(() -> store.revision(follower) == store.revision(leader));

            store.slowDisk(follower, Duration.ofMinutes(1));
            store.slowLinks(follower, Duration.ofMinutes(1));
            for (int i = 0; i < 10; i++) {
                client.create(CONFIGMAPS, "default", configMap("while-slow-" + i)); // within the request timeout
            }

            int now = store.leader();
            assertThat(store.revision(follower)).as("the slow follower lags").isLessThan(store.revision(now));
            store.heal();
            await().atMost(PATIENCE).until(() -> store.leader() >= 0
                    && store.revision(follower) == store.revision(store.leader()));
            assertThat(cluster.timeline().entries()).extracting(e -> e.kind() + " " + e.detail())
                    .contains("fault slow the disk of etcd-" + follower + " by 60000 ms",
                            "fault slow the links of etcd-" + follower + " by 60000 ms", "fault heal");
        }
    }

    @Test
    void aSlowLeaderMakesWritesWaitForItsRoundTripsAndStaysCorrect() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().apiServerOnly())) {
            KubeClient client = cluster.client();
            StoreHandle store = cluster.store();
            int leader = store.leader();
            Duration delay = Duration.ofMillis(30);

            store.slowLinks(leader, delay);
            long start = System.nanoTime();
            client.create(CONFIGMAPS, "default", configMap("slow"));
            long took = System.nanoTime() - start;

            // A write commits once a follower holds it: a message to it and its answer, each held up by the delay.
            assertThat(Duration.ofNanos(took)).isGreaterThanOrEqualTo(delay.multipliedBy(2));
            assertThat(client.get(CONFIGMAPS, "default", "slow")).isNotNull();
            store.slowDisk(leader, delay);
            client.create(CONFIGMAPS, "default", configMap("slower"));
            store.heal();
            assertThat(client.items(CONFIGMAPS, "default", null)).extracting(Json::name).contains("slow", "slower");
        }
    }

    @Test
    void writesStillCommitOverLossyLinksOfAFollowerThenOfTheLeaderAndHealLiftsTheLoss() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().apiServerOnly())) {
            KubeClient client = cluster.client();
            StoreHandle store = cluster.store();
            int leader = store.leader();
            int follower = (leader + 1) % store.replicas();
            store.lossyLinks(follower, 1); // every message lost: the follower lags
            client.create(CONFIGMAPS, "default", configMap("all-lost"));
            assertThat(store.revision(follower)).isLessThan(store.revision(leader));

            store.lossyLinks(follower, 0.3);
            for (int i = 0; i < 20; i++) {
                client.create(CONFIGMAPS, "default", configMap("lossy-follower-" + i));
            }
            await().atMost(PATIENCE).until(() -> store.leader() >= 0
                    && store.revision(follower) == store.revision(store.leader()));
            store.lossyLinks(follower, 0);
            int lossyLeader = store.leader();
            store.lossyLinks(lossyLeader, 0.3);
            for (int i = 0; i < 20; i++) {
                client.create(CONFIGMAPS, "default", configMap("lossy-leader-" + i));
            }
            store.heal();

            await().atMost(PATIENCE).until(() -> {
                int now = store.leader();
                if (now < 0) {
                    return false;
                }
                for (int r = 0; r < store.replicas(); r++) {
                    if (store.revision(r) != store.revision(now)) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(client.items(CONFIGMAPS, "default", null)).extracting(Json::name)
                    .contains("all-lost", "lossy-follower-0", "lossy-follower-19", "lossy-leader-0",
                            "lossy-leader-19")
                    .hasSize(41);
            assertThat(cluster.timeline().entries()).extracting(e -> e.kind() + " " + e.detail())
                    .containsSubsequence("fault lose 100% of the messages on the links of etcd-" + follower,
                            "fault lose 30% of the messages on the links of etcd-" + follower,
                            "fault lose 0% of the messages on the links of etcd-" + follower,
                            "fault lose 30% of the messages on the links of etcd-" + lossyLeader, "fault heal");
        }
    }

    @Test
    void writesCommitOnceEachWhileTheLeadersMessagesAreDuplicatedAndReorderedAndTheReplicasAgree() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().apiServerOnly())) {
            KubeClient client = cluster.client();
            StoreHandle store = cluster.store();
            String leader = "etcd-" + store.leader();
            long before = store.revision(store.leader());
            try (NetworkFault copies = cluster.networkFaults().duplicate(leader, 0.5);
                 NetworkFault shuffled = cluster.networkFaults().reorder(leader, 0.5)) {
                for (int i = 0; i < 40; i++) {
                    client.create(CONFIGMAPS, "default", configMap("shaken-" + i));
                }
            }

            await().atMost(PATIENCE).until(() -> {
                int now = store.leader();
                if (now < 0) {
                    return false;
                }
                for (int r = 0; r < store.replicas(); r++) {
                    if (store.revision(r) != store.revision(now)) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(client.items(CONFIGMAPS, "default", null)).extracting(Json::name).hasSize(40);
            for (int r = 0; r < store.replicas(); r++) {
                assertThat(store.serializableList(r, "/registry/core/configmaps/default/")).as("etcd-" + r).hasSize(40);
            }
            assertThat(store.revision(store.leader()) - before).as("one revision per create, none applied twice")
                    .isEqualTo(40);
            assertThat(cluster.timeline().entries()).extracting(e -> e.kind() + " " + e.detail())
                    .containsSubsequence("fault duplicate 50% of the messages on the links of " + leader,
                            "fault reorder 50% of the messages on the links of " + leader,
                            "fault healed reorder 50% of the messages on the links of " + leader,
                            "fault healed duplicate 50% of the messages on the links of " + leader);
        }
    }

    @Test
    void aLossProbabilityOutsideZeroToOneIsRefusedAndNotRecorded() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().apiServerOnly())) {
            StoreHandle store = cluster.store();
            for (double bad : new double[] {-0.5, 1.5, Double.NaN}) {
                assertThatThrownBy(() -> store.lossyLinks(0, bad))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("a link's loss probability must be between 0 and 1, got " + bad);
            }
            assertThatThrownBy(() -> store.lossyLinks(3, 0.1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no store replica 3; replicas are 0 to 2");
            assertThat(cluster.timeline().entries()).extracting(e -> e.detail())
                    .noneMatch(d -> d.contains("messages on the links"));
        }
    }

    @Test
    void anIsolatedFollowersSerializableReadShowsItsStaleViewWhileTheApiReadsTheNewValueAndItCatchesUpOnceHealed() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().apiServerOnly())) {
            KubeClient client = cluster.client();
            StoreHandle store = cluster.store();
            String key = "/registry/core/configmaps/default/settings";
            client.create(CONFIGMAPS, "default", configMap("settings"));
            int leader = store.leader();
            int follower = (leader + 1) % store.replicas();
            await().atMost(PATIENCE).until(() -> store.serializableGet(follower, key) != null);
            assertThat(data(store.serializableGet(follower, key))).isEqualTo("v");

            store.isolate(follower);
            ObjectNode cm = client.get(CONFIGMAPS, "default", "settings");
            Json.with(cm, "data").put("k", "new");
            client.update(CONFIGMAPS, cm);
            client.create(CONFIGMAPS, "default", configMap("added"));

            assertThat(client.get(CONFIGMAPS, "default", "settings").path("data").path("k").asText())
                    .as("a linearizable read, through the API").isEqualTo("new");
            assertThat(data(store.serializableGet(follower, key))).as("the isolated follower's own view")
                    .isEqualTo("v");
            assertThat(store.serializableGet(follower, "/registry/core/configmaps/default/added")).isNull();
            assertThat(store.serializableList(follower, "/registry/core/configmaps/default/"))
                    .extracting(KeyValue::key).containsExactly(key);
            int now = store.leader();
            assertThat(data(store.serializableGet(now, key))).as("the leader's own view").isEqualTo("new");

            store.heal();
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                    store.serializableList(follower, "/registry/core/configmaps/default/"))
                    .extracting(StoreFaultsTest::data).containsExactly("v", "new"));
        }
    }

    @Test
    void aStoppedReplicaAnswersNoSerializableRead() {
        try (DrydockCluster cluster = DrydockCluster.start(ClusterSpec.create().apiServerOnly())) {
            StoreHandle store = cluster.store();
            int follower = (store.leader() + 1) % store.replicas();
            store.stop(follower);

            assertThatThrownBy(() -> store.serializableGet(follower, "/registry/"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("etcd-" + follower + " is stopped: a stopped replica answers no read");
            assertThatThrownBy(() -> store.serializableList(follower, "/registry/"))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(store.serializableList(store.leader(), "/registry/")).isNotEmpty();
        }
    }

    private static String data(KeyValue kv) {
        return Json.parseTrusted(kv.value()).path("data").path("k").asText();
    }

    @Test
    void storeReplicasMustBeOneThreeOrFive() {
        assertThatThrownBy(() -> ClusterSpec.create().storeReplicas(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("storeReplicas must be 1, 3 or 5, got 2");
    }

    private static ObjectNode configMap(String name) {
        ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
        Json.with(cm, "metadata").put("name", name);
        Json.with(cm, "data").put("k", "v");
        return cm;
    }
}

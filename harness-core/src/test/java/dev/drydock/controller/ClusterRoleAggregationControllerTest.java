package dev.drydock.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.ApiServer;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.auth.BootstrapPolicy;
import dev.drydock.base.Clock;
import dev.drydock.base.ComponentContext;
import dev.drydock.base.Timers;
import dev.drydock.base.Timings;
import dev.drydock.client.InformerFactory;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.store.MemoryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ClusterRole aggregation controller over a real API server: admin, edit and view filled as kube fills them. */
class ClusterRoleAggregationControllerTest {

    private MemoryStore store;
    private Timers timers;
    private ExecutorService workers;
    private ApiServer api;
    private KubeClient client;
    private InformerFactory informers;
    private ClusterRoleAggregationController controller;

    @BeforeEach
    void start() {
        store = new MemoryStore("drydock-t-store");
        workers = Executors.newFixedThreadPool(2, r -> daemon(r, "drydock-t-worker"));
        timers = Timers.create("t", Clock.SYSTEM, workers);
        api = new ApiServer(store, KindRegistry.builtIn(), Clock.SYSTEM,
                timers.asScheduledExecutorService(), 7L, workers);
        client = new KubeClient(api);
        ComponentContext ctx = new ComponentContext("t", 7L, Timings.compressed(), timers, workers);
        informers = new InformerFactory(client, ctx);
        controller = new ClusterRoleAggregationController(client, informers, ctx);
        informers.start();
    }

    @AfterEach
    void stop() {
        controller.shutdown();
        informers.close();
        api.close();
        workers.shutdownNow();
        timers.close();
        store.close();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private List<String> rules(String role) {
        List<String> out = new ArrayList<>();
        client.get(Resource.CLUSTER_ROLES, null, role).path("rules").forEach(r -> out.add(r.toString()));
        return out;
    }

    private static List<String> rulesOf(String role) {
        List<String> out = new ArrayList<>();
        for (ObjectNode r : BootstrapPolicy.clusterRoles()) {
            if (Json.name(r).equals(role)) {
                r.path("rules").forEach(rule -> out.add(rule.toString()));
            }
        }
        return out;
    }

    @Test
    void viewEditAndAdminAggregateTheBootstrapRolesAsKubesDo() {
        BootstrapPolicy.clusterRoles().forEach(r -> client.create(Resource.CLUSTER_ROLES, null, r));

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(rules("view")).containsExactlyElementsOf(rulesOf("system:aggregate-to-view"));
            List<String> edit = new ArrayList<>(rulesOf("system:aggregate-to-edit"));
            edit.addAll(rulesOf("system:aggregate-to-view"));
            assertThat(rules("edit")).containsExactlyElementsOf(edit);
            assertThat(rules("admin")).containsAll(edit).containsAll(rulesOf("system:aggregate-to-admin"));
        });
    }

    @Test
    void aLabelledClusterRoleJoinsTheAggregateAndLeavesItWhenDeleted() {
        client.create(Resource.CLUSTER_ROLES, null, json("{'metadata':{'name':'monitoring'},'aggregationRule':{"
                + "'clusterRoleSelectors':[{'matchLabels':{'example.com/aggregate-to-monitoring':'true'}}]}}"));
        client.create(Resource.CLUSTER_ROLES, null, json("{'metadata':{'name':'read-metrics','labels':{"
                + "'example.com/aggregate-to-monitoring':'true'}},'rules':[{'verbs':['get'],'nonResourceURLs':"
                + "['/metrics']}]}"));
        client.create(Resource.CLUSTER_ROLES, null, json("{'metadata':{'name':'read-pods','labels':{"
                + "'example.com/aggregate-to-monitoring':'true'}},'rules':[{'verbs':['get'],'nonResourceURLs':"
                + "['/metrics']},{'verbs':['list'],'apiGroups':[''],'resources':['pods']}]}"));

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(rules("monitoring"))
                .as("each rule once, from the roles in name order").containsExactly(
                        "{\"verbs\":[\"get\"],\"nonResourceURLs\":[\"/metrics\"]}",
                        "{\"verbs\":[\"list\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}"));

        client.delete(Resource.CLUSTER_ROLES, null, "read-metrics");
        client.mergePatch(Resource.CLUSTER_ROLES, null, "read-pods", null,
                json("{'metadata':{'labels':{'example.com/aggregate-to-monitoring':null}}}"));

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode monitoring = client.get(Resource.CLUSTER_ROLES, null, "monitoring");
            assertThat(monitoring.path("rules").isEmpty()).isTrue();
        });
    }

    private static ObjectNode json(String text) {
        try {
            ObjectNode obj = (ObjectNode) Json.MAPPER.readTree(text.replace('\'', '"'));
            obj.put("apiVersion", "rbac.authorization.k8s.io/v1").put("kind", "ClusterRole");
            return obj;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

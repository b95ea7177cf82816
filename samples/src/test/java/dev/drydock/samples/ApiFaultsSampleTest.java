package dev.drydock.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.chaos.ApiFault;
import dev.drydock.chaos.ApiFaults;
import dev.drydock.cluster.ClientIdentity;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What a user writes to see an operator's client through API faults: the operator runs as its own identity, its
 * requests fail with 500s and 429s and its watch is dropped, and its informer still converges once the faults heal,
 * while the test's own client is never hit.
 */
@Cluster(nodes = 1)
class ApiFaultsSampleTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** The test's own client (party {@code test}), injected by the extension. */
    private KubernetesClient k8s;

    @Test
    void anOperatorsInformerConvergesAfterItsWatchesFailWith500(DrydockCluster cluster) throws Exception {
        ApiFaults faults = cluster.apiFaults();
        try (KubernetesClient operator = clientOf(cluster.identity("operator"));
             SharedIndexInformer<ConfigMap> informer = operator.configMaps().inNamespace("default")
                     .inform(new ResourceEventHandler<>() {
                         @Override
                         public void onAdd(ConfigMap obj) { }

                         @Override
                         public void onUpdate(ConfigMap oldObj, ConfigMap newObj) { }

                         @Override
                         public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) { }
                     })) {
            try (ApiFault errors = faults.forIdentity("operator").resources("configmaps").fail(500);
                 ApiFault dropped = faults.forIdentity("operator").resources("configmaps").endWatches()) {
                k8s.configMaps().inNamespace("default").resource(configMap("during-errors")).create();
                await().atMost(PATIENCE).until(() -> errors.hits() > 0); // the operator tried again, and failed
                assertThat(dropped.hits()).isPositive();
                assertThat(informer.getIndexer().getByKey("default/during-errors")).isNull();
            }
            await().atMost(PATIENCE)
                    .until(() -> informer.getIndexer().getByKey("default/during-errors") != null);
        }
        assertThat(cluster.timeline().entries()).extracting(e -> e.kind() + " " + e.subject())
                .contains("fault client:operator", "error client:operator");
    }

    @Test
    void aThrottledRequestIsRetriedByFabric8AndSucceedsOnceTheThrottleEnds(DrydockCluster cluster) throws Exception {
        try (KubernetesClient operator = clientOf(cluster.identity("operator"))) {
            CompletableFuture<ConfigMapList> list;
            try (ApiFault throttled = cluster.apiFaults().forIdentity("operator").verbs("list").fail(429)) {
                list = CompletableFuture.supplyAsync(() -> operator.configMaps().inNamespace("default").list());
                await().atMost(PATIENCE).until(() -> throttled.hits() > 0);
                assertThat(k8s.configMaps().inNamespace("default").list()).as("the test's own list").isNotNull();
            }
            assertThat(list.get()).as("fabric8 retried the 429 until it was served").isNotNull();
        }
    }

    @Test
    void aDroppedWatchIsResumedByTheInformerFromItsLastResourceVersion(DrydockCluster cluster) throws Exception {
        ApiFaults faults = cluster.apiFaults();
        try (KubernetesClient operator = clientOf(cluster.identity("operator"));
             SharedIndexInformer<ConfigMap> informer = operator.configMaps().inNamespace("default")
                     .inform(new ResourceEventHandler<>() {
                         @Override
                         public void onAdd(ConfigMap obj) { }

                         @Override
                         public void onUpdate(ConfigMap oldObj, ConfigMap newObj) { }

                         @Override
                         public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) { }
                     });
             // counts the operator's lists of config maps, delaying each by a millisecond
             ApiFault lists = faults.forIdentity("operator").verbs("list").resources("configmaps")
                     .delay(Duration.ofMillis(1))) {
            // fabric8 takes a watch that ends cleanly within 2 s of opening, before any event, for a stale
            // resourceVersion (as GKE ends those) and lists again: the watch to drop has seen an event
            k8s.configMaps().inNamespace("default").resource(configMap("before-the-drop")).create();
            await().atMost(PATIENCE)
                    .until(() -> informer.getIndexer().getByKey("default/before-the-drop") != null);
            ApiFault dropped = faults.forIdentity("operator").resources("configmaps").endWatches();
            dropped.heal(); // ended the watch open now, and no other
            assertThat(dropped.hits()).isEqualTo(1);

            k8s.configMaps().inNamespace("default").resource(configMap("after-the-drop")).create();
            await().atMost(PATIENCE)
                    .until(() -> informer.getIndexer().getByKey("default/after-the-drop") != null);
            assertThat(lists.hits()).as("the informer watched again from where it was, without listing").isZero();
        }
    }

    private static KubernetesClient clientOf(ClientIdentity identity) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(identity.kubeconfig()));
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().addToData("k", "v").build();
    }
}

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
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What a user writes to see an operator through API faults. The operator (a small informer-based one, written as one
 * writes them with fabric8, below) runs as its own client identity, so that faults can be aimed at it alone: its
 * writes fail with 500, its lists are throttled with 429 and {@code Retry-After}, and its watch is dropped, while
 * the test's own client (the default kubeconfig, party {@code test}) is never hit. Once the faults heal, the operator
 * converges: what it missed, it catches up on.
 *
 * <p>Two layers retry, as in production: fabric8 retries a 5xx or a 429 itself (here once), and the operator's queue
 * retries what is left with its own back-off. An informer whose watch ends resumes it from its last resourceVersion,
 * and lists again when it must. (fabric8 7.9 logs the {@code Retry-After} of a 429, "retrying after 1000 millis", but
 * waits its own back-off, 100 ms doubling: its {@code AsyncUtils.retryWithExponentialBackoff} schedules the back-off
 * interval rather than the delay its {@code shouldRetry} returns. A test of throttling sees the retries come early.)
 */
@Cluster(nodes = 1)
class ApiFaultsSampleTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** The test's own client (party {@code test}), injected by the extension. */
    private KubernetesClient k8s;

    @Test
    void anOperatorConvergesAfterItsWritesFailItsListsAreThrottledAndItsWatchIsDropped(DrydockCluster cluster)
            throws Exception {
        ApiFaults faults = cluster.apiFaults();
        String ns = k8s.getNamespace();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
                        Config.fromKubeconfig(Files.readString(cluster.identity("operator").kubeconfig())))
                        .withRequestRetryBackoffLimit(1).withRequestRetryBackoffInterval(50).build()).build();
             MirrorOperator operator = new MirrorOperator(client, ns)) {
            k8s.configMaps().resource(source("before", "1")).create();
            await().atMost(PATIENCE).until(() -> mirrored(ns, "before", "1"));

            try (ApiFault writes = faults.forIdentity("operator").verbs("create", "update", "patch")
                    .resources("configmaps").fail(500)) {
                k8s.configMaps().resource(source("during-errors", "2")).create(); // the test's write goes through
                await().atMost(PATIENCE).until(() -> operator.failedReconciles() > 0);
                assertThat(writes.hits()).as("the operator's writes, each tried twice by fabric8").isGreaterThan(1);

                try (ApiFault throttled = faults.forIdentity("operator").verbs("list").resources("configmaps")
                             .tooManyRequests(Duration.ofSeconds(1));
                     ApiFault dropped = faults.forIdentity("operator").resources("configmaps").endWatches()) {
                    // its watch ended; every new one ends as it opens, so its informer lists again, throttled
                    k8s.configMaps().resource(source("during-drops", "3")).create();
                    k8s.configMaps().withName("before").edit(c -> source("before", "4"));
                    await().atMost(PATIENCE).until(() -> dropped.hits() > 1 && throttled.hits() > 0);
                    assertThat(k8s.configMaps().list().getItems()).as("the test's own list")
                            .extracting(c -> c.getMetadata().getName()).contains("during-drops");
                }
                assertThat(k8s.configMaps().withName("during-errors-mirror").get()).as("not mirrored yet").isNull();
            }

            // healed: the operator catches up on everything it missed, and follows what changes next
            await().atMost(PATIENCE).until(() -> mirrored(ns, "during-errors", "2") && mirrored(ns, "during-drops", "3")
                    && mirrored(ns, "before", "4"));
            k8s.configMaps().withName("during-drops").edit(c -> source("during-drops", "5"));
            await().atMost(PATIENCE).until(() -> mirrored(ns, "during-drops", "5"));
        }
        assertThat(cluster.timeline().entries()).extracting(e -> e.kind() + " " + e.subject())
                .contains("fault client:operator", "error client:operator")
                .doesNotContain("error test");
    }

    @Test
    void aThrottledRequestIsRetriedByFabric8AndSucceedsOnceTheThrottleEnds(DrydockCluster cluster) throws Exception {
        try (KubernetesClient operator = clientOf(cluster.identity("operator"))) {
            CompletableFuture<ConfigMapList> list;
            try (ApiFault throttled = cluster.apiFaults().forIdentity("operator").verbs("list")
                    .tooManyRequests(Duration.ofSeconds(1))) {
                list = CompletableFuture.supplyAsync(() -> operator.configMaps().inNamespace("default").list());
                await().atMost(PATIENCE).until(() -> throttled.hits() > 1); // tried, and tried again
                assertThat(list).as("still throttled").isNotDone();
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

    /** Whether the operator has mirrored {@code name} with data {@code k: value}, as the test's client reads it. */
    private boolean mirrored(String ns, String name, String value) {
        ConfigMap mirror = k8s.configMaps().inNamespace(ns).withName(name + "-mirror").get();
        return mirror != null && value.equals(mirror.getData().get("k"));
    }

    private static ConfigMap source(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).addToLabels("mirror", "true").endMetadata()
                .addToData("k", value).build();
    }

    /**
     * A minimal operator, as written with fabric8: for each ConfigMap labelled {@code mirror=true} it keeps a copy
     * named {@code <name>-mirror}. An informer feeds keys to a queue; one worker reconciles a key at a time,
     * level-triggered (it reads the source from the informer's cache and writes what the copy should be), and
     * retries a failed reconcile later, with a back-off from 50 ms doubling up to 1 s.
     */
    static final class MirrorOperator implements AutoCloseable {
        private final KubernetesClient client;
        private final String namespace;
        private final SharedIndexInformer<ConfigMap> informer;
        private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
                r -> new Thread(r, "mirror-operator"));
        private final Set<String> queued = ConcurrentHashMap.newKeySet();       // each key waits in the queue once
        private final Map<String, Integer> failures = new ConcurrentHashMap<>(); // per key, since its last success
        private final AtomicLong failedReconciles = new AtomicLong();

        MirrorOperator(KubernetesClient client, String namespace) {
            this.client = client;
            this.namespace = namespace;
            this.informer = client.configMaps().inNamespace(namespace).withLabel("mirror", "true")
                    .inform(new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(ConfigMap obj) {
                            enqueue(obj.getMetadata().getName(), 0);
                        }

                        @Override
                        public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                            enqueue(newObj.getMetadata().getName(), 0);
                        }

                        @Override
                        public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                            enqueue(obj.getMetadata().getName(), 0);
                        }
                    });
        }

        long failedReconciles() {
            return failedReconciles.get();
        }

        private void enqueue(String name, long delayMillis) {
            if (queued.add(name)) {
                try {
                    worker.schedule(() -> reconcile(name), delayMillis, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopping) {
                    queued.remove(name); // closed: nothing is reconciled any more
                }
            }
        }

        private void reconcile(String name) {
            queued.remove(name); // an event from now on queues it again
            ConfigMap source = informer.getIndexer().getByKey(namespace + "/" + name);
            try {
                if (source == null) {
                    client.configMaps().inNamespace(namespace).withName(name + "-mirror").delete();
                } else {
                    ConfigMap mirror = new ConfigMapBuilder().withNewMetadata().withName(name + "-mirror")
                            .endMetadata().withData(source.getData()).build();
                    client.configMaps().inNamespace(namespace).resource(mirror).createOr(NonDeletingOperation::update);
                }
                failures.remove(name);
            } catch (KubernetesClientException e) {
                failedReconciles.incrementAndGet();
                int n = failures.merge(name, 1, Integer::sum);
                enqueue(name, Math.min(1000, 50L << Math.min(n, 5)));
            }
        }

        @Override
        public void close() {
            informer.close();
            worker.shutdownNow();
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

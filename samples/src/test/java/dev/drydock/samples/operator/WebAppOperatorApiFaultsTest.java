package dev.drydock.samples.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.chaos.ApiFault;
import dev.drydock.chaos.ApiFaults;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.junit.Cluster;
import dev.drydock.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample JOSDK operator ({@link WebAppReconciler}) under API faults aimed at its own client identity: its writes
 * of Deployments fail with 500, its lists are throttled with 429 and {@code Retry-After}, and its watches are dropped,
 * while the test's own client is never hit. Once the faults heal, the WebApp converges: its ConfigMap, Deployment and
 * status catch up with the spec it was given meanwhile.
 *
 * <p>JOSDK retries a failed reconcile with its {@code GenericRetry} (by default 2 s, growing 1.5 times, 5 attempts);
 * here it starts at 100 ms and gives up later, so that the test stays quick. fabric8 retries each 5xx and 429 itself
 * first (10 times by default).
 */
@Cluster(nodes = 1)
class WebAppOperatorApiFaultsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @BeforeAll
    static void installTheCrd(KubernetesClient k8s) throws Exception {
        try (InputStream crd = WebAppOperatorApiFaultsTest.class.getResourceAsStream("/operator/webapps.yaml")) {
            k8s.apiextensions().v1().customResourceDefinitions().load(crd).createOr(c -> c.update());
        }
        k8s.apiextensions().v1().customResourceDefinitions().withName("webapps." + WebApp.GROUP)
                .waitUntilCondition(WebAppOperatorApiFaultsTest::established, 30, TimeUnit.SECONDS);
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
    }

    @Test
    void theOperatorConvergesThrough500s429sAndDroppedWatchesOfItsOwnIdentity(DrydockCluster cluster,
                                                                             KubernetesClient k8s,
                                                                             @TestNamespace String ns)
            throws Exception {
        ApiFaults faults = cluster.apiFaults();
        // the operator's client is the identity "operator": faults can be aimed at it, and at it alone
        KubernetesClient client = new KubernetesClientBuilder().withConfig(
                Config.fromKubeconfig(Files.readString(cluster.identity("operator").kubeconfig()))).build();
        Operator operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(true));
        operator.register(new WebAppReconciler(), c -> c.withRetry(new GenericRetry().setInitialInterval(100)
                .setIntervalMultiplier(2).setMaxInterval(1000).setMaxAttempts(60)));
        operator.start();
        try {
            var apps = k8s.resources(WebApp.class).inNamespace(ns);
            try (ApiFault writes = faults.forIdentity("operator").verbs("create", "update", "patch")
                    .resources("deployments.apps").fail(500)) {
                apps.resource(webApp("shop", 2, "hello")).create(); // the test's own write goes through
                await().atMost(PATIENCE).until(() -> writes.hits() > 0);
                try (ApiFault throttled = faults.forIdentity("operator").verbs("list")
                             .tooManyRequests(Duration.ofSeconds(1));
                     ApiFault dropped = faults.forIdentity("operator").verbs("watch").endWatches()) {
                    apps.withName("shop").edit(a -> {
                        a.getSpec().setMessage("bye");
                        return a;
                    });
                    await().atMost(PATIENCE).until(() -> dropped.hits() > 1 && throttled.hits() > 0);
                }
                assertThat(k8s.apps().deployments().inNamespace(ns).withName("shop").get())
                        .as("no Deployment while the operator's writes of them fail").isNull();
            }

            // healed: the operator catches up with the spec as it is now
            await().atMost(PATIENCE).untilAsserted(() -> {
                ConfigMap content = k8s.configMaps().inNamespace(ns).withName("shop-content").get();
                assertThat(content).isNotNull();
                assertThat(content.getData()).containsEntry("index.html", "bye");
                Deployment web = k8s.apps().deployments().inNamespace(ns).withName("shop").get();
                assertThat(web).isNotNull();
                assertThat(web.getSpec().getReplicas()).isEqualTo(2);
                WebApp seen = apps.withName("shop").get();
                assertThat(seen.getStatus()).isNotNull();
                assertThat(seen.getStatus().getReadyReplicas()).isEqualTo(2);
            });
        } finally {
            operator.stop();
        }
        assertThat(cluster.timeline().entries()).extracting(e -> e.kind() + " " + e.subject())
                .contains("fault client:operator", "error client:operator")
                .doesNotContain("error test");
    }

    private static WebApp webApp(String name, int replicas, String message) {
        WebApp app = new WebApp();
        app.getMetadata().setName(name);
        app.setSpec(new WebApp.Spec());
        app.getSpec().setImage("nginx:1.27");
        app.getSpec().setReplicas(replicas);
        app.getSpec().setMessage(message);
        return app;
    }
}

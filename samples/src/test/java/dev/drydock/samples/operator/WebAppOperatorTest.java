package dev.drydock.samples.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drydock.junit.Cluster;
import dev.drydock.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The sample JOSDK operator tested as its authors would test it against a real cluster: the CRD applied, the operator
 * started with JOSDK's defaults on a fabric8 client of the cluster, a WebApp created, changed and deleted, and what
 * the operator made checked through the API. Twenty times in a row, each with an operator and a namespace of its own.
 */
@Cluster(nodes = 2)
class WebAppOperatorTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** JOSDK's field manager: the reconciler's name. */
    private static final String MANAGER = "webappreconciler";

    private Operator operator;

    @BeforeAll
    static void installTheCrd(KubernetesClient k8s) throws Exception {
        try (InputStream crd = WebAppOperatorTest.class.getResourceAsStream("/operator/webapps.yaml")) {
            k8s.apiextensions().v1().customResourceDefinitions().load(crd).createOr(c -> c.update());
        }
        k8s.apiextensions().v1().customResourceDefinitions().withName("webapps." + WebApp.GROUP)
                .waitUntilCondition(WebAppOperatorTest::established, 30, TimeUnit.SECONDS);
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
    }

    @BeforeEach
    void startTheOperator(KubernetesClient k8s) {
        operator = new Operator(o -> o.withKubernetesClient(k8s).withCloseClientOnStop(false));
        operator.register(new WebAppReconciler());
        operator.start();
    }

    @AfterEach
    void stopTheOperator() {
        operator.stop();
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

    private static void ownedBy(HasMetadata dependent, WebApp app) {
        assertThat(dependent.getMetadata().getOwnerReferences()).extracting(OwnerReference::getKind,
                OwnerReference::getName, OwnerReference::getUid).containsExactly(
                org.assertj.core.groups.Tuple.tuple("WebApp", app.getMetadata().getName(), app.getMetadata().getUid()));
    }

    @RepeatedTest(20)
    void aWebAppBecomesAConfigMapADeploymentAndAServiceAndItsStatusCountsReadyReplicas(KubernetesClient k8s,
                                                                                     @TestNamespace String ns) {
        var apps = k8s.resources(WebApp.class).inNamespace(ns);
        WebApp app = apps.resource(webApp("shop", 3, "hello")).create();

        await().atMost(PATIENCE).untilAsserted(() -> {
            WebApp seen = apps.withName("shop").get();
            assertThat(seen.getStatus()).isNotNull();
            assertThat(seen.getStatus().getReadyReplicas()).isEqualTo(3);
        });
        ConfigMap content = k8s.configMaps().inNamespace(ns).withName("shop-content").get();
        assertThat(content.getData()).containsEntry("index.html", "hello");
        Deployment web = k8s.apps().deployments().inNamespace(ns).withName("shop").get();
        assertThat(web.getSpec().getReplicas()).isEqualTo(3);
        Service svc = k8s.services().inNamespace(ns).withName("shop").get();
        assertThat(svc.getSpec().getClusterIP()).isNotBlank();
        for (HasMetadata dependent : new HasMetadata[] {content, web, svc}) {
            ownedBy(dependent, app);
        }

        // A change of the spec reaches every dependent, and the status follows the Deployment.
        apps.withName("shop").edit(a -> {
            a.getSpec().setReplicas(2);
            a.getSpec().setMessage("bye");
            return a;
        });
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(k8s.configMaps().inNamespace(ns).withName("shop-content").get().getData())
                    .containsEntry("index.html", "bye");
            assertThat(k8s.apps().deployments().inNamespace(ns).withName("shop").get().getSpec().getReplicas())
                    .isEqualTo(2);
            assertThat(apps.withName("shop").get().getStatus().getReadyReplicas()).isEqualTo(2);
        });
        // JOSDK created them with a plain POST, and updates a Deployment by server-side apply under its own field
        // manager (ConfigMaps and Secrets it updates with a PUT, its default for them)
        Deployment applied = k8s.apps().deployments().inNamespace(ns).withName("shop").get();
        assertThat(applied.getMetadata().getManagedFields())
                .as("managedFields: %s", applied.getMetadata().getManagedFields())
                .filteredOn(f -> f.getManager().equals(MANAGER)).extracting(ManagedFieldsEntry::getOperation)
                .containsExactly("Apply");

        // Deleting the WebApp deletes what it owns, through the garbage collector.
        apps.withName("shop").delete();
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(k8s.configMaps().inNamespace(ns).withName("shop-content").get()).isNull();
            assertThat(k8s.apps().deployments().inNamespace(ns).withName("shop").get()).isNull();
            assertThat(k8s.services().inNamespace(ns).withName("shop").get()).isNull();
            assertThat(k8s.pods().inNamespace(ns).list().getItems()).isEmpty();
        });
    }
}

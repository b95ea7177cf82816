package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import org.junit.jupiter.api.Test;

/** The README's example of the JUnit extension, as shown there. */
@Cluster(nodes = 2, nodeCpu = "2", nodeMemory = "4Gi")
class NamespacePerTestTest {
    @Test
    void createsAPodInItsNamespace(KubernetesClient k8s, @TestNamespace String namespace, ApiClient apiClient)
            throws ApiException {
        k8s.pods().resource(new PodBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer().endSpec()
                .build()).create();                            // no namespace given: the test's own

        assertThat(new CoreV1Api(apiClient).listNamespacedPod(namespace).execute().getItems()).hasSize(1);
    }
}

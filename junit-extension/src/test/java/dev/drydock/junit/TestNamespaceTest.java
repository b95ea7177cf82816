package dev.drydock.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Tests that share a class's cluster each get a fresh namespace, deleted after them. */
@Cluster(nodes = 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestNamespaceTest {

    /** RFC 1123 label, as kube validates namespace names. */
    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final AtomicReference<String> FIRST = new AtomicReference<>();
    private static final List<String> REPEATED = new CopyOnWriteArrayList<>();

    private String fromBeforeEach;

    @BeforeEach
    void remember(@TestNamespace String namespace) {
        fromBeforeEach = namespace;
    }

    @Test
    @Order(1)
    void aTestGetsAFreshNamespaceNamedAfterIt(@TestNamespace String namespace, DrydockCluster cluster) {
        FIRST.set(namespace);

        assertThat(namespace).matches(DNS_LABEL).hasSizeLessThanOrEqualTo(63)
                .startsWith("a-test-gets-a-fresh-namespace-named-after-it-");
        assertThat(namespace).isEqualTo(fromBeforeEach);
        ObjectNode ns = cluster.client().get(Resource.NAMESPACES, null, namespace);
        assertThat(Json.text(ns, "status", "phase")).isEqualTo("Active");
        assertThat(Json.text(ns, "metadata", "annotations", DrydockExtension.TEST_ANNOTATION))
                .isEqualTo(TestNamespaceTest.class.getName() + "#aTestGetsAFreshNamespaceNamedAfterIt");
        cluster.client().create(Resource.PODS, namespace, pod("left-behind"));
    }

    @Test
    @Order(2)
    void theNextTestGetsAnotherAndThePreviousOneIsDeletedWithItsContent(@TestNamespace String namespace,
                                                                        DrydockCluster cluster) {
        assertThat(FIRST.get()).as("set by the first test").isNotNull();
        assertThat(namespace).isNotEqualTo(FIRST.get());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(cluster.client().items(Resource.PODS, FIRST.get(), null)).isEmpty();
            assertThat(cluster.client().find(Resource.NAMESPACES, null, FIRST.get())).isNull();
        });
        assertThat(cluster.client().get(Resource.NAMESPACES, null, namespace)).isNotNull();
    }

    @RepeatedTest(2)
    @Order(3)
    void eachInvocationOfARepeatedTestGetsItsOwn(@TestNamespace String namespace) {
        REPEATED.add(namespace);
        assertThat(REPEATED).doesNotHaveDuplicates().doesNotContain(FIRST.get());
    }

    @Test
    @Order(4)
    @Cluster(nodes = 1)
    void aTestWithAClusterOfItsOwnGetsAFreshNamespaceToo(@TestNamespace String namespace, DrydockCluster cluster) {
        assertThat(namespace).startsWith("a-test-with-a-cluster-of-its-own-gets-a-fresh-namespace-");
        assertThat(cluster.client().get(Resource.NAMESPACES, null, namespace)).isNotNull();
        assertThat(cluster.client().get(Resource.NAMESPACES, null, "default")).isNotNull();
    }

    @Test
    void namesAreDnsLabelsMadeFromTheMethodName() {
        assertThat(DrydockExtension.namespacePrefix("createsAPod")).isEqualTo("creates-a-pod");
        assertThat(DrydockExtension.namespacePrefix("scales_to_3Replicas")).isEqualTo("scales-to-3-replicas");
        assertThat(DrydockExtension.namespacePrefix("HTTPWorks")).isEqualTo("http-works");
        assertThat(DrydockExtension.namespacePrefix("readsJSON")).isEqualTo("reads-json");
        assertThat(DrydockExtension.namespacePrefix("_läuft$")).isEqualTo("l-uft");
        assertThat(DrydockExtension.namespacePrefix("$_")).isEqualTo("test");
        String longName = "a".repeat(40) + "B".repeat(40);
        assertThat(DrydockExtension.namespacePrefix(longName)).hasSize(57).matches(DNS_LABEL);
        assertThat(DrydockExtension.namespacePrefix("a".repeat(56) + "Bc")).isEqualTo("a".repeat(56));
    }

    @Test
    void theAnnotationOnAnythingButAStringFailsTheTestSayingSo() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(WrongTypeSample.class)).execute()
                .testEvents();

        events.assertStatistics(s -> s.failed(1));
        Throwable failure = events.failed().list().get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertThat(failure).hasMessageContaining("@TestNamespace goes on a String parameter");
    }

    private static ObjectNode pod(String name) {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(pod, "metadata").put("name", name);
        ObjectNode container = Json.withArray(Json.with(pod, "spec"), "containers").addObject();
        container.put("name", "main").put("image", "busybox");
        return pod;
    }

    /** Run only through the test kit above. */
    @Cluster(nodes = 1)
    static class WrongTypeSample {
        @Test
        void fails(@TestNamespace Object namespace) {
        }
    }
}

package dev.drydock.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.ApiServer;
import dev.drydock.api.KindRegistry;
import dev.drydock.base.ComponentContext;
import dev.drydock.base.ManualClock;
import dev.drydock.base.Timers;
import dev.drydock.base.Timings;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.runtime.ImageRegistry;
import dev.drydock.store.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kubelet's image pulls on a manual clock, with Kubernetes' own timings: {@code ErrImagePull} then
 * {@code ImagePullBackOff} with the image back-off doubling from 10 s, {@code ErrImageNeverPull}, and a slow pull that
 * holds its own container only.
 */
class KubeletImagePullTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final String NODE = "n1";

    private final ManualClock clock = new ManualClock(START);
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> daemon(r, "drydock-t-worker"));
    private final ScheduledThreadPoolExecutor apiTimer = new ScheduledThreadPoolExecutor(1,
            r -> daemon(r, "drydock-t-api-timer"));
    private final MemoryStore store = new MemoryStore("drydock-t-store");
    private final Timers timers = Timers.create("t", clock, workers);
    private final Timings timings = Timings.kubernetes();
    private final ImageRegistry images = new ImageRegistry();
    private ApiServer api;
    private KubeClient client;
    private Kubelet kubelet;

    @BeforeEach
    void start() {
        api = new ApiServer(store, KindRegistry.builtIn(), clock, apiTimer, 7L, workers);
        client = new KubeClient(api);
        for (String ns : List.of("default", "kube-node-lease")) {
            ObjectNode obj = Json.object();
            Json.with(obj, "metadata").put("name", ns);
            client.create(Resource.NAMESPACES, null, obj);
        }
        StubRuntime runtime = new StubRuntime(clock, workers).pullingFrom(images, timers.asScheduledExecutorService());
        kubelet = new Kubelet(new NodeConfig(NODE, Map.of(), "4", "8Gi", 110, "10.244.1.0/24", "10.0.0.2"),
                client, runtime, new ComponentContext("t", 7L, timings, timers, workers));
        kubelet.start();
        eventually().until(() -> client.find(Resource.NODES, null, NODE) != null);
    }

    @AfterEach
    void stop() {
        kubelet.close();
        api.close();
        timers.close();
        store.close();
        apiTimer.shutdownNow();
        workers.shutdownNow();
    }

    @Test
    void aMissingImageGoesErrImagePullThenImagePullBackOffWithAGrowingBackOffAndRunsOnceItExists() {
        images.missing("shop/cart:2");
        createPod("cart", "shop/cart:2", null);

        // t=0: the first pull fails; the back-off is 10 s
        awaitWaiting("cart", "ErrImagePull", "rpc error: code = NotFound desc = shop/cart:2: not found");
        assertThat(phase("cart")).isEqualTo("Pending");
        // t=10 s: pulled again, fails again; the back-off is 20 s
        clock.advance(Duration.ofSeconds(10));
        eventually().until(() -> countEvents("cart", "Pulling") == 2);
        awaitWaiting("cart", "ErrImagePull", "rpc error");
        // t=20 s: the pod worker's retry finds the image backing off
        clock.advance(Duration.ofSeconds(10));
        awaitWaiting("cart", "ImagePullBackOff", "Back-off pulling image \"shop/cart:2\": rpc error");
        // t=30 s: past the 20 s back-off, pulled a third time; the back-off is 40 s
        clock.advance(Duration.ofSeconds(10));
        eventually().until(() -> countEvents("cart", "Pulling") == 3);
        awaitWaiting("cart", "ErrImagePull", "rpc error");
        clock.advance(Duration.ofSeconds(10));
        awaitWaiting("cart", "ImagePullBackOff", "Back-off pulling image");
        clock.advance(Duration.ofSeconds(20)); // t=60 s: still within 30 s + 40 s
        assertThat(countEvents("cart", "Pulling")).isEqualTo(3);

        images.reset("shop/cart:2");
        clock.advance(Duration.ofSeconds(10)); // t=70 s: the back-off is over, the pull succeeds

        eventually().until(() -> "Running".equals(phase("cart")));
        eventually().untilAsserted(() -> { // events are written after they are recorded, on the workers
            assertThat(countEvents("cart", "Pulling")).isEqualTo(4);
            assertThat(messages("cart", "Failed")).contains("Failed to pull image \"shop/cart:2\": rpc error: code = "
                    + "NotFound desc = shop/cart:2: not found", "Error: ErrImagePull", "Error: ImagePullBackOff");
            assertThat(messages("cart", "BackOff")).contains("Back-off pulling image \"shop/cart:2\"");
            assertThat(messages("cart", "Pulled")).anyMatch(m -> m.startsWith(
                    "Successfully pulled image \"shop/cart:2\" in "));
        });
        assertThat(container("cart").path("restartCount").asInt()).isZero();
    }

    @Test
    void anImageThatIsNotPresentWithPullPolicyNeverIsErrImageNeverPull() {
        createPod("never", "shop/cart:1", "Never");

        awaitWaiting("never", "ErrImageNeverPull",
                "Container image \"shop/cart:1\" is not present with pull policy of Never");
        assertThat(phase("never")).isEqualTo("Pending");
        eventually().untilAsserted(() -> assertThat(messages("never", "ErrImageNeverPull"))
                .containsExactly("Container image \"shop/cart:1\" is not present with pull policy of Never"));
        assertThat(countEvents("never", "Pulling")).isZero();
        // about the container, as kube's kubelet refers to it (GenerateContainerRef), at the pod's resourceVersion
        JsonNode involved = client.list(Resource.EVENTS, "default", Map.of()).path("items").findValues("involvedObject")
                .stream().filter(o -> o.path("name").asText().equals("never")).findFirst().orElseThrow();
        assertThat(involved.path("kind").asText()).isEqualTo("Pod");
        assertThat(involved.path("fieldPath").asText()).isEqualTo("spec.containers{app}");
        assertThat(involved.path("resourceVersion").asText()).matches("[1-9][0-9]*");
    }

    @Test
    void aContainerIsNamedInEventsByItsFieldPathAsKubeNamesIt() {
        ObjectNode pod = Json.parseTrusted(("{\"spec\":{\"containers\":[{\"name\":\"app\"},{\"name\":\"\"}],"
                + "\"initContainers\":[{\"name\":\"init\"}],\"ephemeralContainers\":[{\"name\":\"debug\"}]}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(Kubelet.containerPath(pod, "app")).isEqualTo("spec.containers{app}");
        assertThat(Kubelet.containerPath(pod, "")).isEqualTo("spec.containers[1]");
        assertThat(Kubelet.containerPath(pod, "init")).isEqualTo("spec.initContainers{init}");
        assertThat(Kubelet.containerPath(pod, "debug")).isEqualTo("spec.ephemeralContainers{debug}");
        assertThat(Kubelet.containerPath(pod, "gone")).isEqualTo("implicitly required container gone");
    }

    @Test
    void aSlowPullKeepsItsContainerCreatingForItsDurationWhileAnotherPodOnTheNodeStartsAtOnce() {
        images.slowPull("shop/big", Duration.ofMinutes(2));
        createPod("big", "shop/big:1", null);
        eventually().until(() -> countEvents("big", "Pulling") == 1);
        createPod("small", "shop/small:1", null);

        eventually().until(() -> "Running".equals(phase("small")));
        awaitWaiting("big", "ContainerCreating", null);
        clock.advance(Duration.ofSeconds(119));
        awaitWaiting("big", "ContainerCreating", null);
        assertThat(phase("big")).isEqualTo("Pending");

        clock.advance(Duration.ofSeconds(1));

        eventually().until(() -> "Running".equals(phase("big")));
        eventually().untilAsserted(() -> assertThat(messages("big", "Pulled")).containsExactly(
                "Successfully pulled image \"shop/big:1\" in 2m0s (2m0s including waiting). Image size: 1000 bytes."));
    }

    @Test
    void latestOrNoTagIsPulledEveryTimeAndATaggedImageOnlyWhenAbsent() {
        createPod("a", "shop/web:1", null);
        eventually().until(() -> "Running".equals(phase("a")));
        createPod("b", "shop/web:1", null);
        createPod("c", "shop/web", null);
        createPod("d", "shop/web", null);
        eventually().until(() -> "Running".equals(phase("b")) && "Running".equals(phase("d"))
                && "Running".equals(phase("c")));

        eventually().untilAsserted(() -> {
            assertThat(messages("b", "Pulled"))
                    .containsExactly("Container image \"shop/web:1\" already present on machine");
            assertThat(countEvents("c", "Pulling")).isEqualTo(1);
            assertThat(countEvents("d", "Pulling")).isEqualTo(1);
        });
    }

    @Test
    void aContainerWhoseConfigFailsIsPulledAgainOnlyAtItsRetryEvenWithPullPolicyAlways() {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(pod, "metadata").put("name", "cfg");
        ObjectNode c = Json.with(pod, "spec").put("nodeName", NODE).putArray("containers").addObject()
                .put("name", "app").put("image", "shop/web"); // no tag: Always
        ObjectNode ref = Json.with(Json.with(c.putArray("env").addObject().put("name", "MODE"), "valueFrom"),
                "configMapKeyRef");
        ref.put("name", "missing").put("key", "mode");
        client.create(Resource.PODS, "default", pod);

        awaitWaiting("cfg", "CreateContainerConfigError", "configmap \"missing\" not found");
        // the pull's own end does not sync the pod again, which would pull again at once, and so on, as fast as
        // the runtime answers (a sync for the kubelet's own status write may pull once more)
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(countEvents("cfg", "Pulling")).isBetween(1, 2));
        int pulls = countEvents("cfg", "Pulling");

        clock.advance(timings.imageBackOffPeriod()); // the pod worker's retry after a failed sync
        eventually().until(() -> countEvents("cfg", "Pulling") > pulls);
    }

    // ---- helpers

    private void createPod(String name, String image, String pullPolicy) {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(pod, "metadata").put("name", name);
        ObjectNode spec = Json.with(pod, "spec").put("nodeName", NODE);
        ObjectNode c = spec.putArray("containers").addObject().put("name", "app").put("image", image);
        if (pullPolicy != null) {
            c.put("imagePullPolicy", pullPolicy);
        }
        client.create(Resource.PODS, "default", pod);
    }

    private void awaitWaiting(String pod, String reason, String messageStart) {
        eventually().untilAsserted(() -> {
            JsonNode waiting = container(pod).path("state").path("waiting");
            assertThat(waiting.path("reason").asText()).isEqualTo(reason);
            if (messageStart != null) {
                assertThat(waiting.path("message").asText()).startsWith(messageStart);
            }
        });
    }

    private JsonNode container(String pod) {
        return client.get(Resource.PODS, "default", pod).path("status").path("containerStatuses").path(0);
    }

    private String phase(String pod) {
        return Json.text(client.get(Resource.PODS, "default", pod), "status", "phase");
    }

    /** The messages of the pod's events of {@code reason}, each as often as it was recorded. */
    private List<String> messages(String pod, String reason) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : client.list(Resource.EVENTS, "default", Map.of()).path("items")) {
            if (e.path("involvedObject").path("name").asText().equals(pod)
                    && e.path("reason").asText().equals(reason)) {
                for (int i = 0; i < Math.max(1, e.path("count").asInt(1)); i++) {
                    out.add(e.path("message").asText());
                }
            }
        }
        return out;
    }

    private int countEvents(String pod, String reason) {
        return messages(pod, reason).size();
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

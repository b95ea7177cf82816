package dev.drydock.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.drydock.runtime.ContainerStatus;
import dev.drydock.store.MemoryStore;
import java.time.Duration;
import java.time.Instant;
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
 * The kubelet on a manual clock: its node and Lease at start, lease renewals and status reports at their intervals
 * of the cluster's clock and never between, and the back-off of a container that keeps crashing. Minutes of
 * Kubernetes time take milliseconds.
 */
class KubeletTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final String NODE = "n1";

    private final ManualClock clock = new ManualClock(START);
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> daemon(r, "drydock-t-worker"));
    private final ScheduledThreadPoolExecutor apiTimer = new ScheduledThreadPoolExecutor(1,
            r -> daemon(r, "drydock-t-api-timer"));
    private final MemoryStore store = new MemoryStore("drydock-t-store");
    private final Timers timers = Timers.create("t", clock, workers);
    private final Timings timings = Timings.kubernetes(); // its own, uncompressed: the clock makes them fast
    private ApiServer api;
    private KubeClient client;
    private Kubelet kubelet;
    private StubRuntime runtime;

    @BeforeEach
    void start() {
        api = new ApiServer(store, KindRegistry.builtIn(), clock, apiTimer, 7L, workers);
        client = new KubeClient(api);
        for (String ns : List.of("default", "kube-node-lease")) {
            ObjectNode obj = Json.object();
            Json.with(obj, "metadata").put("name", ns);
            client.create(Resource.NAMESPACES, null, obj);
        }
        kubelet = new Kubelet(new NodeConfig(NODE, Map.of(), "4", "8Gi", 110, "10.244.1.0/24", "10.0.0.2"),
                client, runtime = new StubRuntime(clock, workers), new ComponentContext("t", 7L, timings, timers, workers));
        kubelet.start();
        // the first lease renewal and status report are due at once: no advance needed
        eventually().until(() -> lease() != null && node() != null
                && "True".equals(Json.condition(node(), "Ready")));
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
    void atStartTheNodeIsRegisteredReadyAndItsLeaseHeldWhileTheClockStandsStill() {
        ObjectNode lease = lease();
        assertThat(lease.path("spec").path("holderIdentity").asText()).isEqualTo(NODE);
        assertThat(renewTime()).isEqualTo(START);
        ObjectNode node = node();
        assertThat(node.path("status").path("capacity").path("pods").asText()).isEqualTo("110");
        assertThat(node.path("status").path("addresses").get(0).path("address").asText()).isEqualTo("10.0.0.2");
        assertThat(clock.now()).isEqualTo(START);
    }

    @Test
    void theLeaseIsRenewedEveryRenewIntervalOfTheClusterClockAndNotBetween() {
        String before = Json.resourceVersion(lease());

        clock.advance(timings.nodeLeaseRenewInterval().minusMillis(1));
        assertThat(Json.resourceVersion(lease())).isEqualTo(before);

        clock.advance(Duration.ofMillis(1));
        assertThat(renewTime()).isEqualTo(START.plus(timings.nodeLeaseRenewInterval()));

        clock.advance(timings.nodeLeaseRenewInterval().multipliedBy(5));
        assertThat(renewTime()).isEqualTo(START.plus(timings.nodeLeaseRenewInterval().multipliedBy(6)));
    }

    @Test
    void anUnchangedNodeStatusIsPostedOnlyOnceEveryReportFrequency() {
        Duration report = timings.nodeStatusReportFrequency(); // 5 min; checked every 10 s
        Duration check = timings.nodeStatusUpdateFrequency();
        clock.advance(check); // the first check waits for the report made at start to be written, and writes nothing
        String before = Json.resourceVersion(node());

        clock.advance(report.minus(check.multipliedBy(2)));
        assertThat(Json.resourceVersion(node())).isEqualTo(before);
        assertThat(heartbeat()).isEqualTo(START);

        clock.advance(check);
        assertThat(heartbeat()).isEqualTo(START.plus(report));
        assertThat(Json.condition(node(), "Ready")).isEqualTo("True");
    }

    @Test
    void aContainerThatKeepsCrashingIsRestartedAfterABackOffThatDoublesOnTheClusterClock() {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(pod, "metadata").put("name", "crasher");
        ObjectNode spec = Json.with(pod, "spec").put("nodeName", NODE).put("restartPolicy", "Always");
        spec.putArray("containers").addObject().put("name", "app").put("image", "crash");
        client.create(Resource.PODS, "default", pod);

        // kube restarts the first exit at once, then waits backOffPeriod (10 s), doubled each time
        awaitRestarts(1, "back-off 10s restarting failed container=app pod=crasher_default");
        clock.advance(Duration.ofMillis(9_999));
        assertThat(container().path("restartCount").asInt()).isEqualTo(1);

        clock.advance(Duration.ofMillis(1));
        awaitRestarts(2, "back-off 20s");
        clock.advance(Duration.ofMillis(19_999));
        assertThat(container().path("restartCount").asInt()).isEqualTo(2);

        clock.advance(Duration.ofMillis(1));
        awaitRestarts(3, "back-off 40s");
        assertThat(container().path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(1);
        assertThat(Json.text(client.get(Resource.PODS, "default", "crasher"), "status", "phase"))
                .isEqualTo("Running");
    }

    @Test
    void aClosedKubeletRenewsNothingAndLeavesNoTimerBehind() {
        String before = Json.resourceVersion(lease());

        kubelet.close();
        clock.advance(Duration.ofMinutes(10));

        assertThat(Json.resourceVersion(lease())).isEqualTo(before);
        assertThat(clock.pendingTimers()).isZero();
    }

    @Test
    void aFrozenKubeletRenewsNothingAndRunsNoNewPodUntilItThawsThenRenewsAtOnce() {
        kubelet.freeze();
        clock.advance(timings.nodeLeaseRenewInterval().multipliedBy(3));
        createPod("web", "nginx", "Always");

        assertThat(renewTime()).isEqualTo(START);
        Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10))
                .until(() -> !pod("web").path("status").has("containerStatuses"));
        assertThatThrownBy(kubelet::freeze).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("frozen already");

        kubelet.thaw();

        eventually().until(() -> renewTime().equals(clock.now()));
        eventually().until(() -> "Running".equals(Json.text(pod("web"), "status", "phase")));
        assertThatThrownBy(kubelet::thaw).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("n1 is not frozen");
    }

    @Test
    void aPodDeletedWhileItsKubeletWasFrozenHasItsContainersStoppedAtTheThaw() {
        createPod("web", "nginx", "Always");
        eventually().until(() -> "Running".equals(Json.text(pod("web"), "status", "phase")));
        String id = kubelet.containerId("default", "web", "app");
        kubelet.freeze();

        client.delete(Resource.PODS, "default", "web");

        // nobody confirms the deletion: the pod waits, terminating, and its container runs on
        Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10))
                .until(() -> client.find(Resource.PODS, "default", "web") != null);
        assertThat(runtime.containerStatus(id).state()).isEqualTo(ContainerStatus.State.RUNNING);

        kubelet.thaw();

        eventually().until(() -> client.find(Resource.PODS, "default", "web") == null);
        assertThat(runtime.containerStatus(id)).isNull();
        assertThat(kubelet.containers()).isEmpty();
    }

    @Test
    void aKilledContainerIsReportedTerminatedWithItsExitCodeAndRestartedAsItsPolicySays() {
        createPod("web", "nginx", "Always");
        createPod("job", "nginx", "Never");
        eventually().until(() -> "Running".equals(Json.text(pod("web"), "status", "phase"))
                && "Running".equals(Json.text(pod("job"), "status", "phase")));

        runtime.killContainer(kubelet.containerId("default", "web", "app"), 137);
        runtime.killContainer(kubelet.containerId("default", "job", "app"), 3);

        eventually().untilAsserted(() -> {
            JsonNode web = pod("web").path("status").path("containerStatuses").path(0);
            assertThat(web.path("restartCount").asInt()).isEqualTo(1);
            assertThat(web.path("state").has("running")).isTrue();
            assertThat(web.path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(137);
            assertThat(web.path("lastState").path("terminated").path("reason").asText()).isEqualTo("Error");
        });
        eventually().untilAsserted(() -> {
            ObjectNode job = pod("job");
            JsonNode app = job.path("status").path("containerStatuses").path(0);
            assertThat(Json.text(job, "status", "phase")).isEqualTo("Failed");
            assertThat(app.path("restartCount").asInt()).isZero();
            assertThat(app.path("state").path("terminated").path("exitCode").asInt()).isEqualTo(3);
        });
    }

    @Test
    void aDeletedPodsPreStopHookRunsOnTheClusterClockAndItsDeletionIsConfirmedOnlyOnceItsContainerStopped() {
        createPodWithPreStopSleep("short", 20, 30);
        createPodWithPreStopSleep("long", 600, 30); // its hook outlives the grace period
        eventually().until(() -> "Running".equals(Json.text(pod("short"), "status", "phase"))
                && "Running".equals(Json.text(pod("long"), "status", "phase")));
        String shortId = kubelet.containerId("default", "short", "app");

        client.delete(Resource.PODS, "default", "short");
        client.delete(Resource.PODS, "default", "long");
        eventually().until(() -> kubelet.isTerminating("default", "short") && kubelet.isTerminating("default", "long"));
        assertThat(pod("short").at("/metadata/deletionGracePeriodSeconds").asInt()).isEqualTo(30);

        clock.advance(Duration.ofMillis(19_999)); // the hook sleeps: the container runs, the pod waits
        assertThat(runtime.containerStatus(shortId).state()).isEqualTo(ContainerStatus.State.RUNNING);
        assertThat(client.find(Resource.PODS, "default", "short")).isNotNull();

        clock.advance(Duration.ofMillis(1)); // the hook ends: SIGTERM, the container stops, the kubelet confirms
        eventually().until(() -> client.find(Resource.PODS, "default", "short") == null);
        assertThat(client.find(Resource.PODS, "default", "long")).isNotNull();

        clock.advance(Duration.ofSeconds(10)); // the grace period ends: the hook is cut short, the container stopped
        eventually().until(() -> client.find(Resource.PODS, "default", "long") == null);
        assertThat(kubelet.containers()).isEmpty();
    }

    @Test
    void aSecondDeleteWithAShorterGracePeriodCutsTheTerminationShort() {
        createPodWithPreStopSleep("slow", 600, 300);
        eventually().until(() -> "Running".equals(Json.text(pod("slow"), "status", "phase")));
        client.delete(Resource.PODS, "default", "slow");
        eventually().until(() -> kubelet.isTerminating("default", "slow"));

        client.delete(Resource.PODS, "default", "slow", null, null, 5L);
        eventually().until(() -> pod("slow").at("/metadata/deletionGracePeriodSeconds").asInt() == 5);
        Instant shortened = clock.now();

        // the kubelet's sync of that update moves the deadline to 5 s from then, not 300 s from the first delete
        eventually().until(() -> {
            clock.advance(Duration.ofMillis(500));
            return client.find(Resource.PODS, "default", "slow") == null;
        });
        assertThat(Duration.between(shortened, clock.now())).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @Test
    void aKubeletClosedWhileAPodTerminatesLeavesNoTimerOfItsHooksOrGracePeriodBehind() {
        createPodWithPreStopSleep("stopping", 600, 300);
        eventually().until(() -> "Running".equals(Json.text(pod("stopping"), "status", "phase")));
        client.delete(Resource.PODS, "default", "stopping");
        eventually().until(() -> kubelet.isTerminating("default", "stopping"));

        kubelet.close();

        assertThat(clock.pendingTimers()).isZero();
        assertThat(client.find(Resource.PODS, "default", "stopping")).as("nobody confirms it").isNotNull();
    }

    @Test
    void podsWhoseSandboxesStartSlowlyHoldNoneOfTheNodesOtherPodsNorTheWorkers() {
        // two held starts: were they made on the cluster's two workers, no other pod could sync meanwhile
        runtime.holdSandbox("slow-1");
        runtime.holdSandbox("slow-2");
        createPod("slow-1", "nginx", "Always");
        createPod("slow-2", "nginx", "Always");
        eventually().until(() -> runtime.sandboxStartBegun("slow-1") && runtime.sandboxStartBegun("slow-2"));

        createPod("fast", "nginx", "Always");

        eventually().until(() -> "Running".equals(Json.text(pod("fast"), "status", "phase")));
        eventually().untilAsserted(() -> {
            ObjectNode slow = pod("slow-1");
            assertThat(Json.text(slow, "status", "phase")).isEqualTo("Pending");
            assertThat(slow.path("status").has("podIP")).isFalse();
            assertThat(Json.condition(slow, "PodReadyToStartContainers")).isEqualTo("False");
            assertThat(slow.at("/status/containerStatuses/0/state/waiting/reason").asText())
                    .isEqualTo("ContainerCreating");
        });

        runtime.releaseSandbox("slow-1");
        runtime.releaseSandbox("slow-2");

        eventually().untilAsserted(() -> {
            for (String name : List.of("slow-1", "slow-2")) {
                assertThat(Json.text(pod(name), "status", "phase")).isEqualTo("Running");
                assertThat(pod(name).path("status").path("podIP").asText()).startsWith("10.244.0.");
                assertThat(Json.condition(pod(name), "PodReadyToStartContainers")).isEqualTo("True");
            }
        });
    }

    @Test
    void aPodDeletedWhileItsSandboxStartsIsGoneOnlyOnceTheSandboxIsAndLeavesNothingBehind() {
        runtime.holdSandbox("doomed");
        createPod("doomed", "nginx", "Always");
        eventually().until(() -> runtime.sandboxStartBegun("doomed"));

        client.delete(Resource.PODS, "default", "doomed");

        // the kubelet confirms the deletion once the start ended and its sandbox is removed, not before
        Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10))
                .until(() -> client.find(Resource.PODS, "default", "doomed") != null);
        runtime.releaseSandbox("doomed");
        eventually().until(() -> client.find(Resource.PODS, "default", "doomed") == null);
        assertThat(runtime.sandboxIds()).isEmpty();
        assertThat(kubelet.containers()).isEmpty();
    }

    @Test
    void aPodForceDeletedWhileItsSandboxStartsHasTheSandboxRemovedWhenItsStartEnds() {
        runtime.holdSandbox("doomed");
        createPod("doomed", "nginx", "Always");
        eventually().until(() -> runtime.sandboxStartBegun("doomed"));

        client.delete(Resource.PODS, "default", "doomed", null, null, 0L);
        eventually().until(() -> client.find(Resource.PODS, "default", "doomed") == null);
        runtime.releaseSandbox("doomed");

        eventually().until(() -> runtime.sandboxIds().isEmpty());
        Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10))
                .until(() -> runtime.sandboxIds().isEmpty() && kubelet.containers().isEmpty());
    }

    @Test
    void aSandboxStartedWhenItsKubeletIsClosedIsRemoved() {
        runtime.holdSandbox("orphan");
        createPod("orphan", "nginx", "Always");
        eventually().until(() -> runtime.sandboxStartBegun("orphan"));

        kubelet.close();
        runtime.releaseSandbox("orphan");

        eventually().until(() -> runtime.sandboxIds().isEmpty());
    }

    @Test
    void aSandboxThatFailsToStartIsReportedAndTriedAgainAfterThePodWorkersBackOff() {
        runtime.holdSandbox("web");
        createPod("web", "nginx", "Always");
        eventually().until(() -> runtime.sandboxStartBegun("web"));

        runtime.failSandbox("web", "the network plugin is not ready");
        runtime.holdSandbox("web"); // the next start (after the back-off, on the manual clock) waits too

        eventually().untilAsserted(() -> assertThat(events("FailedCreatePodSandBox"))
                .containsExactly("Failed to create pod sandbox: the network plugin is not ready"));
        assertThat(Json.text(pod("web"), "status", "phase")).isEqualTo("Pending");
        clock.advance(timings.imageBackOffPeriod().minusMillis(1)); // kube's pod worker back-off: 10 s
        Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10))
                .until(() -> !runtime.sandboxStartBegun("web"));

        clock.advance(Duration.ofMillis(1));
        eventually().until(() -> runtime.sandboxStartBegun("web"));
        runtime.releaseSandbox("web");
        eventually().until(() -> "Running".equals(Json.text(pod("web"), "status", "phase")));
        assertThat(runtime.sandboxIds()).hasSize(1);
    }

    // ---- helpers

    private List<String> events(String reason) {
        List<String> messages = new java.util.ArrayList<>();
        for (JsonNode e : client.list(Resource.EVENTS, "default", Map.of()).path("items")) {
            if (reason.equals(e.path("reason").asText())) {
                messages.add(e.path("message").asText());
            }
        }
        return messages;
    }

    private void createPodWithPreStopSleep(String name, int sleepSeconds, int graceSeconds) {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(pod, "metadata").put("name", name);
        ObjectNode spec = Json.with(pod, "spec").put("nodeName", NODE).put("terminationGracePeriodSeconds",
                graceSeconds);
        ObjectNode c = spec.putArray("containers").addObject().put("name", "app").put("image", "nginx");
        Json.with(c, "lifecycle", "preStop", "sleep").put("seconds", sleepSeconds);
        client.create(Resource.PODS, "default", pod);
    }

    private void createPod(String name, String image, String restartPolicy) {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(pod, "metadata").put("name", name);
        ObjectNode spec = Json.with(pod, "spec").put("nodeName", NODE).put("restartPolicy", restartPolicy);
        spec.putArray("containers").addObject().put("name", "app").put("image", image);
        client.create(Resource.PODS, "default", pod);
    }

    private ObjectNode pod(String name) {
        return client.get(Resource.PODS, "default", name);
    }

    private void awaitRestarts(int restarts, String waitingMessage) {
        eventually().untilAsserted(() -> {
            JsonNode c = container();
            assertThat(c.path("restartCount").asInt()).isEqualTo(restarts);
            assertThat(c.path("state").path("waiting").path("reason").asText()).isEqualTo("CrashLoopBackOff");
            assertThat(c.path("state").path("waiting").path("message").asText()).startsWith(waitingMessage);
        });
    }

    private JsonNode container() {
        return client.get(Resource.PODS, "default", "crasher").path("status").path("containerStatuses").path(0);
    }

    private ObjectNode lease() {
        return client.find(Resource.LEASES, "kube-node-lease", NODE);
    }

    private Instant renewTime() {
        return Instant.parse(lease().path("spec").path("renewTime").asText());
    }

    private ObjectNode node() {
        return client.find(Resource.NODES, null, NODE);
    }

    private Instant heartbeat() {
        for (JsonNode c : node().path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                return Instant.parse(c.path("lastHeartbeatTime").asText());
            }
        }
        throw new AssertionError("no Ready condition");
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

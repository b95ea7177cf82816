package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.chaos.NodeFault;
import dev.drydock.chaos.Timeline;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.ContainerHandle;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults of one container ({@code cluster.pod(ns, name).container(c)}: a kill with an exit code, a hang) and of a
 * whole node ({@code freeze()}), as a client of the pods sees them: statuses as kube writes them, streams that stall
 * and go on once healed.
 */
class ContainerFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How long a stalled stream is watched to stay silent. */
    private static final Duration SILENCE = Duration.ofMillis(300);
    private static DrydockCluster cluster;

    @BeforeAll
    static void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().name("container-faults").nodes(1));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aKilledContainerIsTerminatedWithItsExitCodeAndRestartedAsItsPolicySays() {
        run("killed", "Always");
        run("killed-once", "Never");

        cluster.pod("default", "killed").container("main").kill(137);
        cluster.pod("default", "killed-once").container("main").kill(2);

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode main = containerStatus("killed");
            assertThat(main.path("restartCount").asInt()).isEqualTo(1);
            assertThat(main.path("state").has("running")).isTrue();
            assertThat(main.at("/lastState/terminated/exitCode").asInt()).isEqualTo(137);
            assertThat(main.at("/lastState/terminated/reason").asText()).isEqualTo("Error");
        });
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(Json.text(pod("killed-once"), "status", "phase")).isEqualTo("Failed");
            assertThat(containerStatus("killed-once").at("/state/terminated/exitCode").asInt()).isEqualTo(2);
        });
        assertThat(faults()).contains("kill container main of pod default/killed with exit code 137");
        assertThatThrownBy(() -> cluster.pod("default", "killed-once").container("main").kill(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot act on container main of pod default/killed-once: it is not running but EXITED "
                        + "(exit code 2, Error)");
    }

    @Test
    void aHungContainerKeepsRunningButAnExecStallsUntilTheFaultIsHealed() throws Exception {
        run("hung", "Always");
        ContainerHandle main = cluster.pod("default", "hung").container("main");

        WsClient exec;
        try (NodeFault hung = main.hang()) {
            exec = WsClient.open(ws(exec("hung", "echo", "hi")), "v5.channel.k8s.io");
            await().during(SILENCE).atMost(WAIT).until(() -> stdout(exec).isEmpty());
            assertThat(Json.text(pod("hung"), "status", "phase")).isEqualTo("Running");
            assertThatThrownBy(main::hang).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("container main of pod default/hung hangs already");
            assertThat(hung.isActive()).isTrue();
        }

        await().atMost(WAIT).until(() -> stdout(exec).equals("hi\n"));
        assertThat(exec.awaitClose()).isEqualTo(1000);
        assertThat(faults()).contains("hang container main of pod default/hung",
                "healed hang container main of pod default/hung");
    }

    @Test
    void anExecToAFrozenNodeWaitsUnansweredAndRunsOnceTheNodeThaws() throws Exception {
        run("frozen", "Always");

        WsClient exec;
        try (NodeFault frozen = cluster.node("node-1").freeze()) {
            exec = WsClient.open(ws(exec("frozen", "echo", "still here")), "v5.channel.k8s.io");
            await().during(SILENCE).atMost(WAIT).until(() -> stdout(exec).isEmpty());
            cluster.node("node-1").thaw();
            assertThat(frozen.isActive()).isFalse();
        }

        await().atMost(WAIT).until(() -> stdout(exec).equals("still here\n"));
        assertThat(exec.awaitClose()).isEqualTo(1000);
        assertThat(containerStatus("frozen").path("restartCount").asInt()).isZero();
    }

    @Test
    void whatWaitsOnAFrozenNodeIsLeftBehindByAClientThatGoesAwayAndALogIsReadOnceItThaws() throws Exception {
        run("logged", "Always"); // its log is empty (sleep writes nothing), but only a running kubelet answers
        java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> log;
        try (NodeFault frozen = cluster.node("node-1").freeze()) {
            WsClient abandoned = WsClient.open(ws(exec("logged", "echo", "never")), "v5.channel.k8s.io");
            log = WsClient.HTTP.sendAsync(java.net.http.HttpRequest.newBuilder(URI.create(cluster.apiUrl()
                    + "/api/v1/namespaces/default/pods/logged/log")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            await().atMost(WAIT).until(() -> dev.drydock.cluster.ClusterInternals.openPodStreams(cluster) == 2);
            abandoned.socket.abort();
            await().atMost(WAIT).until(() -> dev.drydock.cluster.ClusterInternals.openPodStreams(cluster) == 1);
            await().during(SILENCE).atMost(WAIT).until(() -> !log.isDone());
        }
        assertThat(log.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(dev.drydock.cluster.ClusterInternals.openPodStreams(cluster)).isZero();
            assertThat(((FakeRuntime) dev.drydock.cluster.ClusterInternals.runtime(cluster, "node-1")).openStreams())
                    .as("the abandoned exec never ran").isZero();
        });
    }

    @Test
    void aFaultOfAContainerThatDoesNotExistIsRefusedNamingThoseThatDo() {
        run("present", "Always");

        assertThatThrownBy(() -> cluster.pod("default", "absent"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no pod default/absent; pods in default are [")
                .hasMessageContaining("present");
        assertThatThrownBy(() -> cluster.pod("default", "present").container("sidecar"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pod default/present has no container named 'sidecar'; its containers are [main]");
        ContainerHandle main = cluster.pod("default", "present").container("main");
        assertThatThrownBy(() -> main.kill(256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an exit code is 0 to 255, got 256");
        assertThatThrownBy(() -> main.kill(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(containerStatus("present").path("restartCount").asInt()).isZero();

        ObjectNode nowhere = PodStreamsHttpTest.pod("nowhere", List.of("sleep", "3600"), "busybox");
        Json.with(nowhere, "spec", "nodeSelector").put("disk", "none-has-it");
        cluster.client().create(Resource.PODS, "default", nowhere);
        assertThatThrownBy(() -> cluster.pod("default", "nowhere").container("main").hang())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("pod default/nowhere is not scheduled to a node yet");
    }

    // ---- helpers

    private static void run(String name, String restartPolicy) {
        ObjectNode pod = PodStreamsHttpTest.pod(name, List.of("sleep", "3600"), "busybox");
        Json.with(pod, "spec").put("restartPolicy", restartPolicy);
        cluster.client().create(Resource.PODS, "default", pod);
        await().atMost(WAIT).until(() -> "Running".equals(Json.text(pod(name), "status", "phase")));
    }

    private static ObjectNode pod(String name) {
        return cluster.client().get(Resource.PODS, "default", name);
    }

    private static JsonNode containerStatus(String pod) {
        return pod(pod).path("status").path("containerStatuses").path(0);
    }

    private static List<String> faults() {
        return cluster.timeline().entries().stream().filter(e -> e.kind().equals("fault"))
                .map(Timeline.Entry::detail).toList();
    }

    /** What the exec wrote to stdout so far (channel 1), without taking it from the client. */
    private static String stdout(WsClient c) {
        StringBuilder s = new StringBuilder();
        for (WsClient.Message m : c.messages) {
            if (!m.text() && m.channel() == 1) {
                s.append(m.payload());
            }
        }
        return s.toString();
    }

    private static URI ws(String path) {
        return URI.create(cluster.apiUrl().replace("http://", "ws://") + path);
    }

    private static String exec(String pod, String... command) {
        StringBuilder q = new StringBuilder("/api/v1/namespaces/default/pods/" + pod + "/exec?stdout=true&stderr=true");
        for (String c : command) {
            q.append("&command=").append(java.net.URLEncoder.encode(c, StandardCharsets.UTF_8));
        }
        return q.toString();
    }
}

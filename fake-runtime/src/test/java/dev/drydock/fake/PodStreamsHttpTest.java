package dev.drydock.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.cluster.ClusterInternals;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pod's streams over the API server's HTTP, as kube serves them: exec and attach over WebSocket with kube's channel
 * protocols and their Status on the error channel, logs over HTTP, port-forward over WebSocket, watches over
 * WebSocket; and kube's answers to bad requests. Each stream is gone once it ended.
 */
class PodStreamsHttpTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static DrydockCluster cluster;

    @BeforeAll
    static void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().nodes(1));
        run(pod("shell", List.of("sleep", "3600"), "busybox"));
        run(pod("web", List.of(), "nginx:1.27"));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void nothingLeftOpen() {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(ClusterInternals.openPodStreams(cluster)).as("pod streams open in the API server").isZero();
            assertThat(((FakeRuntime) ClusterInternals.runtime(cluster, "node-1")).openStreams())
                    .as("streams open in the node's runtime").isZero();
        });
    }

    static ObjectNode pod(String name, List<String> command, String image) {
        ObjectNode p = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(p, "metadata").put("name", name);
        ObjectNode c = Json.withArray(Json.with(p, "spec"), "containers").addObject().put("name", "main")
                .put("image", image);
        ArrayNode cmd = c.putArray("command");
        command.forEach(cmd::add);
        return p;
    }

    static void run(ObjectNode pod) {
        cluster.client().create(Resource.PODS, "default", pod);
        await().atMost(WAIT).until(() -> "Running".equals(Json.text(cluster.client().get(Resource.PODS, "default",
                Json.name(pod)), "status", "phase")));
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

    private static HttpResponse<String> get(String path) throws Exception {
        return WsClient.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.apiUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ---- exec

    @Test
    void execOverV5WritesOutputThenSuccessAndCloses() throws Exception {
        WsClient c = WsClient.open(ws(exec("shell", "echo", "hi")), "v5.channel.k8s.io", "v4.channel.k8s.io");
        assertThat(c.socket.getSubprotocol()).isEqualTo("v5.channel.k8s.io");
        WsClient.Message ready = c.next();
        assertThat(ready.channel()).as("the empty message saying the stream is up").isEqualTo(1);
        assertThat(ready.data()).hasSize(1);
        WsClient.Message out = c.next();
        assertThat(out.channel()).isEqualTo(1);
        assertThat(out.payload()).isEqualTo("hi\n");
        WsClient.Message status = c.next();
        assertThat(status.channel()).isEqualTo(3);
        assertThat(status.payload()).isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
        assertThat(c.awaitClose()).isEqualTo(1000);
    }

    @Test
    void theExitCodeIsANonZeroExitCodeStatusAsEachProtocolWordsIt() throws Exception {
        WsClient v4 = WsClient.open(ws(exec("shell", "sh", "-c", "echo oops >&2; exit 3")), "v4.channel.k8s.io");
        v4.next(); // ready
        WsClient.Message err = v4.next();
        assertThat(err.channel()).isEqualTo(2);
        assertThat(err.payload()).isEqualTo("oops\n");
        JsonNode status = Json.parse(v4.next().payload().getBytes(StandardCharsets.UTF_8));
        assertThat(status.path("status").asText()).isEqualTo("Failure");
        assertThat(status.path("reason").asText()).isEqualTo("NonZeroExitCode");
        assertThat(status.path("message").asText()).isEqualTo("command terminated with non-zero exit code: error "
                + "executing command [sh -c echo oops >&2; exit 3], exit code 3");
        assertThat(status.at("/details/causes/0/reason").asText()).isEqualTo("ExitCode");
        assertThat(status.at("/details/causes/0/message").asText()).isEqualTo("3");
        v4.awaitClose();

        WsClient v5 = WsClient.open(ws(exec("shell", "false")), "v5.channel.k8s.io");
        v5.next();
        JsonNode s5 = Json.parse(v5.next().payload().getBytes(StandardCharsets.UTF_8));
        assertThat(s5.path("message").asText()).isEqualTo("command terminated with non-zero exit code: command "
                + "terminated with exit code 1");
        v5.awaitClose();

        WsClient v1 = WsClient.open(ws(exec("shell", "nope")), "channel.k8s.io");
        v1.next();
        WsClient.Message text = v1.next();
        assertThat(text.channel()).isEqualTo(3);
        assertThat(text.payload()).startsWith("Internal error occurred: error executing command in container: "
                + "failed to exec in container: failed to start exec").contains("\"nope\": executable file not found");
        v1.awaitClose();
    }

    @Test
    void stdinFlowsUntilTheV5CloseSignal() throws Exception {
        WsClient c = WsClient.open(ws(exec("shell", "cat") + "&stdin=true"), "v5.channel.k8s.io");
        c.next();
        c.send(0, "hello ");
        c.send(0, "world");
        StringBuilder echoed = new StringBuilder();
        while (echoed.length() < 11) {
            WsClient.Message m = c.next();
            assertThat(m.channel()).isEqualTo(1);
            echoed.append(m.payload());
        }
        assertThat(echoed.toString()).isEqualTo("hello world");
        c.send(255, new byte[]{0});
        assertThat(c.next().payload()).isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
        c.awaitClose();
    }

    @Test
    void base64ProtocolsSendTextMessages() throws Exception {
        WsClient c = WsClient.open(ws(exec("shell", "echo", "b64")), "v4.base64.channel.k8s.io");
        assertThat(c.next().string()).isEqualTo("1");
        WsClient.Message out = c.next();
        assertThat(out.text()).isTrue();
        assertThat(out.string().charAt(0)).isEqualTo('1');
        assertThat(new String(Base64.getDecoder().decode(out.string().substring(1)), StandardCharsets.UTF_8))
                .isEqualTo("b64\n");
        WsClient.Message status = c.next();
        assertThat(new String(Base64.getDecoder().decode(status.string().substring(1)), StandardCharsets.UTF_8))
                .contains("Success");
        c.awaitClose();
    }

    @Test
    void anExecWithNoCommandFailsAsTheRuntimeSaysIt() throws Exception {
        WsClient c = WsClient.open(ws(exec("shell")), "v5.channel.k8s.io");
        c.next();
        JsonNode status = Json.parse(c.next().payload().getBytes(StandardCharsets.UTF_8));
        assertThat(status.path("code").asInt()).isEqualTo(500);
        assertThat(status.path("reason").asText()).isEqualTo("InternalError");
        assertThat(status.path("message").asText()).endsWith("OCI runtime exec failed: args must not be empty: "
                + "unknown");
        c.awaitClose();
    }

    @Test
    void anUnknownSubprotocolIsForbiddenAsKubeAnswersIt() {
        assertThatThrownBy(() -> WsClient.open(ws(exec("shell", "true")), "v3.channel.k8s.io"))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
    }

    @Test
    void badExecRequestsGetKubesStatus() throws Exception {
        HttpResponse<String> plain = get(exec("shell", "true"));
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(plain.body()).contains("\"message\":\"Upgrade request required\"");
        HttpResponse<String> missing = get("/api/v1/namespaces/default/pods/nope/exec?command=true&stdout=1");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("pods \\\"nope\\\" not found");
        HttpResponse<String> container = get(exec("shell", "true") + "&container=other");
        assertThat(container.statusCode()).isEqualTo(400);
        assertThat(container.body()).contains("container other is not valid for pod shell");
        assertThatThrownBy(() -> WsClient.open(ws("/api/v1/namespaces/default/pods/shell/exec?command=true"),
                "v5.channel.k8s.io"))
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(400));
    }

    // ---- logs

    @Test
    void logsAreWhatTheContainerWroteWithKubesOptions() throws Exception {
        run(pod("talker", List.of("sh", "-c", "echo one; echo two; echo three; sleep 3600"), "busybox"));
        String path = "/api/v1/namespaces/default/pods/talker/log";
        await().atMost(WAIT).until(() -> get(path).body().equals("one\ntwo\nthree\n"));
        HttpResponse<String> all = get(path);
        assertThat(all.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(get(path + "?tailLines=1").body()).isEqualTo("three\n");
        assertThat(get(path + "?limitBytes=5").body()).isEqualTo("one\ntw".substring(0, 5));
        assertThat(get(path + "?timestamps=true&tailLines=1").body())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z three\n");
        assertThat(get(path + "?sinceSeconds=3600").body()).isEqualTo("one\ntwo\nthree\n");

        HttpResponse<String> invalid = get(path + "?tailLines=-1");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(Json.parse(invalid.body().getBytes(StandardCharsets.UTF_8)).path("message").asText())
                .isEqualTo("PodLogOptions \"talker\" is invalid: tailLines: Invalid value: -1: must be greater "
                        + "than or equal to 0");
        HttpResponse<String> noContainer = get(path + "?container=nope");
        assertThat(noContainer.statusCode()).isEqualTo(400);
        assertThat(noContainer.body()).contains("container nope is not valid for pod talker");
        HttpResponse<String> previous = get(path + "?previous=true");
        assertThat(previous.statusCode()).isEqualTo(400);
        assertThat(previous.body()).contains("previous terminated container \\\"main\\\" in pod \\\"talker\\\" "
                + "not found");
        HttpResponse<String> missing = get("/api/v1/namespaces/default/pods/nope/log");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(get(path + "?tailLines=x").statusCode()).isEqualTo(400);
    }

    @Test
    void logsOverWebSocketComeAsMessagesAfterAnEmptyOne() throws Exception {
        run(pod("ws-talker", List.of("sh", "-c", "echo over websocket; sleep 3600"), "busybox"));
        await().atMost(WAIT).until(() -> !get("/api/v1/namespaces/default/pods/ws-talker/log").body().isEmpty());
        WsClient c = WsClient.open(ws("/api/v1/namespaces/default/pods/ws-talker/log"), "binary.k8s.io");
        assertThat(c.socket.getSubprotocol()).isEqualTo("binary.k8s.io");
        assertThat(c.next().data()).isEmpty();
        assertThat(c.next().string()).isEqualTo("over websocket\n");
        assertThat(c.awaitClose()).isEqualTo(1000);
    }

    @Test
    void aMultiContainerPodNeedsAContainerName() throws Exception {
        ObjectNode p = pod("pair", List.of("sleep", "3600"), "busybox");
        ((ArrayNode) p.path("spec").path("containers")).addObject().put("name", "side").put("image", "busybox");
        run(p);
        HttpResponse<String> log = get("/api/v1/namespaces/default/pods/pair/log");
        assertThat(log.statusCode()).isEqualTo(400);
        assertThat(Json.parse(log.body().getBytes(StandardCharsets.UTF_8)).path("message").asText())
                .isEqualTo("a container name must be specified for pod pair, choose one of: [main side]");
    }

    @Test
    void previousLogsAreThoseOfTheInstanceBeforeTheRestart() throws Exception {
        run(pod("crasher", List.of("sh", "-c", "echo started; exit 1"), "busybox"));
        await().atMost(WAIT).until(() -> cluster.client().get(Resource.PODS, "default", "crasher")
                .at("/status/containerStatuses/0/restartCount").asInt() >= 1);
        JsonNode last = cluster.client().get(Resource.PODS, "default", "crasher")
                .at("/status/containerStatuses/0/lastState/terminated");
        assertThat(last.path("exitCode").asInt()).isEqualTo(1);
        assertThat(last.path("reason").asText()).isEqualTo("Error");
        await().atMost(WAIT).until(() -> get("/api/v1/namespaces/default/pods/crasher/log?previous=true").body()
                .equals("started\n"));
        cluster.client().delete(Resource.PODS, "default", "crasher");
    }

    @Test
    void followingALogStreamsWhatComesUntilTheContainerExits() throws Exception {
        ObjectNode p = pod("ticker", List.of("sh", "-c", "echo a; sleep 0.5; echo b; sleep 0.5; echo c"), "busybox");
        Json.with(p, "spec").put("restartPolicy", "Never");
        cluster.client().create(Resource.PODS, "default", p);
        await().atMost(WAIT).until(() -> get("/api/v1/namespaces/default/pods/ticker/log").statusCode() == 200
                && !get("/api/v1/namespaces/default/pods/ticker/log").body().isEmpty());
        HttpResponse<java.util.stream.Stream<String>> follow = WsClient.HTTP.send(HttpRequest.newBuilder(
                URI.create(cluster.apiUrl() + "/api/v1/namespaces/default/pods/ticker/log?follow=true")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(follow.body().toList()).containsExactly("a", "b", "c");
        await().atMost(WAIT).until(() -> "Succeeded".equals(Json.text(cluster.client().get(Resource.PODS, "default",
                "ticker"), "status", "phase")));
    }

    // ---- port-forward and attach

    @Test
    void portForwardOverWebSocketReachesThePodsPort() throws Exception {
        WsClient c = WsClient.open(ws("/api/v1/namespaces/default/pods/web/portforward?ports=80"),
                "v4.channel.k8s.io");
        WsClient.Message data = c.next();
        WsClient.Message error = c.next();
        assertThat(data.data()).containsExactly(0, 80, 0);
        assertThat(error.data()).containsExactly(1, 80, 0);
        c.send(0, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        StringBuilder response = new StringBuilder();
        while (!response.toString().contains("</html>")) {
            WsClient.Message m = c.next();
            assertThat(m.channel()).isZero();
            response.append(m.payload());
        }
        assertThat(response.toString()).startsWith("HTTP/1.1 200 OK").contains("Welcome to nginx!");
        assertThat(c.awaitClose()).as("the pod closed its side, so the stream ends").isEqualTo(1000);

        WsClient refused = WsClient.open(ws("/api/v1/namespaces/default/pods/web/portforward?ports=9999"),
                "v4.channel.k8s.io");
        refused.next();
        refused.next();
        WsClient.Message why = refused.next();
        assertThat(why.channel()).isEqualTo(1);
        assertThat(why.payload()).startsWith("error forwarding port 9999 to pod ")
                .contains("connect: connection refused");
        refused.awaitClose();

        HttpResponse<String> noPort = get("/api/v1/namespaces/default/pods/web/portforward");
        assertThat(noPort.statusCode()).isEqualTo(400);
    }

    @Test
    void attachSeesWhatTheMainProcessWritesFromNowOn() throws Exception {
        ObjectNode p = pod("echoer", List.of("cat"), "busybox");
        ((ObjectNode) p.path("spec").path("containers").get(0)).put("stdin", true);
        run(p);
        WsClient c = WsClient.open(ws("/api/v1/namespaces/default/pods/echoer/attach?stdin=true&stdout=true"),
                "v5.channel.k8s.io");
        c.next();
        c.send(0, "ping\n");
        WsClient.Message echoed = c.next();
        assertThat(echoed.channel()).isEqualTo(1);
        assertThat(echoed.payload()).isEqualTo("ping\n");
        c.socket.sendClose(1000, "done").join();
        c.awaitClose();
        await().atMost(WAIT).until(() -> get("/api/v1/namespaces/default/pods/echoer/log").body().equals("ping\n"));
    }

    // ---- watch

    @Test
    void aWatchOverWebSocketSendsOneEventPerMessage() throws Exception {
        WsClient c = WsClient.open(ws("/api/v1/namespaces/default/configmaps?watch=true"));
        ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
        Json.with(cm, "metadata").put("name", "watched");
        cluster.client().create(new Resource("", "v1", "configmaps", "ConfigMap", true), "default", cm);
        JsonNode event = Json.parse(c.next().data());
        assertThat(event.path("type").asText()).isEqualTo("ADDED");
        assertThat(event.at("/object/metadata/name").asText()).isEqualTo("watched");
        c.socket.sendClose(1000, "").join();
        c.awaitClose();
    }
}

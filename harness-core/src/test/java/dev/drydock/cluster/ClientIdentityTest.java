package dev.drydock.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.LostConnection;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import dev.drydock.net.Network;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client identities as parties of the network: each has its own token and kubeconfig, its HTTP requests are
 * attributed to it by that token, and a cut of its link breaks its requests and, after the client's compressed
 * timeout, its open watches, while the test's own requests go on.
 */
class ClientIdentityTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Resource CONFIGMAPS = new Resource("", "v1", "configmaps", "ConfigMap", true);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(PATIENCE).build();
    private static DrydockCluster cluster;
    private static Network network;
    private static int names;

    @BeforeAll
    static void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().name("identities").apiServerOnly());
        network = cluster.network();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void healTheNetwork() {
        network.heal();
    }

    @Test
    void eachIdentityHasAKubeconfigWithItsOwnTokenThatTheApiRecognises() throws Exception {
        ClientIdentity operator = cluster.identity("operator");
        ClientIdentity other = cluster.identity("other");
        assertThat(cluster.identity("operator")).isSameAs(operator);
        assertThat(operator.party()).isEqualTo("client:operator");
        assertThat(operator.token()).isNotEqualTo(other.token());
        String kubeconfig = Files.readString(operator.kubeconfig());
        assertThat(kubeconfig).contains("server: " + cluster.apiUrl(), "token: " + operator.token(),
                "current-context: drydock-identities-operator");
        assertThat(Files.readString(cluster.kubeconfig())).as("the test's kubeconfig").doesNotContain("token:");

        HttpResponse<String> review = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.apiUrl()
                        + "/apis/authentication.k8s.io/v1/tokenreviews"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"authentication.k8s.io/v1\","
                        + "\"kind\":\"TokenReview\",\"spec\":{\"token\":\"" + operator.token() + "\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode status = Json.parse(review.body().getBytes(StandardCharsets.UTF_8)).path("status");
        assertThat(status.path("authenticated").asBoolean()).as(review.body()).isTrue();
        assertThat(status.path("user").path("username").asText()).isEqualTo("operator");
    }

    @Test
    void aCutIdentitysRequestsFailAsABrokenConnectionWhileTheTestsGoOn() throws Exception {
        ClientIdentity operator = cluster.identity("operator");
        assertThat(get("/api/v1/namespaces/default", operator.token()).statusCode()).isEqualTo(200);

        network.isolate(operator.party());
        assertThatThrownBy(() -> get("/api/v1/namespaces/default", operator.token()))
                .as("no HTTP status, an I/O error").isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get("/apis", operator.token())).as("discovery too")
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> operator.client().get(Resource.NAMESPACES, null, "default"))
                .as("in-process").isInstanceOf(dev.drydock.net.NetworkException.class);
        assertThat(get("/api/v1/namespaces/default", null).statusCode()).as("the test's request").isEqualTo(200);
        assertThat(get("/api/v1/namespaces/default", cluster.identity("other").token()).statusCode())
                .as("another identity's").isEqualTo(200);

        network.rejoin(operator.party());
        assertThat(get("/api/v1/namespaces/default", operator.token()).statusCode()).isEqualTo(200);
    }

    @Test
    void anOpenWatchOverHttpOfACutIdentityGoesSilentThenBreaks() throws Exception {
        ClientIdentity operator = cluster.identity("operator");
        String before = name("before");
        String during = name("during");
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest watch = HttpRequest.newBuilder(URI.create(cluster.apiUrl()
                        + "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=" + version()))
                .header("Authorization", "Bearer " + operator.token()).build();
        HttpResponse<Stream<String>> response = HTTP.send(watch, HttpResponse.BodyHandlers.ofLines());
        CompletableFuture<Void> read = CompletableFuture.runAsync(() -> response.body().forEach(lines::add));
        cluster.client().create(CONFIGMAPS, "default", configMap(before));
        await().atMost(PATIENCE).until(() -> lines.stream().anyMatch(l -> l.contains(before)));

        network.isolate(operator.party());
        cluster.client().create(CONFIGMAPS, "default", configMap(during));
        await().atMost(PATIENCE).until(read::isDone);
        assertThat(read).as("the stream breaks rather than ends").isCompletedExceptionally();
        assertThat(lines).noneMatch(l -> l.contains(during));
    }

    @Test
    void anIdleWatchOfACutIdentityBreaksAfterTheClientsTimeout() {
        ClientIdentity operator = cluster.identity("operator");
        Recorder watcher = new Recorder();
        Watch w = operator.client().watch(CONFIGMAPS, "default", version(), Map.of(), watcher);
        try {
            network.isolate(operator.party());
            await().atMost(PATIENCE).until(() -> watcher.closed);
            assertThat(watcher.error.get()).isInstanceOf(LostConnection.class);
        } finally {
            w.close();
        }
    }

    @Test
    void aWatchWhoseLinkHealsBeforeTheTimeoutGetsWhatWaited() {
        ClientIdentity operator = cluster.identity("operator");
        String held = name("held");
        String from = version();
        Recorder watcher = new Recorder();
        Recorder tests = new Recorder();
        Watch w = operator.client().watch(CONFIGMAPS, "default", from, Map.of(), watcher);
        Watch t = cluster.client().watch(CONFIGMAPS, "default", from, Map.of(), tests);
        try {
            network.isolate(operator.party());
            cluster.client().create(CONFIGMAPS, "default", configMap(held));
            await().atMost(PATIENCE).until(() -> tests.events.contains("ADDED " + held));
            assertThat(watcher.events).as("silent while cut").doesNotContain("ADDED " + held);
            network.rejoin(operator.party());
            await().atMost(PATIENCE).until(() -> watcher.events.contains("ADDED " + held));
            assertThat(watcher.closed).isFalse();
        } finally {
            w.close();
            t.close();
        }
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.apiUrl() + path)).timeout(PATIENCE);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String version() {
        return Json.text(cluster.client().list(CONFIGMAPS, "default", Map.of()), "metadata", "resourceVersion");
    }

    private static synchronized String name(String prefix) {
        return prefix + "-" + (++names);
    }

    private static ObjectNode configMap(String name) {
        ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
        Json.with(cm, "metadata").put("name", name);
        return cm;
    }

    private static final class Recorder implements WatchHandler {
        final List<String> events = new CopyOnWriteArrayList<>();
        final AtomicReference<ApiException> error = new AtomicReference<>();
        volatile boolean closed;

        @Override
        public void onEvent(String type, ObjectNode object) {
            events.add(type + " " + Json.name(object));
        }

        @Override
        public void onClose(ApiException e) {
            error.set(e);
            closed = true;
        }
    }
}

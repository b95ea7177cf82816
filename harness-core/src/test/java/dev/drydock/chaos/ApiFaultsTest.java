package dev.drydock.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.client.KubeClient;
import dev.drydock.cluster.ClientIdentity;
import dev.drydock.cluster.ClusterSpec;
import dev.drydock.cluster.DrydockCluster;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API fault handle: each kind of fault as a client of one identity sees it over HTTP or in-process, the test's
 * own requests untouched, faults undone by their handles and recorded on the timeline, and bad input refused.
 */
class ApiFaultsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    static final Resource CONFIGMAPS = new Resource("", "v1", "configmaps", "ConfigMap", true);
    private static DrydockCluster cluster;
    private static ClientIdentity operator;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static int names;

    @BeforeAll
    static void start() {
        cluster = DrydockCluster.start(ClusterSpec.create().name("faults").apiServerOnly());
        operator = cluster.identity("operator");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void nothingLeftInForce() {
        assertThat(cluster.apiFaults().active()).as("faults still in force").isEmpty();
    }

    @Test
    void failedRequestsGetKubesStatusForEachCodeAndTheTestsOwnRequestsGoOn() throws Exception {
        String path = "/api/v1/namespaces/default/configmaps";
        ApiFaults faults = cluster.apiFaults();
        try (ApiFault f = faults.forIdentity("operator").verbs("list").resources("configmaps").fail(500)) {
            HttpResponse<String> r = get(path, operator.token());
            assertThat(r.statusCode()).isEqualTo(500);
            JsonNode status = Json.parse(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(status.path("reason").asText()).isEqualTo("InternalError");
            assertThat(status.path("message").asText()).startsWith("Internal error occurred: fault injected by "
                    + "drydock");
            assertThat(status.path("details").path("causes").path(0).path("message").asText()).isNotEmpty();

            assertThat(get(path, null).statusCode()).as("the test's own list").isEqualTo(200);
            assertThat(get("/api/v1/namespaces/default/secrets", operator.token()).statusCode())
                    .as("another resource").isEqualTo(200);
            assertThat(f.hits()).isEqualTo(1);
        }
        assertThat(get(path, operator.token()).statusCode()).as("after the heal").isEqualTo(200);

        try (ApiFault f = faults.forIdentity("operator").fail(503)) {
            HttpResponse<String> r = get(path, operator.token());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(Json.parse(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).path("reason").asText()).isEqualTo("ServiceUnavailable");
        }
        try (ApiFault f = faults.forIdentity("operator").fail(429)) {
            HttpResponse<String> r = get(path, operator.token());
            assertThat(r.statusCode()).isEqualTo(429);
            JsonNode status = Json.parse(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(status.path("reason").asText()).isEqualTo("TooManyRequests");
            assertThat(status.path("message").asText()).isEqualTo("Too many requests, please try again later.");
            assertThat(status.path("details").path("retryAfterSeconds").asInt()).isEqualTo(1);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        }
        try (ApiFault f = faults.forIdentity("operator").tooManyRequests(Duration.ofMillis(2500))) {
            assertThat(get(path, operator.token()).headers().firstValue("Retry-After")).hasValue("3");
        }
        KubeClient test = cluster.client();
        test.create(CONFIGMAPS, "default", configMap("contested"));
        try (ApiFault f = faults.forIdentity("operator").verbs("update").fail(409)) {
            ObjectNode cm = operator.client().get(CONFIGMAPS, "default", "contested");
            assertThatThrownBy(() -> operator.client().update(CONFIGMAPS, cm))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(409);
                        assertThat(e.reason()).isEqualTo("Conflict");
                        assertThat(e.getMessage()).isEqualTo("Operation cannot be fulfilled on configmaps "
                                + "\"contested\": the object has been modified; please apply your changes to the "
                                + "latest version and try again");
                        assertThat(e.status().path("details").path("name").asText()).isEqualTo("contested");
                    });
            test.update(CONFIGMAPS, cm); // the test's own update is not refused
        }
    }

    @Test
    void faultsAndTheRequestsTheyFailAreOnTheTimeline() throws Exception {
        int before = cluster.timeline().entries().size();
        long failedBefore = cluster.apiFaults().failedRequests();
        try (ApiFault f = cluster.apiFaults().forIdentity("operator").verbs("get").resources("namespaces")
                .fail(503)) {
            for (int i = 0; i < 5; i++) {
                assertThat(get("/api/v1/namespaces/default", operator.token()).statusCode()).isEqualTo(503);
            }
            assertThat(f.hits()).isEqualTo(5);
        }
        assertThat(cluster.apiFaults().failedRequests() - failedBefore).isEqualTo(5);
        List<Timeline.Entry> entries = cluster.timeline().entries();
        List<String> mine = entries.subList(before, entries.size()).stream()
                .map(e -> e.kind() + " " + e.subject() + " " + e.detail()).toList();
        assertThat(mine.get(0)).isEqualTo("fault client:operator API fault: fail 503 on get of namespaces "
                + "(client:operator)");
        assertThat(mine.get(1)).startsWith("error client:operator failed get namespaces default with 503 "
                + "ServiceUnavailable; 1 so far");
        assertThat(mine.get(mine.size() - 1)).isEqualTo("fault client:operator healed API fault: fail 503 on get of "
                + "namespaces (client:operator) (5 hit(s))");
        assertThat(mine).as("at most an entry a second for the failed requests").hasSizeLessThan(2 + 5);
    }

    @Test
    void aDelayHoldsTheRequestsOfItsScopeOnly() throws Exception {
        Duration delay = Duration.ofMillis(300);
        try (ApiFault f = cluster.apiFaults().forIdentity("operator").verbs("get").delay(delay)) {
            long start = System.nanoTime();
            assertThat(get("/api/v1/namespaces/default", operator.token()).statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
            assertThat(f.hits()).isEqualTo(1);
            assertThat(get("/api/v1/namespaces/default", null).statusCode()).isEqualTo(200);
            assertThat(f.hits()).as("the test's request is not delayed").isEqualTo(1);
        }
    }

    @Test
    void endedWatchesEndAsTheServerEndsThemAndNewOnesEndUntilHealed() {
        Recorder first = new Recorder();
        Watch w = operator.client().watch(CONFIGMAPS, "default", currentVersion(), Map.of(), first);
        Recorder tests = new Recorder();
        Watch t = cluster.client().watch(CONFIGMAPS, "default", currentVersion(), Map.of(), tests);
        try (ApiFault f = cluster.apiFaults().forIdentity("operator").endWatches()) {
            assertThat(first.closed).as("ended").isTrue();
            assertThat(first.error.get()).as("a normal end, as the server's").isNull();
            Recorder again = new Recorder();
            operator.client().watch(CONFIGMAPS, "default", currentVersion(), Map.of(), again);
            assertThat(again.closed).as("a watch opened while in force ends at once").isTrue();
            assertThat(f.hits()).isEqualTo(2);
            assertThat(tests.closed).as("the test's watch").isFalse();
        } finally {
            w.close();
        }
        Recorder after = new Recorder();
        Watch a = operator.client().watch(CONFIGMAPS, "default", currentVersion(), Map.of(), after);
        cluster.client().create(CONFIGMAPS, "default", configMap("after-end"));
        await().atMost(PATIENCE).until(() -> after.names().contains("after-end"));
        assertThat(after.closed).isFalse();
        a.close();
        t.close();
    }

    @Test
    void aStalledWatchStaysOpenSendingNothingAndCatchesUpWhenHealed() {
        Recorder stalled = new Recorder();
        Recorder tests = new Recorder();
        String from = currentVersion();
        Watch w = operator.client().watch(CONFIGMAPS, "default", from, Map.of(), stalled);
        Watch t = cluster.client().watch(CONFIGMAPS, "default", from, Map.of(), tests);
        String a = name("stalled");
        String b = name("stalled");
        try (ApiFault f = cluster.apiFaults().forIdentity("operator").resources("configmaps").stallWatches()) {
            cluster.client().create(CONFIGMAPS, "default", configMap(a));
            cluster.client().create(CONFIGMAPS, "default", configMap(b));
            // the test's watch sees both, so both were handed to the watchers: the stalled one has held them
            await().atMost(PATIENCE).until(() -> tests.names().containsAll(List.of(a, b)));
            assertThat(stalled.names()).doesNotContain(a, b);
            assertThat(stalled.closed).isFalse();
            assertThat(f.hits()).isEqualTo(1);
        }
        await().atMost(PATIENCE).until(() -> stalled.names().containsAll(List.of(a, b)));
        assertThat(stalled.names()).containsSubsequence(a, b);
        w.close();
        t.close();
    }

    @Test
    void staleListsAnswerAsOfTheVersionTheFaultWasMadeAt() throws Exception {
        String old = name("old");
        String young = name("young");
        cluster.client().create(CONFIGMAPS, "default", configMap(old));
        try (ApiFault f = cluster.apiFaults().forIdentity("operator").resources("configmaps").staleLists()) {
            cluster.client().create(CONFIGMAPS, "default", configMap(young));
            HttpResponse<String> r = get("/api/v1/namespaces/default/configmaps", operator.token());
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode list = Json.parse(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(names(list)).contains(old).doesNotContain(young);
            assertThat(names(cluster.client().list(CONFIGMAPS, "default", Map.of()))).contains(old, young);
            assertThat(f.hits()).isEqualTo(1);
            // a watch from the stale list's version replays what came since
            Recorder replay = new Recorder();
            Watch w = operator.client().watch(CONFIGMAPS, "default",
                    list.path("metadata").path("resourceVersion").asText(), Map.of(), replay);
            await().atMost(PATIENCE).until(() -> replay.names().contains(young));
            w.close();
        }
        assertThat(names(operator.client().list(CONFIGMAPS, "default", Map.of()))).contains(old, young);
    }

    @Test
    void aFaultForAllClientsHitsTheTestsRequestsToo() {
        try (ApiFault f = cluster.apiFaults().all().verbs("get").resources("namespaces").fail(500)) {
            assertThatThrownBy(() -> cluster.client().get(Resource.NAMESPACES, null, "default"))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(500));
            assertThatThrownBy(() -> operator.client().get(Resource.NAMESPACES, null, "default"))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(500));
            assertThat(f.hits()).isEqualTo(2);
        }
    }

    @Test
    void badInputIsRefusedNamingWhatThereIsAndLeavesNothingInForce() {
        ApiFaults faults = cluster.apiFaults();
        assertThatThrownBy(() -> faults.forIdentity("nobody"))
                .hasMessageStartingWith("no client identity named 'nobody'; identities are [")
                .hasMessageContaining("operator");
        assertThatThrownBy(() -> faults.all().verbs("fetch"))
                .hasMessage("no verb 'fetch'; verbs are [get, list, watch, create, update, patch, delete, "
                        + "deletecollection]");
        assertThatThrownBy(() -> faults.all().resources("pdos"))
                .hasMessageStartingWith("the API serves no resource 'pdos'; it serves [")
                .hasMessageContaining("pods");
        assertThatThrownBy(() -> faults.all().fail(404))
                .hasMessage("cannot fail requests with 404; codes are [409, 429, 500, 503]");
        assertThatThrownBy(() -> faults.all().delay(Duration.ofMillis(-1)))
                .hasMessage("a delay must be positive, got PT-0.001S");
        assertThatThrownBy(() -> faults.all().verbs("list").endWatches())
                .hasMessage("endWatches() acts on watch requests, but the scope's verbs are [list]: add 'watch' "
                        + "or leave verbs out");
        assertThatThrownBy(() -> faults.all().staleLists("yesterday"))
                .hasMessage("a resourceVersion to answer lists at is a positive number, got 'yesterday'");
        assertThatThrownBy(() -> cluster.identity("Operator!"))
                .hasMessageContaining("an identity's name must be lowercase");
        assertThat(faults.active()).isEmpty();

        ApiFault f = faults.forIdentity("operator").fail(500);
        f.heal();
        assertThatThrownBy(f::heal).isInstanceOf(IllegalStateException.class)
                .hasMessage("the API fault 'fail 500 (client:operator)' was healed already");
        f.close(); // closing a healed fault is allowed: try-with-resources around an explicit heal
        assertThat(f.isActive()).isFalse();
    }

    // ---- helpers

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.apiUrl() + path)).timeout(PATIENCE);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String currentVersion() {
        return Json.text(cluster.client().list(CONFIGMAPS, "default", Map.of()), "metadata",
                "resourceVersion");
    }

    private static synchronized String name(String prefix) {
        return prefix + "-" + (++names);
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new java.util.ArrayList<>();
        list.path("items").forEach(i -> out.add(i.path("metadata").path("name").asText()));
        return out;
    }

    static ObjectNode configMap(String name) {
        ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
        Json.with(cm, "metadata").put("name", name);
        Json.with(cm, "data").put("k", "v");
        return cm;
    }

    /** A watch's events and end, as a client sees them. */
    static final class Recorder implements WatchHandler {
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile boolean closed;
        final AtomicReference<ApiException> error = new AtomicReference<>();

        @Override
        public void onEvent(String type, ObjectNode object) {
            events.add(type + " " + Json.name(object));
        }

        @Override
        public void onClose(ApiException e) {
            error.set(e);
            closed = true;
        }

        List<String> names() {
            return events.stream().filter(e -> e.startsWith("ADDED ")).map(e -> e.substring(6)).toList();
        }
    }
}

package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.cache.WatchCache;
import dev.drydock.base.Clock;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.store.MemoryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.assertj.core.api.ThrowableAssert;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * An {@link ApiServer} over a {@link MemoryStore}, used directly as the in-process transport, with the
 * {@code default} namespace created; closed after each test.
 */
abstract class ApiServerTestSupport {

    static final Resource PODS = Resource.PODS;
    static final Resource DEPLOYMENTS = Resource.DEPLOYMENTS;
    static final Resource NAMESPACES = Resource.NAMESPACES;
    static final Resource NODES = Resource.NODES;
    static final String NS = "default";

    ScheduledThreadPoolExecutor timer;
    ExecutorService watchLanes;
    MemoryStore store;
    ApiServer api;
    KubeClient client;

    @BeforeEach
    void startApiServer() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "drydock-t-timer");
            t.setDaemon(true);
            return t;
        });
        watchLanes = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "drydock-t-watch");
            t.setDaemon(true);
            return t;
        });
        store = new MemoryStore("drydock-t-store");
        api = new ApiServer(store, KindRegistry.builtIn(), Clock.SYSTEM, timer, 42L, watchLanes,
                cacheSettings());
        client = new KubeClient(api);
        client.create(NAMESPACES, null, TestObjects.namespace(NS).build());
    }

    /** The watch cache settings of the server under test: kube's, unless a test class needs others. */
    WatchCache.Settings cacheSettings() {
        return WatchCache.Settings.defaults();
    }

    @AfterEach
    void stopApiServer() {
        api.close();
        store.close();
        timer.shutdownNow();
        watchLanes.shutdownNow();
    }

    static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5));
    }

    /** Runs a request that must fail and returns its error. */
    static ApiException failure(ThrowableAssert.ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).as("the request fails").isInstanceOf(ApiException.class);
        return (ApiException) t;
    }

    ApiResponse call(ApiRequest.Verb verb, Resource r, String namespace, String name, String subresource,
                     Map<String, String> params, JsonNode body, String contentType) {
        return api.call(new ApiRequest(verb, r, namespace, name, subresource, params, body, contentType));
    }

    ObjectNode list(Resource r, String namespace, Map<String, String> params) {
        return client.list(r, namespace, params);
    }

    static List<String> names(ObjectNode list) {
        List<String> out = new ArrayList<>();
        list.path("items").forEach(i -> out.add(Json.name(i)));
        return out;
    }

    static long rv(JsonNode obj) {
        return Long.parseLong(Json.resourceVersion(obj));
    }

    ObjectNode createPod(TestObjects.Builder pod) {
        return client.create(PODS, NS, pod.build());
    }
}

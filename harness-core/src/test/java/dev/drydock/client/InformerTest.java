package dev.drydock.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.ApiServer;
import dev.drydock.api.KindRegistry;
import dev.drydock.api.cache.WatchCache;
import dev.drydock.base.Clock;
import dev.drydock.base.Timers;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.ApiResponse;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.kube.Transport;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import dev.drydock.store.MemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The informer as client-go's reflector runs it: a watch that ends is resumed from the last resourceVersion seen,
 * without a new list; only 410 Gone brings a list; bookmarks keep that resourceVersion fresh.
 */
class InformerTest {

    private static final Resource PODS = Resource.PODS;
    private static final String NS = "default";

    private final MemoryStore store = new MemoryStore("drydock-t-store");
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final ExecutorService lanes = Executors.newFixedThreadPool(2);
    private final Timers timers = Timers.create("t", Clock.SYSTEM, lanes);
    private ApiServer api;
    private KubeClient direct;
    private Recording transport;
    private Informer informer;

    private void startServer(WatchCache.Settings settings) {
        api = new ApiServer(store, KindRegistry.builtIn(), Clock.SYSTEM, timer, 42L, lanes, settings);
        direct = new KubeClient(api);
        ObjectNode ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
        Json.with(ns, "metadata").put("name", NS);
        direct.create(Resource.NAMESPACES, null, ns);
        transport = new Recording(api);
    }

    private Informer informer(Informer.Handler handler) {
        informer = new Informer(new KubeClient(transport), PODS, NS, Map.of(), timers).addHandler(handler);
        informer.start();
        eventually().until(informer::hasSynced);
        return informer;
    }

    @AfterEach
    void stop() {
        if (informer != null) {
            informer.close();
        }
        if (api != null) {
            api.close();
        }
        store.close();
        timer.shutdownNow();
        timers.close();
        lanes.shutdownNow();
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5));
    }

    private ObjectNode createPod(String name) {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        Json.with(pod, "metadata").put("name", name);
        Json.with(pod, "spec").putArray("containers").addObject().put("name", "app").put("image", "nginx");
        return direct.create(PODS, NS, pod);
    }

    @Test
    void aComponentsInformerCachesObjectsWithoutTheirManagedFieldsAndItsUpdatesKeepTheStoredOnes() {
        startServer(WatchCache.Settings.defaults());
        createPod("a");
        informer = new Informer(new KubeClient(transport), PODS, NS, Map.of(), timers).withoutManagedFields();
        informer.start();
        eventually().until(informer::hasSynced);
        createPod("b");
        eventually().until(() -> informer.get(NS, "b") != null);

        assertThat(direct.get(PODS, NS, "a").path("metadata").has("managedFields")).isTrue();
        assertThat(informer.get(NS, "a").path("metadata").has("managedFields")).as("listed").isFalse();
        assertThat(informer.get(NS, "b").path("metadata").has("managedFields")).as("watched").isFalse();
        ObjectNode changed = informer.get(NS, "a").deepCopy();
        Json.with(changed, "metadata", "labels").put("x", "y");
        ObjectNode updated = direct.update(PODS, changed);
        assertThat(updated.at("/metadata/managedFields").findValuesAsText("manager")).containsExactly("unknown");
        assertThat(updated.at("/metadata/managedFields/0/fieldsV1/f:metadata/f:labels").has("f:x")).isTrue();
        assertThat(updated.at("/metadata/managedFields/0/fieldsV1/f:spec").isObject())
                .as("what the creator owned is still owned").isTrue();
    }

    @Test
    void informersInProcessShareOneReadOnlyObjectPerVersion() {
        startServer(WatchCache.Settings.defaults());
        createPod("listed");
        informer = new Informer(new KubeClient(transport), PODS, NS, Map.of(), timers).withoutManagedFields();
        informer.start();
        Informer other = new Informer(new KubeClient(transport), PODS, null, Map.of(), timers).withoutManagedFields();
        try {
            other.start();
            eventually().until(() -> informer.hasSynced() && other.hasSynced());
            ObjectNode watched = createPod("watched");
            eventually().until(() -> informer.get(NS, "watched") != null && other.get(NS, "watched") != null);

            for (String name : List.of("listed", "watched")) {
                assertThat(other.get(NS, name)).as(name).isSameAs(informer.get(NS, name));
            }
            ObjectNode cached = informer.get(NS, "watched");
            assertThat(Json.resourceVersion(cached)).isEqualTo(Json.resourceVersion(watched));
            assertThatThrownBy(() -> Json.with(cached, "metadata", "labels").put("x", "y"))
                    .isInstanceOf(UnsupportedOperationException.class);
            ObjectNode copy = cached.deepCopy();
            Json.with(copy, "metadata", "labels").put("x", "y");
            direct.update(PODS, copy);
            eventually().until(() -> informer.get(NS, "watched").path("metadata").path("labels").has("x")
                    && other.get(NS, "watched").path("metadata").path("labels").has("x"));
            assertThat(other.get(NS, "watched")).isSameAs(informer.get(NS, "watched"));
            assertThat(cached.path("metadata").path("labels").has("x")).as("the old version unchanged").isFalse();
        } finally {
            other.close();
        }
    }

    @Test
    void anIndexFindsTheObjectsUnderAValueAndFollowsTheirChangesAndDeletions() {
        startServer(WatchCache.Settings.defaults());
        createPod("before"); // cached before the index is added: the index is built from the cache
        informer(new Informer.Handler() { });
        informer.addIndex("app", p -> Json.text(p, "metadata", "labels", "app") == null ? List.of()
                : List.of(Json.text(p, "metadata", "labels", "app")));
        informer.addIndex(Informer.BY_NAMESPACE, Informer::namespaceOf);
        ObjectNode before = informer.get(NS, "before").deepCopy();
        Json.with(before, "metadata", "labels").put("app", "web");
        direct.update(PODS, before);
        createPod("other");
        eventually().until(() -> informer.byIndex("app", "web").size() == 1 && informer.get(NS, "other") != null);

        assertThat(informer.byIndex("app", "web")).extracting(Json::name).containsExactly("before");
        assertThat(informer.byIndex(Informer.BY_NAMESPACE, NS)).extracting(Json::name)
                .containsExactlyInAnyOrder("before", "other");
        assertThat(informer.byIndex("app", "db")).isEmpty();

        ObjectNode moved = informer.get(NS, "before").deepCopy();
        Json.with(moved, "metadata", "labels").put("app", "db");
        direct.update(PODS, moved);
        eventually().until(() -> informer.byIndex("app", "db").size() == 1);
        assertThat(informer.byIndex("app", "web")).isEmpty();

        direct.delete(PODS, NS, "before");
        eventually().until(() -> informer.byIndex("app", "db").isEmpty());
        assertThat(informer.byIndex(Informer.BY_NAMESPACE, NS)).extracting(Json::name).containsExactly("other");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> informer.byIndex("nope", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no index nope")
                .hasMessageContaining("app");
    }

    @Test
    void aTransformKeepsWhatItMakesOfEachObjectAndHandlersHearThat() {
        startServer(WatchCache.Settings.defaults());
        createPod("a");
        List<ObjectNode> heard = new CopyOnWriteArrayList<>();
        informer = new Informer(new KubeClient(transport), PODS, NS, Map.of(), timers).withTransform(p -> {
            ObjectNode kept = Json.object();
            for (String f : List.of("namespace", "name", "resourceVersion")) {
                Json.with(kept, "metadata").put(f, Json.text(p, "metadata", f));
            }
            return kept;
        }).addHandler(new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode obj) {
                heard.add(obj);
            }
        });
        informer.start();
        eventually().until(informer::hasSynced);
        createPod("b");
        eventually().until(() -> informer.get(NS, "b") != null);

        assertThat(informer.get(NS, "a").has("spec")).isFalse();
        assertThat(informer.get(NS, "b").path("metadata").path("name").asText()).isEqualTo("b");
        assertThat(heard).extracting(Json::name).containsExactly("a", "b");
        assertThat(heard).allMatch(o -> !o.has("spec"));
    }

    @Test
    void aWatchThatEndsIsResumedFromTheLastResourceVersionWithoutAList() {
        startServer(WatchCache.Settings.defaults());
        createPod("a");
        informer(new Informer.Handler() { });
        ObjectNode b = createPod("b");
        eventually().until(() -> informer.get(NS, "b") != null);

        transport.endLastWatch();
        createPod("c");

        eventually().until(() -> informer.get(NS, "c") != null);
        assertThat(transport.lists).hasSize(1);
        assertThat(transport.watches).hasSize(2);
        assertThat(transport.watches.get(1)).isEqualTo(Json.resourceVersion(b));
    }

    @Test
    void anInformerTheServerFoundTooSlowResumesWithoutAList() throws Exception {
        startServer(WatchCache.Settings.defaults().withWatcherBuffer(2));
        CountDownLatch release = new CountDownLatch(1);
        List<String> added = new CopyOnWriteArrayList<>();
        informer(new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode obj) {
                added.add(Json.name(obj));
                if (Json.name(obj).equals("slow")) {
                    await(release); // holds the watch's lane, as a handler that does too much would
                }
            }
        });

        createPod("slow");
        eventually().until(() -> added.contains("slow"));
        for (int i = 0; i < 5; i++) {
            createPod("p" + i);
        }
        direct.list(PODS, NS, Map.of()); // a consistent read: the server has offered the watch every change
        release.countDown();

        eventually().until(() -> added.size() == 6);
        assertThat(transport.closes).containsExactly("null"); // the server ended the watch: it fell behind
        assertThat(added).containsExactly("slow", "p0", "p1", "p2", "p3", "p4");
        assertThat(transport.lists).hasSize(1);
        assertThat(transport.watches).hasSize(2);
    }

    @Test
    void aResourceVersionThatLeftTheServersWindowMakesTheInformerListAgain() {
        startServer(WatchCache.Settings.defaults().withWindow(4, 4));
        createPod("a");
        List<String> added = new CopyOnWriteArrayList<>();
        informer(new Informer.Handler() {
            @Override
            public void onAdd(ObjectNode obj) {
                added.add(Json.name(obj));
            }
        });
        transport.refuseWatches = true;

        transport.endLastWatch();
        for (int i = 0; i < 10; i++) {
            createPod("p" + i);
        }
        direct.list(PODS, NS, Map.of()); // a consistent read: the server's cache has seen them all
        eventually().until(() -> transport.watches.size() >= 3); // retried, with back-off, while refused
        transport.refuseWatches = false;

        eventually().until(() -> added.size() == 11);
        assertThat(transport.lists).hasSize(2);
        assertThat(transport.gone).isNotEmpty();
        assertThat(informer.list()).hasSize(11);
    }

    @Test
    void bookmarksMoveTheVersionAWatchResumesFrom() {
        startServer(WatchCache.Settings.defaults().withBookmarkFrequency(Duration.ofMillis(20)));
        informer(new Informer.Handler() { });
        ObjectNode node = Json.object().put("apiVersion", "v1").put("kind", "Node");
        Json.with(node, "metadata").put("name", "n1");
        long elsewhere = Long.parseLong(Json.resourceVersion(direct.create(Resource.NODES, null, node)));

        eventually().until(() -> transport.bookmarks.stream().anyMatch(rv -> rv >= elsewhere));
        transport.endLastWatch();

        eventually().until(() -> transport.watches.size() == 2);
        assertThat(Long.parseLong(transport.watches.get(1))).isGreaterThanOrEqualTo(elsewhere);
        assertThat(transport.lists).hasSize(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The API server as the informer sees it, recording its lists and watches, and able to end a watch as a server
     * ends a stream or to refuse watches for a while.
     */
    static final class Recording implements Transport {
        final Transport server;
        final List<String> lists = new CopyOnWriteArrayList<>();
        final List<String> watches = new CopyOnWriteArrayList<>();
        final List<Long> bookmarks = new CopyOnWriteArrayList<>();
        final List<String> closes = new CopyOnWriteArrayList<>();
        final List<ApiException> gone = new CopyOnWriteArrayList<>();
        volatile boolean refuseWatches;
        private volatile Watch lastWatch;
        private volatile WatchHandler lastHandler;

        Recording(Transport server) {
            this.server = server;
        }

        @Override
        public java.util.Map<dev.drydock.kube.Resource, List<String>> discover() {
            return server.discover();
        }

        @Override
        public ApiResponse call(ApiRequest request) {
            if (request.verb() == ApiRequest.Verb.LIST) {
                lists.add(String.valueOf(request.param("resourceVersion")));
            }
            return server.call(request);
        }

        @Override
        public Watch watch(ApiRequest request, WatchHandler handler) {
            watches.add(request.param("resourceVersion"));
            if (refuseWatches) {
                throw ApiException.of(503, "ServiceUnavailable", "refused by the test");
            }
            WatchHandler recording = new WatchHandler() {
                @Override
                public void onEvent(String type, ObjectNode object) {
                    if (type.equals("BOOKMARK")) {
                        bookmarks.add(Long.parseLong(Json.resourceVersion(object)));
                    }
                    handler.onEvent(type, object);
                }

                @Override
                public void onClose(ApiException error) {
                    closes.add(String.valueOf(error));
                    handler.onClose(error);
                }
            };
            try {
                lastWatch = server.watch(request, recording);
            } catch (ApiException e) {
                if (e.code() == 410) {
                    gone.add(e);
                }
                throw e;
            }
            lastHandler = recording;
            return lastWatch;
        }

        /** Ends the last watch as a server ends its stream: no more events, then a normal close. */
        void endLastWatch() {
            lastWatch.close();
            lastHandler.onClose(null);
        }
    }
}

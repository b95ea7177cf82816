package dev.drydock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.cache.WatchCache;
import dev.drydock.base.Clock;
import dev.drydock.client.KubeClient;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.Resource;
import dev.drydock.store.MemoryStore;
import dev.drydock.store.Store;
import dev.drydock.store.StoreException;
import dev.drydock.store.Watch;
import dev.drydock.store.WatchEvent;
import dev.drydock.store.WatchListener;
import dev.drydock.store.check.ForwardingStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes and namespace admission read the watch cache first, as kube's do, and a cache that lags the store never
 * makes them wrong: here the cache is held back on purpose while the store moves on.
 */
class StaleCacheTest {

    static final Resource CONFIG_MAPS = new Resource("", "v1", "configmaps", "ConfigMap", true);
    static final String NS = "default";

    ScheduledThreadPoolExecutor timer;
    ExecutorService watchLanes;
    HeldBackStore store;
    ApiServer api;
    KubeClient client;

    @BeforeEach
    void start() {
        timer = new ScheduledThreadPoolExecutor(1);
        watchLanes = Executors.newFixedThreadPool(2);
        store = new HeldBackStore(new MemoryStore("drydock-t-store"));
        api = new ApiServer(store, KindRegistry.builtIn(), Clock.SYSTEM, timer, 42L, watchLanes,
                WatchCache.Settings.defaults());
        client = new KubeClient(api);
        client.create(Resource.NAMESPACES, null, TestObjects.namespace(NS).build());
        client.create(CONFIG_MAPS, NS, configMap("settings", "v1"));
        // every cache the tests use is filled and has seen the objects above
        client.list(CONFIG_MAPS, NS, java.util.Map.of("resourceVersion", "0"));
        client.list(Resource.NAMESPACES, null, java.util.Map.of("resourceVersion", "0"));
        ApiServerTestSupport.eventually().until(() -> api.cachedVersion(kind(CONFIG_MAPS), NS, "settings") > 0
                && api.cachedVersion(kind(Resource.NAMESPACES), null, NS) > 0);
    }

    @AfterEach
    void stop() {
        store.release();
        api.close();
        store.close();
        timer.shutdownNow();
        watchLanes.shutdownNow();
    }

    @Test
    void anUpdateNamingTheCurrentVersionSucceedsThoughTheCacheHasAnOlderOne() {
        long cachedBefore = api.cachedVersion(kind(CONFIG_MAPS), NS, "settings");
        store.holdBack();
        ObjectNode second = client.modify(CONFIG_MAPS, NS, "settings", cm -> Json.with(cm, "data").put("value", "v2"));
        assertThat(api.cachedVersion(kind(CONFIG_MAPS), NS, "settings")).isEqualTo(cachedBefore); // still stale

        ObjectNode third = second.deepCopy();
        Json.with(third, "data").put("value", "v3");
        ObjectNode stored = client.update(CONFIG_MAPS, third);

        assertThat(stored.path("data").path("value").asText()).isEqualTo("v3");
        assertThat(Long.parseLong(Json.resourceVersion(stored))).isGreaterThan(Long.parseLong(Json.resourceVersion(second)));
    }

    @Test
    void anUpdateNamingAnOldVersionIsStillAConflict() {
        ObjectNode first = client.get(CONFIG_MAPS, NS, "settings");
        store.holdBack();
        client.modify(CONFIG_MAPS, NS, "settings", cm -> Json.with(cm, "data").put("value", "v2"));

        Json.with(first, "data").put("value", "stale");
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> client.update(CONFIG_MAPS, first));

        assertThat(refused).isInstanceOf(ApiException.class);
        assertThat(((ApiException) refused).code()).isEqualTo(409);
        assertThat(client.get(CONFIG_MAPS, NS, "settings").path("data").path("value").asText()).isEqualTo("v2");
    }

    @Test
    void aPatchAppliesToTheStoredObjectNotTheCachedOne() {
        store.holdBack();
        client.modify(CONFIG_MAPS, NS, "settings", cm -> Json.with(cm, "data").put("other", "kept"));

        client.mergePatch(CONFIG_MAPS, NS, "settings", null,
                Json.object().set("data", Json.object().put("value", "patched")));

        ObjectNode now = client.get(CONFIG_MAPS, NS, "settings");
        assertThat(now.path("data").path("other").asText()).isEqualTo("kept");
        assertThat(now.path("data").path("value").asText()).isEqualTo("patched");
    }

    @Test
    void aChangeBackToWhatTheCacheHoldsIsStillWritten() {
        ObjectNode first = client.get(CONFIG_MAPS, NS, "settings");
        store.holdBack();
        ObjectNode second = client.modify(CONFIG_MAPS, NS, "settings", cm -> Json.with(cm, "data").put("value", "v2"));

        // An unconditional update (no resourceVersion) to what the cache's stale copy holds, but the store's object
        // does not: a change, not a no-op.
        Json.with(first, "metadata").remove("resourceVersion");
        ObjectNode back = client.update(CONFIG_MAPS, first);

        assertThat(back.path("data").path("value").asText()).isEqualTo("v1");
        assertThat(Long.parseLong(Json.resourceVersion(back))).isGreaterThan(Long.parseLong(Json.resourceVersion(second)));
        assertThat(client.get(CONFIG_MAPS, NS, "settings").path("data").path("value").asText()).isEqualTo("v1");
    }

    @Test
    void noCreateSlipsIntoANamespaceDeletedWhileTheCacheLags() {
        client.create(Resource.NAMESPACES, null, TestObjects.namespace("doomed").build());
        ApiServerTestSupport.eventually().until(() -> api.cachedVersion(kind(Resource.NAMESPACES), null, "doomed") > 0);
        store.holdBack();
        client.delete(Resource.NAMESPACES, null, "doomed"); // held by its finalizer: Terminating

        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
                () -> client.create(CONFIG_MAPS, "doomed", configMap("late", "x")));

        assertThat(refused).isInstanceOf(ApiException.class);
        assertThat(((ApiException) refused).code()).isEqualTo(403);
        assertThat(refused).hasMessageContaining("because it is being terminated");
    }

    @Test
    void aNamespaceTheCacheHasNotSeenYetIsAskedOfTheStore() {
        store.holdBack();
        client.create(Resource.NAMESPACES, null, TestObjects.namespace("fresh").build());
        assertThat(api.cachedVersion(kind(Resource.NAMESPACES), null, "fresh")).isEqualTo(-1);

        ObjectNode created = client.create(CONFIG_MAPS, "fresh", configMap("first", "x"));

        assertThat(Json.namespace(created)).isEqualTo("fresh");
        Throwable missing = org.assertj.core.api.Assertions.catchThrowable(
                () -> client.create(CONFIG_MAPS, "nowhere", configMap("lost", "x")));
        assertThat(((ApiException) missing).code()).isEqualTo(404);
    }

    private KindDescriptor kind(Resource r) {
        return api.registry().find(r);
    }

    private static ObjectNode configMap(String name, String value) {
        ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
        Json.with(cm, "metadata").put("name", name);
        Json.with(cm, "data").put("value", value);
        return cm;
    }

    /** A store whose watchers can be held back: their events wait, in order, until released. */
    static final class HeldBackStore extends ForwardingStore {
        private final List<Runnable> held = new ArrayList<>();
        private boolean holding;

        HeldBackStore(Store delegate) {
            super(delegate);
        }

        synchronized void holdBack() {
            holding = true;
        }

        void release() {
            List<Runnable> due;
            synchronized (this) {
                holding = false;
                due = new ArrayList<>(held);
                held.clear();
            }
            due.forEach(Runnable::run);
        }

        /** Runs {@code delivery} now, or later if held back, after every delivery held before it. */
        private void deliver(Runnable delivery) {
            synchronized (this) {
                if (holding || !held.isEmpty()) {
                    held.add(delivery);
                    return;
                }
            }
            delivery.run();
        }

        @Override
        public Watch watch(String prefix, long fromRevision, WatchListener listener) {
            return delegate.watch(prefix, fromRevision, new WatchListener() {
                @Override
                public void onEvents(List<WatchEvent> events) {
                    deliver(() -> listener.onEvents(events));
                }

                @Override
                public void onProgress(long revision) {
                    deliver(() -> listener.onProgress(revision));
                }

                @Override
                public void onClose(StoreException cause) {
                    deliver(() -> listener.onClose(cause));
                }
            });
        }
    }
}

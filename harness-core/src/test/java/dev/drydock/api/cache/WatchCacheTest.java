package dev.drydock.api.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.base.Clock;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.Json;
import dev.drydock.kube.LabelSelector;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import dev.drydock.store.MemoryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watch cache of pods over a store: its window, the index of watchers by node and namespace, slow watchers,
 * bookmarks, initial events, and lists at each kind of resourceVersion.
 */
class WatchCacheTest {

    private static final String PODS = "/registry/core/pods/";
    private static final CacheConfig CONFIG = new CacheConfig(PODS, true, "Pod", "v1", Map.of(
            "spec.nodeName", text("spec", "nodeName"),
            "status.phase", text("status", "phase")), "spec.nodeName", null);

    private MemoryStore store;
    private ScheduledThreadPoolExecutor timer;
    private ExecutorService lanes;
    private final List<WatchCache> caches = new ArrayList<>();

    @BeforeEach
    void start() {
        store = new MemoryStore("drydock-t-store");
        timer = new ScheduledThreadPoolExecutor(1);
        lanes = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stop() {
        caches.forEach(WatchCache::close);
        store.close();
        timer.shutdownNow();
        lanes.shutdownNow();
    }

    private static Function<JsonNode, String> text(String... path) {
        return obj -> {
            JsonNode n = Json.at(obj, path);
            return n == null || n.isNull() ? "" : n.asText();
        };
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5));
    }

    private WatchCache cache(WatchCache.Settings settings) {
        WatchCache c = new WatchCache(store, CONFIG, Clock.SYSTEM, timer, lanes, settings);
        c.start();
        caches.add(c);
        return c;
    }

    private WatchCache cache() {
        return cache(WatchCache.Settings.defaults());
    }

    // ---- writes, as the API server stores pods (no resourceVersion in the bytes)

    private long put(String namespace, String name, String node, String... labels) {
        ObjectNode pod = Json.object();
        pod.put("kind", "Pod").put("apiVersion", "v1");
        ObjectNode meta = pod.putObject("metadata");
        meta.put("name", name).put("namespace", namespace);
        for (int i = 0; i < labels.length; i += 2) {
            Json.with(meta, "labels").put(labels[i], labels[i + 1]);
        }
        if (node != null) {
            pod.putObject("spec").put("nodeName", node);
        }
        return store.put(PODS + namespace + "/" + name, Json.bytes(pod)).modRevision();
    }

    private long delete(String namespace, String name) {
        store.delete(PODS + namespace + "/" + name);
        return store.revision();
    }

    /** A write to another resource: the store's revision moves on, the pods' cache hears nothing of it. */
    private long writeElsewhere(String name) {
        return store.put("/registry/core/nodes/" + name, "{\"kind\":\"Node\"}".getBytes()).modRevision();
    }

    private static Selection all(String namespace) {
        return Selection.of(namespace, LabelSelector.EVERYTHING, List.of(), CONFIG);
    }

    private static Selection onNode(String node) {
        return Selection.of(null, LabelSelector.EVERYTHING, List.of(new FieldTerm("spec.nodeName", true, node)),
                CONFIG);
    }

    private static WatchOptions from(long revision) {
        return new WatchOptions(Long.toString(revision), null, false, 0);
    }

    private static WatchOptions withBookmarksFrom(long revision) {
        return new WatchOptions(Long.toString(revision), null, true, 0);
    }

    // ---- the window

    @Test
    void changesReachAWatcherAsAddedModifiedAndDeletedWithTheirResourceVersions() {
        WatchCache cache = cache();
        Recorder rec = new Recorder();
        cache.watch(all("default"), from(store.revision()), rec);

        long created = put("default", "web", null);
        long modified = put("default", "web", "node-1");
        long deleted = delete("default", "web");

        eventually().until(() -> rec.events.size() == 3);
        assertThat(rec.summary()).containsExactly("ADDED web " + created, "MODIFIED web " + modified,
                "DELETED web " + deleted);
        // A DELETED carries the object as it last was, at the revision of its deletion.
        assertThat(Json.text(rec.events.get(2).object(), "spec", "nodeName")).isEqualTo("node-1");
    }

    @Test
    void aWatchFromARevisionInTheWindowReplaysWhatHappenedSince() {
        WatchCache cache = cache();
        long a = put("default", "a", null);
        put("default", "b", null);
        delete("default", "a");
        eventually().until(() -> cache.revision() == store.revision());
        Recorder rec = new Recorder();

        cache.watch(all("default"), from(a), rec);

        eventually().until(() -> rec.events.size() == 2);
        assertThat(rec.types()).containsExactly("ADDED b", "DELETED a");
    }

    @Test
    void aCacheMadeLaterServesWatchesFromTheStoresHistory() {
        long a = put("default", "a", null);
        put("default", "b", null);

        WatchCache cache = cache();
        Recorder rec = new Recorder();
        cache.watch(all("default"), from(a), rec);

        eventually().until(() -> rec.events.size() == 1);
        assertThat(rec.types()).containsExactly("ADDED b");
    }

    @Test
    void aWatchFromARevisionThatLeftTheWindowIsGone() {
        WatchCache cache = cache(WatchCache.Settings.defaults().withWindow(4, 4));
        List<Long> revisions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            revisions.add(put("default", "pod-" + i, null));
        }
        eventually().until(() -> cache.revision() == store.revision());

        ApiException gone = catchThrowableOfType(ApiException.class,
                () -> cache.watch(all("default"), from(revisions.get(0)), new Recorder()));

        assertThat(gone.code()).isEqualTo(410);
        assertThat(gone.reason()).isEqualTo("Expired");
        assertThat(gone.getMessage()).isEqualTo("too old resource version: " + revisions.get(0) + " ("
                + revisions.get(5) + ")");
        Recorder recent = new Recorder();
        cache.watch(all("default"), from(revisions.get(6)), recent);
        eventually().until(() -> recent.events.size() == 3);
        assertThat(recent.types()).containsExactly("ADDED pod-7", "ADDED pod-8", "ADDED pod-9");
    }

    @Test
    void aWatchFromBeforeTheStoresCompactionIsGoneForACacheMadeAfterIt() {
        long a = put("default", "a", null);
        put("default", "b", null);
        store.compact(store.revision());

        WatchCache cache = cache();

        assertThat(catchThrowableOfType(ApiException.class,
                () -> cache.watch(all("default"), from(a), new Recorder())).code()).isEqualTo(410);
    }

    // ---- the index

    @Test
    void aWatcherOfOneNodesPodsIsOfferedOnlyThatNodesPods() {
        WatchCache cache = cache();
        Recorder kubelet = new Recorder();
        CacheWatcher watcher = (CacheWatcher) cache.watch(onNode("node-1"), from(store.revision()), kubelet);

        for (int i = 0; i < 10; i++) {
            put("default", "elsewhere-" + i, "node-2");
        }
        put("default", "mine", "node-1");

        eventually().until(() -> kubelet.events.size() == 1);
        assertThat(kubelet.types()).containsExactly("ADDED mine");
        assertThat(watcher.offers()).isEqualTo(1);
    }

    @Test
    void aPodBoundToANodeIsAddedForThatNodesWatcherAndDeletedForTheWatcherOfUnscheduledPods() {
        WatchCache cache = cache();
        put("default", "web", null);
        Recorder kubelet = new Recorder();
        Recorder scheduler = new Recorder();
        eventually().until(() -> cache.revision() == store.revision());
        cache.watch(onNode("node-1"), from(store.revision()), kubelet);
        cache.watch(onNode(""), from(store.revision()), scheduler);

        long bound = put("default", "web", "node-1");

        eventually().until(() -> kubelet.events.size() == 1 && scheduler.events.size() == 1);
        assertThat(kubelet.summary()).containsExactly("ADDED web " + bound);
        assertThat(scheduler.summary()).containsExactly("DELETED web " + bound);
    }

    @Test
    void aNamespacedWatcherIsOfferedOnlyItsNamespacesChanges() {
        WatchCache cache = cache();
        Recorder rec = new Recorder();
        CacheWatcher watcher = (CacheWatcher) cache.watch(all("team-a"), from(store.revision()), rec);
        Selection byField = Selection.of(null, LabelSelector.EVERYTHING,
                List.of(new FieldTerm("metadata.namespace", true, "team-a")), CONFIG);
        CacheWatcher byFieldWatcher = (CacheWatcher) cache.watch(byField, from(store.revision()), new Recorder());
        CacheWatcher everywhere = (CacheWatcher) cache.watch(all(null), from(store.revision()), new Recorder());

        for (int i = 0; i < 5; i++) {
            put("team-b", "other-" + i, null);
        }
        put("team-a", "mine", null);

        eventually().until(() -> rec.events.size() == 1 && everywhere.offers() == 6);
        assertThat(rec.types()).containsExactly("ADDED mine");
        assertThat(watcher.offers()).isEqualTo(1);
        assertThat(byFieldWatcher.offers()).isEqualTo(1);
    }

    // ---- slow watchers

    @Test
    void aSlowWatcherIsClosedWhileTheOthersCarryOnAndResumesFromItsLastVersion() throws Exception {
        WatchCache cache = cache(WatchCache.Settings.defaults().withWatcherBuffer(2));
        CountDownLatch release = new CountDownLatch(1);
        Recorder slow = new Recorder(release);
        Recorder fast = new Recorder();
        long start = store.revision();
        CacheWatcher slowWatcher = (CacheWatcher) cache.watch(all("default"), from(start), slow);
        cache.watch(all("default"), from(start), fast);

        put("default", "pod-0", null);
        eventually().until(() -> slow.events.size() == 1); // and there it stays, until released
        for (int i = 1; i < 10; i++) {
            put("default", "pod-" + i, null);
            int seen = i + 1;
            eventually().until(() -> fast.events.size() == seen); // a watcher that keeps up
        }

        // Every change reached the fast watcher while the slow one still holds its first: nobody waited for it.
        assertThat(slow.events).hasSize(1);
        assertThat(slowWatcher.isStopped()).isTrue();
        assertThat(cache.watcherCount()).isEqualTo(1);
        release.countDown();
        eventually().until(slow.closed::isDone);
        assertThat(slow.closed.get()).isEmpty(); // the stream just ends, as kube's cacher ends it
        assertThat(slow.events).hasSize(1);
        assertThat(slow.afterClose).isEmpty();

        Recorder resumed = new Recorder();
        cache.watch(all("default"), from(rv(slow.events.get(0).object())), resumed);
        eventually().until(() -> resumed.events.size() == 9);
        assertThat(resumed.events.get(0).object().path("metadata").path("name").asText()).isEqualTo("pod-1");
    }

    @Test
    void aWatcherWhoseHandlerBlocksHoldsOneLaneWhileEveryOtherWatcherGetsEachChangeInOrder() throws Exception {
        WatchCache cache = cache(); // over a pool of two threads: at most two watchers handed events at once
        CountDownLatch release = new CountDownLatch(1);
        Recorder blocked = new Recorder(release);
        long start = store.revision();
        cache.watch(all("default"), from(start), blocked);
        List<Recorder> others = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Recorder r = new Recorder();
            others.add(r);
            cache.watch(all("default"), from(start), r);
        }

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            put("default", "pod-" + i, null);
            expected.add("ADDED pod-" + i);
        }

        eventually().untilAsserted(() -> assertThat(others).allSatisfy(r -> assertThat(r.events).hasSize(20)));
        assertThat(others).allSatisfy(r -> assertThat(r.types()).isEqualTo(expected));
        assertThat(blocked.events).hasSize(1); // still handed its first change
        release.countDown();
        eventually().until(() -> blocked.events.size() == 20);
        assertThat(blocked.types()).isEqualTo(expected);
        assertThat(cache.watcherCount()).isEqualTo(301);
    }

    @Test
    void aSlowWatcherWhoseVersionLeftTheWindowMustListAgain() {
        WatchCache cache = cache(WatchCache.Settings.defaults().withWatcherBuffer(2).withWindow(4, 4));
        CountDownLatch release = new CountDownLatch(1);
        Recorder slow = new Recorder(release);
        cache.watch(all("default"), from(store.revision()), slow);
        put("default", "pod-0", null);
        eventually().until(() -> slow.events.size() == 1);
        for (int i = 1; i < 10; i++) {
            put("default", "pod-" + i, null);
        }
        eventually().until(() -> cache.revision() == store.revision());
        release.countDown();
        eventually().until(slow.closed::isDone);

        ApiException gone = catchThrowableOfType(ApiException.class, () -> cache.watch(all("default"),
                from(rv(slow.events.get(0).object())), new Recorder()));

        assertThat(gone.code()).isEqualTo(410);
        assertThat(gone.getMessage()).startsWith("too old resource version: ");
    }

    // ---- bookmarks and initial events

    @Test
    void aBookmarkCarriesTheStoresRevisionToWatchersThatAllowBookmarks() {
        WatchCache cache = cache();
        Recorder withBookmarks = new Recorder();
        Recorder without = new Recorder();
        cache.watch(all("default"), withBookmarksFrom(store.revision()), withBookmarks);
        cache.watch(all("default"), from(store.revision()), without);
        long elsewhere = writeElsewhere("node-1");

        cache.requestBookmarks();

        eventually().until(() -> withBookmarks.events.size() == 1);
        ObjectNode bookmark = withBookmarks.events.get(0).object();
        assertThat(withBookmarks.events.get(0).type()).isEqualTo("BOOKMARK");
        assertThat(rv(bookmark)).isEqualTo(elsewhere);
        assertThat(bookmark.path("kind").asText()).isEqualTo("Pod");
        assertThat(bookmark.path("apiVersion").asText()).isEqualTo("v1");
        // Events of one watcher come in order: had the other one been sent a bookmark, it would come first.
        put("default", "web", null);
        eventually().until(() -> without.events.size() == 1 && withBookmarks.events.size() == 2);
        assertThat(without.types()).containsExactly("ADDED web");
    }

    @Test
    void bookmarksComeEveryBookmarkFrequency() {
        WatchCaches caches = new WatchCaches(store, Clock.SYSTEM, timer, lanes,
                WatchCache.Settings.defaults().withBookmarkFrequency(Duration.ofMillis(20)));
        try {
            WatchCache cache = caches.cache("pods", () -> CONFIG);
            Recorder rec = new Recorder();
            cache.watch(all("default"), withBookmarksFrom(store.revision()), rec);
            long elsewhere = writeElsewhere("node-1");

            eventually().until(() -> rec.events.stream().anyMatch(e -> rv(e.object()) == elsewhere));
            assertThat(rec.events).extracting(Event::type).containsOnly("BOOKMARK");
        } finally {
            caches.close();
        }
    }

    @Test
    void sendInitialEventsGivesTheStateThenABookmarkThatMarksItsEnd() {
        WatchCache cache = cache();
        put("default", "a", null);
        put("default", "b", null);
        long now = writeElsewhere("node-1");
        Recorder rec = new Recorder();

        cache.watch(all("default"), new WatchOptions(null, true, true, 0), rec);
        long later = put("default", "a", "node-1");

        eventually().until(() -> rec.events.size() == 4);
        assertThat(rec.types()).containsExactly("ADDED a", "ADDED b", "BOOKMARK null", "MODIFIED a");
        ObjectNode end = rec.events.get(2).object();
        assertThat(rv(end)).isGreaterThanOrEqualTo(now);
        assertThat(Json.text(end, "metadata", "annotations", "k8s.io/initial-events-end")).isEqualTo("true");
        assertThat(rv(rec.events.get(3).object())).isEqualTo(later);
    }

    @Test
    void sendInitialEventsWithoutBookmarksGivesNoBookmark() {
        WatchCache cache = cache();
        put("default", "a", null);
        Recorder rec = new Recorder();

        cache.watch(all("default"), new WatchOptions("0", true, false, 0), rec);
        put("default", "b", null);

        eventually().until(() -> rec.events.size() == 2);
        assertThat(rec.types()).containsExactly("ADDED a", "ADDED b");
    }

    @Test
    void sendInitialEventsFalseGivesOnlyTheChanges() {
        WatchCache cache = cache();
        put("default", "a", null);
        Recorder rec = new Recorder();

        cache.watch(all("default"), new WatchOptions(null, false, false, 0), rec);
        put("default", "b", null);

        eventually().until(() -> rec.events.size() == 1);
        assertThat(rec.types()).containsExactly("ADDED b");
    }

    @Test
    void timeoutSecondsEndsTheWatchNormallyAfterALastBookmark() {
        WatchCache cache = cache();
        Recorder rec = new Recorder();

        cache.watch(all("default"), new WatchOptions(Long.toString(store.revision()), null, true, 1), rec);
        long elsewhere = writeElsewhere("node-1");

        eventually().until(rec.closed::isDone);
        assertThat(rec.closed.join()).isEmpty();
        assertThat(rec.types()).containsExactly("BOOKMARK null");
        assertThat(rv(rec.events.get(0).object())).isEqualTo(elsewhere);
        assertThat(cache.watcherCount()).isZero();
    }

    // ---- lists

    @Test
    void aConsistentListWaitsUntilTheCacheHasSeenTheStoresRevision() {
        WatchCache cache = cache();
        put("default", "web", null);
        long now = writeElsewhere("node-1");

        CacheList list = cache.list(all("default"), 0, 0, true);

        assertThat(list.revision()).isEqualTo(now);
        assertThat(list.items()).extracting(CachedObject::key).containsExactly(PODS + "default/web");
    }

    @Test
    void aListAtResourceVersionZeroIsServedAsTheCacheIs() {
        WatchCache cache = cache();
        long pod = put("default", "web", null);
        eventually().until(() -> cache.revision() == pod);
        writeElsewhere("node-1");

        CacheList list = cache.list(all("default"), 0, 0, false);

        assertThat(list.revision()).isEqualTo(pod);
    }

    @Test
    void aListFromAResourceVersionTheStoreHasNotReachedTimesOut() {
        WatchCache cache = cache(new WatchCache.Settings(100, 1024, Duration.ofSeconds(75), 1000,
                Duration.ofMinutes(1), Duration.ofMillis(100)));
        long now = put("default", "web", null);

        ApiException e = catchThrowableOfType(ApiException.class, () -> cache.list(all("default"), 0, now + 5, false));

        assertThat(e.code()).isEqualTo(504);
        assertThat(e.getMessage()).isEqualTo("Timeout: Too large resource version: " + (now + 5) + ", current: "
                + now);
        assertThat(e.status().path("details").path("causes").get(0).path("reason").asText())
                .isEqualTo("ResourceVersionTooLarge");
    }

    @Test
    void aListFiltersOnLabelsAndFieldsAndStopsAtItsLimitWithTheKeyToGoOnFrom() {
        WatchCache cache = cache();
        put("default", "a", "node-1", "app", "web");
        put("default", "b", "node-2", "app", "web");
        put("default", "c", "node-1", "app", "db");
        put("default", "d", "node-1", "app", "web");
        put("other", "e", "node-1", "app", "web");
        Selection webOnNode1 = Selection.of("default", LabelSelector.parse("app=web"),
                List.of(new FieldTerm("spec.nodeName", true, "node-1")), CONFIG);

        CacheList all = cache.list(webOnNode1, 0, 0, true);
        CacheList firstPage = cache.list(webOnNode1, 1, 0, true);

        assertThat(all.items()).extracting(o -> o.name(CONFIG)).containsExactly("a", "d");
        assertThat(all.continueKey()).isNull();
        assertThat(firstPage.items()).extracting(o -> o.name(CONFIG)).containsExactly("a");
        assertThat(firstPage.continueKey()).isEqualTo(PODS + "default/b");
    }

    @Test
    void closingTheStoreEndsEveryWatchWithAnError() {
        WatchCache cache = cache();
        Recorder rec = new Recorder();
        cache.watch(all("default"), from(store.revision()), rec);

        store.close();

        eventually().until(rec.closed::isDone);
        assertThat(rec.closed.join()).isPresent();
    }

    @Test
    void aWatchClosedByItsClientIsForgottenAndHearsNoMore() {
        WatchCache cache = cache();
        Recorder rec = new Recorder();
        Watch w = cache.watch(all("default"), from(store.revision()), rec);

        w.close();
        put("default", "web", null);
        Recorder after = new Recorder();
        cache.watch(all("default"), from(store.revision() - 1), after);

        eventually().until(() -> after.events.size() == 1);
        assertThat(rec.events).isEmpty();
        assertThat(rec.closed).isNotDone();
        assertThat(cache.watcherCount()).isEqualTo(1);
    }

    // ---- helpers

    private static long rv(ObjectNode obj) {
        return Long.parseLong(Json.resourceVersion(obj));
    }

    record Event(String type, ObjectNode object) {
    }

    /** Records a watch's events and how it ended; optionally holds its first event until released. */
    static final class Recorder implements WatchHandler {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final List<Event> afterClose = new CopyOnWriteArrayList<>();
        final CompletableFuture<Optional<ApiException>> closed = new CompletableFuture<>();
        private final CountDownLatch holdFirst;

        Recorder() {
            this(new CountDownLatch(0));
        }

        Recorder(CountDownLatch holdFirst) {
            this.holdFirst = holdFirst;
        }

        @Override
        public void onEvent(String type, ObjectNode object) {
            (closed.isDone() ? afterClose : events).add(new Event(type, object));
            try {
                if (!holdFirst.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onClose(ApiException error) {
            closed.complete(Optional.ofNullable(error));
        }

        List<String> types() {
            return events.stream().map(e -> e.type() + " " + Json.name(e.object())).toList();
        }

        List<String> summary() {
            return events.stream().map(e -> e.type() + " " + Json.name(e.object()) + " "
                    + Json.resourceVersion(e.object())).toList();
        }
    }

    // ---- trees a write was encoded from

    @Test
    void aWrittenTreeIsTakenForItsEventRatherThanParsedAndAnotherWriteIsParsed() {
        WatchCache cache = cache();
        WrittenTrees trees = new WrittenTrees();
        cache.trees = trees;
        ObjectNode pod = Json.parseTrusted(("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"a\","
                + "\"namespace\":\"default\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"nodeName\":\"n1\"}}")
                .getBytes());
        byte[] bytes = Json.bytes(pod);
        trees.remember(bytes, pod);
        long rev = store.put(PODS + "default/a", bytes).modRevision();
        put("default", "b", "n1", "app", "web"); // not remembered: parsed

        eventually().until(() -> cache.list(all("default"), 0, 0, false).revision() >= rev + 1);
        List<CachedObject> items = cache.list(Selection.of("default", LabelSelector.parse("app=web"), List.of(),
                CONFIG), 0, 0, false).items();
        assertThat(items).extracting(o -> o.key).containsExactly(PODS + "default/a", PODS + "default/b");
        assertThat(items.get(0).shared(null)).as("the tree the write was encoded from").isSameAs(pod);
        assertThat(trees.take(bytes)).as("taken once").isNull();
        assertThat(cache.list(onNode("n1"), 0, 0, false).items()).hasSize(2);
        assertThat(items.get(1).shared(null).path("metadata").path("labels").path("app").asText()).isEqualTo("web");
    }
}

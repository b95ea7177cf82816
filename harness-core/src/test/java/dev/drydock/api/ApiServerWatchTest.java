package dev.drydock.api;

import static dev.drydock.api.TestObjects.namespace;
import static dev.drydock.api.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drydock.api.cache.WatchCache;
import dev.drydock.kube.ApiException;
import dev.drydock.kube.ApiRequest;
import dev.drydock.kube.Json;
import dev.drydock.kube.Watch;
import dev.drydock.kube.WatchHandler;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Watches through the API server: from a resource version, from now, with selectors, expiry and timeouts. */
class ApiServerWatchTest extends ApiServerTestSupport {

    /** A small window of changes, so that a test can outrun it. */
    private static final int WINDOW = 8;

    @Override
    WatchCache.Settings cacheSettings() {
        return WatchCache.Settings.defaults().withWindow(WINDOW, WINDOW);
    }

    @Test
    void aWatchFromAListsResourceVersionSeesLaterChangesInOrder() {
        createPod(pod("old"));
        String listRv = Json.resourceVersion(list(PODS, NS, Map.of()));
        Recorder rec = new Recorder();
        watch(NS, listRv, Map.of(), rec);

        ObjectNode created = createPod(pod("web"));
        Json.with(created, "metadata", "labels").put("app", "web");
        ObjectNode updated = client.update(PODS, created);
        client.delete(PODS, NS, "web");
        long deletedAt = store.revision();

        eventually().until(() -> rec.events.size() == 3);
        assertThat(rec.summary()).containsExactly("ADDED web", "MODIFIED web", "DELETED web");
        assertThat(rec.events).extracting(e -> rv(e.object()))
                .containsExactly(rv(created), rv(updated), deletedAt);
        assertThat(rec.events.get(1).object()).isEqualTo(updated);
        assertThat(rec.closed).isNotDone();
    }

    @Test
    void aWatchFromAnOlderResourceVersionReplaysWhatHappenedSince() {
        ObjectNode a = createPod(pod("a"));
        createPod(pod("b"));
        client.delete(PODS, NS, "a");
        Recorder rec = new Recorder();

        watch(NS, Json.resourceVersion(a), Map.of(), rec);

        eventually().until(() -> rec.events.size() == 2);
        assertThat(rec.summary()).containsExactly("ADDED b", "DELETED a");
    }

    @Test
    void aWatchWithoutResourceVersionStartsWithAddedForEveryExistingObject() {
        createPod(pod("a"));
        createPod(pod("b"));
        Recorder rec = new Recorder();

        watch(NS, null, Map.of(), rec);
        createPod(pod("c"));

        eventually().until(() -> rec.events.size() == 3);
        assertThat(rec.summary()).containsExactly("ADDED a", "ADDED b", "ADDED c");
    }

    @Test
    void aWatchFromResourceVersionZeroAlsoStartsWithTheExistingObjects() {
        createPod(pod("a"));
        Recorder rec = new Recorder();

        watch(NS, "0", Map.of(), rec);
        client.delete(PODS, NS, "a");

        eventually().until(() -> rec.events.size() == 2);
        assertThat(rec.summary()).containsExactly("ADDED a", "DELETED a");
    }

    @Test
    void aNamespacedWatchSeesOnlyItsNamespace() {
        client.create(NAMESPACES, null, namespace("other").build());
        Recorder rec = new Recorder();
        watch(NS, Long.toString(store.revision()), Map.of(), rec);

        client.create(PODS, "other", pod("elsewhere").build());
        createPod(pod("here"));

        eventually().until(() -> rec.events.size() == 1);
        assertThat(rec.summary()).containsExactly("ADDED here");
    }

    @Test
    void anObjectThatStopsMatchingTheLabelSelectorIsDeletedForTheWatcher() {
        ObjectNode web = createPod(pod("web").labels("app", "web"));
        createPod(pod("db").labels("app", "db"));
        Recorder rec = new Recorder();
        watch(NS, Long.toString(store.revision()), Map.of("labelSelector", "app=web"), rec);

        ObjectNode moved = client.mergePatch(PODS, NS, "web", null, labels("app", "db"));
        client.mergePatch(PODS, NS, "web", null, labels("app", "web"));
        client.mergePatch(PODS, NS, "db", null, labels("tier", "x"));

        eventually().until(() -> rec.events.size() == 2);
        assertThat(rec.summary()).containsExactly("DELETED web", "ADDED web");
        // As kube: the DELETED of an object that stopped matching carries its last matching state, at the
        // revision of the change.
        assertThat(rv(rec.events.get(0).object())).isEqualTo(rv(moved));
        assertThat(rec.events.get(0).object().path("metadata").path("labels").path("app").asText())
                .isEqualTo("web");
        assertThat(rec.events.get(1).object().path("metadata").path("labels").path("app").asText())
                .isEqualTo("web");
        assertThat(Json.uid(rec.events.get(0).object())).isEqualTo(Json.uid(web));
    }

    @Test
    void aFieldSelectorWatchSeesAPodAppearWhenItIsBound() {
        createPod(pod("web"));
        Recorder rec = new Recorder();
        watch(NS, Long.toString(store.revision()), Map.of("fieldSelector", "spec.nodeName=n1"), rec);

        client.bind(NS, "web", "n1");

        eventually().until(() -> rec.events.size() == 1);
        assertThat(rec.summary()).containsExactly("ADDED web");
        assertThat(Json.text(rec.events.get(0).object(), "spec", "nodeName")).isEqualTo("n1");
    }

    @Test
    void aWatchFromAVersionThatLeftTheWatchCachesWindowIsExpired() {
        list(PODS, NS, Map.of()); // the pods' watch cache exists from here on, as kube's from the start
        ObjectNode first = createPod(pod("a"));
        for (int i = 0; i <= WINDOW; i++) { // the change after the first one leaves the window
            createPod(pod("p" + i));
        }
        list(PODS, NS, Map.of()); // a consistent read: the cache has seen every change

        ApiException e = failure(() -> watch(NS, Json.resourceVersion(first), Map.of(), new Recorder()));

        assertThat(e.code()).isEqualTo(410);
        assertThat(e.reason()).isEqualTo("Expired");
        assertThat(e.getMessage()).startsWith("too old resource version: " + Json.resourceVersion(first) + " (");
    }

    @Test
    void aWatchFromAVersionTheStoreCompactedIsServedFromTheWatchCachesWindow() {
        list(PODS, NS, Map.of()); // the pods' watch cache exists from here on, as kube's from the start
        ObjectNode first = createPod(pod("a"));
        createPod(pod("b"));
        store.compact(store.revision());
        Recorder rec = new Recorder();

        watch(NS, Json.resourceVersion(first), Map.of(), rec);

        eventually().until(() -> rec.events.size() == 1);
        assertThat(rec.summary()).containsExactly("ADDED b");
    }

    @Test
    void sendInitialEventsGivesTheObjectsThenABookmarkMarkingTheirEnd() {
        createPod(pod("a"));
        createPod(pod("b"));
        Recorder rec = new Recorder();

        watch(NS, null, Map.of("sendInitialEvents", "true", "resourceVersionMatch", "NotOlderThan",
                "allowWatchBookmarks", "true"), rec);
        createPod(pod("c"));

        eventually().until(() -> rec.events.size() == 4);
        assertThat(rec.events).extracting(Event::type).containsExactly("ADDED", "ADDED", "BOOKMARK", "ADDED");
        ObjectNode end = rec.events.get(2).object();
        assertThat(Json.text(end, "metadata", "annotations", "k8s.io/initial-events-end")).isEqualTo("true");
        assertThat(rv(end)).isGreaterThanOrEqualTo(rv(rec.events.get(1).object()));
    }

    @Test
    void sendInitialEventsWithoutResourceVersionMatchNotOlderThanIsInvalid() {
        ApiException e = failure(() -> watch(NS, null, Map.of("sendInitialEvents", "true"), new Recorder()));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).isEqualTo("ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: "
                + "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
    }

    @Test
    void resourceVersionMatchOnAWatchWithoutSendInitialEventsIsInvalid() {
        ApiException e = failure(() -> watch(NS, "1", Map.of("resourceVersionMatch", "NotOlderThan"),
                new Recorder()));

        assertThat(e.code()).isEqualTo(422);
        assertThat(e.getMessage()).contains("resourceVersionMatch is forbidden for watch unless sendInitialEvents "
                + "is provided");
    }

    @Test
    void timeoutSecondsEndsTheWatchNormally() {
        Recorder rec = new Recorder();
        watch(NS, Long.toString(store.revision()), Map.of("timeoutSeconds", "1"), rec);

        eventually().until(rec.closed::isDone);
        assertThat(rec.closed.join()).isEmpty();
        createPod(pod("late"));
        Recorder after = new Recorder();
        watch(NS, Long.toString(store.revision() - 1), Map.of(), after);
        eventually().until(() -> after.events.size() == 1);
        assertThat(rec.events).isEmpty();
        assertThat(rec.afterClose).isEmpty();
    }

    @Test
    void aTimeoutThatFiresWhileAnEventIsBeingHandedOverClosesTheWatchOnlyAfterIt() {
        List<String> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        WatchHandler slow = new WatchHandler() {
            @Override
            public void onEvent(String type, ObjectNode object) {
                seen.add("event start");
                // Hold the event until the timeout has fired (the timer has run its one task): the close must wait
                // for this event to be handed over.
                eventually().until(() -> closed.isDone() || timer.getCompletedTaskCount() > 0);
                seen.add(closed.isDone() ? "closed during the event" : "event end");
            }

            @Override
            public void onClose(ApiException error) {
                seen.add("closed");
                closed.complete(null);
            }
        };
        // The event exists before the watch starts, so it is being handed over before the 1 s timer can fire,
        // however slow the machine.
        long before = store.revision();
        createPod(pod("web"));

        watch(NS, Long.toString(before), Map.of("timeoutSeconds", "1"), slow);

        eventually().until(closed::isDone);
        assertThat(seen).containsExactly("event start", "event end", "closed");
    }

    @Test
    void theWatcherCanCloseAWatchWhileHoldingALockItsHandlerWaitsFor() {
        // As an informer does: it closes its watch under its own lock, and its handler takes that lock. (The
        // handler gives up after 10 s, so that a regression fails this test instead of hanging the suite.)
        ReentrantLock informerLock = new ReentrantLock();
        CountDownLatch inEvent = new CountDownLatch(1);
        WatchHandler handler = new WatchHandler() {
            @Override
            public void onEvent(String type, ObjectNode object) {
                inEvent.countDown();
                try {
                    if (informerLock.tryLock(10, TimeUnit.SECONDS)) {
                        informerLock.unlock();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void onClose(ApiException error) {
            }
        };
        Watch w = watch(NS, Long.toString(store.revision()), Map.of(), handler);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Thread closer = new Thread(() -> {
            informerLock.lock();
            try {
                createPod(pod("web"));
                if (inEvent.await(10, TimeUnit.SECONDS)) {
                    w.close();
                    closed.complete(null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                informerLock.unlock();
            }
        }, "drydock-t-closer");
        closer.setDaemon(true);

        closer.start();

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(closed::isDone);
    }

    @Test
    void aWatchClosedByTheWatcherGetsNoMoreEventsAndNoCloseCallback() {
        Recorder rec = new Recorder();
        Watch w = watch(NS, Long.toString(store.revision()), Map.of(), rec);
        createPod(pod("a"));
        eventually().until(() -> rec.events.size() == 1);

        w.close();
        createPod(pod("b"));
        Recorder after = new Recorder();
        watch(NS, Long.toString(store.revision() - 1), Map.of(), after);

        eventually().until(() -> after.events.size() == 1);
        assertThat(rec.summary()).containsExactly("ADDED a");
        assertThat(rec.closed).isNotDone();
    }

    @Test
    void closingTheStoreEndsTheWatchWithAnError() {
        Recorder rec = new Recorder();
        watch(NS, Long.toString(store.revision()), Map.of(), rec);

        store.close();

        eventually().until(rec.closed::isDone);
        assertThat(rec.closed.join()).isPresent();
        assertThat(rec.afterClose).isEmpty();
    }

    // ---- helpers

    private Watch watch(String namespace, String resourceVersion, Map<String, String> params, WatchHandler h) {
        Map<String, String> p = new HashMap<>(params);
        if (resourceVersion != null) {
            p.put("resourceVersion", resourceVersion);
        }
        return api.watch(new ApiRequest(ApiRequest.Verb.WATCH, PODS, namespace, null, null, p, null, null), h);
    }

    private static ObjectNode labels(String key, String value) {
        ObjectNode patch = Json.object();
        Json.with(patch, "metadata", "labels").put(key, value);
        return patch;
    }

    record Event(String type, ObjectNode object) {
    }

    /** Records a watch's events and how it ended (an empty Optional: a normal end). */
    static final class Recorder implements WatchHandler {
        final List<Event> events = new CopyOnWriteArrayList<>();
        /** Events heard after onClose: a broken contract, asserted by the tests on their own thread. */
        final List<Event> afterClose = new CopyOnWriteArrayList<>();
        final CompletableFuture<Optional<ApiException>> closed = new CompletableFuture<>();

        @Override
        public void onEvent(String type, ObjectNode object) {
            (closed.isDone() ? afterClose : events).add(new Event(type, object));
        }

        @Override
        public void onClose(ApiException error) {
            closed.complete(Optional.ofNullable(error));
        }

        List<String> summary() {
            return events.stream().map(e -> e.type() + " " + Json.name(e.object())).toList();
        }
    }
}
